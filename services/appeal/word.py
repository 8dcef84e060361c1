"""The draft as a .docx (python-docx) that opens and edits in 한글 and Word: real headings, paragraphs and
ruled tables, no text boxes or fields, so every part can be typed over. Reads the blocks of
``services.appeal.document``.
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.font import Font

from services.appeal.document import draft_blocks
from services.appeal.draft import AppealDraft
from services.appeal.form import TITLES
from services.cases.blocks import Block
from services.cases.model import Case

# A Korean face every Windows PC with Word has and 한글 maps; the text stays editable whatever is installed.
FONT = "맑은 고딕"
SIZES_PT = {"title": 18, "heading": 13, "subheading": 11.5, "text": 10.5, "note": 9, "big": 12, "table": 10}
GREY = RGBColor(0x6E, 0x6E, 0x6E)
LABEL_FILL = "EEEEEE"
BOX_FILL = "F6F6F0"
INDENT_MM = 5


class _Styled(Protocol):
    """A run or a style: both carry a font and an element whose run properties take the East Asian face."""

    @property
    def font(self) -> Font: ...

    @property
    def element(self) -> Any: ...


def _font(run_or_style: _Styled, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):  # Hangul is set by eastAsia
        fonts.set(qn(attribute), FONT)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, size: float = SIZES_PT["table"]) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    for number, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        _font(run, size, bold)
        if number:
            run.add_break()


def _new_document() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    _font(document.styles["Normal"], SIZES_PT["text"])
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        _font(style)
        style.font.color.rgb = RGBColor(0, 0, 0)
    return document


def _form_table(document: DocxDocument, block: Block) -> None:
    rows = block.rows[1:]  # the first row names the columns for Markdown only
    grid = document.add_table(rows=len(rows), cols=3)
    grid.style = "Table Grid"
    start = 0
    for index, (group, label, value) in enumerate(rows):
        cells = grid.rows[index].cells
        _cell_text(cells[1], label, bold=True)
        _shade(cells[1], LABEL_FILL)
        _cell_text(cells[2], value)
        if group:
            start = index
            _cell_text(cells[0], group, bold=True)
        if index + 1 == len(rows) or rows[index + 1][0]:
            merged = grid.cell(start, 0).merge(grid.cell(index, 0)) if index > start else grid.cell(start, 0)
            _shade(merged, LABEL_FILL)
    for row in grid.rows:
        for cell, width in zip(row.cells, (Mm(28), Mm(45), Mm(97)), strict=True):
            cell.width = width


def _box(document: DocxDocument, block: Block) -> None:
    grid = document.add_table(rows=1, cols=1)
    grid.style = "Table Grid"
    cell = grid.cell(0, 0)
    _shade(cell, BOX_FILL)
    cell.text = ""
    for number, (line, *_) in enumerate(block.rows):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        _font(paragraph.add_run(line), SIZES_PT["table"] + (1 if number == 0 else 0), number == 0)


def _plain_table(document: DocxDocument, block: Block) -> None:
    grid = document.add_table(rows=len(block.rows), cols=len(block.rows[0]) if block.rows else 1)
    grid.style = "Table Grid"
    for r, values in enumerate(block.rows):
        for c, value in enumerate(values):
            _cell_text(grid.cell(r, c), value, bold=r == 0)


def _write(document: DocxDocument, block: Block) -> None:
    kind = block.kind
    if kind == "pagebreak":
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif kind == "title":
        _font(document.add_heading(level=0).add_run(block.text), SIZES_PT["title"], True)
    elif kind in ("heading", "subheading"):
        level = 1 if kind == "heading" else 2
        _font(document.add_heading(level=level).add_run(block.text), SIZES_PT[kind], True)
    elif kind == "table":
        {"form": _form_table, "box": _box}.get(block.label, _plain_table)(document, block)
        document.add_paragraph()
    elif kind == "field":
        paragraph = document.add_paragraph()
        _font(paragraph.add_run(f"{block.label}: " if block.text else block.label), SIZES_PT["text"], True)
        if block.text:
            _font(paragraph.add_run(block.text), SIZES_PT["text"])
    elif kind == "item":
        _font(document.add_paragraph(style="List Bullet").add_run(block.text), SIZES_PT["text"])
    else:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        _font(run, SIZES_PT.get(kind, SIZES_PT["text"]), kind == "big")
        if kind == "note":
            run.font.color.rgb = GREY
        if block.label.startswith("indent"):
            paragraph.paragraph_format.left_indent = Mm(INDENT_MM * int(block.label.removeprefix("indent") or 1))


def blocks_to_docx(blocks: Iterable[Block], title: str) -> bytes:
    document = _new_document()
    document.core_properties.title = title
    document.core_properties.author = "sanjae-gemma"
    for block in blocks:
        _write(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def appeal_docx_bytes(draft: AppealDraft, case: Case, today: date | None = None) -> bytes:
    return blocks_to_docx(draft_blocks(draft, case, today), f"{TITLES[draft.stage]} 초안")
