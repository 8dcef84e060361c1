"""사건 목록: the support worker's home — every case with its nearest appeal deadline."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.context import PageContext
from app.platform import browser
from app.theme import px
from app.viewmodels import case_rows, cases_vm
from app.viewmodels.picked_file import pick_one
from app.widgets import case_lock, layout
from app.widgets.feature_deadline_badge import deadline_badge
from app.widgets.feature_sections import wide_card
from core.korean import attach
from core.progress import CancelToken, ProgressCallback
from services.cases.blob_format import CasesLocked
from services.cases.model import Case, default_checklist
from services.cases.repository import CaseListing
from services.deadlines import STAGES

ROUTE = "/cases"
TITLE = "사건"
NAV = ("사건", ft.Icons.FOLDER_SHARED_OUTLINED, 50)


def _row_card(ctx: PageContext, row: case_rows.CaseRow) -> ft.Control:
    details = [s for s in (row.stage, row.counts) if s]
    return layout.card(
        ft.Row([ft.Text(row.alias, theme_style=px(18), weight=ft.FontWeight.BOLD),
                deadline_badge(row.badge)], wrap=True, spacing=8,
               vertical_alignment=ft.CrossAxisAlignment.CENTER),
        *([layout.muted_text(" · ".join(details))] if details else []),
        *([layout.body_text(row.situation)] if row.situation else []),
        on_click=None if row.damaged else lambda e: ctx.navigate(f"/case/{row.case_id}"),
        tooltip=row.badge.detail if row.damaged else f"{row.alias} 사건 열기. {row.badge.detail}",
    )


def _new_case_dialog(ctx: PageContext) -> None:
    alias = ft.TextField(label="사건 이름", hint_text="예: 김OO 허리 디스크 (실명 대신 별칭도 괜찮습니다)",
                         autofocus=True, max_length=100)
    stage = ft.Dropdown(label="지금 단계", value="불승인", options=[ft.DropdownOption(key=s, text=s) for s in STAGES])

    def create(e: ft.Event[Any] | None = None) -> None:
        name = (alias.value or "").strip()
        if not name:
            alias.error = "사건 이름을 적어 주세요."
            return
        alias.error = None

        def work(progress: ProgressCallback, cancel: CancelToken) -> Case:
            chosen = stage.value or "불승인"
            case: Case = cases_vm.repository_for(ctx).create(name, stage=chosen, checklist=default_checklist(chosen))
            return case

        def done(case: Case) -> None:
            cases_vm.cases_changed(ctx)
            ctx.page.pop_dialog()
            ctx.navigate(f"/case/{case.id}")

        ctx.run_background(work, on_done=done)

    alias.on_submit = create
    ctx.page.show_dialog(ft.AlertDialog(
        modal=True, title=ft.Text("새 사건 만들기", theme_style=px(20), weight=ft.FontWeight.BOLD),
        content=ft.Container(ft.Column([alias, stage], tight=True, spacing=12), width=420),
        actions=[ft.TextButton("취소", on_click=lambda e: ctx.page.pop_dialog()),
                 ft.Button("만들기", icon=ft.Icons.CHECK, on_click=create)],
    ))


async def _import_file(ctx: PageContext) -> None:
    """Merge the cases of an exported JSON file into this visitor's cases (nothing changes on a bad file)."""
    try:
        picked = await pick_one(ctx, title="가져올 사건 파일 (.json)", extensions=["json"],
                                max_bytes=cases_vm.IMPORT_FILE_MAX_BYTES,
                                hint="사건을 나누어 내보낸 뒤 한 파일씩 가져와 주세요.")
    except Exception as exc:  # noqa: BLE001 - shown in plain words
        ctx.notify_error(exc)
        return
    if picked is None:
        return
    data = picked.data

    def done(summary: str) -> None:
        cases_vm.cases_changed(ctx)
        ctx.notify(f"'{picked.name}'에서 사건을 가져왔습니다: {summary}")

    ctx.run_background(
        lambda p, c: cases_vm.import_bytes(cases_vm.repository_for(ctx), data, progress=p, cancel=c),
        on_done=done)


