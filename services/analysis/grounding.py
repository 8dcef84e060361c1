"""Similar precedents as evidence: finding them, trimming them to what decided them, packing them.

The analysis works against any ``SimilarFinder`` (``similar(text, k) -> hits``) whose hits carry
``.record`` (a Precedent), ``.score`` and ``.snippet``; the app's search service is one, and
``OverlapFinder`` is a small dependency-free one for when no index is available.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol

from core.records import Precedent
from services.analysis.tokens import TokenCounter, estimate_tokens
from services.judgment.polarity import AGAINST, FOR, sentence_polarity
from services.judgment.sections import judgment_part, record_parts
from services.judgment.sentences import complete_sentences
from services.legal_criteria import BRAIN_HEART, MENTAL
from services.search.expansions import NON_DECIDING_WORDS
from services.search.tokenize import kiwi_doc_tokens


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
PER_SIDE = 3        # deciding sentences shown for each side
PER_RECORD = 2      # at most this many of one side from the same precedent, so several precedents speak
MIN_RELEVANCE = 3.0  # below this a sentence shares nothing specific with his situation


def judgment_sentences(record: Precedent) -> list[str]:
    """Complete sentences of the court's own reasoning (the 판단 part of the 이유, else the whole 이유)."""
    return complete_sentences(judgment_part(record_parts(record).reasons))


def sentence_direction(sentence: str) -> str | None:
    """'인정' when the sentence speaks for the work link, '부정' when against, None when neutral."""
    return _DIRECTION_WORDS.get(sentence_polarity(sentence))


def _fact(record: Precedent, direction: str, sentence: str) -> dict[str, str]:
    return {"id": record.id, "direction": direction, "sentence": sentence, "citation": record.citation()}


def deciding_sentences(record: Precedent, limit: int = 4) -> list[dict[str, str]]:
    """The first ``limit`` sentences of one precedent's reasoning that lean one way, with its citation."""
    found = []
    for sentence in judgment_sentences(record):
        direction = sentence_direction(sentence)
        if direction:
            found.append(_fact(record, direction, sentence))
    return found[:limit]


