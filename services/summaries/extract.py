"""The offline engine for precedents: an automatic extract (자동 발췌) built from the judgment's own parts.

Nothing here is written by a model: each field is a sentence (or a few) taken from the part of the
judgment that holds it, plus fixed plain-language text for the outcome.
- 주문 (and the record's outcome) → 결과
- 처분의 경위 / 사건 개요 → 배경
- 원고의 주장 / 쟁점 → 쟁점
- 판단 / 결론 → 판단 이유
- sentences with cue words in 인정 사실 / 판단 → 인정 요인, 불인정 요인
- statute references anywhere → 관련 법령
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from core.records import Precedent
from services.summaries.sections import Section, clean_markup, shorten, split_judgment, split_sections, split_sentences
from services.summaries.statutes import DEFAULT_STATUTE, USUAL_STATUTE_BY_KIND, find_statutes

EXTRACT_MODEL = "extract-1"

# Outcome → what it means for the worker (the worker is the 원고 / 청구인 in nearly every case).
RESULT_PLAIN = {
    "취소": ("노동자 승소", "법원이 근로복지공단의 처분(불승인·부지급 등)을 취소했습니다. 공단은 판결 취지에 따라 "
             "다시 결정해야 하므로, 노동자가 보상을 받을 길이 열렸습니다."),
    "일부취소": ("노동자 일부 승소", "법원이 공단 처분 가운데 일부만 취소했습니다. 노동자의 주장 중 일부는 "
               "받아들여졌고 나머지는 받아들여지지 않았습니다."),
    "기각": ("노동자 패소", "법원이 공단의 처분이 옳다고 보고 청구를 받아들이지 않았습니다. 처분은 그대로 "
            "유지됩니다."),
    "취하": ("소송 취하", "원고가 소송을 거두어들여 법원의 판단 없이 끝났습니다."),
    "파기환송": ("다시 재판", "대법원이 원심 판결을 깨고 다시 재판하라고 돌려보냈습니다. 최종 결과는 다시 열리는 "
              "재판에서 정해집니다."),
    "각하": ("각하", "소송이나 청구가 요건을 갖추지 못해 내용을 판단하지 않고 끝났습니다."),
}
_IACIAC_RESULT = {
    "취소": ("청구인 승소", "재심사위원회가 공단의 처분을 취소했습니다. 공단은 이 결정에 따라 다시 처분해야 합니다."),
    "기각": ("청구인 패소", "재심사위원회가 공단의 처분이 옳다고 보고 재심사 청구를 받아들이지 않았습니다. "
            "이 결정을 받은 날부터 90일 안에 행정소송을 낼 수 있습니다."),
}

# Cue words for the deciding facts, checked in this order:
# 1. the court setting aside a point against the worker ("퇴행성 변화는 경미하여 … 설명하기 어렵다") → 인정 요인;
# 2. the court finding the work link missing, or a fact against it ("보기 어렵다", "근무기간이 짧고") → 불인정 요인;
# 3. a personal or degenerative cause the 공단 relied on ("퇴행성", "기존 질환") → 불인정 요인;
# 4. a fact showing work strain or a link ("부담작업", "기여", "상당인과관계가 있다") → 인정 요인.
_COUNTER_FACTOR = (r"(?:퇴행|연령|골극|탈수|자연경과|기존\s*질환|기존질병|기초질병|기왕증|개인적|사적인|자문의|"
                   r"흡연|음주|가족력|고혈압|당뇨)")
_REBUTTAL = re.compile(
    _COUNTER_FACTOR + r"[^.]{0,90}(?:경미|불과|흔히|통상|받아들이기\s*어렵|설명하기\s*어렵|배제할\s*수\s*없|"
    r"있더라도|하더라도|구별|아니라|고려하지\s*아니|만으로(?:는)?\s*[^.]{0,30}(?:부정할\s*것은\s*아니|설명하기))"
)
_AGAINST = re.compile(
    r"보기(?:는|도)?\s*어렵|볼\s*수\s*없|인정되지\s*않|인정하기(?:는)?\s*(?:어렵|부족)|인정할\s*수\s*없|"
    r"인정할\s*증거가\s*없|부족하|관련성이\s*낮|크지\s*않|불과하다|짧아|짧고|뒷받침할[^.]{0,40}(?:없|아니)|"
    r"제출되지\s*아니|배치된|부정하였|미치지\s*못"
)
_COUNTER = re.compile(_COUNTER_FACTOR)
_FOR = re.compile(
    r"상당인과관계가\s*(?:있|인정)|인정된다|인정할\s*수\s*있|봄이\s*상당|기여|악화시|부담작업|부담을\s*주|"
    r"부담의\s*정도|과로|과중|스트레스|초과|가능성이\s*높|확인된다|확인되었|보인다|보이고|반복"
)


def fact_polarity(sentence: str) -> str:
    """'for' (supports the work link), 'against', or '' (neither) for one sentence of the judgment."""
    if _REBUTTAL.search(sentence):
        return "for"
    if _AGAINST.search(sentence) or _COUNTER.search(sentence):
        return "against"
    if _FOR.search(sentence):
        return "for"
    return ""


# Sentences that restate the general legal test rather than the facts of this case.
_DOCTRINE = re.compile(r"판결\s*참조|선고\s*\d|대법원\s*\d{4}|의미하므로|라\s*함은|하여야\s*한다\.?$|말하는")
_CONCLUSION_CUES = re.compile(r"따라서|그러므로|그렇다면|종합하면|종합하여|결국|위법하다|적법하다|이유\s*있|이유\s*없")
_DATE_NOISE = re.compile(r"\[인정\s*근거\][^\n]*")


@lru_cache(maxsize=512)
def _split_cached(text: str) -> tuple[str, ...]:
    return tuple(split_sentences(_DATE_NOISE.sub("", text)))


def _sentences(text: str) -> list[str]:
    return list(_split_cached(text))


def _sents(sections: list[Section], *kinds: str) -> list[str]:
    """Sentences of the sections of these kinds, in document order (each section split once)."""
    out: list[str] = []
    for section in sections:
        if section.kind in kinds and section.text:
            out.extend(_split_cached(section.text))
    return out


def _take(sentences: list[str], count: int, limit: int = 260) -> str:
    return " ".join(shorten(s, limit) for s in sentences[:count]).strip()


def infer_outcome(order: str, outcome: str = "") -> str:
    """The record's outcome, or one read from the 주문 when the source gave none."""
    if outcome:
        return outcome
    text = re.sub(r"\s+", "", order or "")
    if "파기" in text and "환송" in text:
        return "파기환송"
    if "각하" in text:
        return "각하"
    if "일부" in text and "취소" in text:
        return "일부취소"
    if "취소한다" in text:
        return "취소"
    if "기각한다" in text:
        return "기각"
    return ""


