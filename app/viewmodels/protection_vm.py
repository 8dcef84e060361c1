"""Passphrase protection of the user file (cases, plain settings) for the desktop app.

One ``Services`` per process holds the open ``UserStore``. When ``user.json`` is encrypted, the store
stays closed (``None``) until the right passphrase is given; ``unlock`` then opens it with a
``PassphraseCodec`` and swaps it into every place that uses it (settings, the case repository), so
the rest of the process works on the protected file. ``enable``/``change``/``disable`` recode the
file with the ``storage.crypto_codec`` helpers (slow on purpose: run them in a worker thread) and
reopen the store with the new codec. Plain Python: no Flet here.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from core.errors import StoreError
from storage.crypto_codec import (
    KdfParams,
    PassphraseCodec,
    change_passphrase,
    copies_text,
    disable_protection,
    enable_protection,
    file_is_encrypted,
)

log = logging.getLogger(__name__)

PASSPHRASE_ENV = "SANJAE_PASSPHRASE"   # the CLI reads the same variable
MIN_LENGTH = 8
# Pages that read or write the user file; they wait behind the unlock form while it is closed.
USER_FILE_ROUTES = frozenset({"/cases", "/case/<case_id>"})

LOCKED_MESSAGE = ("사건 기록이 든 사용자 파일이 암호로 보호되어 있습니다. "
                  "'사건' 화면이나 '설정'에서 암호를 입력해 연 뒤 다시 해 주세요.")
EMPTY_PASSPHRASE = "암호를 입력해 주세요."
TOO_SHORT = f"새 암호는 {MIN_LENGTH}글자 이상이어야 합니다. 긴 문장도 좋습니다."
MISMATCH = "새 암호와 확인용 암호가 다릅니다. 두 칸에 똑같이 입력해 주세요."
SAME_AS_OLD = "새 암호가 지금 암호와 같습니다. 다른 암호를 입력해 주세요."
NOT_OPEN = "사용자 파일이 아직 열려 있지 않습니다. 먼저 지금 암호로 파일을 열어 주세요."
ENABLED = "암호 보호를 켰습니다. 암호를 잊으면 사건 기록을 되살릴 수 없으니, 안전한 곳에 적어 두세요."
CHANGED = "암호를 바꿨습니다. 다음에 앱을 열 때부터 새 암호를 입력해 주세요."
DISABLED = "암호 보호를 껐습니다. 이제 사용자 파일은 암호 없이 열립니다."
UNLOCKED = "사용자 파일을 열었습니다. 이번 실행 동안 사건 기록을 쓸 수 있습니다."

_swap_lock = threading.Lock()  # one store swap at a time (two tabs, or a tab and the env unlock)


class ProtectionError(StoreError):
    """A passphrase problem the user can fix (empty, too short, not confirmed)."""


# ---------------------------------------------------------------------------- state

def user_file(services: Any = None) -> Path:
    """The user file: the open store's path, else ``data_dir()/user.json``."""
    store = getattr(services, "user_store", None)
    path = getattr(store, "path", None)
    if path is not None:
        return Path(path)
    from core.paths import data_dir  # noqa: PLC0415 - read the env var at call time

    return data_dir() / "user.json"


def is_protected(services: Any = None) -> bool:
    return file_is_encrypted(user_file(services))


def _codec_of(store: Any) -> Any:
    return getattr(getattr(getattr(store, "db", None), "storage", None), "codec", None)


def is_locked(services: Any) -> bool:
    """True when the user file is encrypted and this process has not opened it with its passphrase."""
    if not is_protected(services):
        return False
    store = getattr(services, "user_store", None)
    return store is None or not isinstance(_codec_of(store), PassphraseCodec)


def needs_unlock_screen(services: Any, web_mode: bool, route_pattern: str) -> bool:
    """Whether a page must show the unlock form instead of itself (desktop, locked, a user-file page)."""
    return not web_mode and route_pattern in USER_FILE_ROUTES and is_locked(services)


# ---------------------------------------------------------------------------- opening

