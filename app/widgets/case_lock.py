"""Web mode on a shared office computer: the cases kept in this browser locked with a passphrase.

The server encrypts the cases before they reach browser storage (``services.cases.blob_format``);
the passphrase stays in this tab's session, so every other tab, and this one after it is closed,
asks for it again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.context import PageContext
from app.theme import px
from app.viewmodels import cases_vm
from app.widgets import layout
from app.widgets.feature_sections import wide_card

PASSPHRASE_MIN = 6
KEPT_FOR_TAB = "암호는 이 탭을 닫을 때까지만 기억하고, 어디에도 저장하지 않습니다."
FORGOTTEN = ("암호를 잊으면 누구도 사건을 되살릴 수 없습니다. 잠그기 전에 「모두 JSON으로 내보내기」로 "
             "파일을 받아 두고, 암호는 안전한 곳에 적어 두세요.")


def _problem_text() -> ft.Text:
    return ft.Text(color=ft.Colors.ERROR, theme_style=px(15), visible=False)


def _say(problem: ft.Text, message: str) -> None:
    problem.value = message
    problem.visible = bool(message)


def _passphrase_field(label: str, on_submit: Callable[[Any], None] | None = None) -> ft.TextField:
    return ft.TextField(label=label, password=True, can_reveal_password=True, on_submit=on_submit)


def unlock_card(ctx: PageContext, on_opened: Callable[[], None]) -> ft.Control:
    """Shown instead of the list while this tab has not been given the passphrase."""
    problem = _problem_text()

    def submit(e: Any = None) -> None:
        passphrase = field.value or ""
        if not passphrase:
            _say(problem, "암호를 입력해 주세요.")
            ctx.page.update()
            return
        _say(problem, "")

        def opened(count: int) -> None:
            ctx.notify(f"잠긴 사건 {count}건을 열었습니다. {KEPT_FOR_TAB}")
            on_opened()

        ctx.run_background(lambda p, c: cases_vm.open_browser_cases(ctx, passphrase), on_done=opened,
                           on_error=lambda exc: _say(problem, getattr(exc, "message", "") or "열지 못했습니다."))

    field = _passphrase_field("사건 암호", submit)
    return wide_card(
        layout.section_title("잠긴 사건 열기"),
        layout.body_text("이 브라우저의 사건은 암호로 잠겨 있습니다. 잠글 때 정한 암호를 넣어 주세요."),
        field, problem,
        ft.Row([ft.Button("열기", icon=ft.Icons.LOCK_OPEN, on_click=submit)]),
        layout.muted_text(KEPT_FOR_TAB + " 암호를 잊었다면 사건을 되살릴 수 없습니다. 아래 「이 브라우저의 사건 "
                          "모두 지우기」로 지우고 새로 시작할 수 있습니다."),
    )


def lock_buttons(ctx: PageContext, state: str, reload: Callable[[], None]) -> list[ft.Control]:
    """The lock actions for the browser's cases in ``state`` ("plain", "open" or "locked")."""
    if state == "plain":
        return [ft.OutlinedButton("암호로 잠그기", icon=ft.Icons.LOCK_OUTLINE,
                                  on_click=lambda e: _lock_dialog(ctx, reload))]
    if state != "open":
        return []

    def run(work: Callable[[], Any], message: str) -> None:
        def done(_result: Any) -> None:
            ctx.notify(message)
            reload()

        ctx.run_background(lambda p, c: work(), on_done=done)

    return [
        ft.OutlinedButton("이 탭에서 닫기", icon=ft.Icons.LOCK,
                          on_click=lambda e: run(lambda: cases_vm.forget_passphrase(ctx),
                                                 "이 탭에서 사건을 닫았습니다. 다시 보려면 암호를 넣어 주세요.")),
        ft.OutlinedButton("잠금 풀기", icon=ft.Icons.LOCK_OPEN,
                          on_click=lambda e: run(lambda: cases_vm.unlock_browser_cases(ctx),
                                                 "잠금을 풀었습니다. 이제 암호 없이 사건을 볼 수 있습니다.")),
    ]


def _lock_dialog(ctx: PageContext, reload: Callable[[], None]) -> None:
    problem = _problem_text()

    def lock(e: Any = None) -> None:
        passphrase = first.value or ""
        if len(passphrase) < PASSPHRASE_MIN:
            _say(problem, f"암호는 {PASSPHRASE_MIN}글자 이상으로 정해 주세요.")
        elif passphrase != (second.value or ""):
            _say(problem, "두 칸의 암호가 다릅니다. 같은 암호를 두 번 넣어 주세요.")
        else:
            _say(problem, "")

            def done(count: int) -> None:
                ctx.page.pop_dialog()
                ctx.notify(f"이 브라우저의 사건 {count}건을 암호로 잠갔습니다. {KEPT_FOR_TAB}")
                reload()

            ctx.run_background(lambda p, c: cases_vm.lock_browser_cases(ctx, passphrase), on_done=done,
                               on_error=lambda exc: _say(problem, getattr(exc, "message", "") or "잠그지 못했습니다."))
        ctx.page.update()

    first = _passphrase_field("새 암호 (6글자 이상)")
    second = _passphrase_field("새 암호 한 번 더", lock)
    ctx.page.show_dialog(ft.AlertDialog(
        modal=True,
        title=ft.Text("이 브라우저의 사건을 암호로 잠글까요?", theme_style=px(20), weight=ft.FontWeight.BOLD),
        content=ft.Container(ft.Column([
            ft.Text("함께 쓰는 컴퓨터라면 잠가 두세요. 사건은 서버에서 암호화된 뒤에만 이 브라우저에 저장되어, "
                    "암호를 모르는 사람은 볼 수 없습니다. 다른 탭에서도 암호를 넣어야 열립니다. " + KEPT_FOR_TAB,
                    theme_style=px(16)),
            ft.Text(FORGOTTEN, theme_style=px(16), weight=ft.FontWeight.BOLD),
            first, second, problem,
        ], tight=True, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH), width=460),
        scrollable=True,  # a phone with the keyboard up has little room
        actions=[ft.TextButton("그만두기", on_click=lambda e: ctx.page.pop_dialog()),
                 ft.Button("잠그기", icon=ft.Icons.LOCK, on_click=lock)],
    ))
