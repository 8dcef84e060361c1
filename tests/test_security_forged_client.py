"""A forged web client can't make the server read its own files.

The test speaks Flet's websocket protocol itself (msgpack frames over ``/ws``), the way a visitor's modified
browser could: it opens a page, clicks the button that opens a file picker, and answers the server's
``pick_files`` call with the path of a file on the server and no bytes. The server must ignore the path,
show a Korean notice, and send nothing of the file back.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import msgpack
import pytest
import websockets
from flet.messaging.protocol import decode_ext_from_msgpack

from services.picked_files import NO_CONTENT
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.slow

REGISTER, PATCH, EVENT, INVOKE = 1, 2, 3, 5
MARKER = "SERVER-ONLY-SECRET-7f3a"


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


class ForgedClient:
    """A websocket client that registers like Flutter's web client and answers method calls itself."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.received: list[Any] = []

    async def send(self, action: int, body: dict[str, Any]) -> None:
        await self.ws.send(b"\x00" + msgpack.packb([action, body]))

    async def next_message(self, timeout: float) -> Any | None:
        try:
            raw = await asyncio.wait_for(self.ws.recv(), timeout)
        except TimeoutError:
            return None
        message = msgpack.unpackb(raw[1:], ext_hook=decode_ext_from_msgpack, raw=False, strict_map_key=False)
        self.received.append(message)
        return message

    async def wait_for(self, found: Any, timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        for message in self.received:
            if (hit := found(message)) is not None:
                return hit
        while time.monotonic() < deadline:
            message = await self.next_message(deadline - time.monotonic())
            if message is not None and (hit := found(message)) is not None:
                return hit
        raise AssertionError("the server never sent what the client waited for")

    async def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await self.next_message(deadline - time.monotonic())

    def text(self) -> str:
        return repr(self.received)


def _button_labelled(label: str):
    def find(message: Any) -> int | None:
        for node in _walk(message):
            if node.get("content") == label and "_i" in node:
                return int(node["_i"])
        return None
    return find


def _pick_files_call(message: Any) -> dict[str, Any] | None:
    if message[0] == INVOKE and message[1].get("name") == "pick_files":
        return dict(message[1])
    return None


async def _forge(url: str, route: str, button: str, answer: dict[str, Any]) -> ForgedClient:
    ws_url = url.replace("http://", "ws://") + "ws"
    async with websockets.connect(ws_url, max_size=None, open_timeout=30, proxy=None) as ws:
        client = ForgedClient(ws)
        await client.send(REGISTER, {"session_id": "", "page_name": "", "page": {
            "route": route, "width": 1280, "height": 900, "web": True, "platform": "linux"}})
        target = await client.wait_for(_button_labelled(button))
        await client.send(EVENT, {"target": target, "name": "click", "data": None})
        call = await client.wait_for(_pick_files_call)
        await client.send(INVOKE, {"control_id": call["control_id"], "call_id": call["call_id"],
                                   "result": [answer], "error": None})
        await client.wait_for(lambda m: m if NO_CONTENT in repr(m) else None, timeout=30)
        await client.drain(1.5)
        return client


def forge(url: str, route: str, button: str, answer: dict[str, Any]) -> ForgedClient:
    """Run the client on a loop of its own thread: Playwright's sync API may hold this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _forge(url, route, button, answer)).result()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("forged-client"), {}) as url:
        yield url


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "operator-keys.txt"
    path.write_text(f"SANJAE_PORTAL_KEY={MARKER}\n" * 20, encoding="utf-8")
    return path


@pytest.mark.parametrize(("route", "button", "name"), [
    ("/summarize", ".txt 파일 열기", "keys.txt"),
    ("/cases", "가져오기", "cases.json"),
])
def test_a_forged_path_answer_reads_nothing_on_the_server(app_url: str, secret_file: Path, route: str,
                                                           button: str, name: str) -> None:
    answer = {"id": 1, "name": name, "size": secret_file.stat().st_size, "path": str(secret_file), "bytes": None}
    client = forge(app_url, route, button, answer)
    seen = client.text()
    assert MARKER not in seen
    assert "SANJAE_PORTAL_KEY" not in seen
    assert NO_CONTENT in seen  # the visitor is told in Korean what to do instead


def test_a_device_path_answer_does_not_exhaust_the_server(app_url: str) -> None:
    answer = {"id": 1, "name": "cases.json", "size": 10, "path": "/dev/zero", "bytes": None}
    client = forge(app_url, "/cases", "가져오기", answer)
    assert NO_CONTENT in client.text()
