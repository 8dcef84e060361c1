"""Small display pieces shared by the analysis and summary pages: titled lines and streamed text."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

import flet as ft

from app.widgets import layout

STREAM_REPAINT_S = 0.25  # at most ~4 repaints a second while text streams in


def titled_sections(sections: list[tuple[str, list[str]]]) -> list[ft.Control]:
    out: list[ft.Control] = []
    for title, lines in sections:
        out.append(ft.Text(title, size=17, weight=ft.FontWeight.BOLD))
        out.extend(layout.body_text(line if line.startswith("  ") else f"• {line}", selectable=True) for line in lines)
    return out


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
        self.ctx.call_soon(self.paint)

    def paint(self) -> None:
        with self.lock:
            self.pending = False
            raw = self.raw
        self.target.value = self.render(raw)
