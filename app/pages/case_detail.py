"""One case file: details, appeal deadlines, checklist, saved analyses, precedents, documents, notes."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import flet as ft

from app.context import PageContext
from app.platform import browser
from app.theme import px
from app.viewmodels import analysis_vm, appeal_vm, case_rows, cases_vm, next_step_vm
from app.widgets import layout
from app.widgets.blocks_view import blocks_view
from app.widgets.date_field import date_row
from app.widgets.feature_deadline_badge import deadline_badge
from app.widgets.feature_sections import icon_action, wide_card
from app.widgets.next_step_card import next_step_card
from core.korean import attach
from services.analysis.model import BENEFITS
from services.cases.analysis_report import analysis_blocks
from services.cases.checklist import ticked_keys
from services.cases.model import Bookmark
from services.cases.repository import SavedEdit
from services.deadlines import DISCLAIMER, STAGES

ROUTE = "/case/<case_id>"
TITLE = "사건 파일"
NAV = None


def _message(exc: BaseException, fallback: str) -> str:
    return getattr(exc, "message", "") or fallback


class CasePage:
    """Holds the loaded case and redraws the sections after each save."""

    def __init__(self, ctx: PageContext, case_id: str) -> None:
        self.ctx = ctx
        self.case_id = case_id
        self.case: Any = None
        self.body = ft.Column(spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.status = layout.muted_text("사건을 불러오는 중입니다…")
        self.busy = False
        self.typed: list[tuple[ft.TextField, str]] = []  # fields and the text they were drawn with

    # ---- storage ---------------------------------------------------------------------------
    def repo(self) -> Any:
        return cases_vm.repository_for(self.ctx)

    def load(self) -> None:
        self.ctx.run_background(lambda p, c: self.repo().get(self.case_id), on_done=self.show,
                                on_error=self.load_failed)

    def load_failed(self, exc: BaseException) -> None:
        self.status.value = _message(exc, "사건을 불러오지 못했습니다.")
        self.body.controls = [ft.Button("사건 목록으로", icon=ft.Icons.ARROW_BACK,
                                        on_click=lambda e: self.ctx.navigate("/cases"))]

    def save(self, change: Callable[[Any], Any], done_message: str = "",
             undo: Callable[[], None] | None = None) -> None:
        """Run ``change(repo)`` (returns the saved case, or a ``SavedEdit``) in a worker thread, then
        redraw; ``undo`` puts a 되돌리기 button on the message. An edit merged with another tab's says so."""
        def done(result: Any) -> None:
            merged = result.notice if isinstance(result, SavedEdit) else ""
            cases_vm.cases_changed(self.ctx)
            self.show(result.case if isinstance(result, SavedEdit) else result)
            if merged or done_message:
                self.ctx.notify(merged or done_message, action=("되돌리기", undo) if undo and not merged else None)

        self.ctx.run_background(lambda p, c: change(self.repo()), on_done=done)

    def edit(self, done_message: str = "", undo: Callable[[], None] | None = None, **changes: Any) -> None:
        """Save fields edited on the case as this page drew it; merged if another tab saved meanwhile."""
        base = self.case
        self.save(lambda repo: repo.save_edit(self.case_id, base, **changes), done_message, undo)

    def typed_field(self, field: ft.TextField) -> ft.TextField:
        """Remember what ``field`` was drawn with, to tell later whether the user typed in it."""
        self.typed.append((field, field.value or ""))
        return field

    def has_typing(self) -> bool:
        return any((field.value or "") != drawn for field, drawn in self.typed)

    def look_again(self) -> None:
        """The tab regained focus: show what another tab or window saved, unless the user is typing here."""
        if self.case is None:
            return

        def loaded(case: Any) -> None:
            if self.case is None or case.rev == self.case.rev:
                return
            if self.has_typing():
                self.ctx.notify("다른 창에서 이 사건을 고쳤습니다. 쓰던 내용을 저장하면 두 쪽 내용을 합쳐 저장합니다.")
                return
            self.show(case)
            self.ctx.notify("다른 창에서 저장한 내용을 불러왔습니다.")

        self.ctx.run_background(lambda p, c: self.repo().get(self.case_id), on_done=loaded,
                                on_error=lambda exc: None)

    # ---- drawing ---------------------------------------------------------------------------
    def show(self, case: Any) -> None:
        self.case = case
        self.typed = []
        self.status.value = ""
        self.body.controls = [
            self.header(), self.next_step(), self.appeal_link(), self.details(), self.deadlines(), self.checklist(),
            self.analyses(), self.bookmarks(), self.documents(), self.notes(), self.file_actions(),
        ]

    def header(self) -> ft.Control:
        badge = case_rows.case_badge(self.case)
        return ft.Row([ft.Text(self.case.alias, theme_style=px(24), weight=ft.FontWeight.BOLD,
                               semantics_label=f"사건 {self.case.alias}"),
                       deadline_badge(badge)], wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)

    def next_step(self) -> ft.Control:
        return next_step_card(next_step_vm.card_view(next_step_vm.step_for_case(self.case)))

    def appeal_link(self) -> ft.Control:
        return ft.Row([ft.Button(appeal_vm.button_label(self.case), icon=ft.Icons.EDIT_DOCUMENT,
                                 on_click=lambda e: self.ctx.navigate(f"/case/{self.case_id}/appeal"))])

    def details(self) -> ft.Control:
        c = self.case
        alias = self.typed_field(ft.TextField(label="사건 이름", value=c.alias, max_length=100))
        contact = self.typed_field(ft.TextField(label="연락처 (선택)", value=c.contact))
        situation = self.typed_field(ft.TextField(label="상황 설명", value=c.situation, multiline=True,
                                                  min_lines=3, max_lines=10))
        decided = self.typed_field(ft.TextField(
            label="처분일", hint_text="예: 2026. 1. 15.", value=c.decided_on, width=200,
            keyboard_type=ft.KeyboardType.DATETIME, helper="통지서에 적힌 결정 날짜"))
        learned = self.typed_field(ft.TextField(
            label="결정을 안 날", hint_text="예: 2026. 1. 19.", value=c.learned_on, width=200,
            keyboard_type=ft.KeyboardType.DATETIME, helper="통지서를 받은 날 (기한 기준)"))
        stage = ft.Dropdown(label="단계", value=c.stage, width=200,
                            options=[ft.DropdownOption(key=s, text=s) for s in STAGES])
        committee = ft.Checkbox(label="업무상질병판정위원회를 거친 결정", value=bool(c.disease_committee))
        benefit = ft.Dropdown(label="신청한 급여", value=c.benefit or "", width=200,
                              options=[ft.DropdownOption(key="", text="(고르지 않음)"),
                                       *[ft.DropdownOption(key=b, text=b) for b in BENEFITS if b != "기타"]])
        branch = self.typed_field(ft.TextField(label="처분한 공단 지사", value=c.branch, hint_text="예: 서울관악지사",
                                               helper="통지서를 보낸 곳 (심사청구서를 내는 곳)"))
        reason = self.typed_field(ft.TextField(label="불승인 이유 (통지서에 적힌 그대로)", value=c.denial_reason,
                                               multiline=True, min_lines=2, max_lines=6))
        problems = ft.Text(color=ft.Colors.ERROR, theme_style=px(15), visible=False)

        def submit(e: ft.Event[Any] | None = None) -> None:
            changes, errors = case_rows.edit_changes({
                "alias": alias.value, "contact": contact.value, "situation": situation.value,
                "decided_on": decided.value, "learned_on": learned.value, "stage": stage.value,
                "disease_committee": committee.value, "benefit": benefit.value, "branch": branch.value,
                "denial_reason": reason.value})
            problems.value = "\n".join(errors)
            problems.visible = bool(errors)
            if errors:
                return
            self.edit("사건 정보를 저장했습니다.", **changes)

        return wide_card(
            layout.section_title("사건 정보"),
            alias, contact, situation,
            ft.Row([date_row(self.ctx.page, decided, what="처분일"),
                    date_row(self.ctx.page, learned, what="결정을 안 날"), stage], wrap=True, spacing=12),
            committee, ft.Row([benefit], wrap=True), branch, reason, problems,
            ft.Row([ft.Button("사건 정보 저장", icon=ft.Icons.SAVE_OUTLINED, on_click=submit)]),
            *[layout.muted_text(line) for line in case_rows.replaced_lines(c)],
        )

    def deadlines(self) -> ft.Control:
        lines = case_rows.deadline_lines(self.case)
        parts: list[ft.Control] = [layout.section_title("불복 기한")]
        if not lines:
            parts.append(layout.body_text(case_rows.no_deadline_reason(self.case)))
        for line in lines:
            parts.append(ft.Row([ft.Text(line.title, theme_style=px(17), weight=ft.FontWeight.BOLD),
                                  deadline_badge(line.badge)],
                                wrap=True, spacing=8))
            if line.notice:
                overdue = line.badge.tone == "overdue"
                parts.append(ft.Text(line.notice, theme_style=px(16), color=ft.Colors.ERROR if overdue else None,
                                     weight=ft.FontWeight.BOLD if overdue else None))
            parts.append(layout.body_text(f"{line.explanation} ({line.statute})"))
            parts.extend(layout.body_text(f"• {option}") for option in line.options)
        parts.append(layout.muted_text(DISCLAIMER))
        return wide_card(*parts)

    def checklist(self) -> ft.Control:
        items = list(self.case.checklist)

        def toggled(index: int, value: bool) -> None:
            rows = [{"text": it.text, "done": (value if i == index else it.done), "why": it.why}
                    for i, it in enumerate(items)]
            self.edit(checklist=rows)

        def removed(index: int) -> None:
            gone = items[index]
            rows = [{"text": it.text, "done": it.done, "why": it.why} for i, it in enumerate(items) if i != index]

            def undo() -> None:
                def restore(repo: Any) -> Any:  # into the list as it is now: other edits stay
                    now = [{"text": it.text, "done": it.done, "why": it.why} for it in repo.get(self.case_id).checklist]
                    now.insert(min(index, len(now)), {"text": gone.text, "done": gone.done, "why": gone.why})
                    return repo.set_checklist(self.case_id, now)
                self.save(restore, "지운 할 일을 되살렸습니다.")

            short = gone.text if len(gone.text) <= 24 else gone.text[:23] + "…"
            self.edit(f"'{short}' 항목을 지웠습니다.", undo=undo, checklist=rows)

        new_item = self.typed_field(ft.TextField(label="할 일 추가", dense=True, expand=True))

        def add(e: ft.Event[Any] | None = None) -> None:
            text = (new_item.value or "").strip()
            if not text:
                return
            rows = [{"text": it.text, "done": it.done, "why": it.why} for it in items] + [{"text": text, "done": False}]
            self.edit(checklist=rows)

        new_item.on_submit = add
        done_count = sum(1 for it in items if it.done)
        rows: list[ft.Control] = [
            # The text sits beside the box (not as its label) so long items wrap on phones.
            ft.Row([ft.Checkbox(value=it.done, semantics_label=it.text,
                                on_change=lambda e, i=i: toggled(i, bool(e.control.value))),
                    ft.Container(ft.Column([ft.Text(it.text, theme_style=px(16)),
                                            *([layout.muted_text(f"왜: {it.why}")] if it.why else [])],
                                           spacing=2, tight=True), expand=True,
                                 on_click=lambda e, i=i, done=it.done: toggled(i, not done)),
                    icon_action(ft.Icons.DELETE_OUTLINE, f"'{it.text}' 지우기",
                                  lambda e, i=i: removed(i))], spacing=0)
            for i, it in enumerate(items)
        ]
        return wide_card(
            layout.section_title(f"증거·할 일 목록 ({done_count}/{len(items)})"),
            *(rows or [layout.muted_text("아직 할 일이 없습니다.")]),
            ft.Row([new_item, icon_action(ft.Icons.ADD, "할 일 추가", add)]),
        )

    def analyses(self) -> ft.Control:
        parts: list[ft.Control] = [layout.section_title(f"저장한 상황 분석 ({len(self.case.analyses)})")]
        if not self.case.analyses:
            parts.append(layout.muted_text("'상황 분석' 화면에서 분석한 뒤 '사건에 저장'을 누르면 여기에 모입니다."))
        done = ticked_keys(self.case.checklist)
        for number, analysis in reversed(list(enumerate(self.case.analyses, start=1))):
            # The same sections as the printed report; the heading is the tile's own title.
            content = blocks_view(analysis_blocks(number, analysis, done)[1:])
            content.extend(self._precedent_links(analysis_vm.cited_precedent_ids(analysis)))
            parts.append(ft.ExpansionTile(
                title=ft.Text(case_rows.analysis_title(analysis), theme_style=px(16)),
                controls=[ft.Container(ft.Column(content, spacing=4), padding=ft.Padding.only(left=12, bottom=8))],
            ))
        return wide_card(*parts)

    def _precedent_links(self, refs: list[tuple[str, str]]) -> list[ft.Control]:
        return [ft.TextButton(label or pid, icon=ft.Icons.GAVEL, tooltip="판례 보기",
                              on_click=lambda e, pid=pid: self.ctx.navigate(f"/precedent/{pid}"))
                for pid, label in refs]

    def bookmarks(self) -> ft.Control:
        parts: list[ft.Control] = [layout.section_title(f"모아 둔 판례 ({len(self.case.bookmarks)})")]
        if not self.case.bookmarks:
            parts.append(layout.muted_text("판례 화면에서 '사건에 저장'을 누르면 여기에 모입니다."))
        for bm in self.case.bookmarks:
            note = self.typed_field(ft.TextField(label="메모", value=bm.note, dense=True, multiline=True, expand=True))

            def save_note(e: ft.Event[ft.IconButton], bm: Bookmark = bm, note: ft.TextField = note) -> None:
                text = note.value or ""
                self.save(lambda repo: repo.set_bookmark_note(self.case_id, bm.precedent_id, text, bm.note),
                          "메모를 저장했습니다.")

            def remove(e: ft.Event[ft.IconButton], pid: str = bm.precedent_id) -> None:
                self.save(lambda repo: repo.remove_bookmark(self.case_id, pid), "판례를 목록에서 뺐습니다.")

            parts.append(ft.Column([
                ft.TextButton(bm.title or bm.citation or bm.precedent_id, icon=ft.Icons.GAVEL,
                              on_click=lambda e, pid=bm.precedent_id: self.ctx.navigate(f"/precedent/{pid}"),
                              tooltip="판례 보기"),
                *([layout.muted_text(bm.citation)] if bm.citation else []),
                *([layout.muted_text(f"결과: {bm.outcome_label}")] if bm.outcome_label else []),
                ft.Row([note, icon_action(ft.Icons.SAVE_OUTLINED, "메모 저장", save_note),
                        icon_action(ft.Icons.DELETE_OUTLINE, "이 판례 빼기", remove)]),
            ], spacing=2))
        return wide_card(*parts)

    def documents(self) -> ft.Control:
        parts: list[ft.Control] = [layout.section_title(f"문서 ({len(self.case.documents)})")]
        if not self.case.documents:
            parts.append(layout.muted_text("'문서 요약' 화면에서 요약한 뒤 '사건에 저장'을 누르면 여기에 모입니다."))
        for doc in reversed(self.case.documents):
            summary = doc.summary or {}
            content: list[ft.Control] = []
            for title, lines in analysis_vm.summary_sections(summary):
                content.append(ft.Text(title, theme_style=px(16), weight=ft.FontWeight.BOLD))
                content.extend(layout.body_text(f"• {line}") for line in lines)
            content.append(ft.Text("원문", theme_style=px(16), weight=ft.FontWeight.BOLD))
            content.append(layout.body_text(doc.text[:3000] + ("…" if len(doc.text) > 3000 else "")))
            parts.append(ft.ExpansionTile(
                title=ft.Text(doc.title or summary.get("doc_type") or "문서", theme_style=px(16)),
                subtitle=ft.Text(doc.added_at[:10], theme_style=px(14)),
                controls=[ft.Container(ft.Column(content, spacing=4), padding=ft.Padding.only(left=12, bottom=8))],
            ))
        return wide_card(*parts)

    def notes(self) -> ft.Control:
        notes = self.typed_field(ft.TextField(label="메모", value=self.case.notes, multiline=True,
                                              min_lines=3, max_lines=12))
        return wide_card(
            layout.section_title("메모"), notes,
            ft.Row([ft.Button("메모 저장", icon=ft.Icons.SAVE_OUTLINED,
                              on_click=lambda e: self.edit("메모를 저장했습니다.", notes=notes.value or ""))]),
        )

    def file_actions(self) -> ft.Control:
        buttons: list[ft.Control] = [ft.OutlinedButton(f"{attach(label, '로')} 내보내기", icon=ft.Icons.DOWNLOAD,
                                     on_click=lambda e, k=kind: self.ctx.page.run_task(self.export, k))
                   for kind, label in case_rows.EXPORT_KINDS.items()]
        where = ("파일이 브라우저의 다운로드로 저장됩니다." if self.ctx.web_mode
                 else "저장할 곳을 고르는 창이 열립니다.")
        return wide_card(
            layout.section_title("내보내기·지우기"),
            layout.muted_text("PDF와 Markdown은 읽고 인쇄하는 용도, "
                              f"JSON은 다른 기기에서 '가져오기'로 되살리는 용도입니다. {where}"),
            ft.Row(buttons, wrap=True, spacing=8),
            layout.muted_text(case_rows.CHECKLIST_HELP),
            ft.Row([ft.OutlinedButton(case_rows.CHECKLIST_LABEL, icon=ft.Icons.CHECKLIST,
                                      on_click=lambda e: self.ctx.page.run_task(self.export, "checklist"))]),
            layout.muted_text(case_rows.CALENDAR_HELP),
            ft.Row([ft.OutlinedButton(case_rows.CALENDAR_LABEL, icon=ft.Icons.EVENT,
                                      on_click=lambda e: self.ctx.page.run_task(self.export, "ics"))]),
            ft.Divider(),
            ft.Row([ft.OutlinedButton("이 사건 지우기", icon=ft.Icons.DELETE_FOREVER, on_click=self.confirm_delete,
                                      style=ft.ButtonStyle(color=ft.Colors.ERROR))]),
        )

    # ---- actions ---------------------------------------------------------------------------
    async def export(self, kind: str) -> None:
        case = self.case
        try:
            data = await asyncio.to_thread(cases_vm.export_bytes, [case], kind)
        except Exception as exc:  # noqa: BLE001 - shown to the user in plain words
            self.ctx.notify_error(exc)
            return
        await cases_vm.deliver_file(self.ctx, case_rows.export_file_name(case, kind), data)

    def confirm_delete(self, e: ft.Event[Any] | None = None) -> None:
        def delete(e: ft.Event[Any] | None = None) -> None:
            self.ctx.page.pop_dialog()

            def done(_removed: Any) -> None:
                cases_vm.cases_changed(self.ctx)
                self.ctx.notify(f"'{self.case.alias}' 사건을 지웠습니다.")
                self.ctx.navigate("/cases")

            self.ctx.run_background(lambda p, c: self.repo().delete(self.case_id), on_done=done)

        self.ctx.page.show_dialog(ft.AlertDialog(
            modal=True, title=ft.Text("사건을 지울까요?", theme_style=px(20), weight=ft.FontWeight.BOLD),
            content=ft.Text(f"'{self.case.alias}' 사건과 그 안의 분석·판례·문서·메모가 모두 지워지고 "
                            "되돌릴 수 없습니다. 필요하면 먼저 JSON으로 내보내 두세요.", theme_style=px(16)),
            actions=[ft.TextButton("그대로 두기", on_click=lambda e: self.ctx.page.pop_dialog()),
                     ft.Button("지우기", icon=ft.Icons.DELETE_FOREVER, on_click=delete,
                               style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR))],
        ))


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    if ctx.web_mode:
        browser.browser_prefs(ctx)
    browser.file_picker(ctx)
    page = CasePage(ctx, params.get("case_id", ""))
    cases_vm.on_case_changed_elsewhere(ctx, page.look_again)
    view = layout.page_view(ctx, route, title=TITLE, controls=[page.status, page.body])
    page.load()
    return view
