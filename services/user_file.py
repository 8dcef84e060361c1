"""The desktop user file (cases, plain settings) for the whole process, plain or passphrase-protected.

``UserFile`` owns the one open ``UserStore``. When ``user.json`` is encrypted the store stays closed
until the right passphrase is given (``unlock``); ``enable``/``change``/``disable`` recode the file with
the ``storage.crypto_codec`` helpers (slow on purpose: call them from a worker thread) and reopen the
store with the new codec. Whoever keeps the store elsewhere (the settings) is told through ``watch``;
everything else asks ``store`` / ``require_store()`` each time, so it always works on the current one.
Messages are plain Korean saying what to do next.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

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
from storage.user_store import UserStore

log = logging.getLogger(__name__)

PASSPHRASE_ENV = "SANJAE_PASSPHRASE"   # read by the composition root for the app and the CLI
FILE_NAME = "user.json"
MIN_LENGTH = 8

LOCKED_MESSAGE = ("사건 기록이 든 사용자 파일이 암호로 보호되어 있습니다. "
                  "'사건' 화면이나 '설정'에서 암호를 입력해 연 뒤 다시 해 주세요.")
LOCKED_CLI = ("사용자 파일이 암호로 보호되어 있습니다. "
              "암호를 입력해 주세요 (명령줄에서는 SANJAE_PASSPHRASE).")
UNAVAILABLE = "사용자 파일을 열지 못해 사건을 저장할 수 없습니다. 앱을 다시 시작해 주세요."
EMPTY_PASSPHRASE = "암호를 입력해 주세요."
TOO_SHORT = f"새 암호는 {MIN_LENGTH}글자 이상이어야 합니다. 긴 문장도 좋습니다."
MISMATCH = "새 암호와 확인용 암호가 다릅니다. 두 칸에 똑같이 입력해 주세요."
SAME_AS_OLD = "새 암호가 지금 암호와 같습니다. 다른 암호를 입력해 주세요."
NOT_OPEN = "사용자 파일이 아직 열려 있지 않습니다. 먼저 지금 암호로 파일을 열어 주세요."
ENABLED = "암호 보호를 켰습니다. 암호를 잊으면 사건 기록을 되살릴 수 없으니, 안전한 곳에 적어 두세요."
CHANGED = "암호를 바꿨습니다. 다음에 앱을 열 때부터 새 암호를 입력해 주세요."
DISABLED = "암호 보호를 껐습니다. 이제 사용자 파일은 암호 없이 열립니다."
UNLOCKED = "사용자 파일을 열었습니다. 이번 실행 동안 사건 기록을 쓸 수 있습니다."

StoreListener = Callable[[UserStore | None], None]


class ProtectionError(StoreError):
    """A passphrase problem the user can fix (empty, too short, not confirmed)."""


def check_new_passphrase(new: str, confirm: str) -> None:
    """Raise ``ProtectionError`` unless ``new`` is long enough and typed the same twice."""
    if not new:
        raise ProtectionError(EMPTY_PASSPHRASE)
    if len(new) < MIN_LENGTH:
        raise ProtectionError(TOO_SHORT)
    if new != confirm:
        raise ProtectionError(MISMATCH)


def _joined(*parts: str) -> str:
    return " ".join(filter(None, parts))


class UserFile:
    """The user file of one data folder and the store open on it (``None`` while locked or unreadable)."""

    def __init__(self, path: Path, *, empty_on_damage: bool = True, protect_new: bool = False) -> None:
        """``empty_on_damage=False`` (the CLI): a file and backup both unreadable are refused, not started empty.
        ``protect_new`` (the CLI): a file created while a passphrase is given is encrypted with it from the start."""
        self.path = Path(path)
        self.empty_on_damage = empty_on_damage
        self.protect_new = protect_new
        self._store: UserStore | None = None
        self._problem: StoreError | None = None  # why the file could not be opened at start
        self._listeners: list[StoreListener] = []
        self._lock = threading.Lock()  # one swap at a time (two tabs, or a tab and the start-up unlock)

    @classmethod
    def open(cls, path: Path, passphrase: str | None = None, *, empty_on_damage: bool = True,
             protect_new: bool = False, create: bool = True) -> UserFile:
        """Open the file at start: plain, or with ``passphrase`` when it is protected.

        A protected file without (or with a wrong) passphrase stays locked; a plain file that can't be
        read leaves the store closed and ``require_store`` says why. Nothing on disk changes then.
        ``create=False`` (commands that only read settings): a missing file is left missing, store closed.
        """
        user_file = cls(path, empty_on_damage=empty_on_damage, protect_new=protect_new)
        if not create and not user_file.path.exists():
            return user_file
        if user_file.is_protected() and not passphrase:
            log.info("user file is passphrase-protected; waiting for the passphrase")
            return user_file
        try:
            user_file._install(user_file._open_store(passphrase))
        except StoreError as exc:
            # A wrong passphrase (the app asks for it instead) or an unreadable file: said in Korean
            # by ``require_store`` when the file is needed.
            log.info("user file not opened: %s", exc.message)
            user_file._problem = exc
        return user_file

    # ---------------------------------------------------------------------------- state

    @property
    def store(self) -> UserStore | None:
        """The open store, or None while the file is locked (or could not be read)."""
        return self._store

    def is_protected(self) -> bool:
        """Whether the file on disk is encrypted with a passphrase."""
        return file_is_encrypted(self.path)

    def is_locked(self) -> bool:
        """True when the file is encrypted and this process has not opened it with its passphrase."""
        if not self.is_protected():
            return False
        store = self._store
        return store is None or not store.is_protected()

    def require_store(self, locked_message: str = LOCKED_MESSAGE) -> UserStore:
        """The open store, or ``StoreError`` in Korean: locked (``locked_message``) or unreadable."""
        if self.is_locked():
            raise self._problem or StoreError(locked_message)
        store = self._store
        if store is None:
            raise self._problem or StoreError(UNAVAILABLE)
        return store

    def watch(self, listener: StoreListener) -> None:
        """Call ``listener(store)`` now and whenever another store takes the place of the current one."""
        self._listeners.append(listener)
        listener(self._store)

    # ---------------------------------------------------------------------------- opening

    def _open_store(self, passphrase: str | None) -> UserStore:
        if passphrase and self.protect_new and not self.path.exists():
            return UserStore(self.path, codec=PassphraseCodec(passphrase), empty_on_damage=self.empty_on_damage)
        if not self.is_protected():
            return UserStore(self.path, empty_on_damage=self.empty_on_damage)
        if not passphrase:
            raise StoreError(LOCKED_MESSAGE)
        return UserStore(self.path, codec=PassphraseCodec(passphrase), empty_on_damage=self.empty_on_damage)

    def _install(self, store: UserStore) -> None:
        with self._lock:
            old, self._store, self._problem = self._store, store, None
            for listener in self._listeners:
                listener(store)
        if old is not None and old is not store:
            try:
                old.close()
            except Exception:  # an old handle that fails to close must not undo the swap
                log.debug("closing the previous user store failed", exc_info=True)

    def unlock(self, passphrase: str) -> str:
        """Open the protected file with ``passphrase`` for the rest of this process."""
        if not passphrase:
            raise ProtectionError(EMPTY_PASSPHRASE)
        self._install(self._open_store(passphrase))
        return UNLOCKED

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()

    # ---------------------------------------------------------------------------- turning it on, changing, off

    def _require_open(self) -> Path:
        if self._store is None or self.is_locked():
            raise ProtectionError(NOT_OPEN)
        return self.path

    def enable(self, new: str, confirm: str, params: KdfParams | None = None) -> str:
        """Encrypt the plain file with ``new`` and reopen the store with it."""
        check_new_passphrase(new, confirm)
        copies = enable_protection(self._require_open(), new, params)
        self._install(self._open_store(new))
        return _joined(ENABLED, copies_text(copies, protected=True))

    def change(self, old: str, new: str, confirm: str, params: KdfParams | None = None) -> str:
        """Re-encrypt with a new passphrase; ``old`` must open the file (else nothing changes)."""
        if not old:
            raise ProtectionError(EMPTY_PASSPHRASE)
        check_new_passphrase(new, confirm)
        if new == old:
            raise ProtectionError(SAME_AS_OLD)
        copies = change_passphrase(self._require_open(), old, new, params)
        self._install(self._open_store(new))
        return _joined(CHANGED, copies_text(copies, protected=True))

    def disable(self, passphrase: str) -> str:
        """Decrypt the file back to plain JSON; ``passphrase`` must open it (else nothing changes)."""
        if not passphrase:
            raise ProtectionError(EMPTY_PASSPHRASE)
        copies = disable_protection(self._require_open(), passphrase)
        self._install(self._open_store(None))
        return _joined(DISABLED, copies_text(copies, protected=False))
