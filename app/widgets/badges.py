"""Small labels: outcome, 가상 예시."""
from __future__ import annotations

import flet as ft

from app.theme import px

OUTCOME_COLORS = {
    "취소": (ft.Colors.GREEN_100, ft.Colors.GREEN_900),
    "일부취소": (ft.Colors.LIGHT_GREEN_100, ft.Colors.LIGHT_GREEN_900),
    "기각": (ft.Colors.RED_100, ft.Colors.RED_900),
    "파기환송": (ft.Colors.AMBER_100, ft.Colors.BROWN_900),
    "각하": (ft.Colors.GREY_200, ft.Colors.GREY_900),
    "취하": (ft.Colors.GREY_200, ft.Colors.GREY_900),
}


def pill(text: str, bg: ft.ColorValue, fg: ft.ColorValue, tooltip: str | None = None) -> ft.Container:
    return ft.Container(
        content=ft.Text(text, theme_style=px(14), color=fg, weight=ft.FontWeight.W_600, no_wrap=False),
        bgcolor=bg, border_radius=16, padding=ft.Padding.symmetric(horizontal=10, vertical=4),
        tooltip=tooltip,
    )


def outcome_badge(outcome: str, words: str, note: str = "") -> ft.Container:
    """The result for the worker; ``note`` (source and 주문 disagree) is added to the tooltip."""
    bg, fg = OUTCOME_COLORS.get(outcome, (ft.Colors.BLUE_GREY_100, ft.Colors.BLUE_GREY_900))
    tooltip = f"판결 결과: {words}" + (f"\n{note}" if note else "")
    return pill(words, bg, fg, tooltip=tooltip)


def sample_badge() -> ft.Container:
    return pill("가상 예시", ft.Colors.PURPLE_100, ft.Colors.PURPLE_900,
                tooltip="앱 사용법을 보여 주려고 만든 가상의 판례입니다")
