"""Passphrase protection of the user file in the app: unlocking, turning it on/off, the start-up screens."""
from __future__ import annotations

import time
from pathlib import Path

import flet as ft
import pytest

from app.context import Services
from app.viewmodels import protection_vm
from core.errors import StoreError
from storage.crypto_codec import WRONG_PASSPHRASE, KdfParams, enable_protection, file_is_encrypted
from storage.user_store import UserStore
from tests.fakes.ui_session import find_button, make_page, texts, walk

FAST = KdfParams(1, 1024, 1, 1)   # Argon2id with tiny costs: the tests check behaviour, not strength
PASSPHRASE = "봄날의 긴 암호 2026"
CASE_ALIAS = "김OO 허리 디스크"


@pytest.fixture(autouse=True)
def fresh_services():
    Services.reset_shared()
    yield
    Services.reset_shared()


def _user_file(data: Path) -> Path:
    return data / "user.json"


def _file_with_a_case(data: Path) -> None:
    from services.cases import UserFileCaseRepository

    store = UserStore(_user_file(data))
    UserFileCaseRepository(store).create(CASE_ALIAS, stage="불승인")
    store.close()


def _protected_file(data: Path) -> None:
    _file_with_a_case(data)
    enable_protection(_user_file(data), PASSPHRASE, FAST)


def _aliases(services: Services) -> list[str]:
    from services.cases import UserFileCaseRepository

    return [c.alias for c in UserFileCaseRepository(services.user_store).all()]


def _snapshot(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.name.startswith("user.json")
            and not p.name.endswith(".lock")}


# ---------------------------------------------------------------------------- view model

def test_locked_file_opens_with_the_right_passphrase_only(isolated_data_dir: Path):
    _protected_file(isolated_data_dir)
    services = Services.create()
    assert services.user_store is None and protection_vm.is_locked(services)
    before = _snapshot(isolated_data_dir)

    with pytest.raises(StoreError) as wrong:
        protection_vm.unlock(services, "틀린 암호입니다")
    assert wrong.value.message == WRONG_PASSPHRASE
    assert _snapshot(isolated_data_dir) == before  # byte-identical: nothing set aside, nothing rewritten
    assert protection_vm.is_locked(services)

    assert protection_vm.unlock(services, PASSPHRASE) == protection_vm.UNLOCKED
    assert not protection_vm.is_locked(services)
    assert _aliases(services) == [CASE_ALIAS]
    assert services.settings.user_store is services.user_store
    services.settings.set("llm_url", "http://127.0.0.1:9/")  # a plain setting goes into the protected file
    assert file_is_encrypted(_user_file(isolated_data_dir))
    assert b"127.0.0.1" not in _user_file(isolated_data_dir).read_bytes()