async def _export_all(ctx: PageContext, kind: str) -> None:
    """Every case of this visitor in one file (JSON to bring into another browser or device)."""
    def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[int, bytes]:
        cases = cases_vm.repository_for(ctx).all()
        return len(cases), cases_vm.export_bytes(cases, kind)

    async def deliver(result: tuple[int, bytes]) -> None:
        count, data = result
        if not count:
            ctx.notify("내보낼 사건이 아직 없습니다.")
            return
        await cases_vm.deliver_file(ctx, cases_vm.all_cases_file_name(count, kind), data, "사건 모두 내보내기")

    def done(result: tuple[int, bytes]) -> None:
        ctx.page.run_task(deliver, result)  # the save dialog is awaited on the page's loop

    ctx.run_background(work, on_done=done)


def _confirm_clear(ctx: PageContext, count: int) -> None:
    """Web mode: forget every case kept in this browser, after saying plainly what goes."""
    def clear(e: ft.Event[Any] | None = None) -> None:
        ctx.page.pop_dialog()

        def done(removed: int) -> None:
            cases_vm.cases_changed(ctx)
            ctx.notify(f"이 브라우저에 있던 사건 {removed}건을 지웠습니다.")

        ctx.run_background(lambda p, c: cases_vm.clear_browser_cases(ctx), on_done=done)

    def export_first(e: ft.Event[Any] | None = None) -> None:
        ctx.page.pop_dialog()
        ctx.page.run_task(_export_all, ctx, "json")

    what = f"사건 {count}건과" if count > 0 else "잠긴 사건 모두와"
    ctx.page.show_dialog(ft.AlertDialog(
        modal=True,
        title=ft.Text("이 브라우저의 사건을 모두 지울까요?", theme_style=px(20), weight=ft.FontWeight.BOLD),
        content=ft.Text(f"이 브라우저에 저장된 {what} 그 안의 분석·판례·문서·메모가 모두 지워지고 "
                        "되돌릴 수 없습니다. 열려 있는 다른 탭에서도 지워집니다. 필요하면 먼저 JSON으로 "
                        "내보내 두세요. 나중에 '가져오기'로 되살릴 수 있습니다.", theme_style=px(16)),
        actions=[ft.TextButton("그대로 두기", on_click=lambda e: ctx.page.pop_dialog()),
                 ft.OutlinedButton("먼저 모두 내보내기", icon=ft.Icons.DOWNLOAD, on_click=export_first),
                 ft.Button("모두 지우기", icon=ft.Icons.DELETE_FOREVER, on_click=clear,
                           style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR))],
    ))


