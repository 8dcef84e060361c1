"""Situation analysis: the request preview, the ko-gemma call, answer checks and the result."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jsonschema

from core.errors import SanjaeError
from core.progress import CancelToken
from services.analysis.evidence import evidence_view
from services.analysis.grounding import HitLike, SimilarFinder, pack_precedents
from services.analysis.model import SituationInput
from services.analysis.prompt import ANSWER_SCHEMA, DISCLAIMER, PRECEDENTS_HEADING, REPAIR_REQUEST, first_turn
from services.analysis.tokens import TokenCounter, estimate_tokens, messages_tokens, prompt_budget
from services.redaction import Finding, redact

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

    def with_text(self, edited: str) -> AnalysisRequest:
        """The user's edited version, redacted again before anything is sent.

        The precedents part is public text: it is redacted only if the user changed it, so that
        words in judgments (원고 주장, 피고가 2020. …) are not mistaken for personal data.
        """
        head, sep, tail = edited.partition(PRECEDENTS_HEADING)
        _, _, original_tail = self.text.partition(PRECEDENTS_HEADING)
        again = redact(head)
        findings = list(again.findings)
        if sep and tail == original_tail:
            content = again.text + sep + tail
        else:
            rest = redact(sep + tail)
            findings += rest.findings
            content = again.text + rest.text
        return AnalysisRequest([{"role": "user", "content": content}], self.hits, self.findings + findings,
                               estimate_tokens(content), self.max_tokens)


@dataclass
class AnalysisResult:
    input: dict[str, Any]
    engine: str                          # "offline" or "gemma"
    evidence: dict[str, Any]
    answer: dict[str, Any] | None = None
    raw_answer: str = ""
    answer_invalid: bool = False         # the model's JSON could not be used even after one repair
    dropped_citations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sent_text: str = ""
    redactions: list[dict[str, Any]] = field(default_factory=list)
    input_notes: list[str] = field(default_factory=list)
    disclaimer: str = DISCLAIMER

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input, "engine": self.engine, "evidence": self.evidence, "answer": self.answer,
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


def parse_answer(raw: str) -> dict[str, Any] | None:
    """The JSON object in the model's text if it matches the schema, else None."""
    text = raw.strip()
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.S)
    if fenced:
        text = fenced.group(1)
    elif not text.startswith("{") and "{" in text:
        text = text[text.index("{"): text.rfind("}") + 1]  # no closing brace: empty, read as invalid
    try:
        data = json.loads(text)
        jsonschema.validate(data, ANSWER_SCHEMA)
    except (ValueError, RecursionError, jsonschema.ValidationError):  # RecursionError: "[[[[…" loops
        return None
    return data if isinstance(data, dict) else None  # the schema asks for an object


def _stream(client: Any, messages: list[dict[str, str]], max_tokens: int, cancel: CancelToken | None,
            on_status: Callable[[str], None] | None, on_delta: Callable[[str], None] | None) -> str:
    pieces = []
    for delta in client.stream_chat(messages, max_tokens=max_tokens, json_schema=ANSWER_SCHEMA, cancel=cancel,
                                    on_status=on_status):
        pieces.append(delta)
        if on_delta is not None:
            on_delta(delta)
    return "".join(pieces)


def analyze(inp: SituationInput, finder: SimilarFinder, *, client: Any = None, k: int = 6,
            cancel: CancelToken | None = None, on_status: Callable[[str], None] | None = None,
            on_delta: Callable[[str], None] | None = None, today: date | None = None,
            request: AnalysisRequest | None = None, max_tokens: int = DEFAULT_MAX_TOKENS) -> AnalysisResult:
    """Offline evidence view always; with ``client`` also the ko-gemma analysis grounded in it.

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
    if client is None:
        return result
    request = request or build_request(inp, hits=hits, k=k, max_tokens=max_tokens)
    result.engine = "gemma"
    result.sent_text = request.text
    result.redactions = [f.to_dict() for f in request.findings]
    raw = _stream(client, request.messages, request.max_tokens, cancel, on_status, on_delta)
    answer = parse_answer(raw)
    if answer is None:
        if on_status is not None:
            on_status("AI 답변의 형식을 한 번 더 고치도록 요청하는 중입니다…")
        repair = [{"role": "user", "content": f"{REPAIR_REQUEST}\n\n## 고칠 답\n{redact(raw).text}"}]
        raw_fixed = _stream(client, repair, request.max_tokens, cancel, on_status, None)
        answer = parse_answer(raw_fixed)
        raw = raw_fixed if answer is not None else raw
    result.raw_answer = raw
    if answer is None:
        result.answer_invalid = True
        result.warnings.append("AI 답변을 정해진 형식으로 읽지 못해 받은 글을 그대로 보여 드립니다. "
                               "아래 판례 근거를 함께 확인해 주세요.")
        return result
    allowed = {h.record.id for h in hits}
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for cite in answer.get("cited_precedents", []):
        (kept if cite.get("id") in allowed else dropped).append(cite)
    answer["cited_precedents"] = kept
    result.dropped_citations = [str(c.get("id")) for c in dropped]
    if dropped:
        result.warnings.append("AI가 함께 보낸 판례 목록에 없는 판례를 언급해 그 부분을 뺐습니다: "
                               + ", ".join(result.dropped_citations))
    if _VERDICT.search(json.dumps(answer, ensure_ascii=False)):
        result.warnings.append("AI 답변에 결과를 단정하는 듯한 표현이 있습니다. "
                               "결과 예측이 아니라 참고 정보로만 읽어 주세요.")
    result.answer = answer
    return result
