"""Similar precedents as evidence: finding them, trimming them to what decided them, packing them.

The analysis works against any ``SimilarFinder`` (``similar(text, k) -> hits``) whose hits carry
``.record`` (a Precedent), ``.score`` and ``.snippet``; the app's search service is one, and
``OverlapFinder`` is a small dependency-free one for when no index is available.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from core.records import Precedent
from services.analysis.tokens import TokenCounter, estimate_tokens


class HitLike(Protocol):
    record: Precedent
    score: float
    snippet: str


class SimilarFinder(Protocol):
    def similar(self, text: str, k: int = 8) -> Sequence[HitLike]: ...


@dataclass
class SimpleHit:
    record: Precedent
    score: float
    snippet: str = ""


def _bigrams(text: str) -> set[str]:
    squashed = re.sub(r"\s+", "", text)
    return {squashed[i:i + 2] for i in range(len(squashed) - 1)}


class OverlapFinder:
    """Ranks records by shared character bigrams with the situation (fallback without a search index)."""

    def __init__(self, records: Iterable[Precedent]) -> None:
        self._records = [(r, _bigrams(f"{r.issues_text} {r.title} {r.reasons}")) for r in records]

    def similar(self, text: str, k: int = 8) -> list[SimpleHit]:
        query = _bigrams(text)
        scored = [SimpleHit(r, len(query & grams) / (len(query) or 1), r.issues_text) for r, grams in self._records]
        scored.sort(key=lambda h: h.score, reverse=True)
        return [h for h in scored[:k] if h.score > 0]


# ---- deciding sentences ------------------------------------------------------------------------
_NEGATIVE_CUES = ("인정하기 어렵", "인정하기 부족", "보기 어렵", "볼 수 없", "인정할 증거가 없", "부족하", "부정",
                  "이유 없", "자연경과에 따른 퇴행성", "부족하다")
_POSITIVE_CUES = ("인정된다", "인정할 수 있", "인정함이 타당", "볼 수 있", "상당인과관계가 있다", "추단", "악화되었",
                  "악화시켰", "기여", "이유 있")
_SENTENCE_SPLIT = re.compile(r"(?<=[다음함])\.\s+|\n+")


def judgment_part(record: Precedent) -> str:
    """The court's own reasoning (from the '판단' heading to the conclusion), else the whole reasons."""
    text = record.reasons or record.full_text
    start = re.search(r"(?m)^\s*(?:\d+\.|[가-하]\.)\s*(?:이 법원의\s*)?판단", text)
    end = re.search(r"(?m)^\s*\d+\.\s*결론", text)
    if start:
        return text[start.start(): end.start() if end and end.start() > start.start() else len(text)].strip()
    return text.strip()


def sentences(text: str) -> list[str]:
    parts = [s.strip() for s in _SENTENCE_SPLIT.split(text) if len(s.strip()) > 15]
    return [p if p[-1] in ".?!\"'」" else p + "." for p in parts]


def sentence_direction(sentence: str) -> str | None:
    """'부정' when the court found against the link, '인정' when for it, None when neutral."""
    # The court's conclusion comes at the end of a Korean sentence: the cue found last decides.
    last_negative = max((sentence.rfind(cue) for cue in _NEGATIVE_CUES), default=-1)
    last_positive = max((sentence.rfind(cue) for cue in _POSITIVE_CUES), default=-1)
    if last_negative < 0 and last_positive < 0:
        return None
    return "부정" if last_negative > last_positive else "인정"


def deciding_sentences(record: Precedent, limit: int = 4) -> list[dict[str, str]]:
    found = []
    for sentence in sentences(judgment_part(record)):
        direction = sentence_direction(sentence)
        if direction:
            found.append({"id": record.id, "direction": direction, "sentence": sentence})
    return found[:limit]


# ---- packing into the prompt --------------------------------------------------------------------
def precedent_label(record: Precedent) -> str:
    parts = [p for p in (record.court, record.decided_on, record.case_number) if p]
    sample = " (가상 예시)" if record.is_sample else ""
    return f"[{record.id}] {' '.join(parts)} / 결과: {record.outcome} - {record.outcome_plain}{sample}"


def trimmed_precedent(record: Precedent, query: str, max_chars: int) -> str:
    """Label, 쟁점, 주문 and the 판단 sentences most related to the situation, within ``max_chars``."""
    head = [precedent_label(record)]
    if record.issues_text:
        head.append(f"쟁점: {record.issues_text.strip()}")
    if record.order:
        head.append(f"주문: {' '.join(record.order.split())}")
    text = "\n".join(head)
    query_grams = _bigrams(query)
    ranked = []
    for index, sentence in enumerate(sentences(judgment_part(record))):
        overlap = len(_bigrams(sentence) & query_grams)
        bonus = 30 if sentence_direction(sentence) else 0
        ranked.append((overlap + bonus, index, sentence))
    chosen: list[tuple[int, str]] = []
    used = len(text) + 6
    for _, index, sentence in sorted(ranked, reverse=True):
        if used + len(sentence) + 1 > max_chars:
            continue
        chosen.append((index, sentence))
        used += len(sentence) + 1
    if chosen:
        text += "\n판단: " + " ".join(s for _, s in sorted(chosen))
    return text[:max_chars]


def pack_precedents(hits: Sequence[HitLike], query: str, token_budget: int,
                    count: TokenCounter = estimate_tokens,
                    per_precedent_chars: int = 1200) -> tuple[list[str], list[HitLike]]:
    """Trim each precedent, then drop the lowest-ranked ones until the block fits ``token_budget``."""
    blocks = [trimmed_precedent(h.record, query, per_precedent_chars) for h in hits]
    kept = list(zip(blocks, hits, strict=True))
    while kept and sum(count(b) + 2 for b, _ in kept) > token_budget:
        kept.pop()  # hits arrive best first
    return [b for b, _ in kept], [h for _, h in kept]


def hit_to_dict(hit: HitLike) -> dict[str, Any]:
    r = hit.record
    return {"id": r.id, "title": r.title, "court": r.court, "case_number": r.case_number, "decided_on": r.decided_on,
            "outcome": r.outcome, "outcome_plain": r.outcome_plain, "is_sample": r.is_sample,
            "score": round(float(hit.score), 4), "snippet": hit.snippet or r.issues_text, "citation": r.citation()}
