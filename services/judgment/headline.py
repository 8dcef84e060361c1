"""A plain headline for a precedent, told apart from the others at a glance.

``headline(record)`` → "물류센터 택배 분류 업무 3년 4개월 · 요추 추간판탈출증 · 노동자 승소": the work (and how
long, where the text says it), the condition or accident, and the result for the worker. Every word
but the result comes from the judgment's own text; where a part cannot be found it is left out, and
without work and condition the kinds of the case stand in ("업무상 질병 · 요양 · 노동자 승소").

``case_facts(record)`` gives the same pieces (plus the 공단's stated reason) for the plain sentences
of the offline summary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.records import OUTCOME_SHORT, Precedent
from services.judgment.sections import record_parts, split_sections
from services.search.expansions import EXPANSION_TABLE

HEADLINE_MAX = 40
_PART_MAX = 16
_SEP = " · "

# The result for the worker, in the words a card shows (the worker is the 원고 / 청구인).
RESULT_WORDS = {
    "취소": "노동자 " + OUTCOME_SHORT["취소"],
    "일부취소": "노동자 " + OUTCOME_SHORT["일부취소"],
    "기각": "노동자 " + OUTCOME_SHORT["기각"],
    "각하": "각하 (심리 없이 끝남)",
    "취하": "소송 취하",
    "파기환송": "대법원 파기환송",
}
UNKNOWN_RESULT = "결과 정보 없음"
KIND_C_PLAIN = {"업무상질병": "업무상 질병", "업무상사고": "업무상 사고"}
KIND_B_PLAIN = {"재요양등": "재요양", "퇴직후진단": "퇴직 후 진단", "기타": ""}

# A word that is not a particle-ending word ("건설현장에서", "C의", "원고는" end a phrase, not start a job name).
_WORD = (r"[가-힣A-Za-z0-9·]+(?<!에서)(?<!동안)(?<!의)(?<!는)(?<!은)(?<!부터)(?<!가)(?<!를)(?<!을)(?<!고)(?<!인)"
         r"(?<!하는)(?<!까지)(?<!년간)(?<!월간)")
# Job names: one to three words ending in a word for a job ("지게차 운전원", "형틀목수 반장").
_JOB_END = (r"(?:기사|상담원|경비원|사무원|관리원|운전원|조무사|실무사|개발자|엔지니어|오퍼레이터|사원|"
            r"반장|팀장|과장|목수|생산직|사무직|채탄부|굴진부|[가-힣]{1,6}(?:공|원|사))")
_JOB = re.compile(rf"((?:{_WORD}\s){{0,2}}[가-힣A-Za-z·]*{_JOB_END})(?:으로|로|이다)(?=[\s,.])")
_NOT_JOB = ("병원", "회사", "의원", "법원", "공사", "지원", "위원", "조사", "감사", "검사", "사원이", "공단")
# "… 택배 화물의 상·하차 및 분류 업무를 담당하였다" → the words before 업무/작업.
_TASK = re.compile(rf"((?:{_WORD}\s){{0,5}}?[가-힣A-Za-z·]+)\s*(업무|작업)[을를]\s*(?:담당|수행|하|한)")
_PLACE = re.compile(r"([가-힣A-Za-z0-9]{2,10})에서\s*(?:근무|일하|일했)")
_DURATION = re.compile(r"(?<![\d.])(?:약\s*)?(\d{1,2}년(?:\s*\d{1,2}개월)?|\d{1,2}개월)\s*(?:동안|간|넘게|가까이)")
_QUOTED = re.compile(r"['‘]([^'’\n]{2,60})['’]")
_DIAGNOSIS_CUE = re.compile(r"진단|사인|상병|입었|다쳐|파열|골절")
_NOT_DIAGNOSIS = re.compile(r"^(?:이하|소외|이\s*사건|당초|기존|제\s*\d|망인|질판위)|"
                            r"회사|처분|사람|종사자|위원회|상병$")
_DIGIT_WORD = re.compile(r"\S*\d\S*")
_REASON = re.compile(r"[\"“]([^\"”]{8,400})[\"”]\s*(?:라|이라)?는\s*이유")
# A 재결서 states the 원처분기관's reason without quotes: "다음과 같은 이유로 신청 상병은 … 않는다며".
_REASON_UNQUOTED = re.compile(r"이유로\s+([^.\n]{8,160}?다)(?:며|고\s*하여|는\s*이유)")
_DIED = re.compile(r"사망하|숨졌|숨진|목숨을\s*끊")
_SELF_HARM = re.compile(r"스스로\s*목숨을\s*끊")

# Search words that name a legal question or a place, not a condition.
_LEGAL_PHRASES = frozenset({
    "사망", "망인", "유족급여", "과로", "건설", "건설현장", "신축현장", "공사현장", "출장", "회식", "음주",
    "사업주의 지배",
    "근로자성", "특수형태근로종사자", "근로자에 해당", "출퇴근 재해", "출퇴근", "통근", "통상적인 경로", "장해등급",
    "장해급여", "퇴행성", "자연경과", "교대근무", "야간근무", "장시간 근로", "업무시간", "휴일근무", "소음", "분진",
})
# Medical and accident words the search already knows, for texts without a quoted diagnosis.
_VOCAB = tuple(sorted({phrase for _triggers, phrases in EXPANSION_TABLE for phrase in phrases
                       if phrase not in _LEGAL_PHRASES}, key=len, reverse=True))
_LEADING_JUNK = re.compile(r"^(?:및|또는|등|[가-힣]*(?:을|를|한|의|에|와|과))$")


@dataclass(frozen=True)
class CaseFacts:
    """What the judgment's own words say about the case; '' where it does not say."""

    work: str = ""        # "택배 화물의 상·하차 및 분류 업무", "지게차 운전원", "냉동창고"
    work_kind: str = ""   # job (a job name), task (… 업무/작업), place (where the work was); '' when none
    duration: str = ""    # "3년 4개월"
    condition: str = ""   # "요추 추간판탈출증"
    died: bool = False
    agency_reason: str = ""  # the 공단's reason as the judgment quotes it


