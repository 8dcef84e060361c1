"""Make, cache and return summaries: the functions the UI and the CLI call.

- ``summarize(record, engine)``: one precedent. Cached by (record id, engine, model, prompt
  version): a summary is made once and then read back; ``force=True`` ("다시 요약") makes a new
  one and replaces it. ``on_delta`` receives the model's text pieces (raw JSON) while a cloud
  summary is written (``schema.preview_partial`` turns the text so far into readable lines);
  ``on_restart`` is called when a second, repair attempt starts so a live view can clear itself.
- ``summarize_text(text, engine)``: a pasted document. Personal data is masked first and the
  cloud engines only ever see the masked text; dates and deadlines are worked out locally.
The engine is ``services.ai.choice.summary_engine`` unless one is asked for; ``model`` (a
``services.ai.ChatModel``) may be passed in, else it is built from the settings. Model output goes
through ``services.ai.generate_validated``: invalid or truncated output is sent back once with the
error, and a second failure is refused with a Korean message, never shown half-parsed.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from core.progress import CancelToken, Progress, check, report
from core.records import Precedent
from services.ai.choice import build_model
from services.ai.json_output import validate_as
from services.ai.model import ChatModel
from services.ai.validated import generate_validated
from services.redaction import redact, restore_all
from services.settings import Settings
from services.summaries.engines import model_name, resolve_engine_name
from services.summaries.errors import FORMAT_REJECTED, SummaryError
from services.summaries.extract import EXTRACT_MODEL, extract_precedent
from services.summaries.prompts import (
    PROMPT_VERSION,
    TEXT_PROMPT_VERSION,
    TEXT_SMALL_CONTEXT_INPUT_CHARS,
    precedent_prompt,
    text_prompt,
)
from services.summaries.schema import PrecedentContent, PrecedentSummary, TextContent, TextSummary
from services.summaries.text_extract import deadline_info, detect_doc_type, find_dates, offline_text_content
from storage.precedents import PrecedentStore
from storage.summary_cache import SummaryCache

DeltaFn = Callable[[str], None]
ProgressFn = Callable[[Progress], None]

_key_locks: dict[str, threading.Lock] = {}
_key_locks_guard = threading.Lock()


def _lock_for(key: str) -> threading.Lock:
    # Two screens asking for the same summary at once: the second waits and reads the cache.
    with _key_locks_guard:
        return _key_locks.setdefault(key, threading.Lock())


class Summaries:
    """Make, cache and read back summaries; one per process, built by the composition root (app/wiring.py).

    ``settings`` decide the engine and model (``services.ai.choice``), ``cache`` keeps what was made,
    ``store`` looks precedents up by id (``summarize_id``).
    """

    def __init__(self, settings: Settings, cache: SummaryCache, store: PrecedentStore | None = None) -> None:
        self.settings = settings
        self.cache = cache
        self.store = store

    def cache_key(self, record_id: str, engine: str) -> tuple[str, str, str, str]:
        name = resolve_engine_name(engine, self.settings)
        return record_id, name, model_name(name, self.settings), PROMPT_VERSION

    def cached(self, record_id: str, engine: str | None = None) -> PrecedentSummary | None:
        """The cached summary for this record and engine (default: the settings' choice), without making one."""
        stored = self.cache.get(*self.cache_key(record_id, engine or ""))
        if not stored:
            return None
        try:
            summary = PrecedentSummary.from_dict(stored)
        except Exception:
            return None  # an entry from an older layout: make a new one
        summary.from_cache = True
        return summary

    def previews(self) -> Callable[[str], str | None]:
        """For a result list: record id -> the one-line preview of the cached summary the detail page would
        show. The engine and model are read from the settings once, not once a row."""
        name = resolve_engine_name("", self.settings)
        model = model_name(name, self.settings)

        def preview(record_id: str) -> str | None:
            stored = self.cache.get(record_id, name, model, PROMPT_VERSION)
            text = stored.get("preview") if stored else None
            return text if isinstance(text, str) and text else None

        return preview

    def summarize(self, record: Precedent, engine: str | None = None, *, force: bool = False,
                  on_delta: DeltaFn | None = None, cancel: CancelToken | None = None,
                  progress: ProgressFn | None = None, on_restart: Callable[[], None] | None = None,
                  model: ChatModel | None = None) -> PrecedentSummary:
        """The summary of ``record`` by ``engine`` (default: the settings' choice), from the cache when made before."""
        name = resolve_engine_name(engine, self.settings)
        key = self.cache_key(record.id, name)
        with _lock_for("|".join(key)):
            if not force:
                found = self.cached(record.id, name)
                if found is not None:
                    return found
            check(cancel)
            if name == "offline":
                report(progress, 0, 1, "판결문에서 요약할 문장을 고르는 중…")
                content = validate_as(extract_precedent(record), PrecedentContent)
                model_id, is_extract = EXTRACT_MODEL, True
            else:
                chat = model or build_model(name, self.settings)
                try:
                    report(progress, 0, 1, "AI가 요약을 쓰는 중…")
                    prompt = precedent_prompt(record, chat.input_chars)
                    content = _ask(chat, prompt, PrecedentContent, on_delta, cancel, progress, on_restart)
                    model_id, is_extract = chat.model, False
                finally:
                    if model is None:
                        chat.close()
            summary = PrecedentSummary(**content.model_dump(), record_id=record.id, engine=name, model=model_id,
                                       prompt_version=PROMPT_VERSION, is_extract=is_extract)
            self.cache.put(record.id, name, model_id, PROMPT_VERSION, summary.to_dict())
            report(progress, 1, 1, "요약을 만들었습니다.")
            return summary

    def summarize_id(self, record_id: str, engine: str | None = None, **kwargs: Any) -> PrecedentSummary:
        """``summarize`` for a record looked up by id in the precedent store."""
        record = self.store.get(record_id) if self.store is not None else None
        if record is None:
            raise SummaryError(f"판례 '{record_id[:60]}'을(를) 찾을 수 없습니다. "
                               "판례 검색에서 번호를 다시 확인해 주세요.")
        return self.summarize(record, engine, **kwargs)

    def summarize_text(self, text: str, engine: str | None = None, *, on_delta: DeltaFn | None = None,
                       cancel: CancelToken | None = None, progress: ProgressFn | None = None,
                       on_restart: Callable[[], None] | None = None, today: date | None = None,
                       model: ChatModel | None = None) -> TextSummary:
        """A plain-language summary of a pasted document (통지서, 결정서, 소견서, 편지)."""
        if not (text or "").strip():
            raise SummaryError("요약할 글이 비어 있습니다. 통지서나 소견서의 내용을 붙여 넣어 주세요.")
        name = resolve_engine_name(engine, self.settings)
        check(cancel)
        redaction = redact(text)
        masked = redaction.text
        # Dates and deadlines are read from the original on this computer; nothing here leaves it.
        dates = find_dates(text)
        local_type = detect_doc_type(text)
        if name == "offline":
            report(progress, 0, 1, "문서에서 중요한 문장을 고르는 중…")
            content = validate_as(offline_text_content(masked, local_type), TextContent)
            model_id, is_extract = EXTRACT_MODEL, True
        else:
            chat = model or build_model(name, self.settings)
            try:
                report(progress, 0, 1, "AI가 문서를 읽고 있습니다…")
                limit = TEXT_SMALL_CONTEXT_INPUT_CHARS if chat.context_tokens else chat.input_chars
                content = _ask(chat, text_prompt(masked, limit), TextContent, on_delta, cancel, progress, on_restart)
                model_id, is_extract = chat.model, False
            finally:
                if model is None:
                    chat.close()
        doc_type = content.doc_type if content.doc_type != "기타" else local_type
        info = deadline_info(doc_type, text, dates, today=today)
        # The AI read placeholders; the names and numbers of his own document go back in on this computer.
        data = restore_all(content.model_dump(), redaction.mapping)
        data["doc_type"] = doc_type
        data["next_steps"] = info.steps + [s for s in data["next_steps"] if s not in info.steps]
        summary = TextSummary(**data, engine=name, model=model_id, prompt_version=TEXT_PROMPT_VERSION,
                              is_extract=is_extract, deadlines=info.deadlines, deadline_note=info.note,
                              dates_found=dates.to_dict(), redacted_items=len(redaction.findings))
        report(progress, 1, 1, "요약을 만들었습니다.")
        return summary


_Content = TypeVar("_Content", bound=BaseModel)


def _ask(model: ChatModel, prompt: str, schema_cls: type[_Content], on_delta: DeltaFn | None,
         cancel: CancelToken | None, progress: ProgressFn | None,
         on_restart: Callable[[], None] | None) -> _Content:
    return generate_validated(model, [{"role": "user", "content": prompt}], schema_cls, on_delta=on_delta,
                              on_restart=on_restart, cancel=cancel, progress=progress, refusal=FORMAT_REJECTED)
