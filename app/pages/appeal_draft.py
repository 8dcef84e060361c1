"""A case's 심사청구서 (or 재심사청구서) draft: the form's parts and the reasons as editable text, saved with the case,
handed out as PDF, DOCX or Markdown. Said plainly first: the deadline when it has passed, and that it is a draft."""
from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from app.context import PageContext
from app.platform import browser
from app.theme import px
from app.viewmodels import appeal_vm, cases_vm
from app.widgets import layout
from app.widgets.feature_sections import wide_card
from services.appeal import AppealDraft
from services.appeal.guidance import REVIEW_NOTE
from services.cases.model import Case
from services.next_step import STATE_AGENT_NOTE

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
                      layout.muted_text(appeal_vm.REASONS_HELP), self.reasons),
            wide_card(layout.section_title("입증 자료 목록"), self.evidence), self.citations(draft),
            self.actions(state), self.filing(state), self.back_button(),
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

    def save(self, e: ft.Event[Any] | None = None) -> None:
        if self.state is None or self.state.draft is None:
            return
        try:
            draft = self.current()
        except Exception as exc:  # noqa: BLE001 - a Korean message for the user
            self.ctx.notify_error(exc)
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