def result_words(outcome: str) -> str:
    """'노동자 승소', '노동자 패소', … for ``record.outcome`` ('결과 정보 없음' when unknown)."""
    return RESULT_WORDS.get(outcome, UNKNOWN_RESULT)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _tail(text: str, limit: int = _PART_MAX) -> str:
    """The last words of ``text`` that fit in ``limit`` characters (the head noun sits last in Korean)."""
    words = _squeeze(text).split(" ")
    out: list[str] = []
    for word in reversed(words):
        if len(" ".join([word, *out])) > limit:
            break
        out.insert(0, word)
    while len(out) > 1 and _LEADING_JUNK.match(out[0]):
        out.pop(0)
    return " ".join(out) or words[-1][:limit]


def _background(record: Precedent) -> str:
    reasons = record_parts(record).reasons
    sections = split_sections(reasons)
    picked = [s.text for s in sections if s.kind in ("background", "intro")]
    text = "\n".join(picked) or reasons
    return text[:2500]


def _claims(record: Precedent) -> str:
    return "\n".join(s.text for s in split_sections(record_parts(record).reasons) if s.kind == "claims")[:1200]


def _work(text: str) -> tuple[str, str]:
    """(work, kind): a job name, else the task (… 업무/작업), else the workplace; ('', '') when none."""
    first = re.sub(r"\([^)]*\)", "", text[:700])
    for job in _JOB.finditer(first):
        name = job.group(1)
        if not any(name.endswith(word) for word in _NOT_JOB):
            return _tail(name), "job"
    task = _TASK.search(first)
    if task:
        return _tail(f"{task.group(1)} {task.group(2)}"), "task"
    place = _PLACE.search(first)
    return (_tail(place.group(1)), "place") if place else ("", "")


def _clean_condition(term: str) -> str:
    term = re.sub(r"\([^)]*\)", "", term)
    term = _DIGIT_WORD.sub("", term).replace(",", " ")
    return _tail(term, 18)


