"""문서 요약: paste a 통지서 / 결정서 / 소견서 (or open a .txt file) and get it in plain words."""
from __future__ import annotations

from datetime import date
from typing import Any

import flet as ft

from app import visitor_words
from app.context import PageContext
from app.platform import browser
from app.theme import px
from app.viewmodels import cases_vm
from app.viewmodels import summarize_vm as vm
from app.viewmodels.picked_file import pick_one
from app.widgets import layout
from app.widgets.feature_sections import notify_now, scroll_body, scroll_into_view, scroll_key, wide_card
from app.widgets.feature_sections import titled_sections as _sections
from app.widgets.stream import StreamBuffer
from core.progress import CancelToken, Progress, ProgressCallback
from services.summaries import preview_partial

ROUTE = "/summarize"
TITLE = "문서 요약"
NAV = ("문서 요약", ft.Icons.SUMMARIZE_OUTLINED, 40)


class SummarizePage:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        settings = ctx.services.settings
        self.engines = vm.available_engines(settings)
        self.summary: dict[str, Any] | None = None
        self.summarized_text = ""
        self.token: CancelToken | None = None
        # No ``max_length``: Flutter would cut a long paste silently; ``text_changed`` cuts and says so.
        self.text = ft.TextField(label="요약할 글", multiline=True, min_lines=8, max_lines=20,
                                 hint_text="불승인 통지서, 심사 결정서, 의사 소견서 등의 내용을 붙여 넣으세요.",
                                 helper=vm.LIMIT_HELP, helper_max_lines=2, counter=vm.length_counter(""),
                                 on_change=self.text_changed)
        self.cut_note = ft.Text("", theme_style=px(15), visible=False, weight=ft.FontWeight.BOLD)
        self.reads_note = ft.Text("", theme_style=px(15), visible=False)
        radios: list[ft.Control] = [ft.Radio(value=e, label=vm.engine_label(e, ctx.web_mode)) for e in self.engines]
        self.engine = ft.RadioGroup(value=vm.default_engine(settings), on_change=self.text_changed,
                                    content=ft.Column(radios, spacing=0))
        self.preview_text = ft.Text("", theme_style=px(14))
        self.preview_line = layout.body_text("")
        self.preview_note = layout.muted_text("")
        self.preview = ft.Container(visible=False)
        self.problem = ft.Text("", color=ft.Colors.ERROR, theme_style=px(15), visible=False)
        self.status = ft.Text("", theme_style=px(15))
        self.progress = ft.ProgressRing(width=20, height=20, visible=False)
        self.cancel_button = ft.OutlinedButton("멈추기", icon=ft.Icons.STOP_CIRCLE_OUTLINED, visible=False,
                                               on_click=self.cancel)
        self.stream_text = ft.Text("", theme_style=px(15))
        self.stream_card = ft.Container(visible=False)
        self.result = ft.Column(spacing=12, key=scroll_key("result"))
        self.body: ft.Column | None = None

    def controls(self) -> list[ft.Control]:
        self.preview.content = wide_card(
            layout.section_title("AI로 보낼 내용 (개인정보를 가린 글)"), self.preview_line, self.preview_note,
            self.preview_text)
        self.stream_card.content = wide_card(layout.section_title("AI가 읽는 중"), self.stream_text)
        return [
            layout.body_text("받은 문서를 쉬운 말로 풀어 드립니다: 무슨 문서인지, 무슨 뜻인지, "
                             "이제 무엇을 할 수 있는지, 기한은 언제인지."),
            ft.Row([ft.OutlinedButton(".txt 파일 열기", icon=ft.Icons.FOLDER_OPEN, on_click=self.open_file,
                                      tooltip="글자 파일(.txt)을 골라 내용을 불러옵니다")], wrap=True),
            self.text, self.cut_note,
            ft.Text("요약 방식", theme_style=px(16), weight=ft.FontWeight.BOLD), self.engine,
            self.reads_note, self.preview, self.problem,
            ft.Row([ft.Button("요약하기", icon=ft.Icons.SUMMARIZE, on_click=self.run)], wrap=True),
            ft.Row([self.progress, ft.Container(self.status, expand=True), self.cancel_button],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            self.stream_card,
            self.result,
        ]

    # ---- input -----------------------------------------------------------------------------
    def text_changed(self, e: ft.Event[Any] | None = None) -> None:
        cut = self.fit_and_preview(edited=e is not None and e.control is self.text)
        if cut:
            notify_now(self.ctx, cut)

    def fit_and_preview(self, edited: bool = False) -> str:
        """Keep the text within the limit and return the sentence announcing a cut ("" when none);
        cloud engines: show exactly what would leave this computer, masked, as the user types."""
        engine = self.engine.value or "offline"
        fitted = vm.fit_text(self.text.value or "")
        if fitted.cut_message:
            self.text.value = fitted.text
            self.cut_note.value, self.cut_note.visible = fitted.cut_message, True
        elif edited:
            self.cut_note.visible = False  # the person changed the text after the cut
        text = fitted.text
        self.text.counter = vm.length_counter(text)
        self.reads_note.value = vm.engine_reads_note(text, engine)
        self.reads_note.visible = bool(self.reads_note.value)
        if engine == "offline" or not text.strip():
            self.preview.visible = False
            return fitted.cut_message
        preview = vm.privacy_preview(text)
        self.preview_text.value, self.preview_note.value = vm.shown_preview(preview.text)
        self.preview_note.visible = bool(self.preview_note.value)
        self.preview_line.value = preview.masked_line
        self.preview.visible = True
        return fitted.cut_message

    async def open_file(self, e: ft.Event[Any] | None = None) -> None:
        try:
            picked = await pick_one(self.ctx, title="요약할 .txt 파일", extensions=["txt"],
                                    max_bytes=vm.FILE_MAX_BYTES, hint="필요한 부분만 복사해 붙여 넣어 주세요.")
        except Exception as exc:  # noqa: BLE001 - shown in plain words
            self.ctx.notify_error(exc)
            return
        if picked is None:
            return
        try:
            self.text.value = vm.decode_text_file(picked.data, picked.name)
        except vm.FileReadError as exc:
            notify_now(self.ctx, exc.message, error=True)
            return
        cut = self.fit_and_preview(edited=True)
        notify_now(self.ctx, f"'{picked.name}' 파일을 불러왔습니다." + (f" {cut}" if cut else ""))

    # ---- running ---------------------------------------------------------------------------
    def cancel(self, e: ft.Event[Any] | None = None) -> None:
        if self.token is not None:
            self.token.cancel()
            self.status.value = "멈추는 중입니다…"

    def idle(self, message: str = "") -> None:
        self.status.value = message
        self.progress.visible = self.cancel_button.visible = False
        self.token = None

    def run(self, e: ft.Event[Any] | None = None) -> None:
        text = self.text.value or ""
        problem = vm.text_problem(text)
        self.problem.value = problem or ""
        self.problem.visible = bool(problem)
        if problem or self.token is not None:
            return
        engine = self.engine.value or "offline"
        self.result.controls = []
        self.stream_text.value = ""
        self.stream_card.visible = engine != "offline"
        buffer = StreamBuffer(self.ctx, self.stream_text, render=_partial)
        self.status.value = "요약하는 중입니다…" if engine == "offline" else "AI 서버에 보내는 중입니다…"
        self.progress.visible = True
        self.cancel_button.visible = engine != "offline"

        def progress_shown(p: Progress) -> None:
            if p.message:
                self.status.value = p.message

        def work(progress: ProgressCallback, cancel: CancelToken) -> dict[str, Any]:
            if engine != "offline":
                self.ctx.charge_ai()
            summaries = self.ctx.services.require_summaries()
            return summaries.summarize_text(text, engine, on_delta=buffer.add, on_restart=buffer.restart,
                                            cancel=cancel, progress=progress,
                                            today=date.today()).to_dict()

        def done(summary: dict[str, Any]) -> None:
            self.stream_card.visible = False
            self.summary, self.summarized_text = summary, text
            self.show(summary)
            self.idle("요약을 마쳤습니다.")
            if self.body is not None:
                scroll_into_view(self.ctx, self.body, "result")

        def failed(exc: BaseException) -> None:
            self.stream_card.visible = bool(self.stream_text.value)  # keep what arrived, drop an empty card
            self.idle(visitor_words.shown(getattr(exc, "message", "") or "요약하지 못했습니다.", self.ctx.web_mode))
            self.ctx.notify_error(exc)

        self.token = self.ctx.run_background(work, on_progress=progress_shown, on_done=done, on_error=failed)

    def show(self, summary: dict[str, Any]) -> None:
        parts: list[ft.Control] = [
            layout.section_title(f"{summary.get('doc_type') or '문서'} 요약"),
            layout.muted_text(summary.get("notice") or ""),
        ]
        parts.extend(_sections(vm.summary_sections(summary)))
        if summary.get("redacted_items"):
            parts.append(layout.muted_text(f"보내기 전에 개인정보 {summary['redacted_items']}곳을 가렸습니다."))
        parts.append(ft.Text("이 요약은 참고용 정보이며 법률 자문이 아닙니다.", theme_style=px(15),
                             weight=ft.FontWeight.BOLD))
        self.result.controls = [
            wide_card(*parts),
            ft.Row([ft.Button("사건에 저장", icon=ft.Icons.SAVE_AS_OUTLINED, on_click=self.save_to_case,
                              tooltip="원문과 요약을 사건 파일의 문서로 저장합니다")], wrap=True),
        ]

    def save_to_case(self, e: ft.Event[Any] | None = None) -> None:
        if self.summary is None:
            return
        doc = vm.saved_document(self.summarized_text, self.summary)
        cases_vm.save_into_case(self.ctx, lambda repo, case_id: repo.add_document(case_id, **doc), what="문서 요약")


def _partial(raw: str) -> str:
    return preview_partial(raw) or raw


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    browser.file_picker(ctx)
    if ctx.web_mode:
        browser.browser_prefs(ctx)
    page = SummarizePage(ctx)
    page.body = scroll_body(page.controls())
    return layout.page_view(ctx, route, title=TITLE, controls=[page.body], scroll=False)
