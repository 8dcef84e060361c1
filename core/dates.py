"""The one date reader: the ways Korean documents and sources write a calendar day.

Reads "2026-01-19", "2026. 9. 8.", "2026.9.10", "2026년 9월 10일", "2026/9/10" and "20260119".
A day that does not exist (2026-02-30) or a year outside ``YEAR_MIN``..``YEAR_MAX`` is not a date.
It lives in core because the record check (``core.records.valid_date``) uses it too.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

# The years a 사건 연도 or 선고일 may carry; anything else is a typo or a forged file, and would not
# fit the search index's compact year column.
YEAR_MIN, YEAR_MAX = 1900, 2100

# ASCII: "²⁰²²" passes str.isdigit(). The digits around are checked so "120260119" is not a date.
DATE_IN_TEXT = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:[.\-/]|년)\s*(?P<m>\d{1,2})\s*(?:[.\-/]|월)\s*(?P<d>\d{1,2})(?!\d)(?:\s*(?:\.|일))?",
    re.ASCII,
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII)


def make_date(year: int, month: int, day: int) -> date | None:
    """The calendar day, or None when it does not exist or the year is out of range."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> date | None:
    return make_date(int(match["y"]), int(match["m"]), int(match["d"]))


# Full-width forms typed with a Korean input method ("２０２６．９．１０"). Not NFKC: that would also turn
# superscripts ("²⁰²²") into digits.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "／": "/", "－": "-",
                             "\u3000": " "})


def date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) when ``text`` has the form of a date, real or not ("2026-02-30" too)."""
    value = (text or "").translate(_FULL_WIDTH).strip()
    match = _COMPACT.fullmatch(value) or DATE_IN_TEXT.fullmatch(value)
    return (int(match["y"]), int(match["m"]), int(match["d"])) if match else None


def parse_date(text: str) -> date | None:
    """The day ``text`` (and nothing else but spaces) writes, in any of the supported forms."""
    parts = date_parts(text)
    return make_date(*parts) if parts else None


def iso_date(text: str) -> str:
    """'2026. 9. 8.' → '2026-09-08'; '' when ``text`` is not one real date."""
    day = parse_date(text)
    return day.isoformat() if day else ""


def dates_in(text: str) -> Iterator[tuple[re.Match[str], date]]:
    """Every real date written inside ``text`` (compact 8-digit forms excluded), with where it stands."""
    for match in DATE_IN_TEXT.finditer(text or ""):
        day = _from_match(match)
        if day is not None:
            yield match, day