# Which illness a sentence is about. A sentence about 경추 says nothing about his 요추: one naming a body
# part or illness his situation does not name (and none it does) is about someone else's case. The
# brain/heart and mental groups are the legal criteria's own topic words.
CONDITIONS: dict[str, tuple[str, ...]] = {
    "허리": ("요추", "허리", "요통", "척추관", "하지 방사통"),
    "목": ("경추", "목디스크", "경부", "목 질환", "목 부담", "목을", "목과", "목이"),
    "어깨": ("어깨", "회전근개", "극상근", "견관절", "견봉", "견쇄"),
    "무릎": ("무릎", "반월상", "슬관절", "연골판", "인공관절"),
    "손목 신경": ("수근관", "손목터널", "손목 터널", "정중신경"),
    "손가락": ("손가락", "수지 관절"),
    "다리뼈": ("경골", "족관절", "발목", "대퇴"),
    "손목뼈": ("요골", "손목 골절", "손목이 부러"),
    "뇌·심장": (*BRAIN_HEART.topics, "뇌내출혈", "심근", "관상동맥", "심방세동", "심장사", "심정지", "부정맥"),
    "정신": (*MENTAL.topics, "불안장애", "우울에피소드", "정신건강"),
    "청력": ("난청", "청력", "소음성", "dB"),
    "폐": ("진폐", "폐암", "폐결핵", "석면", "호흡부전", "폐렴", "분진"),
    "혈액암": ("백혈병", "림프종"),
}
# What happened or what is disputed. When a precedent is about a pattern his situation lacks (a company
# dinner, a fall on stairs, a business trip, a 재요양), its sentences naming that pattern are about
# another fact pattern, whatever its illness. (Only the precedent's own patterns count: the 고시 lists
# "출장" among burdens, and that does not make a sentence about business trips.)
PATTERNS: dict[str, tuple[str, ...]] = {
    "회식·모임": ("회식", "모임", "과음", "음주", "주량", "술을", "노래연습장"),
    "계단": ("계단",),
    "추락": ("추락", "떨어져", "떨어지", "방파제"),
    "넘어짐": ("넘어", "미끄러", "빙판"),
    "교통사고": ("교통사고", "오토바이", "승용차", "화물차", "차량", "신호위반", "차에 치", "차에 받"),
    "출퇴근": ("출근", "퇴근", "통근", "출퇴근"),
    "출장": ("출장",),
    "휴게시간": ("휴게시간", "휴게 시간"),
    "근로자성": ("근로자성", "개인사업자", "지입", "십장", "사업을 영위", "특수형태"),
    "재요양": ("재요양", "재발", "재수술", "재탈출", "치유 당시", "당초 상병"),
    "장해등급": ("장해등급", "운동가능영역", "제12급", "제10급", "신체감정"),
    "평균임금": ("평균임금", "상여금", "성과금"),
    "휴업급여": ("휴업급여",),
    "자살": ("자살", "자해", "극단적 선택", "심리부검", "목숨"),
    "사고 후 정신질환": ("추가상병", "외상 후 스트레스"),
}
# Issues that cut across illnesses: shared, they make a sentence fit; absent, they exclude nothing.
ISSUES: dict[str, tuple[str, ...]] = {
    "퇴행·나이": ("퇴행", "자연경과", "노인성", "연령", "나이"),
    "중량물·자세": ("중량물", "kg", "상자", "무거운", "들어 올리", "상하차", "하역", "굽힌", "숙인", "숙이",
                  "자세", "반복", "젖힌", "젖히"),
    "업무시간": ("업무시간", "근무시간", "52시간", "60시간", "64시간", "12주", "야간근무", "야간 근무", "교대",
              "휴일", "과로", "업무량", "연속"),
    "개인 요인": ("고혈압", "혈압", "흡연", "당뇨", "콜레스테롤", "기저질환", "개인적", "기왕", "기존질환"),
    "스트레스": ("폭언", "괴롭힘", "질책", "따돌림", "배제", "스트레스", "구조조정"),
    "경로": ("경로", "일탈", "중단", "어린이집", "보육", "일상생활"),
    "사업주 지배": ("지배·관리", "지배나 관리", "지배관리", "사업주의 지배", "주최", "지휘"),
    "입사 전 치료": ("입사 전", "치료받은 적", "치료를 받은 적", "진료를 받은 내역", "치료를 받아", "진료 이력"),
    "소음": ("소음", "85dB", "용접"),
}
_CONDITION_WEIGHT, _PATTERN_WEIGHT, _ISSUE_WEIGHT, _WORD_WEIGHT = 3.0, 2.0, 2.0, 1.0
# Nouns nearly every 산재 judgment uses: sharing them says nothing about fit.
GENERIC_WORDS = frozenset({
    *NON_DECIDING_WORDS, "원고", "피고", "망인", "사건", "상병", "상당인과관계", "인과관계", "관계", "관련", "관련성",
    "업무관련성", "업무상", "질병", "사실", "사정", "판단", "법원", "이유", "증거", "증명", "발병", "악화", "의견",
    "결과", "소견", "정도", "기간", "상태", "내용", "부담", "진단", "치료", "요양", "요양급여", "급여", "감정",
    "감정의", "진료", "기록", "주장", "당시", "이후", "이전", "이상", "이하", "전문의", "자문의", "의학", "영향",
    "원인", "가능", "가능성", "취지", "종합", "고려", "사고", "작업", "근무", "시간", "하루", "정상", "부분",
    "처음", "병원", "년간", "동안", "업무상질병", "업무상사고", "신청", "불승인", "상당", "부족", "규정", "고시",
})
# A sentence about the precedent's own worker (not a general rule) names him or the evidence about him;
# a general rule speaks of cases ("…한 경우", "…하더라도", "…할 수 있다").
_CASE_SPECIFIC = ("원고", "망인", "피고", "감정의", "질판위", "이 사건", "자문의")
_RULE_CUES = ("경우", "하더라도", "있더라도", "이라도", "여야 한다", "수 있다", "판단한다", "정하고 있다", "것은 아니")