def _quoted_condition(sentence: str, *, last: bool = False) -> str:
    found = []
    for match in _QUOTED.finditer(sentence):
        term = match.group(1).strip()
        if _NOT_DIAGNOSIS.search(term):
            continue
        cleaned = _clean_condition(term)
        if len(cleaned) >= 2:
            found.append(cleaned)
    return (found[-1] if last else found[0]) if found else ""


def _condition(text: str, died: bool) -> str:
    sentences = re.split(r"(?<=다)\.\s|\n", text)
    if died:  # the cause of death (the last-named 사인 is the underlying one)
        for sentence in sentences:
            if "사인" in sentence and (term := _quoted_condition(sentence, last=True)):
                return term
    for sentence in sentences:
        if _DIAGNOSIS_CUE.search(sentence) and (term := _quoted_condition(sentence)):
            return term
    if _SELF_HARM.search(text):
        return "스스로 목숨을 끊음"
    squashed = text.replace(" ", "")
    found = [(squashed.find(p.replace(" ", "")), p) for p in _VOCAB if p.replace(" ", "") in squashed]
    return min(found, key=lambda hit: (hit[0], -len(hit[1])))[1] if found else ""


def _cached_key(record: Precedent) -> tuple[str, str, int, int, int]:
    return (record.id, record.outcome, record.reader_version, len(record.reasons), len(record.full_text))


_FACTS: dict[tuple[str, str, int, int, int], CaseFacts] = {}
_FACTS_MAX = 4096


def case_facts(record: Precedent) -> CaseFacts:
    """The work, duration, condition and the 공단's reason as the judgment states them (cached per record)."""
    key = _cached_key(record)
    found = _FACTS.get(key)
    if found is not None:
        return found
    background = _background(record)
    first_sentence = re.split(r"(?<=다)\.\s", background, maxsplit=1)[0]
    duration = _DURATION.search(first_sentence) or _DURATION.search(_claims(record))
    agency = "\n".join(s.text for s in split_sections(record_parts(record).reasons) if s.kind == "agency")
    reason = _REASON.search(background) or _REASON.search(agency) or _REASON_UNQUOTED.search(agency[:600])
    work, work_kind = _work(background)
    died = bool(_DIED.search(background)) or record.kind_b == "유족"
    facts = CaseFacts(
        work=work, work_kind=work_kind, duration=_squeeze(duration.group(1)) if duration else "",
        condition=_condition(background, died), died=died,
        agency_reason=_squeeze(reason.group(1)) if reason else "",
    )
    if len(_FACTS) >= _FACTS_MAX:
        _FACTS.clear()
    _FACTS[key] = facts
    return facts


def headline(record: Precedent) -> str:
    """A short plain title: work (and duration) · condition · result for the worker, at most ~40 characters."""
    facts = case_facts(record)
    result = result_words(record.outcome)
    condition = facts.condition
    if condition and facts.died and "사망" not in condition and "목숨" not in condition:
        condition = f"{condition} 사망"
    if not facts.work and not condition:
        kinds = [KIND_C_PLAIN.get(record.kind_c, record.kind_c),
                 KIND_B_PLAIN.get(record.kind_b, record.kind_b)]
        return _SEP.join([*(k for k in kinds if k), result]) if any(kinds) else f"산재 사건{_SEP}{result}"
    work = f"{facts.work} {facts.duration}".strip() if facts.work else ""
    parts = [p for p in (work, condition, result) if p]
    line = _SEP.join(parts)
    if len(line) > HEADLINE_MAX and facts.duration:
        parts = [p for p in (facts.work, condition, result) if p]
        line = _SEP.join(parts)
    while len(line) > HEADLINE_MAX and len(parts) > 1:
        longest = max(range(len(parts) - 1), key=lambda i: len(parts[i]))
        shorter = _tail(parts[longest], max(4, len(parts[longest]) - (len(line) - HEADLINE_MAX)))
        if shorter == parts[longest]:
            parts.pop(longest)
        else:
            parts[longest] = shorter
        line = _SEP.join(parts)
    return line
