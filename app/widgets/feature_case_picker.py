"""A dialog to pick an existing case or create a new one, used by every "사건에 저장" button.

    open_case_picker(ctx, on_pick, repository)   # on_pick(case_id: str, alias: str) runs on the page loop
                                                 # repository(): the tab's CaseRepository (worker thread)

Cases are read in a worker thread (in web mode they come from the visitor's browser storage).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from app.platform.browser import browser_prefs
from app.theme import px
from app.viewmodels.case_rows import list_rows
from core.progress import CancelToken, ProgressCallback
from services.cases.model import Case
from services.cases.repository import CaseRepository

if TYPE_CHECKING:
    from app.context import PageContext

PickHandler = Callable[[str, str], None]


def open_case_picker(ctx: PageContext, on_pick: PickHandler, repository: Callable[[], CaseRepository], *,
                     title: str = "어느 사건에 저장할까요?",
                     new_case_fields: dict[str, Any] | None = None) -> ft.AlertDialog:
    """``new_case_fields`` pre-fill a case created here (e.g. the notice date and story of an analysis)."""
    if ctx.web_mode:
        browser_prefs(ctx)  # register the browser storage while a page is current
    status = ft.Text("사건 목록을 불러오는 중입니다…", theme_style=px(15))
    choices = ft.Column(spacing=4, tight=True, scroll=ft.ScrollMode.AUTO)
    choices_box = ft.Container(choices, visible=False)
    new_alias = ft.TextField(label="새 사건 이름", hint_text="예: 김OO 허리 디스크", dense=True,
                             max_length=100)
    dialog = ft.AlertDialog(modal=True, title=ft.Text(title, theme_style=px(20), weight=ft.FontWeight.BOLD))

    def close(e: ft.Event[ft.TextButton] | None = None) -> None:
        ctx.page.pop_dialog()

    def picked(case_id: str, alias: str) -> None:
        close()
        on_pick(case_id, alias)

    def show_cases(cases: list[Case]) -> None:
        rows = list_rows(cases, sort="updated")
        choices.controls = [
            ft.ListTile(title=ft.Text(row.alias, theme_style=px(16)),
                        subtitle=ft.Text(f"{row.stage} · {row.badge.text}", theme_style=px(14)),
                        leading=ft.Icon(ft.Icons.FOLDER_OUTLINED),
                        on_click=lambda e, r=row: picked(r.case_id, r.alias))
            for row in rows
        ]
        status.value = ("저장할 사건을 고르거나 새 사건을 만드세요." if rows
                        else "아직 사건이 없습니다. 새 사건 이름을 적고 만드세요.")
        choices_box.visible = bool(rows)
        choices_box.height = min(len(rows) * 72, 300) if rows else None

    def failed(exc: BaseException) -> None:
        status.value = getattr(exc, "message", "") or "사건 목록을 불러오지 못했습니다."

    def create(e: ft.Event[ft.Button] | ft.Event[ft.TextField] | None = None) -> None:
        alias = (new_alias.value or "").strip()
        if not alias:
            new_alias.error = "사건 이름을 적어 주세요. 실명 대신 별칭도 괜찮습니다."
            return
        new_alias.error = None
        create_button.disabled = True

        def work(progress: ProgressCallback, cancel: CancelToken) -> Case:
            case: Case = repository().create(alias, **(new_case_fields or {}))
            return case

        def done(case: Case) -> None:
            picked(case.id, case.alias)

        def create_failed(exc: BaseException) -> None:
            create_button.disabled = False
            new_alias.error = getattr(exc, "message", "") or "사건을 만들지 못했습니다."

        ctx.run_background(work, on_done=done, on_error=create_failed)

    create_button = ft.Button("새 사건 만들고 저장", icon=ft.Icons.CREATE_NEW_FOLDER_OUTLINED, on_click=create)
    new_alias.on_submit = create
    dialog.content = ft.Container(
        ft.Column([status, choices_box, ft.Divider(), new_alias, ft.Row([create_button], wrap=True)], tight=True,
                  spacing=8),
        width=420,
    )
    dialog.actions = [ft.TextButton("닫기", on_click=close)]
    ctx.page.show_dialog(dialog)
    ctx.run_background(lambda progress, cancel: repository().all(), on_done=show_cases,
                       on_error=failed)
    return dialog
