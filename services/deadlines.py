"""Appeal deadlines after a 산재 decision, computed the way the statutes count days.

Rules used (check effective dates before relying on them):
- 심사청구: 90 days from learning of the 공단's decision (산재보험법 §103③).
- 재심사청구: 90 days from learning of the 심사 decision; when the decision went through the
  업무상질병판정위원회 the worker may skip 심사 and count from the original decision (§106③).
- 행정소송: 90 days from learning of the decision or receiving the decision on appeal, and never later
  than 1 year after the decision itself (행정소송법 §20①②); whichever ends first applies.
- Counting (민법 §157, §160, §161, via 행정기본법 §6): the first day is not counted, so day 90 is
  ``learned + 90 days``; a period in years ends on the same calendar date one year later (the day before
  when that date does not exist, e.g. 2028-02-29 → 2029-02-28); an end falling on a Saturday, Sunday
  or 공휴일 (substitute and temporary holidays included) moves to the next working day, repeatedly.

``stage`` names the decision the dates refer to:
- "불승인": the 공단's original decision → 심사청구, (재심사청구 when the 판정위원회 was involved), 행정소송.
- "심사청구": the 심사 decision on a 심사청구 → 재심사청구, 행정소송.
- "재심사청구": the 재심사 decision (재결) → 행정소송.
- "요양신청" (no decision yet) and "행정소송" (already in court): no appeal deadlines here.
Everything returned is information, not legal advice.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

from core.dates import YEAR_MAX, YEAR_MIN, date_parts
from core.dates import parse_date as read_date
from core.errors import SanjaeError
from core.korean import attach

STAGES: tuple[str, ...] = ("요양신청", "불승인", "심사청구", "재심사청구", "행정소송")
APPEAL_DAYS = 90
REMINDER_LEVELS: tuple[int, ...] = (14, 7, 3)
WEEKDAY_NAMES = "월화수목금토일"

# A decision date the app accepts when it is typed in or imported: appeals against decisions older than this
# are far outside every period computed here, and a notice from more than a year ahead is a typing slip.
EARLIEST_DECISION_DATE = date(1990, 1, 1)
MAX_DAYS_AHEAD = 1  # a decision is known before it is typed in; one day covers the visitor's time zone

DISCLAIMER = "이 계산은 참고용 정보이며 법률 자문이 아닙니다. 중요한 결정 전에는 노무사·변호사나 공단에 꼭 확인하세요."


class DeadlineError(SanjaeError):
    """The dates or stage given for a deadline calculation cannot be used."""


@dataclass(frozen=True)
class Deadline:
    name: str                  # 심사청구, 재심사청구, 행정소송
    statute: str               # e.g. "산업재해보상보험법 제103조"
    start: date                # the day counted from (the day after it is day 1)
    raw_end: date              # the last day before any weekend/holiday shift
    deadline: date             # the last day the filing is still in time
    days_left: int             # deadline - today (0 = today is the last day, negative = passed)
    explanation: str           # the computation in plain Korean
    reminder: int | None    # 14, 7, 3 or 0 (today) when a reminder is due; None otherwise
    notice: str                # a short Korean line for the reminder/overdue state ("" when far off)
    overdue: bool
    options_if_overdue: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "statute": self.statute,
            "start": self.start.isoformat(),
            "raw_end": self.raw_end.isoformat(),
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "explanation": self.explanation,
            "reminder": self.reminder,
            "notice": self.notice,
            "overdue": self.overdue,
            "options_if_overdue": list(self.options_if_overdue),
        }


# ---------------------------------------------------------------- calendar helpers

@lru_cache(maxsize=64)
def _kr_holidays(year: int) -> holidays.HolidayBase:
    # The KR calendar in `holidays` already contains 대체공휴일 and 임시공휴일.
    return holidays.country_holidays("KR", years=year, language="ko")


def holiday_name(day: date) -> str | None:
    """The Korean name of the public holiday on ``day`` (names joined by "·"), or None."""
    names = _kr_holidays(day.year).get_list(day)
    return "·".join(names) if names else None


def day_off_reason(day: date) -> str | None:
    """Why ``day`` is not a working day (holiday name, 토요일, 일요일), or None for a working day."""
    name = holiday_name(day)
    if name:
        return name
    if day.weekday() == 5:
        return "토요일"
    if day.weekday() == 6:
        return "일요일"
    return None


def is_day_off(day: date) -> bool:
    return day_off_reason(day) is not None


class DateOutOfRange(DeadlineError):
    """A period would end past the last date the calendar can hold (year 9999)."""

    def __init__(self, start: date) -> None:
        super().__init__(f"{start.isoformat()}부터는 기한을 계산할 수 없습니다(달력의 끝을 넘어갑니다). "
                         "날짜를 잘못 적지 않았는지 확인해 주세요.")


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it (민법 §161)."""
    start = day
    try:
        while is_day_off(day):
            day += timedelta(days=1)
    except OverflowError:
        raise DateOutOfRange(start) from None
    return day