def result_text(record: Precedent, order: str) -> tuple[str, str]:
    """(short label, plain explanation) of the outcome for the worker."""
    outcome = infer_outcome(order, record.outcome)
    table = _IACIAC_RESULT if record.source == "iaciac" else {}
    short, plain = table.get(outcome) or RESULT_PLAIN.get(outcome) or ("결과", "")
    order_line = shorten(re.sub(r"\s+", " ", order or "").strip(), 200)
    if not plain:
        plain = "판결문에서 결과를 분명히 읽어 내지 못했습니다. 아래 주문을 확인해 주세요."
    text = f"{short}. {plain}"
    if order_line:
        text += f"\n(주문: {order_line})"
    return short, text


def _party_lines(record: Precedent, full: str) -> tuple[str, str]:
    head = full[:3000]
    if record.source == "iaciac":
        m = re.search(r"청구인[은는]?\s*([^\n.]{0,60}?(?:근로자|노동자|유족|배우자|자녀))", head)
        who = f"청구인 ({m.group(1).strip()})" if m else "청구인 (재해를 입은 노동자 또는 그 유족)"
        agency = re.search(r"근로복지공단\s*[가-힣]*지사장", full)
        return who, f"원처분기관 ({agency.group(0)})" if agency else "원처분기관 (근로복지공단)"
    if re.search(r"원고\s*회사|"
                 r"원고(?:는|\s*법인은)[^.]{0,30}(?:법인으로서|회사로서|사업주로서|사업을\s*(?:하는|경영하는))", head):
        plaintiff = "원고 (사업주 또는 회사)"
    elif record.kind_b == "유족" or re.search(r"망인|망\s*[A-Z가-힣○]{1,4}\s*\(|유족", head):
        plaintiff = "원고 (숨진 노동자의 유족)"
    else:
        plaintiff = "원고 (재해를 입은 노동자 본인)"
        job = re.search(r"원고[^.\n]{0,80}?에서\s*([^.\n]{2,60}?)\s*(?:업무|일)을\s*(?:담당|수행|하)", head)
        if job:
            plaintiff = f"원고 (재해를 입은 노동자 본인: {job.group(1).strip()} 업무)"
    defendant = "피고 (근로복지공단)" if ("근로복지공단" in full or "피고" in full) else "피고"
    return plaintiff, defendant


