"""What the "다음에 할 일" card shows, as plain data: built from a case or the situation form, testable without Flet."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.viewmodels.analysis_vm import AnalysisForm, to_input
from app.viewmodels.case_rows import as_dict, parse_day
from services.next_step import NextStep, days_words, long_day, next_step

CARD_TITLE = "다음에 할 일"


@dataclass(frozen=True)
class CallButton:
    label: str        # "대한법률구조공단 132"
    url: str          # "tel:132"
    description: str  # what they help with


@dataclass(frozen=True)
class NextStepCardView:
    title: str
    headline: str          # what the date is for ("심사청구 또는 행정소송 기한")
    date_text: str         # "2026년 4월 20일 (월)", "" when there is no date
    days_text: str         # "D-12 · 12일 남음", "3일 지남", ""
    red: bool              # under 14 days left, or passed
    summary: str
    routes_title: str
    routes: list[tuple[str, str]]   # (name with its date, what it means + source)
    routes_note: str
    still_possible: list[str]
    how_to_file: list[str]
    calls: list[CallButton]
    help_lines: list[str]  # help without a single number, and notes
    general_info: str

    @property
    def semantics(self) -> str:
        """One sentence for screen readers: what, when, how long."""
        return " ".join(part for part in (self.title, self.headline, self.date_text, self.days_text) if part)


def _route_title(name: str, deadline: date | None, overdue: bool) -> str:
    if deadline is None:
        return name
    return f"{name} — {long_day(deadline)}까지" + (" (지남)" if overdue else "")


def card_view(step: NextStep) -> NextStepCardView:
    routes = [(_route_title(r.name, r.deadline, r.overdue), f"{r.meaning} ({r.source})") for r in step.routes]
    many = len(step.routes) > 1
    calls = [CallButton(f"{c.name} {c.phone}", c.tel_url, c.what) for c in step.free_help if c.tel_url]
    help_lines = [f"{c.name}: {c.what}" for c in step.free_help if not c.tel_url] + list(step.help_notes)
    return NextStepCardView(
        title=CARD_TITLE, headline=step.headline,
        date_text=long_day(step.deadline) if step.deadline else "",
        days_text=days_words(step.days_left) if step.days_left is not None else "",
        red=step.urgent, summary=step.summary,
        routes_title="고를 수 있는 길 (둘 중 하나)" if len(step.routes) == 2 else
                     "고를 수 있는 길 (이 가운데 하나)" if many else "할 수 있는 길",
        routes=routes, routes_note=step.routes_note, still_possible=list(step.still_possible),
        how_to_file=list(step.how_to_file), calls=calls, help_lines=help_lines, general_info=step.general_info)


def step_for_case(case: Any, today: date | None = None) -> NextStep:
    """The next step from a saved case's dates, stage and 판정위원회 flag."""
    data = as_dict(case)
    learned, decided = parse_day(data.get("learned_on")), parse_day(data.get("decided_on"))
    if learned is not None and decided is not None and decided > learned:
        decided = None  # inconsistent dates: the case form asks the user to fix them
    return next_step(learned, decided, stage=data.get("stage") or "불승인",
                     disease_committee=bool(data.get("disease_committee")), today=today)


def step_for_form(form: AnalysisForm, today: date | None = None) -> NextStep:
    """The next step from the situation form: a 불승인; for a 질병 the form cannot tell whether the
    업무상질병판정위원회 was involved, so that route is mentioned as a possibility."""
    inp = to_input(form)
    committee = None if inp.kind_c == "업무상질병" else False
    return next_step(inp.learned_on, stage="불승인", disease_committee=committee, today=today)
