"""TinyDB storage that survives crashes and concurrent writers.

TinyDB's own JSONStorage rewrites the file in place, so a crash mid-write leaves a broken file, and
nothing stops two processes from writing at once. This storage instead:
- writes a temp file in the same folder, fsyncs it and ``os.replace``s it over the old one;
- keeps the previous good file as ``<name>.bak`` (a hard link, so it costs no copy);
- serialises writers across threads and processes with ``storage.locks.PathLock``;
- on a file that can't be parsed, moves it aside, restores the backup and records a notice for the
  user (never an empty start without a word);
- passes bytes through a pluggable ``Codec`` (plain, or encrypted with a passphrase).
"""
from __future__ import annotations

import contextlib
import copy
import os
import shutil
import stat
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from core.errors import StoreError
from storage.codec import Codec, PlainCodec
from storage.locks import PathLock

_notices_guard = threading.Lock()
_notices: list[str] = []


def recovery_notices(clear: bool = False) -> list[str]:
    """Korean notices about files that were broken and restored in this process."""
    with _notices_guard:
        out = list(_notices)
        if clear:
            _notices.clear()
        return out


def _add_notice(text: str) -> None:
    with _notices_guard:
        _notices.append(text)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder`` (and ``folder`` itself) to disk.

    For a set of files written into a temp folder that is then renamed into place as a whole: after a
    power cut the renamed folder must hold complete files, not empty ones.
    """
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir():
            fsync_dir(path)
            continue
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_dir(folder)


def write_bytes_atomic(path: Path, payload: bytes, *, backup: bool = False, make_folder: bool = True) -> None:
    """Replace ``path`` with ``payload`` so that readers see the old or the new file, never a mix.

    ``make_folder``: create missing parent folders (the app's own data folder); exports pass False.
    """
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(_write_error_message(path, exc)) from None
    fsync_dir(path.parent)


class ExportTargetError(StoreError):
    """The path chosen for an export is not somewhere a new file may be written."""


def check_export_target(path: Path) -> None:
    """Refuse a user-chosen export path that is a link, folder or device, or whose folder is missing.

    Replacing a symlink would swap out the link, and a device or folder is never "the old export".
    """
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError:
        raise ExportTargetError(f"'{path}'을(를) 확인할 수 없어 저장하지 않았습니다. "
                                "위치와 권한을 확인해 주세요.") from None
    if mode is None:
        if not path.parent.is_dir():
            raise ExportTargetError(f"'{path.parent}' 폴더가 없어 저장하지 않았습니다. "
                                    "폴더를 먼저 만들거나 이미 있는 폴더를 골라 주세요.")
        return
    if stat.S_ISLNK(mode):
        raise ExportTargetError(f"'{path}'은(는) 다른 파일을 가리키는 링크라서 저장하지 않았습니다. "
                                "링크가 가리키는 파일이 바뀌지 않도록, 다른 파일 이름을 골라 주세요.")
    if stat.S_ISDIR(mode):
        raise ExportTargetError(f"'{path}'은(는) 폴더라서 저장하지 않았습니다. 폴더 안의 파일 이름까지 적어 주세요.")
    if not stat.S_ISREG(mode):
        raise ExportTargetError(f"'{path}'은(는) 보통 파일이 아니라(장치 등) 저장하지 않았습니다. "
                                "다른 파일 이름을 골라 주세요.")


def write_export_atomic(path: Path, payload: bytes) -> None:
    """Write an export to the path the user chose: checked first (see ``check_export_target``), atomic."""
    path = Path(path)
    check_export_target(path)
    write_bytes_atomic(path, payload, make_folder=False)


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temp files left by writers that were killed mid-save (their process is gone).

    They are never read (the real file is only ever replaced whole), but would pile up.
    """
    removed = 0
    for tmp in folder.glob(".*.tmp"):
        parts = tmp.name.split(".")
        pid = next((int(p) for p in parts if p.isdigit()), None)
        if pid is None or pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # the writer is still alive: leave its file alone
        except ProcessLookupError:
            pass
        except OSError:
            continue
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _keep_backup(path: Path) -> None:
    bak = backup_path(path)
    link_tmp = path.with_name(f".{path.name}.{os.getpid()}.bak.tmp")
    try:
        if link_tmp.exists():
            link_tmp.unlink()
        os.link(path, link_tmp)  # the old inode survives the replace below: a free backup
    except OSError:
        shutil.copy2(path, link_tmp)  # file systems without hard links (FAT on a USB stick)
    os.replace(link_tmp, bak)


def _write_error_message(path: Path, exc: OSError) -> str:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"저장 공간이 부족해 '{path.name}'을(를) 저장하지 못했습니다. "
                "디스크 공간을 확보한 뒤 다시 시도해 주세요. 기존 자료는 그대로 남아 있습니다.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"'{path.parent}' 폴더에 쓸 권한이 없습니다. "
                "다른 데이터 폴더를 SANJAE_DATA_DIR로 지정하거나 권한을 확인해 주세요.")
    return f"'{path.name}'을(를) 저장하지 못했습니다 ({exc.strerror}). 기존 자료는 그대로 남아 있습니다."


