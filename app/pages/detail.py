"""판례 상세: header, summary (offline extract or AI, streaming, cancel), the full text, save, cite."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import flet as ft

from app.context import PageContext
from app.theme import px
from app.viewmodels.cases_vm import save_into_case
from app.viewmodels.detail_vm import DetailViewModel
from app.viewmodels.summary_vm import (
    ENGINE_WORDS,
    available_engines,
    default_engine,
    summary_notice,
    summary_parts,
)
from app.widgets import badges, layout
from app.widgets.stream import StreamBuffer
from core.errors import Cancelled, SanjaeError
from core.progress import CancelToken, ProgressCallback
from core.records import Precedent
from services.summaries import preview_partial

if TYPE_CHECKING:
    from services.summaries.schema import PrecedentSummary

ROUTE = "/precedent/<id>"
TITLE = "판례 자세히 보기"


def _summary_section(ctx: PageContext, record: Precedent) -> ft.Control:
    settings = ctx.services.settings
    engines = available_engines(settings)
    state: dict[str, Any] = {"engine": default_engine(settings), "token": None}
    body = ft.Column(spacing=10)
    stream_text = ft.Text("", theme_style=px(16), selectable=True, visible=False)
    status = ft.Text("", theme_style=px(15), color=ft.Colors.ON_SURFACE_VARIANT)
    ring = ft.ProgressRing(width=20, height=20, visible=False, semantics_label="요약 중")
    cancel_button = ft.OutlinedButton("멈추기", icon=ft.Icons.STOP, visible=False, tooltip="요약을 멈춥니다")
    again_button = ft.TextButton("다시 요약", icon=ft.Icons.REFRESH, tooltip="저장된 요약 대신 새로 요약합니다")

    def show(summary: Any) -> None:
        state["token"] = None
        ring.visible = cancel_button.visible = stream_text.visible = False
        again_button.disabled = False
        status.value = summary_notice(summary)
        body.controls = [ft.Column([ft.Text(p.title, theme_style=px(16), weight=ft.FontWeight.BOLD),
                                    ft.Text(p.text, theme_style=px(16), selectable=True)], spacing=4, tight=True)
                         for p in summary_parts(summary)]

    def failed(exc: BaseException) -> None:
        state["token"] = None
        ring.visible = cancel_button.visible = False
        again_button.disabled = False
        if isinstance(exc, Cancelled):
            status.value = "요약을 멈췄습니다. '다시 요약'을 누르면 처음부터 다시 합니다."
            return
        message = exc.message if isinstance(exc, SanjaeError) else \
            "요약하지 못했습니다. '자동 발췌'로 바꾸거나 잠시 뒤 다시 해 주세요."
        status.value = message
        ctx.notify(message, error=True)

    def start(force: bool = False) -> None:
        if state["token"] is not None:
            state["token"].cancel()
        token = CancelToken()
        state["token"] = token
        ring.visible = cancel_button.visible = True
        again_button.disabled = True
        stream_text.value = ""
        stream_text.visible = state["engine"] != "offline"
        status.value = "요약하고 있습니다…"
        engine = state["engine"]
        # Streamed text arrives in a worker thread; the model writes JSON, so show its readable part.
        buffer = StreamBuffer(ctx, stream_text, render=preview_partial)

        def work(report: ProgressCallback, cancel: CancelToken) -> PrecedentSummary:
            summaries = ctx.services.require_summaries()
            if engine != "offline" and (force or summaries.cached(record.id, engine) is None):
                ctx.charge_ai()  # only a call that reaches the AI service counts
            return summaries.summarize(record, engine, force=force, on_delta=buffer.add, cancel=cancel,
                                       on_restart=buffer.restart)

        ctx.run_background(work, on_done=show, on_error=failed, cancel=token)

    def stop(e: ft.Event[ft.OutlinedButton]) -> None:
        if state["token"] is not None:
            state["token"].cancel()
            status.value = "멈추는 중입니다…"

    cancel_button.on_click = stop
    again_button.on_click = lambda e: start(force=True)

    def pick_engine(e: ft.Event[ft.Dropdown]) -> None:
        state["engine"] = e.control.value or "offline"
        start()

    engine_picker: ft.Control | None = None
    if len(engines) > 1:
        engine_picker = ft.Dropdown(
            label="요약 방식", value=state["engine"], width=260, on_select=pick_engine,
            options=[ft.DropdownOption(key=name, text=ENGINE_WORDS.get(name, name)) for name in engines],
            tooltip="요약 방식을 고릅니다",
        )
    start()
    header = ft.Row([c for c in (engine_picker, ring, cancel_button, again_button) if c is not None],
                    wrap=True, spacing=8, run_spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER)
    return ft.Container(ft.Column([header, status, stream_text, body], spacing=10),
                        padding=16, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW)


def save_to_case(ctx: PageContext, record: Any) -> None:
    save_into_case(ctx, lambda repo, case_id: repo.add_bookmark(case_id, record), what="판례")


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    record_id = unquote(params.get("id", ""))
    store = ctx.services.precedents
    record = store.get(record_id) if store is not None and record_id else None
    if record is None:
        return layout.page_view(ctx, route, title=TITLE, controls=[
            ft.Text("이 판례를 찾을 수 없습니다. 자료를 새로 받아 왔다면 목록에서 다시 골라 주세요.",
                    theme_style=px(17)),
            ft.Button("판례 찾기로 가기", icon=ft.Icons.SEARCH, on_click=lambda e: ctx.navigate("/search")),
        ])
    vm = DetailViewModel(record)

    async def copy_citation(e: ft.Event[ft.OutlinedButton]) -> None:
        text = vm.citation()
        try:
            await ft.Clipboard().set(text)
        except Exception:
            citation_text.visible = True
            ctx.notify("복사하지 못했습니다. 아래 인용 문구를 직접 골라 복사해 주세요.", error=True)
            return
        citation_text.visible = True
        ctx.notify("인용 문구를 복사했습니다.")

    citation_text = ft.Text(vm.citation(), theme_style=px(15), selectable=True, visible=False)
    badge_row: list[ft.Control] = [badges.outcome_badge(record.outcome, vm.outcome_words)]
    if vm.is_sample:
        badge_row.append(badges.sample_badge())
    facts = ft.Column([
        ft.Row([ft.Text(label, theme_style=px(15), weight=ft.FontWeight.BOLD, width=96),
                ft.Text(value, theme_style=px(16), expand=True, selectable=True)],
               vertical_alignment=ft.CrossAxisAlignment.START)
        for label, value in vm.facts()
    ], spacing=4)
    actions = ft.Row([
        ft.FilledTonalButton("사건에 저장", icon=ft.Icons.BOOKMARK_ADD_OUTLINED,
                             on_click=lambda e: save_to_case(ctx, record),
                             tooltip="이 판례를 내 사건 파일에 저장합니다"),
        ft.OutlinedButton("인용 복사", icon=ft.Icons.CONTENT_COPY, on_click=copy_citation,
                          tooltip="법원, 날짜, 사건번호, 출처를 한 줄로 복사합니다"),
    ], wrap=True, spacing=8, run_spacing=8)
    sections: list[ft.Control] = [
        ft.ExpansionTile(title=ft.Text(s.title, theme_style=px(17), weight=ft.FontWeight.BOLD), expanded=s.expanded,
                         controls=[ft.Container(ft.Text(s.text, theme_style=px(16), selectable=True), padding=12,
                                                alignment=ft.Alignment.TOP_LEFT)],
                         expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
                         expanded_alignment=ft.Alignment.TOP_LEFT, maintain_state=True)
        for s in vm.sections()
    ]
    controls: list[ft.Control] = [
        ft.Text(vm.headline, theme_style=px(22), weight=ft.FontWeight.BOLD, selectable=True),
        ft.Text(f"사건명: {vm.case_name}", theme_style=px(16), selectable=True, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Row(badge_row, wrap=True, spacing=8, run_spacing=6),
        *([ft.Text(vm.outcome_note, theme_style=px(15), selectable=True, color=ft.Colors.ON_SURFACE_VARIANT)]
          if vm.outcome_note else []),
        facts,
        ft.Text(vm.credit, theme_style=px(14), color=ft.Colors.ON_SURFACE_VARIANT),
        actions,
        citation_text,
        layout.section_title("요약"),
        _summary_section(ctx, record),
        layout.section_title("판결문"),
        *(sections or [ft.Text("판결문 원문이 없습니다.", theme_style=px(16))]),
        ft.Text("이 정보는 참고용이며 법률 자문이 아닙니다.", theme_style=px(14), color=ft.Colors.ON_SURFACE_VARIANT),
    ]
    return layout.page_view(ctx, route, title=TITLE, controls=controls)
