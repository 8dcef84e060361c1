"""The offline engine for precedents: an automatic extract (자동 발췌) built from the judgment's own parts.

Nothing here is written by a model: each field is a sentence (or a few) taken from the part of the
judgment that holds it, plus fixed plain-language text for the outcome.
- three plain sentences first (what happened, what the 공단 said, what was decided and why), made of
  fixed plain words around the facts the judgment states (services/judgment/headline.py)
- the record's outcome (the result for the worker, read from the 주문 by services/judgment) → 결과
- 처분의 경위 / 사건 개요 → 배경
- 원고의 주장 / 쟁점 → 쟁점
- 판단 / 결론 → 판단 이유
- sentences with cue words in 인정 사실 / 판단 → 인정 요인, 불인정 요인
- statute references anywhere → 관련 법령
"""
from __future__ import annotations

import re
from typing import Any

from core.records import Precedent
from services.judgment import READER
from services.judgment.headline import CaseFacts, case_facts
from services.judgment.polarity import AGAINST, FOR, sentence_polarity
from services.judgment.sections import Section, clean_markup, record_parts, split_sections
from services.judgment.sentences import shorten, split_sentences
from services.summaries.statutes import DEFAULT_STATUTE, USUAL_STATUTE_BY_KIND, find_statutes

EXTRACT_MODEL = "extract-2"  # extract-2: the three plain sentences lead

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

# Sentences that restate the general legal test rather than the facts of this case.
_DOCTRINE = re.compile(r"판결\s*참조|선고\s*\d|대법원\s*\d{4}|의미하므로|라\s*함은|하여야\s*한다\.?$|말하는")
_CONCLUSION_CUES = re.compile(r"따라서|그러므로|그렇다면|종합하면|종합하여|결국|위법하다|적법하다|이유\s*있|이유\s*없")


def _sentences(text: str) -> list[str]:
    return split_sentences(text)


def _sents(sections: list[Section], *kinds: str) -> list[str]:
    """Sentences of the sections of these kinds, in document order (each section split once)."""
    out: list[str] = []
    for section in sections:
        if section.kind in kinds and section.text:
            out.extend(split_sentences(section.text))
    return out


def _take(sentences: list[str], count: int, limit: int = 260) -> str:
    return " ".join(shorten(s, limit) for s in sentences[:count]).strip()


def result_text(record: Precedent, order: str) -> tuple[str, str]:
    """(short label, plain explanation) of the outcome for the worker, with the note where the source disagrees."""
    outcome = record.outcome
    table = _IACIAC_RESULT if record.source == "iaciac" else {}
    short, plain = table.get(outcome) or RESULT_PLAIN.get(outcome) or ("결과", "")
    order_line = shorten(re.sub(r"\s+", " ", order or "").strip(), 200)
    if not plain:
        plain = "판결문에서 결과를 분명히 읽어 내지 못했습니다. 아래 주문을 확인해 주세요."
    text = f"{short}. {plain}"
    if record.outcome_note:
        text += f"\n{record.outcome_note}"
    if order_line:
        text += f"\n(주문: {order_line})"
    return short, text


# What the worker asked the 공단 for, by benefit kind (``kind_b``).
_CLAIMED = {"요양": "요양급여(치료비)", "유족": "유족급여", "장해": "장해급여", "재요양등": "재요양 등 보상",
            "평균임금": "평균임금 정정", "퇴직후진단": "보험급여", "기타": "보험급여"}
_DECIDED_PLAIN = {
    "취소": "{who} 노동자의 손을 들어 공단의 처분을 취소했습니다.",
    "일부취소": "{who} 공단의 처분 가운데 일부만 취소했습니다.",
    "기각": "{who} 공단의 처분이 옳다고 보고 노동자의 청구를 받아들이지 않았습니다.",
    "파기환송": "대법원은 원심 판결을 깨고 다시 재판하라고 돌려보냈습니다.",
    "취하": "소송은 법원의 판단 없이 취하로 끝났습니다.",
    "각하": "{who} 내용을 판단하지 않고 각하했습니다.",
}


# Closing formulas that say nothing about why ("주문과 같이 판결한다", "청구는 이유 없으므로").
_BOILERPLATE = re.compile(r"주문과\s*같이|청구는\s*이유\s*(?:있|없)|상고를\s*기각|원심판결을\s*파기|"
                          r"^\S*\s*이\s*사건\s*처분은\s*(?:위법|적법)하다\.?$")


