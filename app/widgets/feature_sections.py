"""Small display pieces shared by the analysis and summary pages: titled lines, cards and scrolling.

Streamed text lives in ``app.widgets.stream``."""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, cast

import flet as ft

from app.theme import px
from app.widgets import layout


def titled_sections(sections: list[tuple[str, list[str]]]) -> list[ft.Control]:
    out: list[ft.Control] = []
    for title, lines in sections:
        out.append(ft.Text(title, theme_style=px(17), weight=ft.FontWeight.BOLD))
        out.extend(layout.body_text(line if line.startswith("  ") else f"• {line}") for line in lines)
    return out


def wide_card(*controls: ft.Control, padding: int = 16) -> ft.Card:
    """Like ``layout.card`` but children use the full width (text fields, long lines)."""
    return ft.Card(content=ft.Container(
        ft.Column(list(controls), spacing=10, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        padding=padding, border_radius=12),
        semantic_container=False)  # each line stays its own node for screen readers


def notify_now(ctx: Any, message: str, error: bool = False) -> None:
    """Show a notice from an event handler without losing the handler's other changes.

    Showing a snackbar updates the page early, and Flet then skips the automatic update at the
    end of the handler; so push the pending changes first.
    """
    ctx.page.update()
    ctx.notify(message, error=error)


def scroll_body(controls: list[ft.Control]) -> ft.Column:
    """The page body as our own scrolling column (so the page can scroll to new results)."""
    return ft.Column(controls, spacing=16, expand=True, scroll=ft.ScrollMode.AUTO,
                     horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def scroll_key(name: str) -> ft.ScrollKey:
    """``ft.ScrollKey(name)``: the key ``scroll_into_view`` finds a control by.

    Flet makes the key classes' ``__init__`` in a decorator that mypy cannot see through, hence the cast.
    """
    make = cast(Callable[[str], ft.ScrollKey], ft.ScrollKey)
    return make(name)


def scroll_into_view(ctx: Any, body: ft.Column, key: str | None, margin: float = 0) -> None:
    """Bring the control with ``key`` (None: the end of the page) into view once the client has drawn it;
    ``margin`` pixels of what is above it stay visible too (a field's label, the question it answers)."""
    import asyncio  # noqa: PLC0415

    async def go() -> None:
        await asyncio.sleep(0.3)
        try:
            if key is None:
                await body.scroll_to(offset=-1, duration=300)
            else:
                # The delta counts from where the first jump ends, so that one must not be animated.
                await body.scroll_to(scroll_key=key, duration=0 if margin else 300)
                if margin:
                    await body.scroll_to(delta=-margin, duration=200)
        except Exception:  # the tab may have moved on; scrolling is only a convenience
            pass

    with contextlib.suppress(Exception):
        ctx.page.run_task(go)


def icon_action(icon: Any, label: str, on_click: Callable[..., Any]) -> ft.Control:
    """An icon button that screen readers (and tests) can find by ``label`` (a tooltip alone is not read)."""
    return ft.Semantics(content=ft.IconButton(icon, tooltip=label, on_click=on_click), label=label, button=True)