# The header written by storage.crypto_codec.PassphraseCodec (kept here to avoid importing cryptography).
ENCRYPTED_MAGIC = b"SJGENC"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def broken_copies(path: Path) -> list[Path]:
    """The damaged copies of ``path`` (and of its backup) that recovery set aside, oldest first."""
    found = [*path.parent.glob(f"{path.name}.broken-*"), *path.parent.glob(f"{path.name}.bak.broken-*")]
    return sorted(p for p in found if p.is_file() and not p.is_symlink())


def _aside_path(path: Path) -> Path:
    """``<name>.broken-<time>``; never one that exists (two recoveries in one second keep both copies)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    number = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.broken-{stamp}-{number}")
        number += 1
    return aside


class UnreadableFileError(StoreError):
    """A file and its backup are both damaged, and the caller asked not to start empty."""


class AtomicJSONStorage(Storage):
    """A TinyDB ``Storage`` with atomic replace, backup, locking and recovery (see module doc)."""

    def __init__(self, path: str | os.PathLike[str], codec: Codec | None = None, *,
                 backup: bool = True, copy_on_read: bool = True, empty_on_damage: bool = True,
                 check_shape: Callable[[dict[str, Any]], None] | None = None, **_: Any) -> None:
        """``empty_on_damage=False``: raise ``UnreadableFileError`` instead of starting empty when the
        file and its backup are both unreadable. ``check_shape(data)`` raises ValueError for parsed data
        the caller can't use; such a file is treated like a damaged one."""
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.codec: Codec = codec or PlainCodec()
        self.backup = backup
        self.copy_on_read = copy_on_read
        self.empty_on_damage = empty_on_damage
        self.check_shape = check_shape
        self.lock = PathLock(self.path)
        self._cache: dict[str, Any] | None = None
        self._cache_stamp: tuple[int, int, int] | None = None

    # -- reading ---------------------------------------------------------------------------
    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> dict[str, Any] | None:
        with self.lock:
            stamp = self._stamp()
            data: dict[str, Any] | None
            if stamp is not None and stamp == self._cache_stamp and self._cache is not None:
                data = self._cache
            else:
                data = self._load()
                self._cache, self._cache_stamp = data, self._stamp()
            if data is None:
                return None
            return copy.deepcopy(data) if self.copy_on_read else data

    def _load(self) -> dict[str, Any] | None:
        if not self.path.exists():
            bak = backup_path(self.path)
            if bak.exists():
                return self._recover(reason="missing")
            return None
        raw = self.path.read_bytes()
        try:
            return self._parse(raw)
        except ValueError:
            return self._recover(reason="broken")
        except StoreError:
            # A wrong passphrase fails on the backup too; a damaged encrypted file fails alone.
            if not self._backup_opens():
                raise
            return self._recover(reason="broken")

    def _backup_opens(self) -> bool:
        bak = backup_path(self.path)
        try:
            self._parse(bak.read_bytes())
        except (OSError, ValueError, StoreError):
            return False
        return True

    def _parse(self, raw: bytes) -> dict[str, Any]:
        if isinstance(self.codec, PlainCodec) and raw.startswith(ENCRYPTED_MAGIC):
            # A protected file opened without its passphrase is not broken: never set it aside.
            raise StoreError("사용자 파일이 암호로 보호되어 있습니다. 암호를 입력한 뒤 다시 열어 주세요.")
        text = self.codec.decode(raw)  # a wrong passphrase raises StoreError: not corruption
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ValueError(str(exc)) from None
        if not isinstance(data, dict):
            raise ValueError("top level is not an object")
        if self.check_shape is not None:
            self.check_shape(data)
        return data

    def _recover(self, reason: str) -> dict[str, Any] | None:
        kept = ""
        if self.path.exists():
            aside = _aside_path(self.path)
            os.replace(self.path, aside)
            kept = f" 손상된 파일은 '{aside}'(으)로 옮겨 두었습니다."
        bak = backup_path(self.path)
        if bak.exists():
            try:
                data = self._parse(bak.read_bytes())
            except ValueError:  # a wrong passphrase (StoreError) is no damage: it propagates, nothing moves
                data = None
            if data is not None:
                shutil.copy2(bak, self.path)
                _add_notice(f"'{self.path.name}' 파일을 읽을 수 없어 마지막 정상 백업으로 복구했습니다.{kept} "
                            "가장 최근의 변경 하나가 빠졌을 수 있으니 확인해 주세요.")
                return data
            # The next save would replace the damaged backup: keep it aside with the damaged file.
            bak_aside = _aside_path(bak)
            os.replace(bak, bak_aside)
            kept += f" 손상된 백업은 '{bak_aside}'(으)로 옮겨 두었습니다."
        what = "손상되어" if reason == "broken" else "없어져"
        if not self.empty_on_damage:
            raise UnreadableFileError(
                f"'{self.path.name}' 파일이 {what} 읽을 수 없고, 쓸 수 있는 백업도 없습니다.{kept} "
                "지운 것은 없습니다. 내보내기 파일이나 전체 백업이 있다면 가져오기(명령줄: cases import, "
                "cases restore)로 되살려 주세요. 다시 실행하면 빈 파일로 시작합니다.")
        _add_notice(f"'{self.path.name}' 파일이 {what} 있었고 쓸 수 있는 백업이 없어 빈 상태로 시작합니다.{kept} "
                    "내보내기 파일이나 다른 백업이 있다면 '가져오기'로 되살릴 수 있습니다.")
        return None

    # -- writing ---------------------------------------------------------------------------
    def write(self, data: dict[str, Any]) -> None:
        # orjson: UTF-8 Korean as is (not \u escapes) and ~10x faster than json for large shards.
        try:
            encoded = orjson.dumps(data)
        except TypeError:  # orjson refuses nesting deeper than 254 levels and integers beyond 64 bits
            raise StoreError(f"'{self.path.name}'에 저장할 수 없는 값(지나치게 깊게 겹친 자료나 너무 큰 숫자)이 있어 "
                             "저장하지 않았습니다. 기존 자료는 그대로 남아 있습니다.") from None
        payload = self.codec.encode(encoded)
        with self.lock:
            try:
                write_bytes_atomic(self.path, payload, backup=self.backup)
            except BaseException:
                self._cache, self._cache_stamp = None, None
                raise
            self._cache = copy.deepcopy(data) if self.copy_on_read else data
            self._cache_stamp = self._stamp()

    def close(self) -> None:
        self._cache, self._cache_stamp = None, None
