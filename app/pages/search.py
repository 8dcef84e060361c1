"""판례 찾기: search box, outcome chips with counts, level and year filters, results, paging."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app import visitor_words
from app.context import PageContext
from app.theme import px
from app.viewmodels.search_vm import (
    LEVEL_CHOICES,
    OUTCOME_WORDS,
    HitRow,
    SearchQuery,
    SearchState,
    SearchViewModel,
    empty_suggestions,
    outcome_chip_label,
)
from app.widgets import badges, layout
from core.errors import SanjaeError
from core.progress import CancelToken, Progress, ProgressCallback

ROUTE = "/search"
TITLE = "판례 찾기"
NAV = ("판례 찾기", ft.Icons.SEARCH, 20)
NOT_READY = "검색 기능을 준비하지 못했습니다. 앱을 다시 시작해 주세요."


def preview_lookup(ctx: PageContext) -> Callable[[str], str | None] | None:
    """Record id -> its cached summary preview; None when the summaries file can't be read (cards show
    their snippet then)."""
    summaries = ctx.services.summaries
    return summaries.previews() if summaries is not None else None


def result_card(ctx: PageContext, row: HitRow) -> ft.Control:
    badge_row: list[ft.Control] = [badges.outcome_badge(row.outcome, row.outcome_words, row.outcome_note)]
    if row.is_sample:
        badge_row.append(badges.sample_badge())
    if row.kinds:
        badge_row.append(ft.Text(row.kinds, theme_style=px(15), color=ft.Colors.ON_SURFACE_VARIANT))
    return ft.Card(content=ft.Container(
        content=ft.Column([
            ft.Text(row.heading, theme_style=px(18), weight=ft.FontWeight.BOLD),
            ft.Text(row.case_line, theme_style=px(15), color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row(badge_row, wrap=True, spacing=8, run_spacing=6),
            ft.Text(row.preview, theme_style=px(16), max_lines=2, overflow=ft.TextOverflow.ELLIPSIS) if row.preview else
            ft.Container(),
        ], spacing=6, tight=True),
        padding=16, border_radius=12, ink=True,
        on_click=lambda e: ctx.navigate(row.route),
        tooltip=f"{row.heading} 판례 자세히 보기",
    ))


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    query = SearchQuery.from_params(params)
    service = ctx.services.search
    vm = SearchViewModel(service, preview_for=preview_lookup(ctx)) if service is not None else None

    def go(q: SearchQuery) -> None:
        ctx.navigate(q.to_route())

    # ---- search box -------------------------------------------------------------------------
    box: ft.TextField = ft.TextField(label="찾을 말", value=query.text, hint_text="예: 허리 디스크, 과로, 뇌출혈",
                                     on_submit=lambda e: go(query.with_(text=box.value or "")), expand=True,
                                     prefix_icon=ft.Icons.SEARCH, autofocus=not query.text)
    search_row = ft.Row([
        box,
        ft.FilledButton("찾기", on_click=lambda e: go(query.with_(text=box.value or "")), height=48,
                        tooltip="입력한 말로 판례를 찾습니다"),
    ], vertical_alignment=ft.CrossAxisAlignment.CENTER)

    # ---- filters ----------------------------------------------------------------------------
    outcome_row = ft.Row(wrap=True, spacing=8, run_spacing=8)

    def fill_outcomes(counts: dict[str, int], total: int | None) -> None:
        chips: list[ft.Control] = [
            ft.Chip(label=ft.Text("모든 결과" + (f" {total:,}건" if total is not None else ""), theme_style=px(16)),
                    selected=not query.outcome, on_select=lambda e: go(query.with_(outcome="")),
                    tooltip="결과와 상관없이 모두 보기")]
        for outcome in OUTCOME_WORDS:
            count = counts.get(outcome)
            if count is None and counts:
                count = 0
            chips.append(ft.Chip(
                label=ft.Text(outcome_chip_label(outcome, count if counts else None), theme_style=px(16)),
                selected=query.outcome == outcome,
                on_select=lambda e, o=outcome: go(query.with_(outcome="" if query.outcome == o else o)),
                tooltip=f"{OUTCOME_WORDS[outcome]}만 보기",
            ))
        outcome_row.controls = chips

    fill_outcomes({}, None)

    level_row = ft.Row([
        ft.Chip(label=ft.Text(words, theme_style=px(16)), selected=query.level == level,
                on_select=lambda e, lv=level: go(query.with_(level=lv)), tooltip=f"심급: {words}")
        for level, words in LEVEL_CHOICES
    ], wrap=True, spacing=8, run_spacing=8)

    year_from = ft.TextField(label="몇 년부터", value=str(query.year_from or ""), width=140,
                             keyboard_type=ft.KeyboardType.NUMBER, max_length=4, counter="", hint_text="예: 2019")
    year_to = ft.TextField(label="몇 년까지", value=str(query.year_to or ""), width=140,
                           keyboard_type=ft.KeyboardType.NUMBER, max_length=4, counter="", hint_text="예: 2019")

    def apply_years(e: ft.Event[Any] | None = None) -> None:
        def year(v: str | None) -> int | None:
            v = (v or "").strip()
            return int(v) if v.isdigit() and len(v) == 4 else None

        if (year_from.value or "").strip() and year(year_from.value) is None or \
                (year_to.value or "").strip() and year(year_to.value) is None:
            ctx.notify("연도는 2019처럼 네 자리 숫자로 적어 주세요.", error=True)
            return
        go(query.with_(year_from=year(year_from.value), year_to=year(year_to.value)))

    year_from.on_submit = apply_years
    year_to.on_submit = apply_years
    year_row = ft.Row([year_from, year_to,
                       ft.OutlinedButton("연도 적용", on_click=apply_years, tooltip="고른 연도로 좁혀 찾습니다")],
                      wrap=True, spacing=8, run_spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER)
    filters = [outcome_row,
               ft.ExpansionTile(title=ft.Text("심급·연도로 좁히기", theme_style=px(16)),
                                controls=[ft.Column([level_row, year_row], spacing=12)],
                                expanded=bool(query.level or query.year_from or query.year_to),
                                controls_padding=ft.Padding.symmetric(horizontal=8, vertical=8))]
    if query.filter_count:
        filters.append(ft.TextButton("조건 모두 지우기", icon=ft.Icons.FILTER_ALT_OFF,
                                     on_click=lambda e: go(SearchQuery(text=query.text)),
                                     tooltip="결과, 급여 종류, 심급, 연도 조건을 모두 뺍니다"))
    if query.kind_b or query.kind_c:
        words = " · ".join(p for p in (query.kind_b, query.kind_c) if p)
        filters.insert(0, ft.Text(f"고른 조건: {words}", theme_style=px(15), color=ft.Colors.ON_SURFACE_VARIANT))

    # ---- results ----------------------------------------------------------------------------
    status = ft.Text("판례를 찾고 있습니다…", theme_style=px(16))
    progress = ft.ProgressBar(value=None, semantics_label="찾는 중")
    results = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    more_button = ft.OutlinedButton("더 보기", icon=ft.Icons.EXPAND_MORE, visible=False,
                                    tooltip="결과를 더 불러옵니다")
    empty_box = ft.Column(visible=False, spacing=6)

    def show_state(state: SearchState) -> None:
        progress.visible = False
        status.value = state.summary_line
        fill_outcomes(state.counts, state.all_total)
        results.controls = [result_card(ctx, r) for r in state.rows]
        more_button.visible = state.has_more
        more_button.disabled = False
        empty_box.visible = not state.rows
        if not state.rows:
            empty_box.controls = [ft.Text("이렇게 해 보세요", theme_style=px(17), weight=ft.FontWeight.BOLD),
                                  *(ft.Text("• " + tip, theme_style=px(16)) for tip in empty_suggestions(query))]

    def show_error(exc: BaseException) -> None:
        progress.visible = False
        status.value = visitor_words.shown(exc.message, ctx.web_mode) if isinstance(exc, SanjaeError) else \
            "판례를 찾는 중 문제가 생겼습니다. 잠시 뒤 다시 찾아 주세요."
        ctx.notify(status.value, error=True)

    def on_progress(p: Progress) -> None:
        progress.value = p.fraction
        if p.message:
            status.value = p.message

    def search_work(report: ProgressCallback, cancel: CancelToken) -> SearchState:
        if vm is None:
            raise SanjaeError(NOT_READY)
        ensure = getattr(service, "ensure_index", None)
        if callable(ensure):
            ensure(progress=report, cancel=cancel)  # cold start builds the index once, with progress
        return vm.run(query)

    def more_work(report: ProgressCallback, cancel: CancelToken) -> SearchState:
        if vm is None:
            raise SanjaeError(NOT_READY)
        return vm.more()

    def load_more(e: ft.Event[ft.OutlinedButton]) -> None:
        more_button.disabled = True
        ctx.run_background(more_work, on_done=show_state, on_error=show_error)

    more_button.on_click = load_more

    if vm is None:
        progress.visible = False
        status.value = NOT_READY
    else:
        ctx.run_background(search_work, on_progress=on_progress, on_done=show_state, on_error=show_error)

    controls: list[Any] = [search_row, *filters, ft.Divider(height=1), status, progress, empty_box, results,
                           more_button,
                           ft.Text("판례는 참고 자료이며 법률 자문이 아닙니다. "
                                   "사정이 조금만 달라도 결과가 달라질 수 있습니다.",
                                   theme_style=px(14), color=ft.Colors.ON_SURFACE_VARIANT)]
    return layout.page_view(ctx, route, title=TITLE, controls=controls)
