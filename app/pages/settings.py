"""설정: keys with connection checks, data sync with progress and cancel, passphrase protection of the
user file (desktop), where the data lives."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app import visitor_words
from app.context import PageContext
from app.theme import px
from app.viewmodels import protection_vm, settings_vm
from app.viewmodels.home_vm import DataStatus
from app.viewmodels.settings_vm import CHOICE_FIELDS, KEY_FIELDS, SYNC_SOURCES, ChoiceField, KeyField
from app.widgets import layout, unlock
from core.errors import Cancelled, SanjaeError
from core.korean import attach
from core.paths import data_dir
from core.progress import Progress

ROUTE = "/settings"
TITLE = "설정"
NAV = ("설정", ft.Icons.SETTINGS_OUTLINED, 90)


def _result_text() -> ft.Text:
    return ft.Text("", theme_style=px(16), visible=False)


def _show_result(text: ft.Text, message: str, ok: bool) -> None:
    text.value = ("✓ " if ok else "! ") + message
    text.color = ft.Colors.GREEN_800 if ok else ft.Colors.ERROR
    text.visible = True


def _key_row(ctx: PageContext, field: KeyField) -> ft.Control:
    settings = ctx.services.settings
    current = ft.Text(settings_vm.display_value(settings, field, ctx.web_mode), theme_style=px(16))
    result = _result_text()
    check_button = ft.OutlinedButton("연결 확인", icon=ft.Icons.WIFI_TETHERING,
                                     tooltip=f"{attach(field.label, '로')} 연결되는지 확인합니다")

    def check(e: ft.Event[ft.OutlinedButton]) -> None:
        kind = field.check
        if kind is None:  # the button is shown only for fields that have a check
            return
        check_button.disabled = True
        result.value, result.visible = "확인하고 있습니다…", True
        result.color = None

        def done(message: str) -> None:
            check_button.disabled = False
            _show_result(result, message, ok=True)

        def failed(exc: BaseException) -> None:
            check_button.disabled = False
            message = exc.message if isinstance(exc, SanjaeError) else "연결을 확인하지 못했습니다."
            _show_result(result, visitor_words.shown(message, ctx.web_mode), ok=False)

        ctx.run_background(lambda report, cancel: settings_vm.check_connection(kind, settings, cancel),
                           on_done=done, on_error=failed)

    check_button.on_click = check
    children: list[ft.Control] = [ft.Text(field.label, theme_style=px(17), weight=ft.FontWeight.BOLD), current]
    if not ctx.web_mode:
        box = ft.TextField(label=field.label, password=field.secret, can_reveal_password=False,
                           hint_text="새 값을 넣고 저장하세요", expand=True)

        def save(e: ft.Event[ft.Button] | ft.Event[ft.TextField]) -> None:
            try:
                message = settings_vm.save_value(settings, field, box.value or "", ctx.web_mode)
            except SanjaeError as exc:
                ctx.notify(exc.message, error=True)
                return
            box.value = ""
            current.value = settings_vm.display_value(settings, field, ctx.web_mode)
            ctx.notify(message)

        box.on_submit = save
        children.append(ft.Row([box, ft.FilledButton("저장", on_click=save, tooltip=f"{field.label} 저장")],
                               vertical_alignment=ft.CrossAxisAlignment.CENTER))
    children.append(ft.Text(settings_vm.field_help(field, ctx.web_mode), theme_style=px(15),
                            color=ft.Colors.ON_SURFACE_VARIANT))
    if field.check:
        children.append(ft.Row([check_button], wrap=True))
    children.append(result)
    return ft.Container(ft.Column(children, spacing=8, tight=True), padding=16, border_radius=12,
                        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT))


def _sync_section(ctx: PageContext) -> list[ft.Control]:
    store = ctx.services.precedents
    status = DataStatus.from_store(store)
    status_text = ft.Column([ft.Text(line, theme_style=px(16)) for line in status.lines(ctx.web_mode)], spacing=4)
    if ctx.web_mode:
        return [status_text, ft.Text("웹으로 제공되는 앱에서는 운영자가 서버에서 자료를 받아 옵니다.",
                                      theme_style=px(16))]
    bar = ft.ProgressBar(value=0, visible=False, semantics_label="자료 받는 중")
    message = ft.Text("", theme_style=px(16), visible=False)
    cancel_button = ft.OutlinedButton("멈추기", icon=ft.Icons.STOP, visible=False, tooltip="자료 받기를 멈춥니다")
    buttons: list[ft.Control] = []
    state: dict[str, Any] = {"token": None}

    def set_running(running: bool) -> None:
        bar.visible = cancel_button.visible = running
        for b in buttons:
            b.disabled = running

    def start(source: str, words: str) -> None:
        set_running(True)
        bar.value = None
        message.value, message.visible = f"{attach(words, '을')} 받아 오고 있습니다…", True

        def on_progress(p: Progress) -> None:
            bar.value = p.fraction
            if p.message:
                message.value = p.message

        def done(summary: str) -> None:
            set_running(False)
            message.value = summary
            status_text.controls = [ft.Text(line, theme_style=px(16))
                                        for line in DataStatus.from_store(store).lines()]
            ctx.notify(summary)

        def failed(exc: BaseException) -> None:
            set_running(False)
            if isinstance(exc, Cancelled):
                message.value = exc.message
                status_text.controls = [ft.Text(line, theme_style=px(16))
                                        for line in DataStatus.from_store(store).lines()]
                return
            message.value = (exc.message if isinstance(exc, SanjaeError)
                             else "자료를 받지 못했습니다. 잠시 뒤 다시 해 주세요.")
            ctx.notify(message.value, error=True)

        state["token"] = ctx.run_background(
            lambda report, cancel: settings_vm.run_sync(source, store, ctx.services.settings, report, cancel),
            on_progress=on_progress, on_done=done, on_error=failed)

    def stop(e: ft.Event[ft.OutlinedButton]) -> None:
        if state["token"] is not None:
            state["token"].cancel()
            message.value = "멈추는 중입니다… 받은 자료는 남습니다."

    cancel_button.on_click = stop
    for source, words in SYNC_SOURCES:
        buttons.append(ft.FilledTonalButton(f"{words} 받기", icon=ft.Icons.DOWNLOAD,
                                            on_click=lambda e, s=source, w=words: start(s, w),
                                            tooltip=f"{attach(words, '을')} 받아 옵니다. 이미 받은 것은 건너뜁니다"))
    return [status_text, ft.Row(buttons, wrap=True, spacing=8, run_spacing=8), bar, message,
            ft.Row([cancel_button])]


PROTECTION_WARNING = ("암호를 잊으면 이 앱을 만든 사람도 사건 기록을 되살릴 수 없습니다. 암호를 안전한 곳에 적어 두고, "
                      "켜기 전에 각 사건 화면의 'JSON으로 내보내기'로 백업 파일을 받아 두세요.")
PROTECTED_WARNING = ("암호를 잊으면 이 앱을 만든 사람도 사건 기록을 되살릴 수 없습니다. "
                     "암호를 바꾸면 새 암호를 안전한 곳에 적어 두고, "
                     "가끔 각 사건 화면의 'JSON으로 내보내기'로 백업 파일을 받아 두세요.")


def _passphrase_field(label: str) -> ft.TextField:
    return ft.TextField(label=label, password=True, can_reveal_password=True, width=360)


def _fields(*fields: ft.TextField) -> ft.Column:
    """Passphrase fields at their own width (the page stretches direct children)."""
    return ft.Column(list(fields), spacing=12, tight=True)


def _protection_section(ctx: PageContext) -> list[ft.Control]:
    """Turn passphrase protection of the user file on, change the passphrase, or turn it off."""
    services = ctx.services
    if protection_vm.is_locked(services):
        return [layout.body_text("사용자 파일이 암호로 보호되어 있습니다. "
                                 "암호를 입력해 열면 암호를 바꾸거나 보호를 끌 수 있습니다."),
                unlock.unlock_form(ctx, ctx.refresh, autofocus=False)]
    if services.user_store is None:
        return [layout.body_text("사용자 파일을 열지 못해 암호 보호를 바꿀 수 없습니다. 앱을 다시 시작해 주세요.")]
    message = ft.Text("", theme_style=px(16), visible=False)
    busy = ft.ProgressRing(width=20, height=20, visible=False, semantics_label="처리 중")
    buttons: list[ft.Control] = []

    def set_busy(running: bool) -> None:
        busy.visible = running
        for b in buttons:
            b.disabled = running

    def run(work: Callable[[], str]) -> None:
        set_busy(True)
        message.value, message.visible, message.color = "처리하고 있습니다… 몇 초 걸릴 수 있습니다.", True, None

        def done(text: str) -> None:
            set_busy(False)
            ctx.notify(text)
            ctx.refresh()  # the section changes with the new state

        def failed(exc: BaseException) -> None:
            set_busy(False)
            message.value = (exc.message if isinstance(exc, SanjaeError)
                             else "바꾸지 못했습니다. 잠시 뒤 다시 해 주세요.")
            message.color = ft.Colors.ERROR

        ctx.run_background(lambda progress, cancel: work(), on_done=done, on_error=failed)

    protected = protection_vm.is_protected(services)
    warning = ft.Container(
        ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ON_TERTIARY_CONTAINER),
                ft.Text(PROTECTED_WARNING if protected else PROTECTION_WARNING, theme_style=px(15),
                        color=ft.Colors.ON_TERTIARY_CONTAINER, expand=True)],
               vertical_alignment=ft.CrossAxisAlignment.START),
        bgcolor=ft.Colors.TERTIARY_CONTAINER, padding=12, border_radius=8)
    rule = layout.muted_text(f"암호는 {protection_vm.MIN_LENGTH}글자 이상으로 정해 주세요. 긴 문장도 좋습니다.")
    if not protected:
        new, confirm = _passphrase_field("새 암호"), _passphrase_field("새 암호 확인")
        buttons.append(ft.Button("암호 보호 켜기", icon=ft.Icons.LOCK,
                                 tooltip="사건 기록과 설정이 든 파일을 암호로 잠급니다",
                                 on_click=lambda e: run(lambda: protection_vm.enable(
                                     services, new.value or "", confirm.value or ""))))
        return [layout.body_text("사건 기록과 설정이 든 사용자 파일을 암호로 잠글 수 있습니다. "
                                 "켜면 앱을 열 때마다 암호를 물어봅니다."),
                warning, rule, _fields(new, confirm), ft.Row([buttons[0], busy], spacing=12), message]
    old, new, confirm = _passphrase_field("지금 암호"), _passphrase_field("새 암호"), _passphrase_field("새 암호 확인")
    current = _passphrase_field("지금 암호 (끄기)")
    change_button = ft.OutlinedButton("암호 바꾸기", icon=ft.Icons.PASSWORD, tooltip="지금 암호를 새 암호로 바꿉니다",
                                      on_click=lambda e: run(lambda: protection_vm.change(
                                          services, old.value or "", new.value or "", confirm.value or "")))
    off_button = ft.OutlinedButton("암호 보호 끄기", icon=ft.Icons.LOCK_OPEN,
                                   tooltip="사용자 파일을 다시 암호 없이 저장합니다",
                                   on_click=lambda e: run(lambda: protection_vm.disable(services, current.value or "")))
    buttons += [change_button, off_button]
    return [layout.body_text("사용자 파일이 암호로 보호되어 있습니다."), warning,
            ft.Text("암호 바꾸기", theme_style=px(17), weight=ft.FontWeight.BOLD), rule, _fields(old, new, confirm),
            ft.Row([change_button]),
            ft.Text("암호 보호 끄기", theme_style=px(17), weight=ft.FontWeight.BOLD),
            layout.muted_text("끄면 사건 기록이 이 컴퓨터에 암호 없이 저장됩니다."), _fields(current),
            ft.Row([off_button, busy], spacing=12), message]


def _choice_row(ctx: PageContext, field: ChoiceField) -> ft.Control:
    """One AI choice: radio buttons on the desktop; in web mode the operator's choice, read-only."""
    settings = ctx.services.settings
    effect = layout.muted_text(settings_vm.choice_effect(settings, field, ctx.web_mode))
    result = _result_text()
    group = ft.RadioGroup(value=settings_vm.choice_value(settings, field),
                          content=ft.Row([ft.Radio(value=value, label=label) for value, label in field.options],
                                         wrap=True),
                          disabled=ctx.web_mode)

    def changed(e: ft.Event[ft.RadioGroup]) -> None:
        try:
            message = settings_vm.save_choice(settings, field, group.value or "", ctx.web_mode)
        except SanjaeError as exc:
            group.value = settings_vm.choice_value(settings, field)
            _show_result(result, exc.message, ok=False)
        else:
            _show_result(result, message, ok=True)
        effect.value = settings_vm.choice_effect(settings, field, ctx.web_mode)

    group.on_change = changed
    return ft.Column([ft.Text(field.label, theme_style=px(17), weight=ft.FontWeight.BOLD),
                      layout.muted_text(field.help),
                      group, effect, result], spacing=6)


