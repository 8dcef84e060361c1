"""The draft as a PDF in the layout of the paper form: a ruled grid of the 청구서's parts, shaded labels, then the
청구 취지 and 이유; the last page's "제출 방법" in a framed box. NanumGothic through the case report's writer."""
from __future__ import annotations

from datetime import date

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from services.appeal.document import draft_blocks
from services.appeal.draft import AppealDraft
from services.appeal.form import TITLES
from services.cases.blocks import Block, dotted_day
from services.cases.model import Case
from services.cases.pdf_report import FONT, LINE, REPORT_SIZES, BlockPDF

LABEL_FILL = (238, 238, 238)
BOX_FILL = (246, 246, 240)
INDENT_MM = 5
SIZES = {**REPORT_SIZES, "title": 20, "table": 10, "text": 10.5, "field": 10.5, "item": 10.5, "big": 12}


class AppealPDF(BlockPDF):
    """``BlockPDF`` with the two tables a 청구서 needs (see ``services.appeal.document``)."""

    def _table(self, block: Block, size: float) -> None:
        if block.label == "form":
            self._grid(block, size)
        elif block.label == "box":
            self._box(block, size)
        else:
            super()._table(block, size)

    def _paragraph(self, block: Block, size: float) -> None:
        if not block.label.startswith("indent"):
            super()._paragraph(block, size)
            return
        indent = INDENT_MM * int(block.label.removeprefix("indent") or 1)
        self.set_font(FONT, "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, size * LINE, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(0.8)

    def _grid(self, block: Block, size: float) -> None:
        self.ln(1)
        self.set_font(FONT, "", size)
        label = FontFace(family=FONT, emphasis="BOLD", fill_color=LABEL_FILL)
        with self.table(col_widths=block.widths or None, text_align="LEFT", align="LEFT", line_height=size * LINE,
                        padding=1.6, borders_layout="ALL", first_row_as_headings=False, width=self.epw) as grid:
            rows = block.rows[1:]  # the first row names the columns for Markdown only
            for index, (group, *rest) in enumerate(rows):
                row = grid.row()
                if group:  # one cell down the side for the whole group, as on the paper form
                    span = 1 + next((n for n, later in enumerate(rows[index + 1:]) if later[0]), len(rows) - index - 1)
                    row.cell(group, style=label, rowspan=span, v_align="TOP")
                for column, value in enumerate(rest):
                    row.cell(value, style=label if column == 0 else None)
        self.ln(2)

    def _box(self, block: Block, size: float) -> None:
        self.ln(1.5)
        self.set_font(FONT, "", size)
        head = FontFace(family=FONT, emphasis="BOLD", fill_color=BOX_FILL, size_pt=size + 1)
        body = FontFace(family=FONT, fill_color=BOX_FILL)
        with self.table(text_align="LEFT", align="LEFT", line_height=size * LINE, padding=2.2,
                        borders_layout="NO_HORIZONTAL_LINES", first_row_as_headings=False, width=self.epw) as grid:
            for number, (value, *_) in enumerate(block.rows):
                grid.row().cell(value, style=head if number == 0 else body)
        self.ln(2)


def appeal_pdf_bytes(draft: AppealDraft, case: Case, today: date | None = None) -> bytes:
    today = today or date.today()
    title = TITLES[draft.stage]
    pdf = AppealPDF(today, sizes=SIZES, title=f"{title} 초안",
                    footer_text=f"{title} 초안 · 내기 전에 검토하세요 · 만든 날 {dotted_day(today)}")
    pdf.add_page()
    pdf.write_blocks(draft_blocks(draft, case, today))
    return bytes(pdf.output())
