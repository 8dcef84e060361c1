"""Text that streams in from a worker thread (AI answers), repainted a few times a second."""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

import flet as ft

STREAM_REPAINT_S = 0.25  # at most ~4 repaints a second while text streams in


class StreamBuffer:
    """Text pieces from a worker thread, repainted on the page loop a few times a second."""

    def __init__(self, ctx: Any, target: ft.Text, render: Callable[[str], str] = str) -> None:
        self.ctx = ctx
        self.target = target
        self.render = render
        self.raw = ""
        self.lock = threading.Lock()
        self.last = 0.0
        self.pending = False

    def add(self, piece: str) -> None:
        with self.lock:
            self.raw += piece
            now = time.monotonic()
            if self.pending or now - self.last < STREAM_REPAINT_S:
                return
            self.pending, self.last = True, now
        # Repaint only the streaming text: a whole-page update would diff the full judgment on the
        # event loop that every visitor shares, once per streamed piece.
        self.ctx.call_soon(self.paint, refresh=False)

    def restart(self) -> None:
        """The model starts its answer again (a repair attempt): drop what streamed so far."""
        with self.lock:
            self.raw = ""
            if self.pending:
                return
            self.pending = True
        self.ctx.call_soon(self.paint, refresh=False)

    def paint(self) -> None:
        with self.lock:
            self.pending = False
            raw = self.raw
        self.target.value = self.render(raw)
        with contextlib.suppress(Exception):  # the control left the page (tab closed, page rebuilt)
            self.target.update()