def open_user_store(passphrase: str | None = None, path: Path | None = None) -> Any:
    """Open the user file: plain when it is not encrypted, else with ``passphrase``.

    Raises ``StoreError`` (a plain Korean message) when the file is encrypted and the passphrase is
    missing or wrong; nothing on disk changes then.
    """
    from storage.user_store import UserStore  # noqa: PLC0415

    path = Path(path) if path else user_file()
    if not file_is_encrypted(path):
        return UserStore(path)
    if not passphrase:
        raise StoreError(LOCKED_MESSAGE)
    return UserStore(path, codec=PassphraseCodec(passphrase))


def open_at_start(path: Path | None = None) -> Any | None:
    """The store for ``Services.create``: plain, or unlocked by ``SANJAE_PASSPHRASE``; None while locked."""
    path = Path(path) if path else user_file()
    env_passphrase = os.environ.get(PASSPHRASE_ENV) or None
    if file_is_encrypted(path) and not env_passphrase:
        log.info("user file is passphrase-protected; waiting for the passphrase")
        return None
    try:
        return open_user_store(env_passphrase, path)
    except StoreError as exc:
        if file_is_encrypted(path):  # e.g. a wrong passphrase in the env: the app asks instead
            log.warning("user file not unlocked from %s: %s", PASSPHRASE_ENV, exc.message)
            return None
        raise


def install(services: Any, store: Any) -> None:
    """Make ``store`` the user file for the whole process: the shared services and their settings."""
    with _swap_lock:
        old = services.user_store
        services.user_store = store
        if getattr(services, "settings", None) is not None:
            services.settings.user_store = store
    if old is not None and old is not store:
        try:
            old.close()
        except Exception:  # an old handle that fails to close must not undo the swap
            log.debug("closing the previous user store failed", exc_info=True)


def unlock(services: Any, passphrase: str) -> str:
    """Open the protected user file with ``passphrase`` for the rest of this process."""
    if not passphrase:
        raise ProtectionError(EMPTY_PASSPHRASE)
    store = open_user_store(passphrase, user_file(services))
    install(services, store)
    return UNLOCKED


# ---------------------------------------------------------------------------- turning it on, changing, off

def check_new_passphrase(new: str, confirm: str) -> None:
    """Raise ``ProtectionError`` unless ``new`` is long enough and typed the same twice."""
    if not new:
        raise ProtectionError(EMPTY_PASSPHRASE)
    if len(new) < MIN_LENGTH:
        raise ProtectionError(TOO_SHORT)
    if new != confirm:
        raise ProtectionError(MISMATCH)


def _reopen(services: Any, passphrase: str | None) -> None:
    install(services, open_user_store(passphrase, user_file(services)))


def _require_open(services: Any) -> Path:
    if services.user_store is None or is_locked(services):
        raise ProtectionError(NOT_OPEN)
    return user_file(services)


def enable(services: Any, new: str, confirm: str, params: KdfParams | None = None) -> str:
    """Encrypt the plain user file with ``new`` and reopen the store with it."""
    check_new_passphrase(new, confirm)
    path = _require_open(services)
    copies = enable_protection(path, new, params)
    _reopen(services, new)
    return " ".join(filter(None, (ENABLED, copies_text(copies, protected=True))))


def change(services: Any, old: str, new: str, confirm: str, params: KdfParams | None = None) -> str:
    """Re-encrypt with a new passphrase; ``old`` must open the file (else nothing changes)."""
    if not old:
        raise ProtectionError(EMPTY_PASSPHRASE)
    check_new_passphrase(new, confirm)
    if new == old:
        raise ProtectionError(SAME_AS_OLD)
    path = _require_open(services)
    copies = change_passphrase(path, old, new, params)
    _reopen(services, new)
    return " ".join(filter(None, (CHANGED, copies_text(copies, protected=True))))


def disable(services: Any, passphrase: str) -> str:
    """Decrypt the user file back to plain JSON; ``passphrase`` must open it (else nothing changes)."""
    if not passphrase:
        raise ProtectionError(EMPTY_PASSPHRASE)
    path = _require_open(services)
    copies = disable_protection(path, passphrase)
    _reopen(services, None)
    return " ".join(filter(None, (DISABLED, copies_text(copies, protected=False))))
