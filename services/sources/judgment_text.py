"""Reading the parts of a judgment's full text that every source shares.

The 근로복지공단 texts begin with a list of related judgments and then the 주문 and 이유
sections, in two styles:

- plain: ``연관판결 : 서울행정법원,2019구단1234,1심-서울고등법원,2020누5678,2심`` then ``주 문`` … ``이 유`` …
- bracketed (law.go.kr): ``【연관판결】 …【주문】 …【이유】 …``
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.records import court_level, level_from_word, split_case_number


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
_DATE = re.compile(r"(?P<y>\d{4})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})")
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_DECIDED = re.compile(r"판\s*결\s*선\s*고\s*(?:[:：]\s*)?(?P<date>\d{4}\s*[.\-년]\s*\d{1,2}\s*[.\-월]\s*\d{1,2})")
_CASE_LINE = re.compile(r"(?<![가-힣])사\s*건\s*[:：]?\s*(?P<case>(?:19|20)\d{2}\s*[가-힣]{1,4}\s*\d{1,7})")


@dataclass
class JudgmentParts:
    related: list[dict[str, Any]] = field(default_factory=list)
    order: str = ""
    reasons: str = ""


def clean_text(text: str) -> str:
    """Line breaks given as ``<br/>`` become newlines; trailing spaces and blank runs go."""
    text = _BR.sub("\n", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


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
    """Related judgments, 주문 and 이유 out of a full text (missing parts stay empty)."""
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
            parts.reasons = text[reasons_head.end():].strip()
        return parts
    reasons_head = _REASONS_HEAD.search(text, order_head.end())
    order_end = reasons_head.start() if reasons_head else len(text)
    claim_head = _CLAIM_HEAD.search(text, order_head.end(), order_end)
    if claim_head:
        order_end = claim_head.start()
    parts.order = text[order_head.end():order_end].strip(" :：\n")
    if reasons_head:
        parts.reasons = text[reasons_head.end():].strip(" :：\n")
    return parts


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


def normalize_date(value: str) -> str:
    """'2023.1.9', '2023.01.09', '20230109', '2023-01-09' → '2023-01-09'; 0001.01.01 or junk → ''."""
    text = (value or "").strip()
    m = _COMPACT_DATE.match(text) or _DATE.search(text)
    if not m:
        return ""
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if year < 1900 or not (1 <= month <= 12) or not (1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def decision_date_from_text(text: str) -> str:
    """'판결선고 2020. 5. 12.' in the text → '2020-05-12' ('' when absent)."""
    m = _DECIDED.search(text or "")
    return normalize_date(m["date"]) if m else ""


def outcome_from_order(order: str) -> str:
    """The result in kindA terms (취소, 일부취소, 기각, 취하, 파기환송) or 각하, read from a 주문.

    The terms describe the result for the worker: when the 공단 (피고) loses its appeal the
    worker's win stands, so that reads as 취소.
    """
    text = re.sub(r"\s+", "", order or "")
    if not text:
        return ""
    if "파기" in text and "환송" in text:
        return "파기환송"
    if "각하" in text and "취소" not in text:
        return "각하"
    if "취하" in text:
        return "취하"
    partial = ("일부" in text and "취소" in text) or ("나머지청구" in text and "기각" in text and "취소" in text)
    if partial:
        return "일부취소"
    if re.search(r"피고(?:보조참가인)?의(?:항소|상고)(?:를|을)?(?:모두)?기각", text):
        return "취소"
    if "취소" in text and "기각" not in text:
        return "취소"
    if re.search(r"처분(?:을|를)?(?:모두)?취소", text):
        return "취소"
    if "기각" in text:
        return "기각"
    return ""


# Order matters: 재요양 before 요양, 유족 before the generic words.
_KIND_B_WORDS = (
    ("재요양", "재요양등"),
    ("퇴직후", "퇴직후진단"),
    ("장해", "장해"),
    ("유족", "유족"),
    ("장의비", "유족"),
    ("평균임금", "평균임금"),
    ("휴업급여", "휴업급여"),
    ("간병", "간병"),
    ("상병보상", "상병보상연금"),
    ("요양", "요양"),
    ("보험료", "보험료"),
    ("징수", "보험급여징수등"),
)


def kind_b_from_title(title: str) -> str:
    """사건 유형 from a title such as '요양불승인처분취소' or '장해급여 부지급 처분 취소' ('' if unknown)."""
    squeezed = re.sub(r"\s+", "", title or "")
    for word, kind in _KIND_B_WORDS:
        if word in squeezed:
            return kind
    return ""


def kind_c_normalized(value: str) -> str:
    """'업무상 사고' → '업무상사고', '업무상 질병' → '업무상질병'; other values unchanged (spaces removed)."""
    squeezed = re.sub(r"\s+", "", value or "")
    if "사고" in squeezed and squeezed.startswith("업무상"):
        return "업무상사고"
    if "질병" in squeezed and squeezed.startswith("업무상"):
        return "업무상질병"
    return squeezed