def add_days(start: date, days: int) -> date:
    """The last day of a period of ``days`` days counted from ``start`` (first day excluded)."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        raise DateOutOfRange(start) from None


def add_years(start: date, years: int) -> date:
    """The last day of a period of ``years`` years from ``start`` (same date; 2/29 → 2/28)."""
    year = start.year + years
    if not date.min.year <= year <= date.max.year:
        raise DateOutOfRange(start)
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)


def check_plausible(day: date, what: str, today: date | None = None) -> date:
    """``day`` when it can be a real decision date here; a Korean message for a typing slip otherwise."""
    today = today or date.today()
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if day < EARLIEST_DECISION_DATE:
        raise DeadlineError(f"{what} {attach(day.isoformat(), '이')} 너무 이릅니다. "
                            f"{EARLIEST_DECISION_DATE.year}년 이후 날짜인지 다시 확인해 주세요.")
    if day > latest:
        raise DeadlineError(f"{what} {attach(day.isoformat(), '이')} 오늘보다 뒤입니다. "
                            "이미 받은 결정의 날짜를 적어 주세요. 연도나 월을 잘못 적지 않았는지 확인해 주세요.")
    return day


def format_day(day: date) -> str:
    """2026-04-20(월)."""
    return f"{day.isoformat()}({WEEKDAY_NAMES[day.weekday()]})"


def _with_copula(word: str) -> str:
    """"일요일" → "일요일이라", "신정연휴" → "신정연휴라"."""
    return attach(word, "이라")


def _shift_sentence(raw_end: date, deadline: date) -> str:
    if raw_end == deadline:
        return f"평일이므로 {format_day(deadline)}까지입니다."
    reason = day_off_reason(raw_end) or "쉬는 날"
    skipped = (deadline - raw_end).days
    if skipped == 1:
        return f"{_with_copula(reason)} 다음 평일인 {format_day(deadline)}까지입니다."
    chain = []
    day = raw_end + timedelta(days=1)
    while day < deadline:
        chain.append(f"{format_day(day)} {day_off_reason(day)}")
        day += timedelta(days=1)
    return (f"{reason}이고 그 뒤로도 쉬는 날({', '.join(chain)})이 이어져 "
            f"다음 평일인 {format_day(deadline)}까지입니다.")


def _raw_end_words(raw_end: date) -> str:
    reason = day_off_reason(raw_end)
    if reason in ("토요일", "일요일"):
        return f"{raw_end.isoformat()}({reason})"
    return format_day(raw_end)


def explain_days(start_label: str, start: date, days: int) -> tuple[date, date, str]:
    """(raw_end, deadline, explanation) for a period of ``days`` days after ``start``."""
    raw_end = add_days(start, days)
    deadline = next_working_day(raw_end)
    text = (f"{start_label}({start.isoformat()}) 다음 날부터 {days}일째는 {_raw_end_words(raw_end)}입니다. "
            + _shift_sentence(raw_end, deadline))
    return raw_end, deadline, text


def explain_years(start_label: str, start: date, years: int) -> tuple[date, date, str]:
    raw_end = add_years(start, years)
    deadline = next_working_day(raw_end)
    text = (f"{start_label}({start.isoformat()})부터 {years}년이 되는 날은 {_raw_end_words(raw_end)}입니다. "
            + _shift_sentence(raw_end, deadline))
    return raw_end, deadline, text


# ---------------------------------------------------------------- reminders and overdue help

def reminder_level(days_left: int) -> int | None:
    """0 on the last day, else the smallest of 14/7/3 that ``days_left`` is within; None when far off or passed."""
    if days_left < 0:
        return None
    if days_left == 0:
        return 0
    due = [level for level in REMINDER_LEVELS if days_left <= level]
    return min(due) if due else None


def _notice(name: str, deadline: date, days_left: int) -> str:
    if days_left < 0:
        return f"{name} 기한({format_day(deadline)})이 {-days_left}일 지났습니다."
    if days_left == 0:
        return f"오늘({format_day(deadline)})이 {name} 마지막 날입니다. 오늘 안에 접수해야 합니다."
    level = reminder_level(days_left)
    if level is None:
        return ""
    return f"{name} 기한({format_day(deadline)})까지 {days_left}일 남았습니다. 서류를 미리 준비하세요."


_GENERAL_OVERDUE_HELP = [
    "본인이 어쩔 수 없었던 사정(정당한 사유)으로 늦었다면 늦은 청구가 받아들여지는 경우가 드물게 있습니다. "
    "그런 사정이 있었다면 증빙을 모아 두세요.",
    "노무사나 변호사, 또는 근로복지공단에 지금 할 수 있는 일을 물어보세요. 무료로 상담하거나 대리인을 "
    "지원받을 수 있는지도 함께 물어보세요(일반적인 안내입니다).",
    "보험급여를 받을 권리는 보통 3년(장해·유족급여 등 일부는 5년)이 지나면 소멸합니다(산재보험법 제112조). "
    "새 의학 자료가 생기는 등 상황에 따라서는 그 기간 안에 급여를 다시 신청하는 길이 있을 수도 있으니, "
    "가능한지 전문가와 확인하세요.",
]


def _overdue_options(name: str, others_open: list[str]) -> list[str]:
    options = []
    if others_open:
        options.append(f"{name} 기한은 지났지만 아직 열려 있는 절차가 있습니다: {', '.join(others_open)}.")
    if name == "행정소송":
        options.append("행정소송의 '처분이 있은 날부터 1년' 제한은 정당한 사유가 있으면 예외가 인정될 수 있으나, "
                       "'안 날부터 90일'은 아주 엄격하게 봅니다.")
    return options + _GENERAL_OVERDUE_HELP


# ---------------------------------------------------------------- the calculator

def _validate(learned: date, decided: date | None, stage: str) -> None:
    if not isinstance(learned, date):
        raise DeadlineError("결정을 안 날을 날짜(예: 2026-01-19)로 입력해 주세요.")
    if decided is not None and not isinstance(decided, date):
        raise DeadlineError("처분일을 날짜(예: 2026-01-15)로 입력해 주세요.")
    if decided is not None and decided > learned:
        raise DeadlineError("처분일이 결정을 안 날보다 늦습니다. 두 날짜를 다시 확인해 주세요.")
    if stage not in STAGES:
        raise DeadlineError(f"단계는 {', '.join(STAGES)} 중 하나여야 합니다.")


def _make(name: str, statute: str, start: date, raw_end: date, deadline: date, explanation: str,
          today: date) -> Deadline:
    days_left = (deadline - today).days
    return Deadline(name=name, statute=statute, start=start, raw_end=raw_end, deadline=deadline,
                    days_left=days_left, explanation=explanation, reminder=reminder_level(days_left),
                    notice=_notice(name, deadline, days_left), overdue=days_left < 0)


def _lawsuit(learned: date, decided: date | None, learned_label: str, decided_label: str,
             today: date) -> Deadline:
    statute = "행정소송법 제20조"
    raw_end, deadline, text = explain_days(learned_label, learned, APPEAL_DAYS)
    if decided is None:
        text += f" {decided_label}을 입력하면 '1년' 제한도 함께 확인합니다."
        return _make("행정소송", statute, learned, raw_end, deadline, text, today)
    cap_raw, cap_deadline, cap_text = explain_years(decided_label, decided, 1)
    if cap_deadline < deadline:
        text = (f"{text} 그런데 {cap_text} 소송은 두 기한 가운데 먼저 오는 날까지 내야 하므로 "
                f"{format_day(cap_deadline)}까지입니다.")
        return _make("행정소송", statute, decided, cap_raw, cap_deadline, text, today)
    text += f" ({decided_label}부터 1년이 되는 {format_day(cap_deadline)}보다 먼저이므로 이 날이 기한입니다.)"
    return _make("행정소송", statute, learned, raw_end, deadline, text, today)


def compute_deadlines(learned: date, decided: date | None = None, *, stage: str = "불승인",
                      disease_committee: bool = False, today: date | None = None) -> list[Deadline]:
    """The appeal deadlines open after the decision named by ``stage``.

    ``learned``: the day the decision became known (통지서를 받은 날). ``decided``: the decision's date
    (처분일/결정일), used for the 행정소송 1-year limit. ``today`` sets ``days_left`` (default: today).
    """
    _validate(learned, decided, stage)
    today = today or date.today()
    results: list[Deadline] = []
    if stage == "불승인":
        label = "결정을 안 날"
        raw_end, deadline, text = explain_days(label, learned, APPEAL_DAYS)
        results.append(_make("심사청구", "산업재해보상보험법 제103조", learned, raw_end, deadline, text, today))
        if disease_committee:
            text_skip = ("업무상질병판정위원회 심의를 거친 결정이라 심사청구 없이 바로 재심사청구를 할 수 있습니다. "
                         + text)
            results.append(_make("재심사청구", "산업재해보상보험법 제106조", learned, raw_end, deadline,
                                 text_skip, today))
        results.append(_lawsuit(learned, decided, label, "처분이 있은 날", today))
    elif stage == "심사청구":
        label = "심사 결정을 안 날"
        raw_end, deadline, text = explain_days(label, learned, APPEAL_DAYS)
        results.append(_make("재심사청구", "산업재해보상보험법 제106조", learned, raw_end, deadline, text, today))
        results.append(_lawsuit(learned, decided, label, "심사 결정이 있은 날", today))
    elif stage == "재심사청구":
        results.append(_lawsuit(learned, decided, "재결서를 받은 날", "재결이 있은 날", today))
    _attach_overdue_options(results)
    return results


def _attach_overdue_options(results: list[Deadline]) -> None:
    for index, item in enumerate(results):
        if not item.overdue:
            continue
        still_open = [f"{other.name}({format_day(other.deadline)}까지)" for other in results
                      if other is not item and not other.overdue]
        results[index] = Deadline(**{**item.__dict__, "options_if_overdue": _overdue_options(item.name, still_open)})


def parse_date(text: str, what: str = "날짜") -> date:
    """'2026-01-19', '2026. 1. 19.', '2026년 1월 19일' … → date, with a Korean message when it is not a real date."""
    day = read_date(str(text))
    if day is not None:
        return day
    parts = date_parts(str(text))
    if parts is None:
        quoted = f"'{text}'"
        raise DeadlineError(f"{what} {attach(quoted, '을')} 알아볼 수 없습니다. "
                            "2026-01-19나 2026. 1. 19.처럼 연, 월, 일을 모두 적어 주세요.")
    year, month, day_of_month = parts
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DeadlineError(f"{what} '{text}'의 연도 {year}년이 맞지 않습니다. {EARLIEST_DECISION_DATE.year}년 이후, "
                            "오늘까지의 날짜인지 다시 확인해 주세요.")
    if not 1 <= month <= 12:
        raise DeadlineError(f"{what} '{text}': {month}월은 없는 달입니다. 월을 다시 확인해 주세요.")
    raise DeadlineError(f"{what} '{text}': {month}월 {day_of_month}일은 없는 날입니다. 며칠인지 다시 확인해 주세요.")


def read_entered_date(text: str, what: str, today: date | None = None) -> date:
    """A decision date a person typed, in any form people write it, that can be real here (``check_plausible``);
    a Korean message that says what is wrong otherwise. Every date field of the app and the CLI reads through this."""
    return check_plausible(parse_date(text, what), what, today)


def nearest_open_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The earliest deadline that has not passed, or None."""
    open_ones = [d for d in deadlines if not d.overdue]
    return min(open_ones, key=lambda d: d.deadline) if open_ones else None
