"""Reading a file the user chose, safely: a regular file only, never past a cap, never a path a web visitor sent.

One place for "read what the user picked", used by every page (app.viewmodels.picked_file) and the CLI.
In web mode the picker's answer comes from the visitor's browser, which can send anything: only the bytes
it uploaded count there, never a path (a forged path would make the server read its own files). On the
desktop the path names the user's own file; it is read only if it is a regular file and never past the
cap, so a device node such as /dev/zero or a huge file can't exhaust memory.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import SanjaeError

NO_CONTENT = "파일 내용을 받지 못했습니다. 파일을 다시 골라 주세요."
NOT_A_FILE = "고른 항목은 보통 파일이 아니어서 열 수 없습니다. 문서 파일을 골라 주세요."
UNREADABLE = "파일을 읽지 못했습니다. 파일이 다른 프로그램에서 열려 있지 않은지 확인한 뒤 다시 골라 주세요."


@dataclass(frozen=True)
class PickedFile:
    name: str
    data: bytes


class PickedFileError(SanjaeError):
    """The picked file can't be used; ``message`` says why in Korean and what to do."""


def _size_text(n: int) -> str:
    return f"{n / 1_000_000:g}MB" if n >= 1_000_000 else f"{n // 1000:,}KB"


def too_big(limit: int, hint: str = "") -> PickedFileError:
    return PickedFileError(f"파일이 너무 큽니다({_size_text(limit)}까지). " + (hint or "더 작은 파일을 골라 주세요."))


def read_local_file(path: str | Path, max_bytes: int, hint: str = "") -> bytes:
    """A regular file's bytes, at most ``max_bytes``; raises ``PickedFileError`` in Korean otherwise."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise PickedFileError(NOT_A_FILE)
            if info.st_size > max_bytes:
                raise too_big(max_bytes, hint)
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise PickedFileError(UNREADABLE) from exc
    if len(data) > max_bytes:  # the file grew while being read
        raise too_big(max_bytes, hint)
    return data


def picked_bytes(answer: Any, *, trust_path: bool, max_bytes: int, hint: str = "") -> PickedFile:
    """The content of one ``FilePickerFile``; raises ``PickedFileError`` with a Korean message.

    ``trust_path`` is True only for the desktop app, whose picker runs on this computer.
    """
    name = os.path.basename(str(getattr(answer, "name", "") or "").replace("\\", "/")) or "파일"
    size = getattr(answer, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise too_big(max_bytes, hint)
    uploaded = getattr(answer, "bytes", None)
    if uploaded is not None:
        data = bytes(uploaded)
        if len(data) > max_bytes:
            raise too_big(max_bytes, hint)
        return PickedFile(name, data)
    path = getattr(answer, "path", None)
    if trust_path and path:
        return PickedFile(name, read_local_file(str(path), max_bytes, hint))
    raise PickedFileError(NO_CONTENT)
