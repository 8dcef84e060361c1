"""Asking for the passphrase of a protected user file: a form, a start-up dialog, a stand-in page.

All three share ``unlock_form``: one password field (label "암호"), an "열기" button, a calm line
of text for the codec's message. The key derivation is slow on purpose, so the check runs in a
worker thread; a wrong passphrase changes nothing on disk and leaves the field ready for another try.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable

import flet as ft

from app.context import PageContext
from app.theme import px
from app.viewmodels import protection_vm
from app.widgets import layout
from core.errors import SanjaeError

EXPLAIN = ("사건 기록과 설정이 든 사용자 파일이 암호로 보호되어 있습니다. 암호를 입력하면 이번 실행 동안 열어 둡니다.")
WITHOUT_IT = "판례 찾기, 상황 분석, 요약은 암호 없이도 쓸 수 있습니다."
SETTINGS_ROUTE = "/settings"
UNLOCK_FAILED = "파일을 열지 못했습니다. 암호를 확인하고 다시 해 주세요."


def unlock_form(ctx: PageContext, on_unlocked: Callable[[], None] | None = None, *,
                autofocus: bool = True) -> ft.Column:
    """Password field + "열기"; calls ``on_unlocked`` (on the page's loop) once the file is open."""
    field = ft.TextField(label="암호", password=True, can_reveal_password=True, autofocus=autofocus,
                         width=360)
    open_button = ft.Button("열기", icon=ft.Icons.LOCK_OPEN, tooltip="입력한 암호로 사용자 파일을 엽니다")
    busy = ft.ProgressRing(width=20, height=20, visible=False, semantics_label="여는 중")
    message = ft.Text("", theme_style=px(16), visible=False)

    def set_busy(running: bool) -> None:
        busy.visible = running
        open_button.disabled = field.disabled = running

    def show(text: str, error: bool) -> None:
        message.value, message.visible = text, True
        message.color = ft.Colors.ERROR if error else None

    def submit(e: ft.Event[ft.Button] | ft.Event[ft.TextField] | None = None) -> None:
        passphrase = field.value or ""
        if not passphrase:
            show(protection_vm.EMPTY_PASSPHRASE, error=True)
            return
        set_busy(True)
        show("여는 중입니다… 잠시 기다려 주세요.", error=False)

        def done(text: str) -> None:
            set_busy(False)
            field.value = ""
            show(text, error=False)
            if on_unlocked is not None:
                on_unlocked()

        def failed(exc: BaseException) -> None:
            set_busy(False)
            show(exc.message if isinstance(exc, SanjaeError) else UNLOCK_FAILED, error=True)

        ctx.run_background(lambda progress, cancel: protection_vm.unlock(ctx.services, passphrase),
                           on_done=done, on_error=failed)

    field.on_submit = submit
    open_button.on_click = submit
    column = ft.Column([field, ft.Row([open_button, busy], spacing=12,
                                      vertical_alignment=ft.CrossAxisAlignment.CENTER), message],
                       spacing=12, tight=True)
    column.data = {"field": field, "button": open_button, "message": message}
    return column


def _shows_user_file(ctx: PageContext) -> bool:
    """Whether the top page depends on the user file (so it must be rebuilt once it opens)."""
    views = ctx.page.views
    pattern = ctx.route_pattern(views[-1].route) if views else ""
    return pattern in protection_vm.USER_FILE_ROUTES or pattern == SETTINGS_ROUTE


def _after_unlock(ctx: PageContext) -> None:
    ctx.notify(protection_vm.UNLOCKED)
    if _shows_user_file(ctx):  # rebuild it with the cases in it; other pages keep what was typed
        ctx.refresh()


def show_unlock_dialog(ctx: PageContext) -> ft.AlertDialog:
    """The start-up question; "나중에" closes it and the rest of the app keeps working."""
    dialog: ft.AlertDialog | None = None

    def close() -> None:
        with contextlib.suppress(Exception):  # already closed
            ctx.page.pop_dialog()

    def unlocked() -> None:
        close()
        _after_unlock(ctx)

    form = unlock_form(ctx, unlocked)
    dialog = ft.AlertDialog(
        modal=True,
        title=ft.Text("사용자 파일 열기", theme_style=px(20), weight=ft.FontWeight.BOLD),
        content=ft.Container(ft.Column([ft.Text(EXPLAIN, theme_style=px(16)), ft.Text(WITHOUT_IT, theme_style=px(15),
                                                                              color=ft.Colors.ON_SURFACE_VARIANT),
                                        form], tight=True, spacing=12), width=440),
        actions=[ft.TextButton("나중에", on_click=lambda e: close(),
                               tooltip="암호 없이 계속합니다. 사건 화면에서 언제든 열 수 있습니다")],
        semantics_label="사용자 파일 열기",
    )
    dialog.data = form.data
    ctx.page.show_dialog(dialog)
    return dialog


def unlock_view(ctx: PageContext, route: str, title: str) -> ft.View:
    """Stands in for a page that needs the user file while it is closed."""
    return layout.page_view(ctx, route, title=title, controls=[
        layout.section_title("사용자 파일 열기"),
        layout.body_text(EXPLAIN),
        unlock_form(ctx, lambda: _after_unlock(ctx)),
        layout.muted_text(WITHOUT_IT),
    ])