def _all_cases_card(ctx: PageContext, count: Callable[[], int], lock_row: ft.Row) -> ft.Control:
    exports: list[ft.Control] = [
        ft.OutlinedButton(f"모두 {attach(label, '로')} 내보내기", icon=ft.Icons.DOWNLOAD,
                          on_click=lambda e, k=kind: ctx.page.run_task(_export_all, ctx, k))
        for kind, label in case_rows.EXPORT_KINDS.items()]
    parts: list[ft.Control] = [
        layout.section_title("모든 사건"),
        layout.muted_text("모든 사건을 파일 하나로 받습니다. JSON은 다른 브라우저나 기기에서 '가져오기'로 "
                          "되살리는 용도, PDF와 Markdown은 읽고 인쇄하는 용도입니다."),
        ft.Row(exports, wrap=True, spacing=8),
        layout.muted_text(case_rows.CALENDAR_HELP),
        ft.Row([ft.OutlinedButton(case_rows.CALENDAR_LABEL, icon=ft.Icons.EVENT,
                                  on_click=lambda e: ctx.page.run_task(_export_all, ctx, "ics"))]),
    ]
    if ctx.web_mode:
        parts += [ft.Divider(), layout.muted_text("함께 쓰는 컴퓨터라면 이 브라우저의 사건을 암호로 잠가 두세요."),
                  lock_row, ft.Row([ft.OutlinedButton(
            "이 브라우저의 사건 모두 지우기", icon=ft.Icons.DELETE_FOREVER, style=ft.ButtonStyle(color=ft.Colors.ERROR),
            on_click=lambda e: _confirm_clear(ctx, count()) if count() else ctx.notify("지울 사건이 없습니다."))])]
    # ``count()`` is -1 while the cases are locked: they can still be cleared (a forgotten passphrase).
    return wide_card(*parts)


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    browser.file_picker(ctx)
    if ctx.web_mode:
        browser.browser_prefs(ctx)
    loaded: dict[str, list[Any]] = {"cases": []}  # readable cases, then damaged ones
    search = ft.TextField(label="사건 찾기", hint_text="이름·상황·메모의 낱말", prefix_icon=ft.Icons.SEARCH,
                          value=params.get("q", ""), expand=True, dense=True)
    stage = ft.Dropdown(label="단계", value=case_rows.ALL_STAGES, width=150, dense=True,
                        options=[ft.DropdownOption(key=s, text=s) for s in (case_rows.ALL_STAGES, *STAGES)])
    sort = ft.Dropdown(label="정렬", value="deadline", width=290, dense=True,
                       options=[ft.DropdownOption(key=k, text=v) for k, v in case_rows.SORTS.items()])
    status = layout.muted_text("사건을 불러오는 중입니다…")
    results = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    def show(e: ft.Event[Any] | None = None) -> None:
        rows = case_rows.list_rows(loaded["cases"], text=search.value or "", stage=stage.value or "",
                                  sort=sort.value or "deadline")
        results.controls = [_row_card(ctx, r) for r in rows]
        total = len(loaded["cases"])
        if not total:
            status.value = "아직 사건이 없습니다. '새 사건'을 눌러 첫 사건을 만드세요."
        elif not rows:
            status.value = "조건에 맞는 사건이 없습니다. 찾는 말이나 단계를 바꿔 보세요."
        else:
            urgent = sum(1 for r in rows if r.badge.tone in ("overdue", "urgent"))
            damaged = sum(1 for r in rows if r.damaged)
            status.value = (f"사건 {len(rows) - damaged}건" + (f", 서둘러 확인할 사건 {urgent}건" if urgent else "")
                            + (f", 읽을 수 없는 손상된 사건 {damaged}건" if damaged else ""))

    lock_row = ft.Row(wrap=True, spacing=8)

    def loaded_ok(found: tuple[CaseListing, str]) -> None:
        listing, lock_state = found
        loaded["locked"] = []
        loaded["cases"] = case_rows.listing_entries(listing)
        lock_row.controls = case_lock.lock_buttons(ctx, lock_state, load) if ctx.web_mode else []
        show()

    def failed(exc: BaseException) -> None:
        loaded["cases"] = []
        lock_row.controls = []
        if isinstance(exc, CasesLocked):
            loaded["locked"] = [True]
            status.value = ""
            results.controls = [case_lock.unlock_card(ctx, load)]
            return
        status.value = getattr(exc, "message", "") or "사건을 불러오지 못했습니다. 화면을 새로 고쳐 주세요."

    search.on_change = show
    stage.on_select = show
    sort.on_select = show

    where = ("이 사건 기록은 지금 쓰는 브라우저에만 저장됩니다. 다른 기기나 브라우저에서는 보이지 않으니, "
             "중요한 사건은 '내보내기'로 파일을 받아 두세요." if ctx.web_mode
             else "사건 기록은 이 컴퓨터의 사용자 파일에 저장됩니다.")
    controls = [
        layout.muted_text(where),
        ft.Row([search], spacing=8),
        ft.Row([stage, sort,
                ft.Button("새 사건", icon=ft.Icons.ADD, on_click=lambda e: _new_case_dialog(ctx),
                          tooltip="새 사건 파일을 만듭니다"),
                ft.OutlinedButton("가져오기", icon=ft.Icons.UPLOAD_FILE,
                                  on_click=lambda e: ctx.page.run_task(_import_file, ctx),
                                  tooltip="다른 기기에서 JSON으로 내보낸 사건을 가져옵니다 (같은 사건은 합칩니다)")],
               wrap=True, spacing=8),
        status,
        results,
        _all_cases_card(ctx, lambda: -1 if loaded.get("locked") else len(loaded["cases"]), lock_row),
    ]
    view = layout.page_view(ctx, route, title=TITLE, controls=controls)

    def read(progress: ProgressCallback, cancel: CancelToken) -> tuple[CaseListing, str]:
        listing = cases_vm.repository_for(ctx).scan()  # CasesLocked until this tab has the passphrase
        return listing, cases_vm.browser_lock_state(ctx) if ctx.web_mode else ""

    def load() -> None:
        ctx.run_background(read, on_done=loaded_ok, on_error=failed)

    cases_vm.on_cases_changed(ctx, load)  # this view stays on the stack: reload after saves elsewhere
    load()
    return view
