"""A case's 심사청구서 (or 재심사청구서) draft: the form's parts and the reasons as editable text, saved with the case,
handed out as PDF, DOCX or Markdown. Said plainly first: the deadline when it has passed, and that it is a draft."""
from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from app.context import PageContext
from app.platform import browser
from app.theme import px
from app.viewmodels import analysis_vm, appeal_vm, cases_vm
from app.widgets import layout
from app.widgets.feature_sections import wide_card
from core.korean import attach
from services.appeal import AppealDraft, AppealError
from services.appeal.guidance import REVIEW_NOTE
from services.appeal.rewrite import Rewrite, rewrite_reasons
from services.cases.model import Case
from services.next_step import STATE_AGENT_NOTE
from services.redaction import redact

ROUTE = "/case/<case_id>/appeal"
TITLE = "심사청구서 초안"
NAV = None


class AppealPage:
    """Holds the case and the draft as loaded; the fields hold what the user typed since."""

    def __init__(self, ctx: PageContext, case_id: str) -> None:
        self.ctx = ctx
        self.case_id = case_id
        self.state: appeal_vm.DraftState | None = None
        self.body = ft.Column(spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.status = layout.muted_text("초안을 준비하는 중입니다… 처음에는 판례를 찾느라 조금 걸릴 수 있습니다.")
        self.fields: dict[str, ft.TextField] = {}
        self.purpose = ft.TextField(label="청구 취지", multiline=True, min_lines=2, max_lines=6)
        self.reasons = ft.TextField(label="청구 이유", multiline=True, min_lines=12, max_lines=40)
        self.evidence = ft.TextField(label="입증 자료 목록 (한 줄에 하나씩)", multiline=True, min_lines=4,
                                     max_lines=20)
        self.ai_name = analysis_vm.usable_ai_name(ctx.services.settings)
        self.ai_area = ft.Column(spacing=8)  # the AI rewrite: what is sent, then the two texts compared

    # ---- loading ---------------------------------------------------------------------------
    def load(self, *, stage: str | None = None, fresh: bool = False, version: int | None = None) -> None:
        def work(progress: Any, cancel: Any) -> appeal_vm.DraftState:
            services = self.ctx.services
            store = services.require_precedents()
            finder = services.require_search() if fresh or not self._has_saved(stage) else None
            return appeal_vm.load_state(cases_vm.repository_for(self.ctx), self.case_id, store, finder,
                                        stage=stage, fresh=fresh, version=version)

        self.ctx.run_background(work, on_done=self.show, on_error=self.failed)

    def _has_saved(self, stage: str | None) -> bool:
        case = self.state.case if self.state is not None else None
        return bool(case and any(stage is None or d.get("stage") == stage for d in case.appeal_drafts))

    def failed(self, exc: BaseException) -> None:
        self.status.value = getattr(exc, "message", "") or "초안을 불러오지 못했습니다."
        self.body.controls = [self.back_button()]

    # ---- drawing ---------------------------------------------------------------------------
    def show(self, state: appeal_vm.DraftState) -> None:
        self.state = state
        self.status.value = ""
        if state.draft is None:
            self.body.controls = [self.header(state.case), wide_card(layout.body_text(state.problem)),
                                  self.back_button()]
            return
        draft = state.draft
        self.purpose.value, self.reasons.value = draft.purpose, draft.reasons
        self.evidence.value = "\n".join(draft.evidence)
        self.body.controls = [
            self.header(state.case), *self.overdue(state), self.plainly(), *self.stage_choice(state),
            *self.notices(draft), *self.form(draft), wide_card(layout.section_title("청구 취지"), self.purpose),
            wide_card(layout.section_title("청구 이유"),
                      layout.muted_text(appeal_vm.REASONS_HELP), self.reasons, *self.ai_rewrite()),
            wide_card(layout.section_title("입증 자료 목록"), self.evidence), self.citations(draft),
            self.actions(state), self.filing(state), self.back_button(),
        ]

    # ---- the AI rewrite (optional) --------------------------------------------------------------
    def ai_rewrite(self) -> list[ft.Control]:
        if self.ai_name is None:
            return []
        self.ai_area.controls = []
        return [ft.Row([ft.OutlinedButton(f"{attach(analysis_vm.ai_words(self.ai_name), '로')} 청구 이유 다듬기",
                                          icon=ft.Icons.AUTO_FIX_HIGH, on_click=self.preview_rewrite)]),
                self.ai_area]

    def preview_rewrite(self, e: ft.Event[Any] | None = None) -> None:
        masked = redact(self.reasons.value or "")
        preview = analysis_vm.preview_of(masked.findings, masked.text)
        self.ai_area.controls = [
            layout.body_text("아래 글을 보냅니다. 이 사건의 판례 목록도 함께 갑니다. " + preview.masked_line),
            *[layout.body_text(f"• {line}") for line in preview.replaced_lines],
            ft.Text(preview.caution, theme_style=px(15), weight=ft.FontWeight.BOLD),
            ft.Container(ft.Text(masked.text, theme_style=px(14), selectable=True), padding=8,
                         bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, border_radius=8),
            ft.Row([ft.Button("이대로 보내기", icon=ft.Icons.SEND, on_click=self.send_rewrite),
                    ft.TextButton("보내지 않기", on_click=lambda e: self.clear_rewrite())], wrap=True),
        ]

    def clear_rewrite(self) -> None:
        self.ai_area.controls = []

    def send_rewrite(self, e: ft.Event[Any] | None = None) -> None:
        offline = self.edited()
        if offline is None or self.ai_name is None:
            return
        name, services = self.ai_name, self.ctx.services
        self.ai_area.controls = [layout.muted_text("AI가 청구 이유를 다듬는 중입니다… 1분쯤 걸릴 수 있습니다.")]

        def work(progress: Any, cancel: Any) -> Rewrite:
            self.ctx.charge_ai()
            model = services.analysis_model(name)
            if model is None:
                raise AppealError("AI 설정을 읽지 못했습니다. 설정 화면을 확인해 주세요.")
            try:
                return rewrite_reasons(offline, model, cancel=cancel)
            finally:
                model.close()

        def failed(exc: BaseException) -> None:
            self.clear_rewrite()
            self.ctx.page.update()  # the notice below repaints only itself
            self.ctx.notify_error(exc)

        self.ctx.run_background(work, on_done=lambda rewrite: self.compare(offline, rewrite), on_error=failed)

    def compare(self, offline: AppealDraft, rewrite: Rewrite) -> None:
        """Both texts side by side as changed lines; the user picks one."""
        lines: list[ft.Control] = []
        for line in rewrite.changes(offline):
            added = line.startswith("+")
            lines.append(ft.Text(("AI: " if added else "지금: ") + line[1:], theme_style=px(15),
                                 color=ft.Colors.PRIMARY if added else ft.Colors.ON_SURFACE_VARIANT))
        dropped = [layout.body_text(f"• 뺀 문장: {s}") for s in rewrite.dropped]

        def take(e: ft.Event[Any] | None = None) -> None:
            self.reasons.value = rewrite.draft.reasons
            self.clear_rewrite()
            self.ctx.page.update()  # the notice below repaints only itself
            self.ctx.notify("AI가 다듬은 글로 바꿨습니다. 살펴본 뒤 '초안 저장'을 눌러 주세요.")

        self.ai_area.controls = [
            ft.Text("지금 글과 AI가 다듬은 글의 다른 곳", theme_style=px(16), weight=ft.FontWeight.BOLD),
            *(lines or [layout.muted_text("AI가 바꾼 곳이 없습니다.")]),
            *([layout.body_text("AI가 함께 보내지 않은 사건번호를 써서 뺀 문장입니다:"), *dropped] if dropped else []),
            ft.Row([ft.Button("AI가 다듬은 글로 바꾸기", icon=ft.Icons.CHECK, on_click=take),
                    ft.TextButton("지금 글 그대로 두기", on_click=lambda e: self.clear_rewrite())], wrap=True),
        ]

    def header(self, case: Case) -> ft.Control:
        title = self.state.title if self.state is not None else TITLE
        return ft.Column([ft.Text(title, theme_style=px(24), weight=ft.FontWeight.BOLD, semantics_label=title),
                          layout.muted_text(f"사건: {case.alias}")], spacing=2)

    def overdue(self, state: appeal_vm.DraftState) -> list[ft.Control]:
        deadline = state.deadline
        if deadline is None or not deadline.overdue:
            return []
        return [wide_card(
            ft.Text("기한이 지났습니다", theme_style=px(20), weight=ft.FontWeight.BOLD, color=ft.Colors.ERROR),
            ft.Text(deadline.lines[0], theme_style=px(17), weight=ft.FontWeight.BOLD, color=ft.Colors.ERROR),
            layout.body_text("지금 할 수 있는 일:"),
            *(layout.body_text(f"• {line}") for line in deadline.lines[1:]))]

    def plainly(self) -> ft.Control:
        return wide_card(ft.Text("초안입니다. 검토한 뒤 내세요", theme_style=px(18), weight=ft.FontWeight.BOLD),
                         layout.body_text(REVIEW_NOTE), layout.muted_text(appeal_vm.FREE_LINE),
                         layout.muted_text(STATE_AGENT_NOTE))

    def stage_choice(self, state: appeal_vm.DraftState) -> list[ft.Control]:
        controls: list[ft.Control] = []
        assert state.draft is not None
        if len(state.stages) > 1:
            choice = ft.Dropdown(label="만들 청구서", value=state.draft.stage, width=260,
                                 options=[ft.DropdownOption(key=s, text=f"{s}서") for s in state.stages],
                                 on_select=lambda e: self.load(stage=e.control.value))
            controls.append(ft.Semantics(label="만들 청구서", content=choice))
        if state.versions:
            versions = ft.Dropdown(label="저장한 초안 불러오기", width=320,
                                   options=[ft.DropdownOption(key=str(i), text=label) for i, label in state.versions],
                                   on_select=lambda e: self.load(version=int(e.control.value)))
            controls.append(ft.Semantics(label="저장한 초안 불러오기", content=versions))
        return [ft.Row(controls, wrap=True, spacing=12)] if controls else []

    def notices(self, draft: AppealDraft) -> list[ft.Control]:
        if not draft.notices:
            return []
        return [wide_card(*(layout.body_text(f"※ {notice}") for notice in draft.notices))]

    def form(self, draft: AppealDraft) -> list[ft.Control]:
        self.fields = {}
        cards: list[ft.Control] = []
        for group, specs in appeal_vm.form_specs(draft):
            parts: list[ft.Control] = [layout.section_title(group)]
            if group in appeal_vm.GROUP_HELP:
                parts.append(layout.muted_text(appeal_vm.GROUP_HELP[group]))
            for spec in specs:
                field = ft.TextField(label=spec.label, value=draft.value(spec.key), hint_text=spec.hint or spec.blank,
                                     multiline=spec.multiline, max_lines=6 if spec.multiline else 1)
                self.fields[spec.key] = field
                parts.append(field)
            cards.append(wide_card(*parts))
        return cards

    def citations(self, draft: AppealDraft) -> ft.Control:
        parts: list[ft.Control] = [layout.section_title(f"인용한 판례 ({len(draft.citations)})")]
        if not draft.citations:
            parts.append(layout.muted_text("인용한 판례가 없습니다."))
        for citation in draft.citations:
            link = ft.TextButton(f"{citation.head} — {citation.result}", icon=ft.Icons.GAVEL, tooltip="판례 보기",
                                 on_click=lambda e, pid=citation.precedent_id: self.ctx.navigate(f"/precedent/{pid}"))
            parts.append(ft.Container(link, alignment=ft.Alignment.CENTER_LEFT))
        parts.append(layout.muted_text(appeal_vm.CITED_HELP))
        return wide_card(*parts)

    def actions(self, state: appeal_vm.DraftState) -> ft.Control:
        where = ("파일은 브라우저의 다운로드로 저장됩니다." if self.ctx.web_mode
                 else "저장할 곳을 고르는 창이 열립니다.")
        saved = appeal_vm.SAVED_WORDS[state.saved]
        return wide_card(
            layout.section_title("저장과 내보내기"), layout.muted_text(saved),
            ft.Row([ft.Button("초안 저장", icon=ft.Icons.SAVE_OUTLINED, on_click=self.save),
                    ft.OutlinedButton("사건 기록으로 다시 만들기", icon=ft.Icons.REFRESH,
                                      on_click=lambda e: self.load(stage=self.stage(), fresh=True))],
                   wrap=True, spacing=8),
            layout.muted_text(appeal_vm.NO_CASE_FACTS),
            ft.Row([ft.OutlinedButton(appeal_vm.EXPORT_LABELS[kind], icon=ft.Icons.DOWNLOAD,
                                      on_click=lambda e, k=kind: self.ctx.page.run_task(self.export, k))
                    for kind in appeal_vm.EXPORTS], wrap=True, spacing=8),
            layout.muted_text(f"PDF는 인쇄용, 한글·워드 문서는 고쳐 쓰는 용도입니다. {where}"),
        )

    def filing(self, state: appeal_vm.DraftState) -> ft.Control:
        lines = [layout.body_text(f"• {what}: {how}") for what, how in state.filing]
        return wide_card(layout.section_title("제출 방법"), *lines)

    def back_button(self) -> ft.Control:
        return ft.Row([ft.OutlinedButton("사건 화면으로", icon=ft.Icons.ARROW_BACK,
                                         on_click=lambda e: self.ctx.navigate(f"/case/{self.case_id}"))])

    # ---- actions ---------------------------------------------------------------------------
    def stage(self) -> str | None:
        return self.state.draft.stage if self.state is not None and self.state.draft is not None else None

    def current(self) -> AppealDraft:
        assert self.state is not None and self.state.draft is not None
        values = {key: field.value or "" for key, field in self.fields.items()}
        return appeal_vm.edited_draft(self.state.draft, values, self.purpose.value or "", self.reasons.value or "",
                                      self.evidence.value or "")

    def edited(self) -> AppealDraft | None:
        """The draft as typed now; None (the user is told why in Korean) when there is none or it can't be read."""
        if self.state is None or self.state.draft is None:
            return None
        try:
            return self.current()
        except Exception as exc:  # noqa: BLE001 - a Korean message for the user
            self.ctx.notify_error(exc)
            return None

    def save(self, e: ft.Event[Any] | None = None) -> None:
        draft = self.edited()
        if draft is None or self.state is None:
            return
        base = self.state.case

        state = self.state

        def done(result: Any) -> None:
            cases_vm.cases_changed(self.ctx)
            self.show(appeal_vm.saved_state(state, result.case, draft))
            self.ctx.notify(result.notice or appeal_vm.SAVED_NOTICE)

        self.ctx.run_background(lambda p, c: appeal_vm.save_draft(cases_vm.repository_for(self.ctx), self.case_id,
                                                                  draft, base), on_done=done)

    async def export(self, kind: str) -> None:
        if self.state is None or self.state.draft is None:
            return
        try:
            draft = self.current()
            store = self.ctx.services.require_precedents()
            name, data = await asyncio.to_thread(appeal_vm.export_file, draft, self.state.case, kind, store)
        except Exception as exc:  # noqa: BLE001 - shown to the user in plain words
            self.ctx.notify_error(exc)
            return
        await cases_vm.deliver_file(self.ctx, name, data, title="청구서 초안 내보내기")


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    if ctx.web_mode:
        browser.browser_prefs(ctx)
    browser.file_picker(ctx)
    page = AppealPage(ctx, params.get("case_id", ""))
    view = layout.page_view(ctx, route, title=TITLE, controls=[page.status, page.body])
    page.load()
    return view
