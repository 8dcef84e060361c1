"""Situation analysis: the request preview, the AI call (Gemma or Gemini), answer checks and the result.

The model is a ``services.ai.ChatModel`` passed in by the caller (``services.ai.choice.analysis_model``
picks it from the settings); whichever it is, it only ever receives the redacted ``AnalysisRequest``
the user saw in the privacy step.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.errors import SanjaeError
from core.progress import CancelToken, Progress
from services.ai.errors import AIFormatRejected
from services.ai.model import ChatModel, Message
from services.ai.validated import generate_validated
from services.analysis.answer import AnalysisAnswer
from services.analysis.evidence import evidence_view
from services.analysis.grounding import HitLike, SimilarFinder, pack_precedents
from services.analysis.model import SituationInput
from services.analysis.prompt import DISCLAIMER, PRECEDENTS_HEADING, REPAIR_REQUEST, SITUATION_HEADING, first_turn
from services.analysis.tokens import TokenCounter, estimate_tokens, messages_tokens, prompt_budget
from services.redaction import Finding, mapping_of, redact, restore_all

DEFAULT_MAX_TOKENS = 1536
_VERDICT = re.compile(r"(승소|패소|인정될|불인정될|이길|질)\s*(?:것|가능성이 높|수밖에)")


class AnalysisInputError(SanjaeError):
    """The form lacks something the analysis cannot do without."""


@dataclass
class AnalysisRequest:
    """Exactly what will be sent (after redaction), for the UI to show and let the user edit."""
    messages: list[dict[str, str]]
    hits: list[HitLike]
    findings: list[Finding]
    prompt_tokens: int
    max_tokens: int

    @property
    def text(self) -> str:
        return self.messages[0]["content"]

    @property
    def own_words(self) -> str:
        """The user's own words as they will be sent (masked): the 내 상황 part, without instructions or precedents."""
        _, sep, after = self.text.partition(SITUATION_HEADING)
        return after.partition(PRECEDENTS_HEADING)[0].strip() if sep else ""

    def with_own_words(self, edited: str) -> AnalysisRequest:
        """The request with the 내 상황 part replaced by the user's edit, redacted again; the rest as it was."""
        before, sep, after = self.text.partition(SITUATION_HEADING)
        if not sep:
            return self.with_text(edited)
        _, heading, precedents = after.partition(PRECEDENTS_HEADING)
        return self.with_text(f"{before}{sep}\n{edited.strip()}\n\n{heading}{precedents}")

    def with_text(self, edited: str) -> AnalysisRequest:
        """The user's edited version, redacted again before anything is sent.

        The precedents part is public text: it is redacted only if the user changed it, so that
        words in judgments (원고 주장, 피고가 2020. …) are not mistaken for personal data.
        """
        head, sep, tail = edited.partition(PRECEDENTS_HEADING)
        _, _, original_tail = self.text.partition(PRECEDENTS_HEADING)
        # The placeholders already in the text keep their numbers; a new name becomes [이름2], not a second [이름1].
        again = redact(head, known=mapping_of(self.findings))
        findings = list(again.findings)
        if sep and tail == original_tail:
            content = again.text + sep + tail
        else:
            rest = redact(sep + tail, known={**mapping_of(self.findings), **again.mapping})
            findings += rest.findings
            content = again.text + rest.text
        return AnalysisRequest([{"role": "user", "content": content}], self.hits, self.findings + findings,
                               estimate_tokens(content), self.max_tokens)


@dataclass
class AnalysisResult:
    input: dict[str, Any]
    engine: str                          # "offline", "gemma" or "gemini"
    evidence: dict[str, Any]
    model: str = ""                      # the model id the answer came from
    answer: dict[str, Any] | None = None
    raw_answer: str = ""                 # kept for reading older saved analyses; new results leave it empty
    answer_invalid: bool = False         # the model's JSON could not be used even after one repair
    dropped_citations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sent_text: str = ""
    redactions: list[dict[str, Any]] = field(default_factory=list)
    input_notes: list[str] = field(default_factory=list)
    disclaimer: str = DISCLAIMER

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input, "engine": self.engine, "model": self.model, "evidence": self.evidence,
            "answer": self.answer,
            "raw_answer": self.raw_answer, "answer_invalid": self.answer_invalid,
            "dropped_citations": list(self.dropped_citations), "warnings": list(self.warnings),
            "sent_text": self.sent_text, "redactions": list(self.redactions), "input_notes": list(self.input_notes),
            "disclaimer": self.disclaimer,
        }


