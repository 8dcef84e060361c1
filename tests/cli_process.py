"""Running the real program in a subprocess, the way a user starts it, for the robustness tests."""
from __future__ import annotations

import functools
import os
import re
import socket
import subprocess
import sys
from typing import Any

from tests.conftest import REPO

KOREAN = re.compile(r"[가-힣]")
STORY = "저는 건설현장에서 일하다가 허리를 다쳤습니다. 담당자 홍길동, 연락처 010-1234-5678입니다."


def env(**changes: str) -> dict[str, str]:
    values = dict(os.environ)  # carries this test's own SANJAE_DATA_DIR
    values["PYTHONPATH"] = str(REPO)
    values.update(changes)
    return values


def run(args: list[str], *, module: str = "app.cli", stdin: Any = subprocess.DEVNULL, stdout: Any = subprocess.PIPE,
        stderr: Any = subprocess.PIPE, close: tuple[int, ...] = (), input_bytes: bytes | None = None,
        environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m module args``; ``close`` lists the child's descriptors to close before it starts."""
    if input_bytes is not None:
        stdin = None  # subprocess.run makes the pipe for input=
    closer = functools.partial(_close_fds, close) if close else None
    return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=environ or env(), stdin=stdin,
                          stdout=stdout, stderr=stderr, input=input_bytes, preexec_fn=closer, timeout=120)


def _close_fds(fds: tuple[int, ...]) -> None:
    for fd in fds:
        os.close(fd)


def assert_korean_last_line(stderr: bytes) -> str:
    """No traceback; the last line says in Korean what happened (progress lines may come before it)."""
    text = stderr.decode("utf-8")
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines and KOREAN.search(lines[-1]), text
    return lines[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
