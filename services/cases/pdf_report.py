"""Case report as a PDF (fpdf2), with the bundled NanumGothic so Korean text prints and copies.

``BlockPDF`` writes the blocks of ``services.cases.blocks`` on A4, left-aligned (justified Korean lines get
wide gaps); the claimant's one-page checklist uses it with larger type.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from core.paths import korean_font_path
from core.progress import CancelToken, ProgressCallback, check, report
from services.cases.blocks import Block, dotted_day
from services.cases.model import Case, CaseError
from services.cases.report import FOOTER, case_blocks
from storage.atomic import check_export_target, write_export_atomic

FONT = "NanumGothic"
# fontTools reports every TrueType table it drops while subsetting; that is noise for users.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
REPORT_SIZES: dict[str, float] = {"title": 17, "heading": 13, "subheading": 11, "field": 10, "item": 10,
                                  "check": 10, "text": 10, "note": 8.5, "big": 16, "table": 9}
LINE = 0.55      # line height per point of type size, in mm
GREY = (110, 110, 110)


class BlockPDF(FPDF):
    """A4 pages of blocks: optional running title on the pages after the first, footer with page numbers."""

    def __init__(self, generated: date, *, sizes: Mapping[str, float] = REPORT_SIZES, title: str = "사건 기록",
                 footer_text: str = "", numbered: bool = True, margin: float = 18) -> None:
        super().__init__(format="A4")
        self.generated = generated
        self.sizes = dict(sizes)
        self.footer_text = footer_text or f"{FOOTER} · 참고용 정보 · 만든 날 {dotted_day(generated)}"
        self.numbered = numbered
        self.running_title = ""
        self.set_auto_page_break(auto=True, margin=margin)
        self.set_margins(margin, margin, margin)
        try:
            regular = korean_font_path()
        except FileNotFoundError as exc:
            raise CaseError(str(exc)) from None
        self.add_font(FONT, "", str(regular))
        try:
            bold = korean_font_path(bold=True)
        except FileNotFoundError:
            bold = regular  # headings then differ by size only
        self.add_font(FONT, "B", str(bold))
        self.set_title(title)
        self.set_creator("sanjae-gemma")

    # -- page furniture -------------------------------------------------------------------
    def header(self) -> None:
        if not self.running_title:
            return
        self.set_y(9)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 4, self.running_title, align="R")
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        if self.numbered:  # {nb} becomes the page count when the file is written
            self.cell(0, 4, f"- {self.page_no()} / {{nb}} -", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 4, self.footer_text, align="C")
        self.set_text_color(0, 0, 0)

    # -- blocks ---------------------------------------------------------------------------
    def write_blocks(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            self.write_block(block)

    def write_block(self, block: Block) -> None:
        size = self.sizes.get(block.kind, self.sizes["text"])
        if block.kind == "pagebreak":
            if self.get_y() > self.t_margin + 1:  # never an empty page
                self.add_page()
        elif block.kind in ("title", "heading", "subheading"):
            self._heading(block, size)
        elif block.kind == "field":
            self._field(block.label, block.text, size)
        elif block.kind in ("item", "check"):
            self._item(block, size)
        elif block.kind == "table":
            self._table(block, size)
        else:
            self._paragraph(block, size)

    def _heading(self, block: Block, size: float) -> None:
        # A heading at the foot of a page, with nothing of its section under it, moves to the next page.
        if self.get_y() + size * LINE * 4 > self.page_break_trigger and block.kind != "title":
            self.add_page()
        else:
            self.ln({"title": 3, "heading": 3.5, "subheading": 2}[block.kind])
        self.set_font(FONT, "B", size)
        self.multi_cell(self.epw, size * LINE, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        if block.kind == "heading":
            y = self.get_y() + 0.5
            self.set_draw_color(180, 180, 180)
            self.line(self.l_margin, y, self.l_margin + self.epw, y)
            self.ln(1.5)
        elif block.kind == "subheading":
            self.ln(0.6)

    def _paragraph(self, block: Block, size: float) -> None:
        bold = block.kind == "big"
        self.set_font(FONT, "B" if bold else "", size)
        if block.kind == "note":
            self.set_text_color(*GREY)
        self.multi_cell(self.epw, size * LINE, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_text_color(0, 0, 0)
        self.ln(1 if not bold else 1.5)

    def _item(self, block: Block, size: float) -> None:
        # The bullet (or a checklist line's own box) hangs left of the text, so wrapped lines align with it.
        mark, text = "•", block.text
        if block.kind == "check":
            mark, _, text = block.text.partition(" ")
        indent, mark_width = size * 0.3, size * 0.55
        self.set_font(FONT, "", size)
        self.set_x(self.l_margin + indent)
        self.cell(mark_width, size * LINE, mark)
        self.multi_cell(self.epw - indent - mark_width, size * LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                        align="L")
        self.ln(size * 0.06)

    def _field(self, label: str, text: str, size: float) -> None:
        """Bold label then regular value, flowing and wrapping as one paragraph."""
        line_height = size * LINE
        self.set_x(self.l_margin)
        self.set_font(FONT, "B", size)
        self.write(line_height, f"{label}: " if text else label)
        self.set_font(FONT, "", size)
        if text:
            self.write(line_height, text)
        self.ln(line_height + 0.8)

    def _table(self, block: Block, size: float) -> None:
        if not block.rows:
            return
        self.ln(1)
        self.set_font(FONT, "", size)
        header_style = FontFace(family=FONT, emphasis="BOLD", fill_color=(235, 235, 235))
        with self.table(col_widths=block.widths or None, text_align="LEFT", align="LEFT", line_height=size * LINE,
                        padding=1.4, headings_style=header_style, borders_layout="HORIZONTAL_LINES",
                        width=self.epw) as grid:
            bold = FontFace(family=FONT, emphasis="BOLD")
            for number, values in enumerate(block.rows):
                row = grid.row()
                for column, value in enumerate(values):
                    row.cell(value, style=bold if number and column in block.strong else None)
        self.ln(1.5)


def cases_pdf_bytes(cases: Iterable[Case], today: date | None = None, *,
                    progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> bytes:
    items = list(cases)
    today = today or date.today()
    pdf = BlockPDF(today)
    if not items:
        pdf.add_page()
        pdf.write_blocks([Block("title", "사건 기록"), Block("text", "내보낼 사건이 없습니다.")])
    for done, case in enumerate(items):
        check(cancel)
        pdf.running_title = ""   # the first page of a case has the alias as its title
        pdf.add_page()
        pdf.running_title = f"사건 기록: {case.alias}"
        pdf.write_blocks(case_blocks(case, today))
        report(progress, done + 1, len(items), "PDF 만드는 중")
    return bytes(pdf.output())


def export_pdf(cases: Iterable[Case], path: Path, today: date | None = None, *,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Path:
    path = Path(path)
    check_export_target(path)  # before the slow part, so a bad target is said at once
    write_export_atomic(path, cases_pdf_bytes(cases, today, progress=progress, cancel=cancel))
    return path
