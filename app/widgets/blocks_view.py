"""Report blocks (``services.cases.blocks``) drawn on screen, so a saved analysis reads the same on the case
page as in the PDF and Markdown a worker hands over."""
from __future__ import annotations

from collections.abc import Iterable

import flet as ft

from app.theme import px
from app.widgets import layout
from services.cases.blocks import Block


def _table(block: Block) -> ft.Control:
    header, *rows = block.rows or ((),)
    lines: list[ft.Control] = []
    for row in rows:
        # Phones are narrow: each row is a small card of "header: value" lines, not a grid.
        lines.append(ft.Column([ft.Text(f"{head}: {cell}" if head else cell, theme_style=px(15))
                                for head, cell in zip(header, row, strict=False) if cell], spacing=2, tight=True))
    return ft.Column(lines, spacing=8, tight=True)


def block_control(block: Block) -> ft.Control | None:
    if block.kind in ("title", "heading"):
        return ft.Text(block.text, theme_style=px(17), weight=ft.FontWeight.BOLD)
    if block.kind in ("subheading", "big") or (block.kind == "field" and not block.text):
        return ft.Text(block.text or block.label, theme_style=px(16), weight=ft.FontWeight.BOLD)
    if block.kind == "field":
        return layout.body_text(f"{block.label}: {block.text}")
    if block.kind == "item":
        return layout.body_text(f"• {block.text}")
    if block.kind == "check":
        return layout.body_text(block.text)
    if block.kind == "note":
        return layout.muted_text(block.text) if block.text.strip() else None
    if block.kind == "table":
        return _table(block)
    if block.kind == "pagebreak":
        return None
    return layout.body_text(block.text)


def blocks_view(blocks: Iterable[Block]) -> list[ft.Control]:
    return [control for control in (block_control(block) for block in blocks) if control is not None]
