"""Document-summary page logic: which engines can run, reading a .txt file, the privacy preview, results."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.viewmodels.analysis_vm import Preview, preview_of, summary_sections
from services.ai.choice import available_summary_engines, summary_engine
from services.redaction import redact
from services.summaries.prompts import TEXT_SMALL_CONTEXT_INPUT_CHARS
from services.text_encoding import decode_korean_text

ENGINE_WORDS = {
    "offline": "자동 발췌 (인터넷 없이, 이 컴퓨터에서만)",
    "gemini": "AI 요약 (Gemini, 가린 글을 Google로 보냄)",
    "gemma": "AI 요약 (Gemma, 가린 글을 설정한 AI 서버로 보냄)",
}
# In web mode the app runs on the operator's server: not "this computer", not a server the visitor set.
VISITOR_ENGINE_WORDS = {
    "offline": "자동 발췌 (AI 없이, 이 앱 안에서만)",
    "gemini": ENGINE_WORDS["gemini"],
    "gemma": "AI 요약 (Gemma, 가린 글을 운영자가 정한 AI 서버로 보냄)",
}
TEXT_MAX_CHARS = 30_000
FILE_MAX_BYTES = 1_000_000
PREVIEW_SHOWN_CHARS = 4_000   # the privacy preview shows this much of the masked text
# How much of a long text an engine reads (services.summaries trims the middle for a small-context model).
# Gemini reads more than TEXT_MAX_CHARS and the offline extract reads everything: no note for them.
AI_READS = {"gemma": ("Gemma AI", TEXT_SMALL_CONTEXT_INPUT_CHARS)}
LIMIT_HELP = f"최대 {TEXT_MAX_CHARS:,}자. 더 긴 글은 앞부분만 남깁니다."

__all__ = ["ENGINE_WORDS", "engine_label", "TEXT_MAX_CHARS", "LIMIT_HELP", "available_engines", "default_engine",
           "decode_text_file", "text_problem", "FittedText", "fit_text", "length_counter", "engine_reads_note",
           "shown_preview", "privacy_preview", "summary_sections", "saved_document", "Preview"]


def engine_label(engine: str, web_mode: bool) -> str:
    return (VISITOR_ENGINE_WORDS if web_mode else ENGINE_WORDS)[engine]


def available_engines(settings: Any) -> list[str]:
    """The offline extract always; Gemini/Gemma only when a key or an address is configured."""
    return list(available_summary_engines(settings))


def default_engine(settings: Any) -> str:
    """The engine the page starts with (``services.ai.choice.summary_engine``, as on the precedent page)."""
    return summary_engine(settings)


class FileReadError(ValueError):
    """The picked file cannot be used; ``message`` is Korean."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_text_file(data: bytes | None, name: str = "") -> str:
    """The text of a picked .txt file (UTF-8 or the older Korean encodings)."""
    if not data:
        raise FileReadError("파일을 읽지 못했습니다. 다시 골라 주세요.")
    if len(data) > FILE_MAX_BYTES:
        raise FileReadError("파일이 너무 큽니다(1MB까지). 필요한 부분만 복사해 붙여 넣어 주세요.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileReadError(f"'{name or '파일'}'은(는) 글자 파일(.txt)이 아닌 것 같습니다. "
                            "내용을 복사해 붙여 넣어 주세요.")
    text = decode_korean_text(data)
    if text is not None:
        return text
    raise FileReadError("파일의 글자를 읽을 수 없습니다. 메모장에서 'UTF-8'로 저장한 뒤 다시 열어 주세요.")


def text_problem(text: str) -> str | None:
    stripped = (text or "").strip()
    if not stripped:
        return "요약할 글을 붙여 넣거나 .txt 파일을 열어 주세요."
    if len(stripped) < 20:
        return "글이 너무 짧습니다. 통지서나 소견서의 내용을 더 붙여 넣어 주세요."
    if len(stripped) > TEXT_MAX_CHARS:
        return f"글이 너무 깁니다({TEXT_MAX_CHARS:,}자까지). 중요한 부분만 붙여 넣어 주세요."
    return None


@dataclass(frozen=True)
class FittedText:
    """The text the field keeps, and the sentence announcing a cut ("" when nothing was cut)."""
    text: str
    cut_message: str = ""


def fit_text(text: str) -> FittedText:
    """At most ``TEXT_MAX_CHARS`` characters: a longer paste keeps its beginning, and says so."""
    if len(text) <= TEXT_MAX_CHARS:
        return FittedText(text)
    return FittedText(text[:TEXT_MAX_CHARS],
                      f"앞의 {TEXT_MAX_CHARS:,}자만 남겼습니다 (붙여 넣은 글 {len(text):,}자). "
                      "뒷부분이 필요하면 그 부분만 따로 붙여 넣어 요약해 주세요.")


def length_counter(text: str) -> str:
    """The counter under the field: "6,300 / 30,000자"."""
    return f"{len(text):,} / {TEXT_MAX_CHARS:,}자"


def engine_reads_note(text: str, engine: str) -> str:
    """When the chosen AI reads only part of a long text: which part, in plain words ("" otherwise)."""
    if engine not in AI_READS:
        return ""
    name, reads = AI_READS[engine]
    length = len((text or "").strip())
    if length <= reads:
        return ""
    return (f"이 글은 {length:,}자입니다. {name}는 한 번에 {reads:,}자까지 읽어서, "
            "가운데를 줄이고 앞부분과 끝부분만 보냅니다. 전부 읽히려면 중요한 부분만 붙여 넣거나 "
            "'자동 발췌'를 고르세요.")


def shown_preview(masked_text: str) -> tuple[str, str]:
    """(the part of the masked text the preview shows, a note when it shows only the beginning)."""
    if len(masked_text) <= PREVIEW_SHOWN_CHARS:
        return masked_text, ""
    return (masked_text[:PREVIEW_SHOWN_CHARS] + "…",
            f"화면에는 앞의 {PREVIEW_SHOWN_CHARS:,}자만 보여 드립니다 (가린 글 전체 {len(masked_text):,}자). "
            "보낼 때에도 이렇게 가린 글을 보냅니다.")


def privacy_preview(text: str) -> Preview:
    """What a cloud engine would receive: the text with personal data masked."""
    redaction = redact(text)
    return preview_of(redaction.findings, redaction.text)


def saved_document(text: str, summary: dict[str, Any]) -> dict[str, Any]:
    """Arguments for ``repo.add_document``. The case file is the user's own, so it keeps the original text."""
    title = f"{summary.get('doc_type') or '문서'} 요약"
    return {"text": text, "summary": summary, "title": title}