def _has_final(word: str) -> bool:
    """Whether the last Hangul syllable of ``word`` ends in a consonant (받침)."""
    last = next((ch for ch in reversed(word) if "가" <= ch <= "힣"), "")
    return bool(last) and (ord(last) - ord("가")) % 28 != 0


def _with(word: str, after_final: str, after_vowel: str) -> str:
    return word + (after_final if _has_final(word) else after_vowel)


def _ro(word: str) -> str:
    """``word`` + 으로/로 (로 after a vowel or ㄹ)."""
    last = next((ch for ch in reversed(word) if "가" <= ch <= "힣"), "")
    final = (ord(last) - ord("가")) % 28 if last else 0
    return word + ("으로" if final not in (0, 8) else "로")


def _what_happened(record: Precedent, facts: CaseFacts) -> str:
    doing = {"task": _with(facts.work, "을", "를") + " 하던 ", "job": _ro(facts.work) + " 일하던 ",
             "place": facts.work + "에서 일하던 "}.get(facts.work_kind, "")
    claimed = _with(_CLAIMED.get(record.kind_b, "보험급여"), "을", "를")
    condition = f"'{facts.condition}'" if facts.condition else ""
    if facts.died:
        if "목숨" in facts.condition:
            how = "스스로 목숨을 끊자"
        elif condition:
            how = f"{_ro(condition)} 숨지자"
        else:
            how = "숨지자"
        return f"{doing}노동자가 {how}, 유족이 공단에 {claimed} 청구했습니다."
    reason = f"{condition} 때문에" if condition else \
        ("업무 중 사고로" if record.kind_c == "업무상사고" else "업무 때문에 생긴 병으로")
    return f"{doing}노동자가 {reason} 공단에 {claimed} 청구했습니다."


def _agency_said(record: Precedent, facts: CaseFacts) -> str:
    who = "원처분기관(근로복지공단)은" if record.source == "iaciac" else "공단은"
    if facts.agency_reason:
        return f'{who} "{shorten(facts.agency_reason, 80)}"는 이유로 받아들이지 않았습니다.'
    if "등급" in record.title:
        return f"{who} 장해등급을 정했지만, 노동자는 그 등급이 맞지 않다고 보았습니다."
    return f"{who} 이 청구를 받아들이지 않았습니다."


def _court_decided(record: Precedent, sections: list[Section], reasons: str) -> str:
    who = "재심사위원회는" if record.source == "iaciac" else "법원은"
    decided = _DECIDED_PLAIN.get(record.outcome, "판결문에서 결과를 분명히 읽어 내지 못했습니다.").format(who=who)
    why_from = _sents(sections, "judgment", "conclusion") or _sentences(reasons)[-3:]
    telling = [s for s in why_from if not _DOCTRINE.search(s) and not _BOILERPLATE.search(s) and len(s) >= 25]
    picked = [s for s in telling if _CONCLUSION_CUES.search(s)] or telling
    if not picked or record.outcome == "취하":
        return decided
    source = "재결서" if record.source == "iaciac" else "판결문"
    return f"{decided} 까닭({source}): {shorten(picked[0], 130)}"


def plain_sentences(record: Precedent, sections: list[Section], reasons: str) -> list[str]:
    """Three plain sentences: what happened, what the 공단 said, what was decided and why."""
    facts = case_facts(record)
    return [_what_happened(record, facts), _agency_said(record, facts), _court_decided(record, sections, reasons)]


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
        polarity = sentence_polarity(sentence)
        target = recognized if polarity == FOR else not_recognized if polarity == AGAINST else None
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
    if record.reader_version != READER.version:  # a record that did not come through the store
        record = READER.read(record)
    full = clean_markup(record.full_text or "")
    parts = record_parts(record)
    sections = split_sections(parts.reasons)
    short_result, result = result_text(record, parts.order)
    background = _background(sections, parts.reasons)
    recognized, not_recognized = _deciding_facts(sections, parts.reasons)
    if not recognized and not not_recognized:
        fallback = _take(_sents(sections, "judgment") or _sentences(parts.reasons), 2)
        (recognized if record.outcome in ("취소", "일부취소") else not_recognized).append(
            fallback or "판결문에서 결정적인 사실을 골라내지 못했습니다. 원문의 판단 부분을 읽어 보세요.")
    plaintiff, defendant = _party_lines(record, full or parts.reasons)
    return {
        "plain": plain_sentences(record, sections, parts.reasons),
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