def general_rule(sentence: str) -> bool:
    return not any(w in sentence for w in _CASE_SPECIFIC) and any(c in sentence for c in _RULE_CUES)


def _groups(text: str, table: dict[str, tuple[str, ...]]) -> set[str]:
    return {name for name, terms in table.items() if any(term in text for term in terms)}


@dataclass(frozen=True)
class SituationTerms:
    """What his situation is about, in the terms the fit of a sentence is judged by."""

    conditions: frozenset[str]
    patterns: frozenset[str]
    issues: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, situation: str) -> SituationTerms:
        words = frozenset(w for w in kiwi_doc_tokens(situation) if w not in GENERIC_WORDS)
        return cls(frozenset(_groups(situation, CONDITIONS)), frozenset(_groups(situation, PATTERNS)),
                   frozenset(_groups(situation, ISSUES)), words)

    def other_illness(self, text: str) -> bool:
        """Whether ``text`` names a body part or illness, none of them his."""
        conditions = _groups(text, CONDITIONS)
        return bool(conditions) and not conditions & self.conditions

    def foreign_patterns(self, record: Precedent) -> set[str]:
        """The fact patterns a precedent is about (its title and 쟁점) that his situation does not share."""
        return _groups(f"{record.title} {record.issues_text}", PATTERNS) - self.patterns

    def relevance(self, sentence: str, foreign: AbstractSet[str] = frozenset()) -> float:
        """How much ``sentence`` shares with his situation; 0 when it is about another illness or about
        one of the precedent's own fact patterns (``foreign``) that he does not share."""
        if self.other_illness(sentence) or _groups(sentence, PATTERNS) & foreign:
            return 0.0
        conditions = _groups(sentence, CONDITIONS) & self.conditions
        patterns = _groups(sentence, PATTERNS) & self.patterns
        issues = _groups(sentence, ISSUES) & self.issues
        words = {w for w in kiwi_doc_tokens(sentence) if w not in GENERIC_WORDS} & self.words
        return (_CONDITION_WEIGHT * len(conditions) + _PATTERN_WEIGHT * len(patterns)
                + _ISSUE_WEIGHT * len(issues) + _WORD_WEIGHT * len(words))


def fitting_sentences(situation: str, hits: Sequence[HitLike], per_side: int = PER_SIDE,
                      per_record: int = PER_RECORD) -> list[dict[str, str]]:
    """The deciding sentences of ``hits`` that fit his situation, at most ``per_side`` 인정 and 부정 each.

    A sentence counts when it leans one way, is not about another illness or fact pattern, and shares
    enough with his situation; better-ranked precedents count more. From a precedent about another
    illness or fact pattern only general rules (no 원고/망인/감정의) can count.
    """
    terms = SituationTerms.of(situation)
    scored: list[tuple[float, int, int, dict[str, str]]] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        record = hit.record
        foreign = terms.foreign_patterns(record)
        other_case = bool(foreign) or terms.other_illness(f"{record.title} {record.issues_text}")
        for index, sentence in enumerate(judgment_sentences(record)):
            direction = sentence_direction(sentence)
            if not direction or sentence in seen:
                continue
            if other_case and not general_rule(sentence):
                continue
            relevance = terms.relevance(sentence, foreign)
            if relevance < MIN_RELEVANCE:
                continue
            seen.add(sentence)
            scored.append((relevance / (1 + 0.2 * rank), rank, index, _fact(record, direction, sentence)))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    chosen: list[dict[str, str]] = []
    taken: Counter[tuple[str, str]] = Counter()
    for _, _, _, fact in scored:
        side = (fact["direction"], fact["id"])
        if sum(1 for f in chosen if f["direction"] == fact["direction"]) >= per_side or taken[side] >= per_record:
            continue
        taken[side] += 1
        chosen.append(fact)
    return chosen


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
