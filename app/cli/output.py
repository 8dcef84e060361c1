"""Small helpers shared by CLI commands, and the standard streams as every command sees them.

``saved_analyses_text`` prints the analyses saved in a case with the case page's headings (``cases show``).

``guarded_streams`` is the one place that decides what a broken stream means: a stdout that is closed, full
or whose reader left raises ``OutputError`` (main prints one Korean line and exits 2); a broken stderr only
loses diagnostics; a closed stdin is an ``InputError`` for the commands that read it.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast

from core.errors import SanjaeError
from services.text_encoding import decode_korean_text

OUTPUT_FAILED = ("결과를 출력하지 못했습니다. 출력을 받는 쪽이 먼저 닫혔거나 디스크가 가득 찼습니다. "
                 "출력할 곳(파일, 디스크 공간, 파이프)을 확인한 뒤 다시 실행해 주세요.")
NO_STDOUT = "표준 출력이 닫혀 있어 결과를 보여 줄 수 없습니다. 출력을 화면이나 파일로 돌린 뒤 다시 실행해 주세요."
NO_STDIN = ("표준 입력이 닫혀 있어 글을 읽을 수 없습니다. 글을 파이프나 파일로 넘겨 다시 실행해 주세요 "
            "(예: python -m app.cli redact < 글.txt).")


class OutputError(SanjaeError):
    """The command's result could not be written to stdout."""


class InputError(SanjaeError):
    """stdin could not be read."""


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def read_stdin_text() -> str:
    """stdin as text: UTF-8, or CP949 as a Korean Windows console sends it."""
    if sys.stdin is None:  # started with stdin closed
        raise InputError(NO_STDIN)
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise InputError(NO_STDIN) from exc
    text = decode_korean_text(data)
    if text is None:
        raise InputError("입력한 글의 글자를 읽을 수 없습니다. 글을 UTF-8로 저장한 뒤 다시 넣어 주세요.")
    return text


def confirm(question: str) -> bool:
    """Ask on the terminal (the story came on stdin, so the answer can't); no terminal means no."""
    try:
        with open("/dev/tty", "r+", encoding="utf-8") as tty:
            tty.write(question)
            tty.flush()
            return tty.readline().strip().lower() in ("y", "yes", "예", "네", "ㅇ")
    except OSError:
        return False


def require_stdout() -> None:
    if sys.stdout is None:  # started with stdout closed: print() would silently drop the result
        raise OutputError(NO_STDOUT)


class _Stdout:
    """stdout for a command: any failed write or flush becomes ``OutputError``, whatever the command was doing."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise OutputError(OUTPUT_FAILED) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(OUTPUT_FAILED) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Stderr:
    """stderr for a command: progress and messages are best effort, a full or broken stderr stops nothing."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError:
            silence(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            silence(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def silence(stream: TextIO) -> None:
    """Point a broken stream's descriptor at the null device, so the flush at exit cannot fail again.

    Otherwise Python reports the unwritten buffer on the way out and turns the exit code into 120.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


@contextlib.contextmanager
def guarded_streams() -> Iterator[None]:
    """Run a command with the guarded stdout/stderr; restores the process's own streams afterwards."""
    saved_stdout, saved_stderr = sys.stdout, sys.stderr
    null_stderr = None
    if sys.stderr is None:
        # print(..., file=None) writes to stdout: with stderr closed, progress lines would end up in the JSON.
        null_stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed in the finally below
        sys.stderr = null_stderr
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if sys.stdout is not None:
        sys.stdout = cast(TextIO, _Stdout(sys.stdout))
    sys.stderr = cast(TextIO, _Stderr(sys.stderr))
    try:
        yield
    finally:
        if saved_stdout is not None:
            # Whatever is still buffered goes out now; if it cannot, nothing more is tried at exit.
            try:
                saved_stdout.flush()
            except OSError:
                silence(saved_stdout)
        sys.stdout, sys.stderr = saved_stdout, saved_stderr
        if null_stderr is not None:
            null_stderr.close()

