"""내 상황 분석하기: the form, the privacy step, the streamed AI reading and the offline evidence view."""
from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date
from typing import Any

import flet as ft

from app.context import PageContext
from app.platform import browser
from app.theme import px
from app.viewmodels import analysis_vm as vm
from app.viewmodels import cases_vm, next_step_vm
from app.widgets import layout
from app.widgets.date_field import date_row
from app.widgets.feature_outcome_chart import outcome_chart
from app.widgets.feature_sections import notify_now, scroll_body, scroll_into_view, scroll_key, wide_card
from app.widgets.feature_sections import titled_sections as _sections
from app.widgets.next_step_card import next_step_card
from app.widgets.stream import StreamBuffer
from core.korean import attach
from core.progress import CancelToken, ProgressCallback
from services.ai.choice import build_model
from services.ai.model import ChatModel
from services.analysis import FollowUpChat, analyze, build_request
from services.analysis.model import BENEFITS
from services.redaction import mapping_of

ROUTE = "/analysis"
TITLE = "내 상황 분석하기"
NAV = ("상황 분석", ft.Icons.FACT_CHECK_OUTLINED, 30)

class AnalysisPage:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.settings = ctx.services.settings
        self.ai_name = vm.usable_ai_name(self.settings)
        self.form = vm.AnalysisForm()
        self.request: Any = None
        self.result: dict[str, Any] | None = None
        self.chat: Any = None
        self.token: CancelToken | None = None
        self._build_controls()

    # ---- controls --------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.industry = ft.TextField(key=scroll_key("field-industry"), label="업종 / 하던 일",
                                     hint_text="예: 택배 물류센터 상하차")
        self.kind_c = ft.RadioGroup(content=ft.Row([ft.Radio(value=v, label=label) for v, label in vm.KIND_C_CHOICES],
                                                   wrap=True))
        self.diagnosis_entry = ft.TextField(key=scroll_key("field-diagnoses"), label="상병명 (진단명)",
                                            hint_text="예: 요추 추간판탈출증. 여러 개면 하나씩 추가",
                                            expand=True, on_submit=self.add_diagnosis)
        self.diagnosis_chips = ft.Row(wrap=True, spacing=6)

        self.benefit = ft.Dropdown(label="신청한 급여", options=[ft.DropdownOption(key=b, text=b) for b in BENEFITS],
                                   width=220)
        self.denial_reason = ft.TextField(key=scroll_key("field-denial_reason"),
                                          label="불승인 사유 (통지서에 적힌 그대로)", multiline=True, min_lines=2,
                                          max_lines=6)
        self.learned_on = ft.TextField(key=scroll_key("field-learned_on"), label="불승인 통지를 받은 날",
                                       hint_text="예: 2026. 1. 19.", width=220,
                                       error_max_lines=6,  # the whole reason, wrapped, at 390 px too
                                       helper="기한 계산에 씁니다")
        self.story = ft.TextField(key=scroll_key("field-story"), label="내 상황 (자유롭게)", multiline=True,
                                  min_lines=4, max_lines=14,
                                  hint_text="무슨 일을 얼마나 했고, 언제 어떻게 다치거나 아프게 되었는지",
                                  max_length=vm.STORY_MAX)
        self.check_text = ft.Text(theme_style=px(15), color=ft.Colors.ERROR, visible=False)
        self.hint_text = layout.muted_text("", visible=False)

        self.preview_box = ft.TextField(label="내가 쓴 내용 (고칠 수 있습니다)", multiline=True, min_lines=4,
                                        max_lines=16)
        self.preview_masked = layout.body_text("")
        self.preview_replaced = layout.body_text("")
        self.preview_caution = ft.Text("", theme_style=px(15), weight=ft.FontWeight.BOLD)
        self.preview_full = ft.Text("", theme_style=px(13), selectable=True)
        self.preview_card = ft.Container(visible=False, key=scroll_key("preview"))

        self.status = ft.Text("", theme_style=px(15))
        self.progress = ft.ProgressRing(width=20, height=20, visible=False)
        self.cancel_button = ft.OutlinedButton("멈추기", icon=ft.Icons.STOP_CIRCLE_OUTLINED, visible=False,
                                               on_click=self.cancel)
        self.stream_text = ft.Text("", theme_style=px(15))
        self.stream_card = ft.Container(visible=False, key=scroll_key("stream"))

        self.results = ft.ResponsiveRow(spacing=12, run_spacing=12)
        self.body: ft.Column | None = None
        self.chat_area = ft.Column(spacing=8, visible=False)
        # The result starts with the next step (the date to act by, the routes, free help) and scrolls to it.
        self.next_step_area = ft.Container(visible=False, key=scroll_key("results"))
        self.save_row = ft.Row(visible=False, wrap=True)

    def controls(self) -> list[ft.Control]:
        examples = [ft.OutlinedButton(label, icon=ft.Icons.AUTO_FIX_HIGH, tooltip=f"'{label}' 예시로 양식을 채웁니다",
                                      on_click=lambda e, name=label: self.fill_example(name))
                    for label, _ in vm.worked_examples()]
        mode = vm.ai_mode_line(self.ai_name, self.ctx.web_mode)
        ai_button = ft.Button("보낼 내용 확인하고 AI 분석 받기", icon=ft.Icons.SMART_TOY_OUTLINED,
                              on_click=self.prepare_ai, visible=self.ai_name is not None)
        offline_button = ft.Button("비슷한 판례와 근거 보기", icon=ft.Icons.MENU_BOOK_OUTLINED,
                                   on_click=self.run_offline)
        self.preview_card.content = wide_card(
            layout.section_title("보내기 전에 확인하세요"),
            layout.body_text(f"아래는 {attach(vm.ai_words(self.ai_name), '로')} 갈 내 이야기입니다. "
                             "개인정보는 자동으로 가렸지만, 이름·연락처·주소가 남아 있으면 직접 지우거나 고쳐 주세요."),
            self.preview_masked, self.preview_replaced, self.preview_caution, self.preview_box,
            ft.ExpansionTile(title=ft.Text("보낼 전체 내용 보기 (AI에게 주는 안내와 판례 포함)", theme_style=px(15)),
                             controls=[layout.muted_text("위 칸에서 고친 내용은 보낼 때 다시 가려서 반영됩니다."),
                                       self.preview_full]),
            ft.Row([ft.Button("이대로 보내기", icon=ft.Icons.SEND, on_click=self.send),
                    ft.TextButton("보내지 않기", on_click=self.hide_preview)], wrap=True),
        )
        self.stream_card.content = wide_card(layout.section_title("AI가 정리하는 중"), self.stream_text)
        return [
            layout.body_text("불승인 통지서를 옆에 두고 적어 주세요. 비슷한 판례에서 무엇이 판단을 갈랐는지, "
                             "어떤 증거를 모으면 좋은지, 기한이 언제인지 정리해 드립니다."),
            layout.muted_text(mode),
            ft.Row([layout.muted_text("예시로 채우기:"), *examples], wrap=True, spacing=8),
            wide_card(
                self.industry,
                ft.Text("사고인가요, 질병인가요?", theme_style=px(16)), self.kind_c,
                ft.Row([self.diagnosis_entry, ft.OutlinedButton("추가", icon=ft.Icons.ADD, tooltip="상병명 추가",
                                                                on_click=self.add_diagnosis)]),
                self.diagnosis_chips,
                ft.Row([ft.Semantics(label="신청한 급여", content=self.benefit),  # else an unnamed button
                        date_row(self.ctx.page, self.learned_on, what="통지를 받은 날")], wrap=True, spacing=12),
                self.denial_reason, self.story,
                self.check_text, self.hint_text,
                ft.Row([offline_button, ai_button], wrap=True, spacing=8),
            ),
            self.preview_card,
            ft.Row([self.progress, ft.Container(self.status, expand=True), self.cancel_button],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            self.stream_card,
            self.next_step_area,
            self.save_row,
            self.results,
            self.chat_area,
        ]

    # ---- form ------------------------------------------------------------------------------
    def read_form(self) -> vm.AnalysisForm:
        self.form = replace(self.form, industry=self.industry.value or "", kind_c=self.kind_c.value or "",
                            benefit=self.benefit.value or "", denial_reason=self.denial_reason.value or "",
                            learned_on=self.learned_on.value or "", story=self.story.value or "")
        if (self.diagnosis_entry.value or "").strip():  # typed but not yet added: count it
            self.form = self.form.with_diagnosis(self.diagnosis_entry.value)
            self.diagnosis_entry.value = ""
            self.show_chips()
        return self.form

    def write_form(self, form: vm.AnalysisForm) -> None:
        self.form = form
        self.industry.value = form.industry
        self.kind_c.value = form.kind_c or None
        self.benefit.value = form.benefit or None
        self.denial_reason.value = form.denial_reason
        self.learned_on.value = form.learned_on
        self.story.value = form.story
        self.diagnosis_entry.value = ""
        self.show_chips()

    def show_chips(self) -> None:
        self.diagnosis_chips.controls = [
            ft.Chip(label=ft.Text(name, theme_style=px(15)), on_delete=lambda e, n=name: self.remove_diagnosis(n),
                    delete_icon_tooltip=f"{name} 빼기")
            for name in self.form.diagnoses
        ]

    def add_diagnosis(self, e: ft.Event[Any] | None = None) -> None:
        self.form = self.form.with_diagnosis(self.diagnosis_entry.value or "")
        self.diagnosis_entry.value = ""
        self.show_chips()

    def remove_diagnosis(self, name: str) -> None:
        self.form = self.form.without_diagnosis(name)
        self.show_chips()

    def fill_example(self, label: str) -> None:
        self.write_form(vm.example_form(label))
        self.show_check(None)
        notify_now(self.ctx, "예시로 양식을 채웠습니다. 가상의 사례입니다.")

    def show_check(self, check: vm.Check | None) -> None:
        fields = check.fields if check else {}
        first_wrong: str | None = None
        for name, control in (("industry", self.industry), ("denial_reason", self.denial_reason),
                              ("learned_on", self.learned_on), ("story", self.story),
                              ("diagnoses", self.diagnosis_entry)):
            message = fields.get(name)
            control.error = message if message and check and message in check.blocking else None
            if control.error and first_wrong is None:
                first_wrong = name
        self.check_text.value = "\n".join(f"• {m}" for m in check.blocking) if check else ""
        self.check_text.visible = bool(check and check.blocking)
        hints = check.hints if check else []
        self.hint_text.value = "더 적으면 도움이 되는 것:\n" + "\n".join(f"• {m}" for m in hints) if hints else ""
        self.hint_text.visible = bool(hints)
        if first_wrong and self.body is not None:
            scroll_into_view(self.ctx, self.body, f"field-{first_wrong}", margin=120)  # a phone shows part of it

    def checked_input(self) -> Any:
        check = vm.check_form(self.read_form())
        self.show_check(check)
        if not check.ok:
            notify_now(self.ctx, "양식에서 고칠 곳이 있습니다. 빨간 글씨를 확인해 주세요.", error=True)
            return None
        return vm.to_input(self.form)

    # ---- running ---------------------------------------------------------------------------
    def busy(self, message: str, cancellable: bool = False) -> None:
        self.status.value = message
        self.progress.visible = True
        self.cancel_button.visible = cancellable

    def idle(self, message: str = "") -> None:
        self.status.value = message
        self.progress.visible = False
        self.cancel_button.visible = False
        self.token = None

    def failed(self, exc: BaseException) -> None:
        self.idle(getattr(exc, "message", "") or "분석하지 못했습니다. 잠시 뒤 다시 시도해 주세요.")
        self.stream_card.visible = bool(self.stream_text.value)
        self.ctx.notify_error(exc)

    def cancel(self, e: ft.Event[Any] | None = None) -> None:
        if self.token is not None:
            self.token.cancel()
            self.status.value = "멈추는 중입니다…"

    def run_offline(self, e: ft.Event[Any] | None = None) -> None:
        inp = self.checked_input()
        if inp is None:
            return
        self.busy("비슷한 판례를 찾는 중입니다…")
        self.hide_preview()

        finder_services = self.ctx.services
        self.token = self.ctx.run_background(
            lambda p, c: analyze(inp, vm.finder_for(finder_services), model=None, cancel=c,
                                 today=date.today()).to_dict(),
            on_done=self.show_result, on_error=self.failed)

    def prepare_ai(self, e: ft.Event[Any] | None = None) -> None:
        inp = self.checked_input()
        if inp is None:
            return
        self.busy("보낼 내용을 준비하는 중입니다…")

        services = self.ctx.services

        def done(request: Any) -> None:
            self.request = request
            preview = vm.request_preview(request)
            self.preview_box.value = preview.text
            self.preview_masked.value = preview.masked_line
            self.preview_replaced.value = "\n".join(f"• {line}" for line in preview.replaced_lines)
            self.preview_replaced.visible = bool(preview.replaced_lines)
            self.preview_caution.value = preview.caution
            self.preview_full.value = preview.full_text
            self.preview_card.visible = True
            self.idle("보낼 내용을 확인한 뒤 '이대로 보내기'를 누르세요.")
            if self.body is not None:
                scroll_into_view(self.ctx, self.body, "preview")

        self.ctx.run_background(lambda p, c: build_request(inp, vm.finder_for(services)), on_done=done,
                                on_error=self.failed)

    def hide_preview(self, e: ft.Event[Any] | None = None) -> None:
        self.preview_card.visible = False

    def send(self, e: ft.Event[Any] | None = None) -> None:
        name = self.ai_name
        if self.request is None or name is None:
            return
        inp = vm.to_input(self.form)
        request = vm.edited_request(self.request, self.preview_box.value or "")
        self.preview_card.visible = False
        self.stream_text.value = ""
        self.stream_card.visible = True
        self.results.controls = []
        self.chat_area.visible = self.save_row.visible = self.next_step_area.visible = False
        buffer = StreamBuffer(self.ctx, self.stream_text, render=vm.stream_preview)

        settings, services = self.settings, self.ctx.services

        def status(message: str) -> None:
            self.ctx.call_soon(lambda: setattr(self.status, "value", message))

        def work(progress: ProgressCallback, cancel: CancelToken) -> dict[str, Any]:
            self.ctx.charge_ai()
            model = build_model(name, settings)
            try:
                return analyze(inp, vm.finder_for(services), model=model, cancel=cancel, today=date.today(),
                               request=request, on_status=status, on_delta=buffer.add).to_dict()
            finally:
                model.close()

        def done(result: dict[str, Any]) -> None:
            buffer.paint()
            self.stream_card.visible = False
            self.show_result(result)

        self.busy(f"{vm.ai_words(name)}에 보내는 중입니다…", cancellable=True)
        self.token = self.ctx.run_background(work, on_done=done, on_error=self.failed)
        if self.body is not None:
            scroll_into_view(self.ctx, self.body, "stream")

    # ---- results ---------------------------------------------------------------------------
    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        evidence = result.get("evidence") or {}
        cards: list[ft.Control] = []
        answer = result.get("answer")
        if result.get("engine") not in (None, "offline"):
            cards.append(ft.Container(self.answer_card(result), col={"xs": 12, "lg": 6}))
        cards.append(ft.Container(self.evidence_card(evidence), col={"xs": 12, "lg": 6 if cards else 12}))
        self.results.controls = cards
        self.next_step_area.content = next_step_card(next_step_vm.card_view(
            next_step_vm.step_for_form(self.form, today=date.today())))
        self.next_step_area.visible = True
        notes = result.get("input_notes") or []
        self.idle("분석을 마쳤습니다." + (" 양식을 더 채우면 더 알맞은 판례를 찾을 수 있습니다." if notes else ""))
        self.show_chat(result if answer or result.get("raw_answer") else None)
        self.save_row.controls = [
            ft.Button("사건에 저장", icon=ft.Icons.SAVE_AS_OUTLINED, on_click=self.save_to_case,
                      tooltip="이 분석(과 이어진 질문)을 사건 파일에 저장합니다"),
            layout.muted_text(vm.NOT_ADVICE),
        ]
        self.save_row.visible = True
        if self.body is not None:
            scroll_into_view(self.ctx, self.body, "results")

    def answer_card(self, result: dict[str, Any]) -> ft.Control:
        parts: list[ft.Control] = [layout.section_title("AI가 정리한 내용")]
        for warning in result.get("warnings") or []:
            parts.append(ft.Container(
                ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ON_ERROR_CONTAINER),
                        ft.Text(warning, theme_style=px(15), color=ft.Colors.ON_ERROR_CONTAINER, expand=True)]),
                bgcolor=ft.Colors.ERROR_CONTAINER, padding=10, border_radius=8))
        answer = result.get("answer")
        if isinstance(answer, dict):
            parts.extend(_sections(vm.answer_sections(answer)))
            refs = vm.cited_refs(answer, result.get("evidence") or {})
            if refs:
                parts.append(ft.Text("참고한 판례", theme_style=px(17), weight=ft.FontWeight.BOLD))
            for ref in refs:
                parts.append(ft.TextButton(ref["label"], icon=ft.Icons.GAVEL, tooltip="판례 보기",
                                           on_click=lambda e, pid=ref["id"]: self.ctx.navigate(f"/precedent/{pid}")))
                if ref["why"]:
                    parts.append(layout.muted_text(f"  {ref['why']}"))
        elif result.get("raw_answer"):
            parts.append(layout.body_text(result["raw_answer"]))
        parts.append(ft.Text(result.get("disclaimer") or vm.NOT_ADVICE, theme_style=px(15), weight=ft.FontWeight.BOLD))
        return wide_card(*parts)

    def evidence_card(self, evidence: dict[str, Any]) -> ft.Control:
        rows = vm.similar_rows(evidence)
        bars = vm.outcome_bars(vm.outcome_counts(evidence))
        parts: list[ft.Control] = [layout.section_title("판례 근거 (인터넷 없이 정리)")]
        if evidence.get("has_samples"):
            parts.append(layout.muted_text("아직 실제 판례를 받지 않아 가상 예시 판례로 보여 드립니다."))
        parts.append(ft.Text("비슷한 판례의 결과", theme_style=px(17), weight=ft.FontWeight.BOLD))
        parts.append(outcome_chart(bars, summary=vm.outcome_summary(bars)))
        if rows:
            parts.append(ft.Text("비슷한 판례", theme_style=px(17), weight=ft.FontWeight.BOLD))
        for row in rows:
            parts.append(ft.Column([
                ft.TextButton(row["title"], icon=ft.Icons.GAVEL, tooltip="판례 보기",
                              on_click=lambda e, pid=row["id"]: self.ctx.navigate(f"/precedent/{pid}")),
                layout.muted_text(f"{row['citation']} · {row['outcome_plain']}"
                                  + (" · 가상 예시" if row["is_sample"] else "")),
            ], spacing=0))
        parts.extend(_sections(vm.evidence_sections(evidence)))
        parts.append(ft.Text(evidence.get("disclaimer") or vm.NOT_ADVICE, theme_style=px(15),
                                     weight=ft.FontWeight.BOLD))
        return wide_card(*parts)

    # ---- follow-up chat --------------------------------------------------------------------
    def show_chat(self, result: dict[str, Any] | None) -> None:
        name = self.ai_name
        if name is None or result is None or not result.get("sent_text"):
            self.chat, self.chat_area.visible = None, False
            return

        answer = result.get("answer")
        summary = "\n".join(f"{t}: {' / '.join(lines)}" for t, lines in vm.answer_sections(answer)) if answer else ""
        self.chat = FollowUpChat.from_request_text(result["sent_text"], summary,
                                                   mapping_of(result.get("redactions") or []))
        self.chat_log = ft.Column(spacing=6)
        question = ft.TextField(label="더 묻고 싶은 것", hint_text="예: 특별진찰은 어떻게 신청하나요?", expand=True,
                                multiline=True, max_lines=4, shift_enter=True)

        def ask(e: ft.Event[Any] | None = None) -> None:
            text = (question.value or "").strip()
            if not text or self.token is not None:
                return
            question.value = ""
            self.chat_log.controls.append(ft.Container(ft.Text(f"질문: {text}", theme_style=px(16)), padding=8,
                                                       bgcolor=ft.Colors.SECONDARY_CONTAINER, border_radius=8))
            reply = ft.Text("", theme_style=px(16))
            self.chat_log.controls.append(ft.Container(reply, padding=8))
            buffer = StreamBuffer(self.ctx, reply, render=str)  # chat replies are plain text
            chat, settings = self.chat, self.settings

            def status(message: str) -> None:
                self.ctx.call_soon(lambda: setattr(self.status, "value", message))

            def done(answer_text: str) -> None:
                reply.value = answer_text
                self.idle("")
                if self.body is not None:
                    scroll_into_view(self.ctx, self.body, None)

            self.busy("답을 기다리는 중입니다…", cancellable=True)
            if self.body is not None:
                scroll_into_view(self.ctx, self.body, None)
            def work(progress: ProgressCallback, cancel: CancelToken) -> str:
                self.ctx.charge_ai()
                model: ChatModel = build_model(name, settings)
                try:
                    return str(chat.ask(text, model, cancel=cancel, on_status=status, on_delta=buffer.add))
                finally:
                    model.close()

            self.token = self.ctx.run_background(work, on_done=done, on_error=self.failed)

        question.on_submit = ask
        self.chat_area.controls = [wide_card(
            layout.section_title("이어서 물어보기"),
            layout.muted_text("같은 상황과 판례를 바탕으로 답합니다. 질문 속 개인정보도 보내기 전에 가립니다."),
            self.chat_log,
            ft.Row([question, ft.Button("질문하기", icon=ft.Icons.SEND, on_click=ask)]),
        )]
        self.chat_area.visible = True

    # ---- saving ----------------------------------------------------------------------------
    def save_to_case(self, e: ft.Event[Any] | None = None) -> None:
        if self.result is None:
            return
        history = self.chat.readable_history() if self.chat is not None else []
        record = vm.saved_record(self.result, history)
        todo = vm.evidence_todo(self.result)
        cases_vm.save_into_case(self.ctx, lambda repo, case_id: repo.add_analysis(case_id, record, todo),
                                what="분석 결과",
                                new_case_fields=cases_vm.new_case_fields_from_situation(self.form.to_values()))


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    if ctx.web_mode:
        browser.browser_prefs(ctx)
    page = AnalysisPage(ctx)
    page.body = scroll_body(page.controls())
    if params.get("example"):
        with contextlib.suppress(KeyError):
            page.write_form(vm.example_form(params["example"]))
    elif any(params.get(key) for key in ("c", "b", "q")):  # the start page's choices, or a link with them
        page.write_form(vm.form_from_start(params))
    return layout.page_view(ctx, route, title=TITLE, controls=[page.body], scroll=False)
