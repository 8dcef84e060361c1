"""Printable documents as a list of simple blocks, and their Markdown; the PDF writer reads the same blocks.

Kinds: "title", "heading", "subheading", "text", "note" (smaller, grey), "big" (large and bold, e.g. a date
to act by), "field" (bold label, then text), "item" (a bullet line), "check" (a checklist line that
carries its own □/■), "table" (``rows``, the first row being the header) and "pagebreak" (PDF only).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.deadlines import WEEKDAY_NAMES

# □ and ■ are in the bundled Korean font (☐/☑ are not, and would print as boxes with a cross).
OPEN_BOX = "□"
DONE_BOX = "■"


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()   # a table's relative column widths (PDF); empty: equal
    strong: tuple[int, ...] = ()     # a table's columns printed in bold (PDF)


def table(header: Iterable[str], rows: Iterable[Iterable[str]], widths: Iterable[float] = (),
          strong: Iterable[int] = ()) -> Block:
    return Block("table", rows=(tuple(header), *(tuple(row) for row in rows)), widths=tuple(widths),
                 strong=tuple(strong))


def check_line(text: str, done: bool) -> Block:
    return Block("check", f"{DONE_BOX if done else OPEN_BOX} {text}")


def dotted_day(day: date) -> str:
    """"2026. 12. 9.(수)": the way dates are written on Korean forms, with the weekday."""
    return f"{day.year}. {day.month}. {day.day}.({WEEKDAY_NAMES[day.weekday()]})"


def dotted_iso(text: str) -> str:
    """``dotted_day`` of a stored "YYYY-MM-DD"; anything else as it was."""
    try:
        return dotted_day(date.fromisoformat(text))
    except (TypeError, ValueError):
        return text


# ------------------------------------------------------------------------------ Markdown

_ORDERED = re.compile(r"^\d+[.)](\s|$)")


def md_escape(text: str, after_label: bool = False) -> str:
    """Keep the user's words as written but stop them from turning into headings or list markers;
    ``after_label``: the first line follows a label on its line, where no marker can start."""
    lines = []
    for number, line in enumerate(text.splitlines() or [""]):
        stripped = line.lstrip()
        if after_label and number == 0:
            pass
        elif stripped[:1] in ("#", ">", "-", "*", "+", "|") or _ORDERED.match(stripped):
            line = "\\" + line if stripped == line else line.replace(stripped, "\\" + stripped, 1)
        lines.append(line)
    return "  \n".join(lines)


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def _md_table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    header, body = rows[0], rows[1:]
    lines = ["| " + " | ".join(_md_cell(c) for c in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in body]
    return "\n" + "\n".join(lines) + "\n"


def _md_check(text: str) -> str:
    box, _, rest = text.partition(" ")
    if box in (OPEN_BOX, DONE_BOX):
        return f"- [{'x' if box == DONE_BOX else ' '}] {md_escape(rest)}"
    return f"- {md_escape(text)}"


def _md_block(block: Block) -> str | None:
    if block.kind == "title":
        return f"# {block.text}\n"
    if block.kind == "heading":
        return f"\n## {block.text}\n"
    if block.kind == "subheading":
        return f"\n### {block.text}\n"
    if block.kind == "field" and block.text:
        return f"- **{block.label}**: {md_escape(block.text, after_label=True)}"
    if block.kind == "field":  # a label over the lines that follow
        return f"\n**{block.label}**\n"
    if block.kind == "item":
        return f"- {md_escape(block.text)}"
    if block.kind == "check":
        return _md_check(block.text)
    if block.kind == "table":
        return _md_table(block.rows)
    if block.kind == "big":
        return f"\n**{md_escape(block.text, after_label=True)}**\n"
    if block.kind == "note":
        return f"\n*{md_escape(block.text, after_label=True)}*\n" if block.text.strip() else None
    if block.kind == "pagebreak":
        return None
    return f"\n{md_escape(block.text)}\n"


def blocks_to_markdown(blocks: Iterable[Block]) -> str:
    out = [text for text in (_md_block(block) for block in blocks) if text is not None]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"  # one blank line between blocks
