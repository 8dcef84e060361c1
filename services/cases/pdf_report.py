"""Case report as a PDF (fpdf2), with the bundled NanumGothic so Korean text prints and copies."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.paths import korean_font_path
from core.progress import CancelToken, ProgressCallback, check, report
from services.cases.model import Case, CaseError
from services.cases.report import FOOTER, Block, case_blocks
from storage.atomic import check_export_target, write_export_atomic

FONT = "NanumGothic"
# fontTools reports every TrueType table it drops while subsetting; that is noise for users.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
_SIZES = {"title": 17, "heading": 13, "subheading": 11, "field": 10, "item": 10, "check": 10, "text": 10}


class _CaseReportPDF(FPDF):
    def __init__(self, generated: date) -> None:
        super().__init__(format="A4")
        self.generated = generated
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
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
        self.set_title("사건 기록")
        self.set_creator("sanjae-gemma")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{FOOTER} · 참고용 정보 · 만든 날 {self.generated.isoformat()} · {self.page_no()}쪽",
                  align="C")
        self.set_text_color(0, 0, 0)

    def write_block(self, block: Block) -> None:
        size = _SIZES.get(block.kind, 10)
        width = self.epw
        if block.kind in ("title", "heading", "subheading"):
            self.ln(3 if block.kind != "subheading" else 1.5)
            self.set_font(FONT, "B", size)
            self.multi_cell(width, size * 0.55, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            if block.kind == "heading":
                y = self.get_y() + 0.5
                self.set_draw_color(180, 180, 180)
                self.line(self.l_margin, y, self.l_margin + width, y)
                self.ln(1.5)
            return
        self.set_font(FONT, "", size)
        line_height = size * 0.55
        if block.kind == "field":
            self._field(block.label, block.text, size)
            return
        if block.kind in ("item", "check"):  # a checklist line carries its own box instead of a bullet
            self.set_x(self.l_margin + 3)
            text = block.text if block.kind == "check" else "• " + block.text
            self.multi_cell(width - 3, line_height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            return
        self.multi_cell(width, line_height, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(1)

    def _field(self, label: str, text: str, size: int) -> None:
        """Bold label then regular value, flowing and wrapping as one paragraph."""
        line_height = size * 0.55
        self.set_x(self.l_margin)
        self.set_font(FONT, "B", size)
        self.write(line_height, f"{label}: " if text else label)
        self.set_font(FONT, "", size)
        if text:
            self.write(line_height, text)
        self.ln(line_height + 0.8)


def cases_pdf_bytes(cases: Iterable[Case], today: date | None = None, *,
                    progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> bytes:
    items = list(cases)
    today = today or date.today()
    pdf = _CaseReportPDF(today)
    if not items:
        pdf.add_page()
        pdf.write_block(Block("title", "사건 기록"))
        pdf.write_block(Block("text", "내보낼 사건이 없습니다."))
    for done, case in enumerate(items):
        check(cancel)
        pdf.add_page()
        for block in case_blocks(case, today):
            pdf.write_block(block)
        report(progress, done + 1, len(items), "PDF 만드는 중")
    return bytes(pdf.output())


def export_pdf(cases: Iterable[Case], path: Path, today: date | None = None, *,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Path:
    path = Path(path)
    check_export_target(path)  # before the slow part, so a bad target is said at once
    write_export_atomic(path, cases_pdf_bytes(cases, today, progress=progress, cancel=cancel))
    return path
