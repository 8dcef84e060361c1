"""시작: what the app does, the first choices, and the state of the data."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import flet as ft

from app.context import PageContext
from app.theme import px
from app.viewmodels.home_vm import (
    ACCIDENT_KINDS,
    BENEFIT_CHOICES,
    KEYWORD_CHIPS,
    DataStatus,
    HomeChoices,
    status_action,
)
from app.widgets import layout

ROUTE = "/"
TITLE = "산재 판례 도우미"
NAV = ("시작", ft.Icons.HOME_OUTLINED, 10)

INTRO = ("산재 신청이 불승인되었을 때, 비슷한 사정의 판례를 찾아 법원이 무엇을 보고 판단했는지 쉽게 보여 드립니다. "
         "법률 자문이 아니라 참고 자료이니, 중요한 결정은 노무사나 변호사와 상의하세요.")
CHOICES_KEY = "home.choices"


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    choices: HomeChoices = ctx.store.get(CHOICES_KEY) or HomeChoices()
    ctx.store.set(CHOICES_KEY, choices)

    def segmented(options: Sequence[tuple[str, str]], current: str, on_pick: Callable[[str], None],
                  label: str) -> tuple[ft.Row, list[ft.Chip]]:
        """A row of chips, one per option; also the chips, so a pick can select exactly one."""
        chips = [ft.Chip(
            label=ft.Text(words, theme_style=px(16)), selected=(current == value),
            on_select=lambda e, v=value: on_pick(v if e.control.selected else ""),
            tooltip=f"{label}: {words}",
        ) for value, words in options]
        return ft.Row([*chips], wrap=True, spacing=8, run_spacing=8), chips

    def pick_kind_c(value: str) -> None:
        choices.kind_c = value
        for chip, (v, _) in zip(kind_c_chips, ACCIDENT_KINDS, strict=True):
            chip.selected = v == value

    def pick_kind_b(value: str) -> None:
        choices.kind_b = value
        for chip, (v, _) in zip(kind_b_chips, BENEFIT_CHOICES, strict=True):
            chip.selected = v == value

    def toggle_keyword(e: ft.Event[ft.Chip]) -> None:
        choices.toggle_keyword(e.control.data)
        e.control.selected = e.control.data in choices.keywords

    kind_c_row, kind_c_chips = segmented(ACCIDENT_KINDS, choices.kind_c, pick_kind_c, "사고 또는 질병")
    kind_b_row, kind_b_chips = segmented(BENEFIT_CHOICES, choices.kind_b, pick_kind_b, "급여 종류")
    keyword_row = ft.Row([
        ft.Chip(label=ft.Text(w, theme_style=px(16)), data=w, selected=w in choices.keywords, on_select=toggle_keyword,
                tooltip=f"찾는 말에 '{w}' 넣기/빼기")
        for w in KEYWORD_CHIPS
    ], wrap=True, spacing=8, run_spacing=8)

    status = DataStatus.from_store(ctx.services.precedents)
    status_children: list[ft.Control] = [ft.Text(line, theme_style=px(16)) for line in status.lines(ctx.web_mode)]
    action = status_action(status, ctx.web_mode)
    if action is not None:
        status_children.append(ft.TextButton(
            action.label, icon=ft.Icons.SETTINGS if action.route == "/settings" else ft.Icons.SEARCH,
            on_click=lambda e: ctx.navigate(action.route), tooltip=action.tooltip, height=48))
    status_box = ft.Container(
        content=ft.Column(status_children, spacing=6, tight=True),
        bgcolor=ft.Colors.AMBER_50 if status.sample_only else ft.Colors.SURFACE_CONTAINER_HIGHEST,
        border_radius=12, padding=16,
        border=ft.Border.all(1, ft.Colors.AMBER_300) if status.sample_only else None,
    )
    if status.sample_only:
        # Dark text on the light amber box stays readable in the dark theme too.
        for c in status_children:
            if isinstance(c, ft.Text):
                c.color = ft.Colors.BLACK_87

    controls = [
        ft.Text("내 사건과 비슷한 판례를 찾아보세요", theme_style=px(24), weight=ft.FontWeight.BOLD),
        ft.Text(INTRO, theme_style=px(17)),
        layout.section_title("1. 어떤 일이었나요?"),
        kind_c_row,
        layout.section_title("2. 어떤 급여를 신청했나요?"),
        kind_b_row,
        layout.section_title("3. 관련된 말을 골라도 됩니다 (선택)"),
        keyword_row,
        ft.Row([
            ft.FilledButton("판례 찾기", icon=ft.Icons.SEARCH, on_click=lambda e: ctx.navigate(choices.to_route()),
                            tooltip="고른 조건으로 판례를 찾습니다", height=48),
            ft.OutlinedButton("내 상황 분석하기", icon=ft.Icons.PSYCHOLOGY_OUTLINED,
                              on_click=lambda e: ctx.navigate(choices.to_analysis_route()),
                              tooltip="고른 내용을 채운 양식에 내 사정을 더 적으면 비슷한 판례와 판단 요인을 "
                                      "정리해 드립니다", height=48),
        ], wrap=True, spacing=12, run_spacing=12),
        layout.section_title("자료 상태"),
        status_box,
    ]
    return layout.page_view(ctx, route, title=TITLE, controls=controls)
