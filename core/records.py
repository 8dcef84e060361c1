"""The precedent record shared by every source, the store, search and the UI."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from core.dates import YEAR_MAX, YEAR_MIN, parse_date

SOURCES = ("portal", "lawgokr", "iaciac", "sample")
SOURCE_LABELS = {
    "portal": "공공데이터포털 (근로복지공단)",
    "lawgokr": "국가법령정보센터 (근로복지공단 산재판례)",
    "iaciac": "산업재해보상보험재심사위원회 재결",
    "sample": "가상 예시",
}
# ``Precedent.outcome`` is always one of these (or ''), read as the result *for the worker*.
OUTCOMES = ("취소", "일부취소", "기각", "각하", "취하", "파기환송")
# What each outcome means for the worker, in plain words (the worker is usually the plaintiff).
OUTCOME_PLAIN = {
    "취소": "노동자 승소 (불승인 취소)",
    "일부취소": "노동자 일부 승소",
    "기각": "노동자 패소 (청구 기각)",
    "취하": "소송 취하",
    "파기환송": "대법원이 다시 심리하라고 돌려보냄",
    "각하": "심리하지 않고 돌려보냄 (각하)",
}
# The same result on a screen: a label that keeps the legal term in brackets so people learn it, and a
# one-word form for chart bars.
OUTCOME_LABELS = {
    "취소": "노동자 승소 (취소)",
    "일부취소": "노동자 일부 승소 (일부취소)",
    "기각": "노동자 패소 (기각)",
    "각하": "심리 없이 끝남 (각하)",
    "취하": "소송 취하",
    "파기환송": "대법원이 다시 심리 (파기환송)",
}
OUTCOME_SHORT = {"취소": "승소", "일부취소": "일부 승소", "기각": "패소", "각하": "각하", "취하": "취하",
                 "파기환송": "파기환송"}
COURT_LEVEL_LABELS = {1: "1심", 2: "2심", 3: "대법원"}
__all__ = ["YEAR_MAX", "YEAR_MIN"]  # the year range lives in core.dates; kept importable from here
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # ASCII: "²⁰²²" passes isdigit()


@dataclass
class Precedent:
    id: str
    source: str
    title: str
    case_number: str = ""
    case_year: int | None = None
    court: str = ""
    court_level: int | None = None
    # The result for the worker, read from the 주문 where it is decisive, else the source's own code.
    outcome: str = ""
    kind_b: str = ""
    kind_c: str = ""
    decided_on: str = ""
    related: list[dict[str, Any]] = field(default_factory=list)
    order: str = ""
    reasons: str = ""
    full_text: str = ""
    issues_text: str = ""
    is_sample: bool = False
    fetched_at: str = ""
    source_outcome: str = ""  # the result code exactly as the source gave it ('' when it gives none)
    outcome_note: str = ""    # plain Korean, set when the source's code and the 주문 disagree
    reader_version: int = 0   # version of the judgment reader that derived the fields; 0 = never read

    def to_dict(self) -> dict[str, Any]:
        # Hand-built rather than dataclasses.asdict: asdict deep-copies and dominated ingest time.
        out = {name: getattr(self, name) for name in _FIELD_NAMES}
        out["related"] = [dict(r) for r in self.related]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Precedent:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def court_level_label(self) -> str:
        if self.source == "iaciac":
            return "재심사"
        return COURT_LEVEL_LABELS.get(self.court_level or 0, "")

    @property
    def outcome_plain(self) -> str:
        return OUTCOME_PLAIN.get(self.outcome, self.outcome)

    def citation(self) -> str:
        """A citation line a 노무사 can paste: court, date, case number, title, source."""
        parts = [p for p in (self.court, self.decided_on, self.case_number) if p]
        head = " ".join(parts)
        src = SOURCE_LABELS.get(self.source, self.source)
        return f"{head} 「{self.title}」 (출처: {src})".strip()


_FIELD_NAMES = tuple(f.name for f in fields(Precedent))


class PrecedentReader(Protocol):
    """What the precedent store applies to every record it writes or loads (see services/judgment).

    ``read`` derives the fields that come from the judgment's text (주문 → outcome, sections, dates …)
    and stamps ``reader_version`` with ``version``; records stored under another version are read again.
    """

    @property
    def version(self) -> int: ...

    def read(self, record: Precedent) -> Precedent: ...

_LEVEL_WORDS = {"1심": 1, "2심": 2, "3심": 3, "항소심": 2, "상고심": 3}


def court_level(court_name: str) -> int | None:
    """Court name → 심급. 대법원 is 3, 고등법원 2, a district/administrative court 1.

    A 지방법원 appeal panel (항소부) is also 2심 but its name does not say so; callers that know the
    level from 연관판결 should prefer that.
    """
    name = (court_name or "").replace(" ", "")
    if not name:
        return None
    if "대법원" in name:
        return 3
    if "고등법원" in name:
        return 2
    if "재심사위원회" in name:
        return None
    if "법원" in name or "지원" in name:
        return 1
    return None


def valid_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and YEAR_MIN <= value <= YEAR_MAX


def valid_court_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in COURT_LEVEL_LABELS


def valid_date(value: object) -> bool:
    """'YYYY-MM-DD' in ASCII digits naming a real day in a plausible year."""
    return isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None and parse_date(value) is not None


def drop_bad_fields(record: Precedent) -> int:
    """Blank ``case_year``, ``court_level`` or ``decided_on`` when out of range; return how many were blanked.

    One odd field costs that field only: the record (and the rest of an import or sync) is kept.
    """
    dropped = 0
    if record.case_year is not None and not valid_year(record.case_year):
        record.case_year, dropped = None, dropped + 1
    if record.court_level is not None and not valid_court_level(record.court_level):
        record.court_level, dropped = None, dropped + 1
    if record.decided_on and not valid_date(record.decided_on):
        record.decided_on, dropped = "", dropped + 1
    return dropped


def level_from_word(word: str) -> int | None:
    return _LEVEL_WORDS.get((word or "").strip())


_CASE_NO = re.compile(r"(?P<year>(?:19|20)\d{2})\s*(?P<code>[가-힣]{1,4})\s*(?P<num>\d{1,7})")


def split_case_number(accnum: str) -> tuple[str, int | None]:
    """'2019구단12345' (or '서울행정법원 2019 구단 12345') → ('2019구단12345', 2019)."""
    text = (accnum or "").strip()
    m = _CASE_NO.search(text)
    if not m:
        return text, None
    return f"{m['year']}{m['code']}{m['num']}", int(m["year"])
