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
from services.judgment.polarity import AGAINST, FOR, sentence_polarity
from services.judgment.sections import judgment_part, record_parts
from services.judgment.sentences import split_sentences


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
# How the evidence view names a sentence's polarity (services.judgment.polarity decides it).
_DIRECTION_WORDS = {FOR: "인정", AGAINST: "부정"}
_MIN_SENTENCE = 16  # shorter pieces are headings or scraps, not findings


def judgment_sentences(record: Precedent) -> list[str]:
    """Sentences of the court's own reasoning (the 판단 part of the 이유, else the whole 이유)."""
    part = judgment_part(record_parts(record).reasons)
    return [s for s in split_sentences(part) if len(s) >= _MIN_SENTENCE]


def sentence_direction(sentence: str) -> str | None:
    """'인정' when the sentence speaks for the work link, '부정' when against, None when neutral."""
    return _DIRECTION_WORDS.get(sentence_polarity(sentence))


def deciding_sentences(record: Precedent, limit: int = 4) -> list[dict[str, str]]:
    found = []
    for sentence in judgment_sentences(record):
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
    for index, sentence in enumerate(judgment_sentences(record)):
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
            "outcome": r.outcome, "outcome_plain": r.outcome_plain, "outcome_note": r.outcome_note,
            "source_outcome": r.source_outcome, "is_sample": r.is_sample,
            "score": round(float(hit.score), 4), "snippet": hit.snippet or r.issues_text, "citation": r.citation()}
