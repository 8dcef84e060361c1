"""The parts of a judgment (or 재결서) text: 연관판결, 주문, 청구취지, 이유, and the headings inside 이유.

Texts come in two styles:
- plain: ``연관판결 : 서울행정법원,2019구단1234,1심-서울고등법원,2020누5678,2심`` then ``주 문`` … ``이 유`` …
- bracketed (law.go.kr): ``【연관판결】 …【주문】 …【청구취지】 …【이유】 …``
Inside 이유, numbered headings ("1. 처분의 경위", "2. 원고의 주장", "4. 판단", "5. 결론"; 재결서:
"사건 개요", "청구인 주장", "사실관계", "판단") are found by their words after a number, not by layout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.records import Precedent, court_level, level_from_word, split_case_number


# A section word stands alone (not inside a longer word such as 이유로 or 주문서): no Hangul right
# before or after it, or it sits inside 【】.
def _header(word: str) -> str:
    spaced = r"\s*".join(word)
    return rf"(?:【\s*{spaced}\s*】|(?<![가-힣]){spaced}(?![가-힣]))"


_RELATED_HEAD = re.compile(r"【\s*연\s*관\s*판\s*결\s*】|연\s*관\s*판\s*결\s*:?")
_ORDER_HEAD = re.compile(_header("주문"))
_REASONS_HEAD = re.compile(_header("이유"))
# Sections that may sit between 주문 and 이유 and do not belong to the order.
_CLAIM_HEAD = re.compile(r"【\s*청\s*구\s*취\s*지[^】]*】|"
                         r"(?<![가-힣])청\s*구\s*취\s*지(?:\s*및\s*항\s*소\s*취\s*지)?(?![가-힣])|"
                         r"(?<![가-힣])항\s*소\s*취\s*지(?![가-힣])")
# Bounded name length and one-way separators keep matching linear on long runs of Hangul or spaces.
_RELATED_ENTRY = re.compile(
    r"(?P<court>[가-힣]{1,30}(?:법원|지원))(?:\s*[,，]\s*|\s+)"
    r"(?P<case>(?:19|20)\d{2}\s*[가-힣]{1,4}\s*\d{1,7})"
    r"(?:(?:\s*[,，]\s*|\s+)(?P<level>[123]\s*심|항소심|상고심))?"
)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_CASE_LINE = re.compile(r"(?<![가-힣])사\s*건\s*[:：]?\s*(?P<case>(?:19|20)\d{2}\s*[가-힣]{1,4}\s*\d{1,7})")
_BRACKET = re.compile(r"【\s*([^】]{1,20})\s*】")
_RELATED_LINE = re.compile(r"^\s*【?연관판결】?\s*:?[^\n]*\n")


@dataclass
class JudgmentParts:
    related: list[dict[str, Any]] = field(default_factory=list)
    order: str = ""
    claim: str = ""
    reasons: str = ""


def clean_text(text: str) -> str:
    """Line breaks given as ``<br/>`` become newlines; trailing spaces and blank runs go."""
    text = _BR.sub("\n", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_markup(text: str) -> str:
    """Drop 【】 brackets and the 연관판결 header line some sources put first."""
    return _BRACKET.sub(r"\1 ", _RELATED_LINE.sub("", text or ""))


def parse_related(segment: str) -> list[dict[str, Any]]:
    """``서울행정법원,2019구단1234,1심-서울고등법원,…`` → [{court, case_number, level}, …]."""
    related: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for m in _RELATED_ENTRY.finditer(segment or ""):
        case_number, _ = split_case_number(m["case"])
        court = m["court"]
        key = (court, case_number)
        if key in seen:
            continue
        seen.add(key)
        level = level_from_word(re.sub(r"\s+", "", m["level"] or "")) or court_level(court)
        related.append({"court": court, "case_number": case_number, "level": level})
    return related


def split_judgment(text: str) -> JudgmentParts:
    """Related judgments, 주문, 청구취지 and 이유 out of a full text (missing parts stay empty)."""
    text = clean_text(text)
    if not text:
        return JudgmentParts()
    parts = JudgmentParts()
    related_head = _RELATED_HEAD.search(text)
    search_from = 0
    if related_head and related_head.start() < 200:
        order_head = _ORDER_HEAD.search(text, related_head.end())
        related_end = order_head.start() if order_head else len(text)
        related_segment = text[related_head.end():related_end]
        # Without a 주문 heading, the related list ends at the first line break.
        if not order_head:
            related_segment = related_segment.split("\n", 1)[0]
        parts.related = parse_related(related_segment)
        search_from = related_head.end()
    order_head = _ORDER_HEAD.search(text, search_from)
    if not order_head:
        reasons_head = _REASONS_HEAD.search(text, search_from)
        if reasons_head:
            parts.reasons = text[reasons_head.end():].strip(" :：\n")
        return parts
    reasons_head = _REASONS_HEAD.search(text, order_head.end())
    order_end = reasons_head.start() if reasons_head else len(text)
    claim_head = _CLAIM_HEAD.search(text, order_head.end(), order_end)
    if claim_head:
        parts.claim = text[claim_head.end():order_end].strip(" :：\n】")
        order_end = claim_head.start()
    parts.order = text[order_head.end():order_end].strip(" :：\n")
    if reasons_head:
        parts.reasons = text[reasons_head.end():].strip(" :：\n")
    return parts


def record_parts(record: Precedent) -> JudgmentParts:
    """주문, 청구취지 and 이유 of a record without 【】 markup: the stored fields, else parsed from the
    full text; 이유 falls back to the whole text so that something can always be read."""
    parsed = split_judgment(record.full_text)
    order = clean_markup(clean_text(record.order) or parsed.order).strip()
    reasons = clean_markup(clean_text(record.reasons) or parsed.reasons).strip()
    if not reasons:
        reasons = clean_markup(clean_text(record.full_text)).strip()
    return JudgmentParts(related=list(record.related or parsed.related), order=order,
                         claim=clean_markup(parsed.claim).strip(), reasons=reasons)


def own_level(case_number: str, court: str, related: list[dict[str, Any]]) -> int | None:
    """심급 of the judgment itself: what 연관판결 says for its case number, else from the court name.

    A 지방법원 appeal panel is 2심 although its name looks like a 1심 court, so 연관판결 wins.
    """
    if case_number:
        for entry in related:
            if entry.get("case_number") == case_number and entry.get("level"):
                return int(entry["level"])
    return court_level(court)


def case_number_from_text(text: str, court: str, related: list[dict[str, Any]]) -> str:
    """The judgment's own case number when the source left it blank.

    Taken from a ``사건 2019구단1234`` line near the start, else from the 연관판결 entry of the same
    court, else from a single 연관판결 entry. '' when it cannot be told.
    """
    head = clean_text(text)[:1500]
    m = _CASE_LINE.search(head)
    if m:
        return split_case_number(m["case"])[0]
    squeezed = (court or "").replace(" ", "")
    same_court = [e for e in related if squeezed and e.get("court", "").replace(" ", "") == squeezed]
    if len(same_court) == 1:
        return str(same_court[0]["case_number"])
    if len(related) == 1:
        return str(related[0]["case_number"])
    return ""


# ------------------------------------------------------------------ headings inside 이유

# kind → heading words. Order matters: the first kind whose words match names the heading.
HEADING_KINDS: tuple[tuple[str, str], ...] = (
    ("background", r"처분의\s*경위|사건\s*개요|사건의\s*개요|기초\s*사실|사건의\s*경위|재해\s*경위"),
    ("claims", r"(?:원고|청구인|당사자)(?:의|들의)?\s*주장"),
    ("agency", r"원처분기관\s*처분|심사기관\s*결정|피고의\s*주장|처분\s*사유"),
    ("law", r"관계\s*법령|관련\s*법령"),
    ("facts", r"인정\s*사실|사실\s*관계|의학적\s*소견|인정되는\s*사실"),
    ("container", r"이\s*사건\s*처분의\s*적법\s*여부|본안에\s*관한\s*판단"),
    ("doctrine", r"관련\s*법리|법리"),
    ("judgment", r"(?:구체적\s*)?판단|검토|소결"),
    ("conclusion", r"결론"),
)
_KIND_BY_GROUP = {f"k{i}": kind for i, (kind, _words) in enumerate(HEADING_KINDS)}
_HEADING = re.compile(
    r"(?:^|(?<=\s)|(?<=【))(?:\d{1,2}|[가나다라마바사아자차카타파하])\s*[.)]\s*(?:"
    + "|".join(f"(?P<k{i}>{words})" for i, (_kind, words) in enumerate(HEADING_KINDS))
    # the rest of a heading line ("의학적 소견 및 감정 결과") belongs to the heading
    + r")(?:[^\n.]{0,25}(?=\n))?(?=\s|$|[】:])",
    re.MULTILINE,
)


@dataclass
class Section:
    kind: str        # background, claims, agency, law, facts, container, doctrine, judgment, conclusion, intro
    title: str
    start: int       # offset of the heading in the reasons text
    text: str        # the body (heading excluded)


def _heading_kind(match: re.Match[str]) -> str:
    for group, kind in _KIND_BY_GROUP.items():
        if match.group(group):
            return kind
    return "other"


def split_sections(reasons: str) -> list[Section]:
    """The numbered parts of the 이유, in order. Text before the first heading is ``intro``."""
    text = reasons or ""
    matches = list(_HEADING.finditer(text))
    sections: list[Section] = []
    first_start = matches[0].start() if matches else len(text)
    if text[:first_start].strip():
        sections.append(Section("intro", "", 0, text[:first_start].strip()))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end():end].strip(" 】:\n\t")
        sections.append(Section(_heading_kind(match), match.group(0).strip(), match.start(), body))
    return sections


def judgment_part(reasons: str) -> str:
    """The court's own reasoning: from the first 판단 heading up to the 결론, else the whole 이유."""
    sections = split_sections(reasons)
    start = next((i for i, s in enumerate(sections) if s.kind in ("judgment", "container")), None)
    if start is None:
        return (reasons or "").strip()
    picked = []
    for section in sections[start:]:
        if section.kind == "conclusion":
            break
        picked.append(section.text)
    return "\n".join(picked).strip() or (reasons or "").strip()