def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View:
    controls: list[ft.Control] = []
    if ctx.services.settings is None:
        controls.append(ft.Text("설정을 열지 못했습니다. 앱을 다시 시작해 주세요.", theme_style=px(16)))
    else:
        intro = ("이 앱은 웹으로 제공되고 있어, 키와 주소는 운영자가 서버에서 설정합니다. 연결 확인만 할 수 있습니다."
                 if ctx.web_mode else
                 "키는 이 컴퓨터의 안전한 저장소에 보관하고 화면에는 일부만 보여 드립니다.")
        controls += [layout.section_title("인증키와 연결"), ft.Text(intro, theme_style=px(16))]
        controls += [_key_row(ctx, f) for f in KEY_FIELDS]
        controls += [layout.section_title("AI 방식"), *[_choice_row(ctx, f) for f in CHOICE_FIELDS]]
    controls += [layout.section_title("판례 자료 받기"), *_sync_section(ctx)]
    if not ctx.web_mode:  # in web mode the server's user file is the operator's, not the visitor's
        controls += [layout.section_title("암호로 보호"), *_protection_section(ctx)]
    controls.append(layout.section_title("자료가 저장되는 곳"))
    if ctx.web_mode:
        controls.append(ft.Text("자료는 운영자의 서버에 저장됩니다.", theme_style=px(16)))
    else:
        controls.append(ft.Text(str(data_dir()), theme_style=px(16), selectable=True))
    return layout.page_view(ctx, route, title=TITLE, controls=controls)
