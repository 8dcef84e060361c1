"""The 청구 이유 written offline from the case: what happened, the 공단's reason, why it should not stand.

Nothing here is invented prose about his case: his own words are tidied (sentences kept, spacing and endings
fixed), the rules come from ``services.legal_criteria`` with their sources, the courts' words are quoted from
local judgments with court, date, case number and the result for the worker, and each rule and quotation is
put next to the sentence of his story it bears on. It asks; it never predicts.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from core.korean import attach, particle
from core.records import Precedent
from services.analysis.grounding import (
    SimpleHit,
    SituationTerms,
    deciding_sentences,
    fitting_sentences,
    general_rule,
)
from services.appeal.citations import WON, Citation, CitationPool
from services.appeal.facts import CaseFacts
from services.judgment.sections import record_parts
from services.judgment.sentences import shorten, split_sentences
from services.legal_criteria import (
    ACCIDENT,
    BRAIN_HEART,
    COMMUTE,
    GENERAL,
    MENTAL,
    MUSCULOSKELETAL,
    Criterion,
    criteria_for,
)

CITED_MAX = 4          # judgments quoted in one 청구 이유
RULES_MAX = 3          # criteria points quoted
QUOTE_CHARS = 260
MATCH_MIN = 2.0        # a story sentence sharing less than this with a rule or a quotation is not put beside it
FAVOURS_WORKER = "인정"
# A quotation that ends by denying the link does not go into a claimant's 청구 이유, whatever cue marked it.
_DENYING_END = re.compile(r"(?:볼 수 없|보기 어렵|어렵|부족하|인정되지 않|인정할 수 없|없)(?:다|고)\s*\.?\s*$")
FACTS_CHARS = 1500     # how much of a judgment's 이유 tells whose illness it was about
CLOSING_REQUEST = "위와 같은 사정을 살펴 원처분을 취소하여 주시기 바랍니다."
NO_STORY = "[직접 적기: 언제, 어디서, 무슨 일을 하다가 어떻게 다치거나 병이 생겼는지]"
NO_REASON = "[직접 적기: 처분 통지서에 적힌 불승인 이유를 그대로 옮겨 적기]"
# The points of each criterion a claimant can argue from (the others describe what the 공단 weighs, or advise).
ARGUMENT_POINTS: dict[str, tuple[int, ...]] = {
    GENERAL.title: (2, 3), BRAIN_HEART.title: (0, 1, 2, 4, 5, 6), MUSCULOSKELETAL.title: (0, 1),
    MENTAL.title: (0, 1, 2), ACCIDENT.title: (0, 1), COMMUTE.title: (0, 2),
}
HEADINGS = ("1. 사건의 경위", "2. 원처분의 이유", "3. 원처분이 부당한 이유", "4. 입증 자료", "5. 결론")


# ------------------------------------------------------------------------------ his words

def tidy_story(text: str) -> list[str]:
    """His story as paragraphs of whole sentences: spacing collapsed, each sentence ending with a full stop."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text or ""):
        sentences = [_ended(s) for s in split_sentences(" ".join(block.split()))]
        if sentences:
            paragraphs.append(" ".join(sentences))
    return paragraphs


