"""What is said around a draft: that it is a draft to review and with whom, whether its deadline has passed (and
what can still be done), and the short "제출 방법" box. Every sentence about deadlines, filing and free help is
the one ``services.deadlines`` and ``services.next_step`` already say elsewhere in the app.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.errors import SanjaeError
from services.cases.blocks import dotted_day
from services.cases.model import Case
from services.deadlines import Deadline
from services.next_step import FREE_HELP, GENERAL_INFO, STATE_AGENT_NOTE, days_words, filing_help

REVIEW_NOTE = ("이 문서는 사건 기록으로 만든 초안입니다. 내기 전에 날짜와 내용이 맞는지 직접 확인하고, 될 수 있으면 "
               "노무사나 무료 상담(아래 전화번호)과 함께 검토하세요. 결과를 예측하거나 보장하지 않습니다.")
NO_DATE = ("사건에 결정을 안 날(통지서를 받은 날)이 없어 기한을 계산하지 못했습니다. "
           "보통 안 날부터 90일 안에 내야 하니 사건 화면에서 날짜를 적어 주세요.")
ATTACH = "이 청구서, 원처분 통지서 사본, 입증 자료 목록에 적은 자료(사본)를 함께 냅니다."


def free_help_lines() -> list[str]:
    """The free places to ask, one a line ('대한법률구조공단 132: …'), then the note on the state's free agent."""
    lines = [f"{c.name} {c.phone}: {c.what}" if c.phone else f"{c.name}: {c.what}" for c in FREE_HELP]
    return [*lines, STATE_AGENT_NOTE]


@dataclass(frozen=True)
class DeadlineState:
    """The 청구's deadline as the draft page says it: ``overdue`` first and loud, with what can still be done."""

    overdue: bool
    due: str = ""                  # '2026. 12. 9.(수)까지 · D-12 · 12일 남음'; '' when not known
    lines: list[str] = field(default_factory=list)


def stage_deadline(case: Case, stage: str, today: date | None = None) -> Deadline | None:
    try:
        deadlines = case.deadlines(today)
    except SanjaeError:  # a stored date the calendar cannot count from
        return None
    return next((d for d in deadlines if d.name == stage), None)


def deadline_state(case: Case, stage: str, today: date | None = None) -> DeadlineState:
    deadline = stage_deadline(case, stage, today)
    if deadline is None:
        return DeadlineState(False, "", [NO_DATE])
    due = f"{dotted_day(deadline.deadline)}까지 · {days_words(deadline.days_left)}"
    if deadline.overdue:
        return DeadlineState(True, due, [deadline.notice, *deadline.options_if_overdue])
    return DeadlineState(False, due, [deadline.notice] if deadline.notice else [])


def filing_box(case: Case, stage: str, today: date | None = None) -> list[tuple[str, str]]:
    """'제출 방법' as (what, how) lines: where and how, by when, what to attach, keep a copy and the 접수증."""
    where, *tips = filing_help([stage])
    state = deadline_state(case, stage, today)
    when = (state.lines[0] if state.overdue else state.due) or NO_DATE
    return [("어디에·어떻게", where), ("언제까지", when), ("함께 낼 것", ATTACH),
            ("사본·접수증", " ".join(tips)), ("안내", GENERAL_INFO)]