def find_similar(inp: SituationInput, finder: SimilarFinder, k: int) -> list[HitLike]:
    return list(finder.similar(inp.query_text(), k=k))[:k]


def build_request(inp: SituationInput, finder: SimilarFinder | None = None, *, hits: Sequence[HitLike] | None = None,
                  k: int = 6, max_tokens: int = DEFAULT_MAX_TOKENS,
                  count: TokenCounter = estimate_tokens) -> AnalysisRequest:
    """The single user turn to send: instructions, the (redacted) situation and trimmed precedents."""
    if hits is None:
        if finder is None:
            raise ValueError("finder or hits is required")
        hits = find_similar(inp, finder, k)
    # Only the user's own words are redacted; the precedents are public judgments (or fictional samples).
    situation = redact(first_turn(inp, []).partition(PRECEDENTS_HEADING)[0])
    budget = prompt_budget(max_tokens) - count(situation.text) - 16
    blocks, kept = pack_precedents(hits, inp.query_text(), budget, count)
    precedents_part = first_turn(inp, blocks).partition(PRECEDENTS_HEADING)
    content = situation.text + precedents_part[1] + precedents_part[2]
    messages = [{"role": "user", "content": content}]
    return AnalysisRequest(messages, list(kept), situation.findings, messages_tokens(messages, count), max_tokens)


ANSWER_REFUSED = ("AI 답변이 정해진 형식에 맞지 않아(한 번 고쳐 달라고 했는데도) 보여 드리지 않았습니다. "
                  "아래 판례 근거를 확인하고, 필요하면 다시 보내 보세요.")


def _repair(messages: list[Message], raw: str, reason: str) -> list[Message]:
    """One short turn (the first prompt would not fit twice in an 8k context), the bad answer redacted."""
    return [{"role": "user", "content": f"{REPAIR_REQUEST.format(reason=reason)}\n\n## 고칠 답\n{redact(raw).text}"}]


def analyze(inp: SituationInput, finder: SimilarFinder, *, model: ChatModel | None = None, k: int = 6,
            cancel: CancelToken | None = None, on_status: Callable[[str], None] | None = None,
            on_delta: Callable[[str], None] | None = None, today: date | None = None,
            request: AnalysisRequest | None = None, max_tokens: int = DEFAULT_MAX_TOKENS) -> AnalysisResult:
    """Offline evidence view always; with ``model`` also the AI analysis grounded in it.

    ``request`` lets the UI send the preview the user saw (and maybe edited) from ``build_request``.
    """
    blocking = inp.blocking_messages()
    if blocking:
        raise AnalysisInputError(" ".join(blocking))
    if cancel is not None:
        cancel.raise_if_cancelled()
    hits = list(request.hits) if request is not None else find_similar(inp, finder, k)
    result = AnalysisResult(input=inp.to_dict(), engine="offline", evidence=evidence_view(inp, hits, today=today),
                            input_notes=inp.missing_messages())
    if model is None:
        return result
    request = request or build_request(inp, hits=hits, k=k, max_tokens=max_tokens)
    result.engine, result.model = model.name, model.model
    result.sent_text = request.text
    result.redactions = [f.to_dict() for f in request.findings]

    def progress(update: Progress) -> None:
        if on_status is not None and update.message:
            on_status(update.message)

    try:
        parsed = generate_validated(model, request.messages, AnalysisAnswer,
                                    max_tokens=request.max_tokens if model.context_tokens else None,
                                    on_delta=on_delta, cancel=cancel, progress=progress, repair=_repair,
                                    refusal=ANSWER_REFUSED)
    except AIFormatRejected as refused:
        result.answer_invalid = True
        result.warnings.append(refused.message)
        return result
    answer = parsed.model_dump()
    allowed = {h.record.id for h in hits}
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for cite in answer["cited_precedents"]:
        (kept if cite["id"] in allowed else dropped).append(cite)
    answer["cited_precedents"] = kept
    result.dropped_citations = [str(c["id"]) for c in dropped]
    if dropped:
        result.warnings.append("AI가 함께 보낸 판례 목록에 없는 판례를 언급해 그 부분을 뺐습니다: "
                               + ", ".join(result.dropped_citations))
    if _VERDICT.search(json.dumps(answer, ensure_ascii=False)):
        result.warnings.append("AI 답변에 결과를 단정하는 듯한 표현이 있습니다. "
                               "결과 예측이 아니라 참고 정보로만 읽어 주세요.")
    # The server saw placeholders only; his own words go back in here, on this computer, for his screen and file.
    result.answer = restore_all(answer, mapping_of(request.findings))
    return result
