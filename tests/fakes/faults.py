"""Helpers for the fuzz, fault and security tests: input counters, Korean-failure checks, servers
that misbehave at the socket level, structure mutation of parsed envelopes, and a small full disk.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from core.errors import SanjaeError
from tests.fakes.loopback import LoopbackServer

HANGUL = re.compile(r"[가-힣]")

# -- counting inputs ---------------------------------------------------------------------------------
INPUTS: Counter[str] = Counter()


def tried(name: str) -> None:
    """Count one input fed to the code under test (reported at the end of each fuzz module)."""
    INPUTS[name] += 1


def report_counts(request: Any, prefix: str) -> None:
    """Write the counts of one fuzz module to the terminal (shown even without ``-s``)."""
    names = sorted(n for n in INPUTS if n.startswith(prefix))
    lines = [f"  {n}: {INPUTS[n]}" for n in names]
    total = sum(INPUTS[n] for n in names)
    text = f"\n[fuzz inputs tried, {prefix}] total {total}\n" + "\n".join(lines)
    capture = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
        if reporter is not None:
            reporter.write_line(text)
        else:  # pragma: no cover - plain runners
            print(text)
    out = os.environ.get("SANJAE_FUZZ_COUNTS")
    if out:  # optional machine-readable summary for the documentation table
        path = Path(out)
        data = json.loads(path.read_text()) if path.exists() else {}
        data.update({n: INPUTS[n] for n in names})
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def assert_korean_failure(exc: BaseException) -> None:
    """A failure the user may see: a ``SanjaeError`` whose message is non-empty Korean."""
    assert isinstance(exc, SanjaeError), f"not a SanjaeError: {type(exc).__name__}: {exc!r}"
    assert exc.message and HANGUL.search(exc.message), f"message without Korean: {exc.message!r}"


# -- random structures -------------------------------------------------------------------------------
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
KOREANISH = st.text(st.sampled_from(list("주문이유연관판결법원지원기각취소【】:，,. \n\t0123456789구단누<br/>가나다")),
                    max_size=80)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    TEXT, KOREANISH,
                    st.sampled_from(["", "00", "3", "22", "²", "١٢", "１２", "1,000", "-3", " 7 ", "1e3"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=20)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, prefix + (index,))
    return out


def _get(value: Any, path: tuple) -> Any:
    for step in path:
        value = value[step]
    return value


def mutate(data: st.DataObject, value: Any, steps: int = 3) -> Any:
    """Apply a few random structure edits to a parsed envelope: drop a field, add one, change its type,
    wrap a single item in a list (or unwrap a list), blank it, or put random text in it."""
    value = json.loads(json.dumps(value))
    for _ in range(data.draw(st.integers(1, steps))):
        paths = _paths(value)
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["drop", "add", "replace", "wrap", "unwrap", "blank", "text"]))
        if not path:
            if action in ("replace", "text"):
                value = data.draw(JSON_VALUES)
            continue
        parent, key = _get(value, path[:-1]), path[-1]
        current = parent[key]
        if action == "drop":
            del parent[key]
        elif action == "add" and isinstance(current, dict):
            current[data.draw(TEXT)] = data.draw(JSON_VALUES)
        elif action == "replace":
            parent[key] = data.draw(JSON_VALUES)
        elif action == "wrap":
            parent[key] = [current] if data.draw(st.booleans()) else [current, current]
        elif action == "unwrap" and isinstance(current, list) and current:
            parent[key] = current[0]
        elif action == "blank":
            parent[key] = data.draw(st.sampled_from(["", None, [], {}]))
        elif action == "text":
            parent[key] = data.draw(st.one_of(TEXT, KOREANISH))
    return value


# -- servers that misbehave ---------------------------------------------------------------------------
class BodyServer(LoopbackServer):
    """HTTP on 127.0.0.1 answering every GET with the bytes set in ``body`` (status ``status``)."""

    def __init__(self) -> None:
        self.body = b""
        self.status = 200
        self.content_type = "application/xml;charset=UTF-8"
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                owner.requests.append(self.path)
                body, status = owner.body, owner.status
                self.send_response(status)
                self.send_header("Content-Type", owner.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._serve(Handler)


class SilentServer:
    """Accepts TCP connections and never answers (a model that never replies). Records connections."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.connections: list[socket.socket] = []
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            conn.settimeout(0.05)
            self.connections.append(conn)
            for c in list(self.connections):
                with contextlib.suppress(OSError):
                    self.received += c.recv(65536)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self.connections:
            conn.close()
        self._sock.close()


def _sse_chunk(content: str) -> bytes:
    chunk = {"id": "chatcmpl-cut", "object": "chat.completion.chunk", "created": 0, "model": "ko-gemma",
             "choices": [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": None}]}
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()


class CutStreamServer(LoopbackServer):
    """An OpenAI-style chat server that streams ``pieces`` and then drops the connection without
    ``[DONE]`` (the server or a proxy died half-way). ``GET /info`` answers 404 (a vLLM-like server).
    ``chunked``: send the stream with chunked transfer encoding and stop mid-chunk."""

    def __init__(self, pieces: list[str], *, chunked: bool = True) -> None:
        self.pieces = pieces
        self.chunked = chunked
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                owner.requests.append(("GET", self.path))
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                owner.requests.append(("POST", self.path))
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                if owner.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for piece in owner.pieces:
                    data = _sse_chunk(piece)
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n" if owner.chunked else data)
                    self.wfile.flush()
                    time.sleep(0.01)
                if owner.chunked:  # announce a chunk, send half of it, hang up
                    self.wfile.write(b"400\r\ndata: {\"id\": \"chatc")
                    self.wfile.flush()
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

        self._serve(Handler)


# -- a full disk -------------------------------------------------------------------------------------
@contextlib.contextmanager
def small_tmpfs(folder: Path, size: str = "256k") -> Iterator[Path | None]:
    """Mount a tiny tmpfs at ``folder``; yields None when mounting is not permitted here."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        for _ in range(20):
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)


def fill_disk(folder: Path, leave: int = 0) -> None:
    """Fill the file system under ``folder`` until fewer than ``leave`` bytes are free."""
    filler = folder / "filler.bin"
    with open(filler, "ab") as fh:
        block = b"\0" * 4096
        while True:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            if free <= leave:
                break
            try:
                fh.write(block[: max(1, min(4096, free - leave))])
                fh.flush()
            except OSError:
                break
