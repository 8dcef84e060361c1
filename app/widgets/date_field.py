"""A date text field with a calendar button beside it.

People copy the date from the notice, so the field stays free text (read by ``services.deadlines``);
the calendar is for those who would rather tap. A picked date is written the way notices print it.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import flet as ft

from core.dates import parse_date
from services.deadlines import EARLIEST_DECISION_DATE, MAX_DAYS_AHEAD

TOUCH_SIZE = 48


def notice_style(day: date) -> str:
    """2026-01-19 → "2026. 1. 19." (how 공단 notices print a date)."""
    return f"{day.year}. {day.month}. {day.day}."


def picked_day(value: object) -> date | None:
    """The calendar day a picker value stands for.

    The client sends the picked local midnight as a UTC instant ("2026-01-18T15:00Z" for 19 January in
    Korea); any local midnight within ±12 hours of UTC is that instant's date twelve hours later.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return (value.astimezone(UTC) + timedelta(hours=12)).date()
        return value.date()
    return value if isinstance(value, date) else None


def date_row(page: ft.Page, field: ft.TextField, *, what: str, today: date | None = None) -> ft.Control:
    """``field`` followed by a calendar button that opens a Korean date picker and fills ``field``."""
    def picked(e: ft.Event[ft.DatePicker]) -> None:
        day = picked_day(e.control.value)
        if day is not None:
            field.value = notice_style(day)
            field.error = None
            field.update()

    def open_picker(e: ft.Event[Any]) -> None:
        now = today or date.today()  # at the tap: a page may stay open past midnight
        current = parse_date(field.value or "")
        start = current if current and EARLIEST_DECISION_DATE <= current <= now else now
        picker = ft.DatePicker(
            value=datetime(start.year, start.month, start.day),
            first_date=datetime.combine(EARLIEST_DECISION_DATE, datetime.min.time()),
            last_date=datetime.combine(now + timedelta(days=MAX_DAYS_AHEAD), datetime.min.time()),
            current_date=datetime(now.year, now.month, now.day),
            help_text=what, cancel_text="취소", confirm_text="이 날짜로",
            field_label_text=what, field_hint_text="연. 월. 일.",
            error_format_text="날짜를 2026. 1. 19.처럼 적어 주세요.",
            error_invalid_text="고를 수 없는 날짜입니다.",
            on_change=picked,
        )
        page.show_dialog(picker)

    label = f"달력에서 {what} 고르기"
    # Named by the semantics wrapper (a tooltip as well would be read twice).
    button = ft.Semantics(label=label, button=True, content=ft.IconButton(
        ft.Icons.CALENDAR_MONTH_OUTLINED, on_click=open_picker, width=TOUCH_SIZE, height=TOUCH_SIZE))
    return ft.Row([field, button], spacing=4, tight=True, vertical_alignment=ft.CrossAxisAlignment.START)
