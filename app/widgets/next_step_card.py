"""The "다음에 할 일" card: the date to act by in large type, the routes to choose from, how to file and
free help as tap-to-call buttons. Shown first on the analysis result and at the top of a case page."""
from __future__ import annotations

import flet as ft

from app.theme import px
from app.viewmodels.next_step_vm import NextStepCardView
from app.widgets import layout

DATE_SIZE = 28       # the date is the first thing an older reader on a phone must be able to read


def _heading(text: str) -> ft.Text:
    return ft.Text(text, theme_style=px(17), weight=ft.FontWeight.BOLD)


def _call_button(label: str, url: str, description: str) -> ft.Control:
    return ft.Column([
        # No fixed height: on a phone the label wraps and the button grows; the padding keeps one line ≥ 48 px.
        ft.Button(f"{label} 전화하기", icon=ft.Icons.PHONE, url=url, tooltip=f"{label}에 전화합니다",
                  style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=18))),
        layout.muted_text(description),
    ], spacing=2, tight=True)


def next_step_card(view: NextStepCardView) -> ft.Control:
    colour = ft.Colors.ERROR if view.red else ft.Colors.PRIMARY
    top: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.FLAG_OUTLINED, color=colour), layout.section_title(view.title)], spacing=8),
        ft.Text(view.headline, theme_style=px(18), weight=ft.FontWeight.BOLD),
    ]
    if view.date_text:
        # A label of its own keeps the date a separate node for screen readers (and findable in tests).
        top.append(ft.Text(view.date_text, theme_style=px(DATE_SIZE), weight=ft.FontWeight.BOLD, color=colour,
                           semantics_label=view.date_text))
    if view.days_text:
        top.append(ft.Text(view.days_text, theme_style=px(20), weight=ft.FontWeight.BOLD, color=colour,
                           semantics_label=view.days_text))
    top.append(layout.body_text(view.summary, weight=ft.FontWeight.BOLD if view.red else None))

    parts: list[ft.Control] = [
        ft.Container(ft.Column(top, spacing=6, tight=True), padding=12, border_radius=10,
                     bgcolor=ft.Colors.ERROR_CONTAINER if view.red else ft.Colors.PRIMARY_CONTAINER,
                     border=ft.Border.all(2, colour)),
    ]
    if view.still_possible:
        parts.append(_heading("기한이 지났어도 할 수 있는 일"))
        parts.extend(layout.body_text(f"• {line}") for line in view.still_possible)
    if view.routes:
        parts.append(_heading(view.routes_title))
        for title, meaning in view.routes:
            parts.append(ft.Column([ft.Text(title, theme_style=px(16), weight=ft.FontWeight.BOLD),
                                    layout.body_text(meaning)], spacing=2, tight=True))
        if view.routes_note:
            parts.append(layout.muted_text(view.routes_note))
    if view.how_to_file:
        parts.append(_heading("내는 곳과 방법"))
        parts.extend(layout.body_text(f"• {line}") for line in view.how_to_file)
    parts.append(_heading("무료로 물어볼 곳"))
    parts.extend(_call_button(c.label, c.url, c.description) for c in view.calls)
    parts.extend(layout.body_text(f"• {line}") for line in view.help_lines)
    parts.append(layout.muted_text(view.general_info))
    return ft.Card(
        content=ft.Container(
            ft.Column(parts, spacing=10, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            padding=16, border_radius=12),
        semantic_container=False,  # each line stays its own node for screen readers
    )
