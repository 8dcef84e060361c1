"""A headless Flet page for UI tests: no server, no browser, no Flutter.

Mirrors what the web server does for a new client (Session → page patch → main(page)). The
connection serialises every message with msgpack like the real transports: Flet's diff takes its
list snapshots while serialising, so a connection that only stored messages would stop seeing
list changes.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgpack
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

_ENCODE = configure_encode_object_for_msgpack(BaseControl)


class RecordingConnection(Connection):
    def __init__(self) -> None:
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.sent: list[tuple[Any, bytes]] = []

    def send_message(self, message: Any) -> None:
        self.sent.append((message.action, msgpack.packb([message.action, message.body], default=_ENCODE)))


def make_page(route: str = "/", width: float = 1280) -> tuple[Any, RecordingConnection]:
    conn = RecordingConnection()
    session = Session(conn)
    session.page.route = route
    session.page.width = width
    msgpack.packb(session.get_page_patch(), default=_ENCODE)
    conn.session = session  # the page only holds a weak reference to its session
    return session.page, conn


def walk(control: Any) -> Iterator[Any]:
    """Every control below ``control`` (depth first), following the usual child attributes."""
    if control is None:
        return
    yield control
    for name in ("content", "controls", "appbar", "navigation_bar", "title", "actions", "label",
                 "leading", "trailing", "destinations"):
        child = getattr(control, name, None)
        if isinstance(child, list):
            for c in child:
                if isinstance(c, BaseControl):
                    yield from walk(c)
        elif isinstance(child, BaseControl):
            yield from walk(child)


def texts(control: Any) -> list[str]:
    out = []
    for c in walk(control):
        value = getattr(c, "value", None)
        if type(c).__name__ == "Text" and isinstance(value, str):
            out.append(value)
        for attr in ("text", "content"):
            v = getattr(c, attr, None)
            if isinstance(v, str):
                out.append(v)
    return out


def find_button(control: Any, label: str) -> Any:
    for c in walk(control):
        named = getattr(c, "content", None) == label or getattr(c, "text", None) == label
        if named and getattr(c, "on_click", None) is not None:
            return c
    raise AssertionError(f"no button {label!r}")