def _ended(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence[-1:] in ".!?…)\"'”’" else sentence + "."


def story_sentences(facts: CaseFacts) -> list[str]:
    return [s for p in tidy_story(facts.story) for s in split_sentences(p)]


def best_match(text: str, sentences: Sequence[str], used: set[str] | None = None) -> str:
    """The sentence of his story that shares most with ``text``; failing that, the most telling one not yet
    ``used`` (the one naming most of what decides such cases: the illness, the work, the hours); '' for none."""
    used = used if used is not None else set()
    best, score = "", MATCH_MIN
    for sentence in sentences:
        value = SituationTerms.of(sentence).relevance(text)
        if value >= score and sentence not in used:
            best, score = sentence, value + 1e-9
    if not best:
        telling = sorted((s for s in sentences if s not in used), key=_telling, reverse=True)
        best = telling[0] if telling and _telling(telling[0]) > 0 else ""
    if best:
        used.add(best)
    return best


def _telling(sentence: str) -> int:
    terms = SituationTerms.of(sentence)
    return len(terms.conditions) + len(terms.patterns) + len(terms.issues)


# ------------------------------------------------------------------------------ what to cite

def choose_citations(facts: CaseFacts, pool: CitationPool, saved_ids: Sequence[str] = (),
                     limit: int = CITED_MAX) -> list[Citation]:
    """Local judgments to quote, each with the sentences of its reasoning that speak for the work link and fit
    his situation. A judgment he saved himself (``saved_ids``) comes first and may be quoted whatever its result;
    others only where the worker won."""
    records = pool.records
    terms = SituationTerms.of(facts.situation_text())
    found = fitting_sentences(facts.situation_text(), [SimpleHit(r, 1.0) for r in records], per_side=limit * 2)
    quotes: dict[str, list[str]] = {}
    for fact in found:
        if fact["direction"] == FAVOURS_WORKER and not _DENYING_END.search(fact["sentence"]):
            quotes.setdefault(fact["id"], []).append(fact["sentence"])
    for record in records:
        # A judgment about another illness (sources without a 쟁점 line leave it to the 이유 to say) lends
        # only its general rules.
        about = f"{record.title} {record.issues_text} {record_parts(record).reasons[:FACTS_CHARS]}"
        if record.id in quotes and terms.other_illness(about):
            quotes[record.id] = [s for s in quotes[record.id] if general_rule(s)]
    chosen: list[Citation] = []
    ordered = [r for r in records if r.id in saved_ids] + [r for r in records if r.id not in saved_ids]
    for record in ordered:
        saved = record.id in saved_ids
        sentences = quotes.get(record.id) or (_first_for_worker(record) if saved else [])
        if not sentences or not (saved or record.outcome in WON):
            continue
        chosen.append(Citation.of(record, [shorten(s, QUOTE_CHARS) for s in sentences[:2]]))
        if len(chosen) == limit:
            break
    return chosen


def _first_for_worker(record: Precedent) -> list[str]:
    return [f["sentence"] for f in deciding_sentences(record)
            if f["direction"] == FAVOURS_WORKER and not _DENYING_END.search(f["sentence"])][:1]


def rules_for(facts: CaseFacts, limit: int = RULES_MAX) -> list[tuple[str, str]]:
    """(rule, source) pairs from the legal criteria that answer the 공단's reason (and bear on his situation),
    most related first; how much proof the courts ask for always bears on a denial for want of a causal link."""
    denial = SituationTerms.of(facts.denial_reason)
    situation = SituationTerms.of(facts.situation_text())
    scored: list[tuple[float, int, str, str]] = []
    for order, criterion in enumerate(criteria_for(facts.kind_c, facts.situation_text())):
        for point in (criterion.points[i] for i in ARGUMENT_POINTS.get(criterion.title, ())):
            score = 2 * denial.relevance(point) + 0.5 * situation.relevance(point)
            scored.append((score, order, point, _source(criterion)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    picked = [(point, source) for score, _, point, source in scored if score >= MATCH_MIN][:limit - 1]
    proof = (GENERAL.points[2], _source(GENERAL))
    return [*picked, proof] if proof not in picked else picked


def _source(criterion: Criterion) -> str:
    return criterion.sources[0]


# ------------------------------------------------------------------------------ the text

def _background(facts: CaseFacts) -> list[str]:
    work = f"{facts.industry} 일을 하던 중 " if facts.industry else ""
    illness = f"{', '.join(facts.diagnoses)} 진단을 받고 " if facts.diagnoses else ""
    what = attach(facts.benefit, "을") if facts.benefit else "보험급여를"
    lines = [f"청구인은 {work}{illness}원처분기관에 {what} 청구하였습니다."]
    decided = facts.decided_on or "[원처분일]"
    learned = facts.learned_on or "[처분을 안 날]"
    decision = facts.decision or "[처분 내용]"
    lines.append(f"원처분기관은 {decided} 청구인에게 {decision} 처분을 하였고, 청구인은 {learned} 이를 알았습니다.")
    if facts.stage == "재심사청구" and facts.review_skipped:
        lines.append("이 처분은 업무상질병판정위원회의 심의를 거친 것이어서, 청구인은 심사청구를 거치지 않고 재심사를 "
                     "청구합니다(산업재해보상보험법 제106조 제1항 단서).")
    elif facts.stage == "재심사청구":
        review = facts.review_decided_on or "[심사 결정일]"
        known = facts.review_learned_on or "[심사 결정을 안 날]"
        lines.append(f"청구인은 이에 불복하여 심사청구를 하였으나 근로복지공단은 {review} 이를 받아들이지 않는 결정을 "
                     f"하였고, 청구인은 {known} 이를 알았습니다.")
    paragraphs = tidy_story(facts.story)
    if paragraphs:
        lines.append("청구인이 직접 밝힌 경위는 다음과 같습니다.")
        lines += [f"  {p}" for p in paragraphs]
    else:
        lines.append(NO_STORY)
    return lines


def _denial(facts: CaseFacts) -> list[str]:
    if not facts.denial_reason:
        return [NO_REASON]
    decision = f"{facts.decision} 처분" if facts.decision else "이 처분"
    said = f"“{facts.denial_reason}”{particle(facts.denial_reason, '이라')}는"
    return [f"원처분기관은 {said} 이유로 {attach(decision, '을')} 하였습니다."]


def _why_not(facts: CaseFacts, citations: Sequence[Citation]) -> list[str]:
    story = story_sentences(facts)
    used: set[str] = set()
    lines = ["가. 판단 기준"]
    for number, (rule, source) in enumerate(rules_for(facts), start=1):
        lines.append(f"  ({number}) {rule} ({source})")
        match = best_match(rule, story, used)
        if match:
            lines.append(f"      청구인의 경우: {match}")
    if citations:
        lines.append("나. 비슷한 사건에서 법원이 판단한 내용")
        for number, citation in enumerate(citations, start=1):
            lines.append(f"  ({number}) {citation.head} — {citation.result}")
            for sentence in citation.sentences:
                lines.append(f"      “{sentence}”")
            match = best_match(" ".join(citation.sentences), story, used)
            if match:
                lines.append(f"      청구인의 경우: {match}")
    lines.append("그러므로 위 기준과 판단에 비추어 청구인의 업무와 "
                 f"{attach(', '.join(facts.diagnoses) or '재해', '과')}의 관계를 다시 살펴 주시기 바랍니다.")
    return lines


def offline_reasons(facts: CaseFacts, citations: Sequence[Citation]) -> str:
    """The whole 청구 이유 as editable text: numbered sections, sub-points indented."""
    sections = [
        (HEADINGS[0], _background(facts)),
        (HEADINGS[1], _denial(facts)),
        (HEADINGS[2], _why_not(facts, citations)),
        (HEADINGS[3], ["별지 입증 자료 목록의 자료를 함께 냅니다."]),
        (HEADINGS[4], [CLOSING_REQUEST]),
    ]
    return "\n\n".join("\n".join([heading, *lines]) for heading, lines in sections)