def test_env_passphrase_unlocks_at_start(isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    _protected_file(isolated_data_dir)
    monkeypatch.setenv(protection_vm.PASSPHRASE_ENV, PASSPHRASE)
    services = Services.create()
    assert not protection_vm.is_locked(services)
    assert _aliases(services) == [CASE_ALIAS]


def test_wrong_env_passphrase_leaves_it_locked_and_the_file_alone(isolated_data_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    _protected_file(isolated_data_dir)
    before = _snapshot(isolated_data_dir)
    monkeypatch.setenv(protection_vm.PASSPHRASE_ENV, "엉뚱한 암호입니다")
    services = Services.create()
    assert services.user_store is None and protection_vm.is_locked(services)
    assert _snapshot(isolated_data_dir) == before


def test_enable_change_disable_round_trip_keeps_cases(isolated_data_dir: Path):
    _file_with_a_case(isolated_data_dir)
    services = Services.create()
    path = _user_file(isolated_data_dir)
    assert not protection_vm.is_protected(services)

    assert protection_vm.enable(services, PASSPHRASE, PASSPHRASE, FAST) == protection_vm.ENABLED
    assert file_is_encrypted(path) and CASE_ALIAS.encode() not in path.read_bytes()
    assert not protection_vm.is_locked(services)  # the store was reopened with the new codec
    assert _aliases(services) == [CASE_ALIAS]

    new_passphrase = "여름밤의 새 암호 2026"
    assert protection_vm.change(services, PASSPHRASE, new_passphrase, new_passphrase, FAST) == protection_vm.CHANGED
    assert _aliases(services) == [CASE_ALIAS]
    fresh = Services.create()  # a later start needs the new passphrase
    with pytest.raises(StoreError):
        protection_vm.unlock(fresh, PASSPHRASE)
    protection_vm.unlock(fresh, new_passphrase)
    assert _aliases(fresh) == [CASE_ALIAS]

    assert protection_vm.disable(services, new_passphrase) == protection_vm.DISABLED
    assert not file_is_encrypted(path) and CASE_ALIAS in path.read_text(encoding="utf-8")
    assert _aliases(services) == [CASE_ALIAS]
    assert _aliases(Services.create()) == [CASE_ALIAS]


def test_wrong_current_passphrase_changes_nothing(isolated_data_dir: Path):
    _file_with_a_case(isolated_data_dir)
    services = Services.create()
    protection_vm.enable(services, PASSPHRASE, PASSPHRASE, FAST)
    before = _snapshot(isolated_data_dir)
    for attempt in (lambda: protection_vm.disable(services, "틀린 암호입니다"),
                    lambda: protection_vm.change(services, "틀린 암호입니다", "새 암호 여덟 글자",
                                                 "새 암호 여덟 글자", FAST)):
        with pytest.raises(StoreError) as wrong:
            attempt()
        assert wrong.value.message == WRONG_PASSPHRASE
        assert _snapshot(isolated_data_dir) == before
    assert _aliases(services) == [CASE_ALIAS]


@pytest.mark.parametrize(("new", "confirm", "message"), [
    ("", "", protection_vm.EMPTY_PASSPHRASE),
    ("짧은암호", "짧은암호", protection_vm.TOO_SHORT),
    ("충분히 긴 암호", "충분히 긴 암호!", protection_vm.MISMATCH),
])
def test_new_passphrase_rules_leave_the_file_plain(isolated_data_dir: Path, new: str, confirm: str, message: str):
    _file_with_a_case(isolated_data_dir)
    services = Services.create()
    before = _snapshot(isolated_data_dir)
    with pytest.raises(protection_vm.ProtectionError) as problem:
        protection_vm.enable(services, new, confirm, FAST)
    assert problem.value.message == message
    assert _snapshot(isolated_data_dir) == before


def test_case_repository_explains_a_locked_file(isolated_data_dir: Path):
    from app.context import PageContext
    from app.viewmodels import cases_vm

    _protected_file(isolated_data_dir)
    page, _ = make_page()
    ctx = PageContext(page, Services.create(), web_mode=False)
    with pytest.raises(StoreError) as locked:
        cases_vm.repository_for(ctx)
    assert locked.value.message == protection_vm.LOCKED_MESSAGE
    protection_vm.unlock(ctx.services, PASSPHRASE)
    assert [c.alias for c in cases_vm.repository_for(ctx).all()] == [CASE_ALIAS]


# ---------------------------------------------------------------------------- the app on a headless page

def _start(route: str):
    from app.main import main

    page, conn = make_page(route)
    main(page)
    return page, conn


def _wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def _top_text(page) -> str:
    return "\n".join(texts(page.views[-1]))


def _passphrase_field(root) -> ft.TextField:
    fields = [c for c in walk(root) if isinstance(c, ft.TextField) and c.label == "암호"]
    assert len(fields) == 1, "expected one passphrase field"
    assert fields[0].password
    return fields[0]


def _open_dialogs(page) -> list:
    return [d for d in page._dialogs.controls if isinstance(d, ft.AlertDialog) and d.open]


def test_cases_page_on_a_protected_file_asks_for_the_passphrase(isolated_data_dir: Path):
    _protected_file(isolated_data_dir)
    page, _ = _start("/cases")
    view = page.views[-1]
    assert view.route == "/cases"
    text = _top_text(page)
    assert "암호로 보호되어 있습니다" in text
    assert "아직 사건이 없습니다" not in text and "새 사건" not in text
    field = _passphrase_field(view)

    field.value = "틀린 암호입니다"
    find_button(view, "열기").on_click(None)
    assert _wait_for(lambda: WRONG_PASSPHRASE in _top_text(page))
    assert protection_vm.is_locked(Services.shared())

    field.value = PASSPHRASE
    find_button(view, "열기").on_click(None)
    assert _wait_for(lambda: CASE_ALIAS in _top_text(page))  # the real case list replaced the form
    assert not [c for c in walk(page.views[-1]) if isinstance(c, ft.TextField) and c.label == "암호"]


def test_start_on_a_protected_file_shows_the_unlock_dialog_and_search_still_works(isolated_data_dir: Path):
    _protected_file(isolated_data_dir)
    page, _ = _start("/")
    dialogs = _open_dialogs(page)
    assert len(dialogs) == 1
    _passphrase_field(dialogs[0].content)
    find_button(dialogs[0], "나중에").on_click(None)
    assert not _open_dialogs(page)

    page.route = "/search"
    page.on_route_change(None)
    assert page.views[-1].route == "/search" and "암호로 보호되어 있습니다" not in _top_text(page)


def test_plain_file_and_web_mode_show_no_unlock_ui(isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    _file_with_a_case(isolated_data_dir)
    page, _ = _start("/")
    assert not _open_dialogs(page)

    Services.reset_shared()
    enable_protection(_user_file(isolated_data_dir), PASSPHRASE, FAST)
    monkeypatch.setenv("SANJAE_WEB_MODE", "1")
    page, _ = _start("/settings")
    assert not _open_dialogs(page)
    assert "암호로 보호" not in _top_text(page)


def test_settings_turns_protection_on_and_off(isolated_data_dir: Path):
    _file_with_a_case(isolated_data_dir)
    page, _ = _start("/settings")
    view = page.views[-1]
    assert "암호를 잊으면" in _top_text(page)
    fields = {c.label: c for c in walk(view) if isinstance(c, ft.TextField) and c.password}
    fields["새 암호"].value = "짧은암호"
    fields["새 암호 확인"].value = "짧은암호"
    find_button(view, "암호 보호 켜기").on_click(None)
    assert _wait_for(lambda: protection_vm.TOO_SHORT in _top_text(page))
    assert not file_is_encrypted(_user_file(isolated_data_dir))

    fields["새 암호"].value = fields["새 암호 확인"].value = PASSPHRASE
    find_button(view, "암호 보호 켜기").on_click(None)
    # the section was rebuilt; the strong KDF takes seconds
    assert _wait_for(lambda: "암호 보호 끄기" in _top_text(page), timeout=40)
    assert file_is_encrypted(_user_file(isolated_data_dir))
    assert _aliases(Services.shared()) == [CASE_ALIAS]

    view = page.views[-1]
    off = next(c for c in walk(view) if isinstance(c, ft.TextField) and c.label == "지금 암호 (끄기)")
    off.value = PASSPHRASE
    find_button(view, "암호 보호 끄기").on_click(None)
    assert _wait_for(lambda: "암호 보호 켜기" in _top_text(page), timeout=40)
    assert not file_is_encrypted(_user_file(isolated_data_dir))
    assert _aliases(Services.shared()) == [CASE_ALIAS]