def _background(sections: list[Section], parts_reasons: str) -> str:
    found = _sents(sections, "background") or _sents(sections, "intro") or _sentences(parts_reasons)
    return _take(found, 4) or shorten(parts_reasons, 400)


def _issues(record: Precedent, sections: list[Section]) -> list[str]:
    issues: list[str] = []
    if record.issues_text.strip():
        issues.append(shorten(re.sub(r"\s+", " ", record.issues_text.strip()), 240))
    claims = _sents(sections, "claims")
    for sentence in claims[:3]:
        issues.append("원고 측 주장: " + shorten(sentence, 200) if record.source != "iaciac"
                      else "청구인 주장: " + shorten(sentence, 200))
    if not issues:
        if record.kind_c == "업무상사고":
            issues.append("사고가 업무 중에, 업무 때문에 일어난 것인지 (업무상 사고인지)")
        else:
            issues.append("업무와 병(상병) 사이에 상당인과관계가 있는지")
    return issues[:4]


def _reasoning(sections: list[Section], reasons: str) -> str:
    judgment = _sents(sections, "judgment")
    conclusion = _sents(sections, "conclusion")
    facts_free = [s for s in judgment if not _DOCTRINE.search(s)]
    picked = [s for s in facts_free if _CONCLUSION_CUES.search(s)]
    if not picked:
        picked = facts_free[:2]
    picked = picked[:3]
    if conclusion:
        picked.append(conclusion[0])
    if not picked:
        tail = _sentences(reasons)[-3:]
        picked = tail
    return _take(picked, 4, 300)


def _deciding_facts(sections: list[Section], reasons: str) -> tuple[list[str], list[str]]:
    found = _sents(sections, "facts", "judgment", "agency") or _sentences(reasons)
    recognized: list[str] = []
    not_recognized: list[str] = []
    for sentence in found:
        if _DOCTRINE.search(sentence) or len(sentence) < 12:
            continue
        short = shorten(sentence, 220)
        polarity = fact_polarity(sentence)
        target = recognized if polarity == "for" else not_recognized if polarity == "against" else None
        if target is not None and short not in target:
            target.append(short)
    return recognized[:5], not_recognized[:5]


def _statutes(record: Precedent, full: str) -> list[str]:
    found = find_statutes(full)
    if found:
        return found
    return [USUAL_STATUTE_BY_KIND.get(record.kind_b, DEFAULT_STATUTE)
            + " - 판결문에 조문 번호가 없어, 이런 사건에 보통 적용되는 조문을 적었습니다"]


def _preview(record: Precedent, short_result: str, background: str) -> str:
    kind = " ".join(k for k in (record.kind_c, record.kind_b) if k)
    subject = record.issues_text.strip() or record.title or kind or "산재 사건"
    subject = re.sub(r"\s+", " ", subject)
    line = f"{short_result} · {subject}"
    if kind and kind not in line:
        line += f" ({kind})"
    return shorten(line, 190)


def extract_precedent(record: Precedent) -> dict[str, Any]:
    """Content fields (as ``PrecedentContent`` expects) for ``record``, taken from its own text."""
    full = clean_markup(record.full_text or "")
    parts = split_judgment(full, record.order, clean_markup(record.reasons))
    sections = split_sections(parts.reasons)
    short_result, result = result_text(record, parts.order)
    background = _background(sections, parts.reasons)
    recognized, not_recognized = _deciding_facts(sections, parts.reasons)
    if not recognized and not not_recognized:
        fallback = _take(_sents(sections, "judgment") or _sentences(parts.reasons), 2)
        (recognized if infer_outcome(parts.order, record.outcome) in ("취소", "일부취소") else not_recognized).append(
            fallback or "판결문에서 결정적인 사실을 골라내지 못했습니다. 원문의 판단 부분을 읽어 보세요.")
    plaintiff, defendant = _party_lines(record, full or parts.reasons)
    return {
        "preview": _preview(record, short_result, background),
        "plaintiff": plaintiff,
        "defendant": defendant,
        "result": result,
        "background": background or "판결문에서 사건의 경위를 찾지 못했습니다.",
        "issues": _issues(record, sections),
        "reasoning": (_reasoning(sections, parts.reasons)
                      or "판결문에서 판단 부분을 찾지 못했습니다. 원문을 확인해 주세요."),
        "deciding_facts": {"recognized": recognized, "not_recognized": not_recognized},
        "statutes": _statutes(record, full + "\n" + parts.reasons + "\n" + parts.order),
    }
