"""A one-page checklist for the claimant himself: the date to act by and what to file, where to file it, the
documents to bring and the free numbers to call, in large type for older readers.

Built from the case facts through ``services.next_step`` (the app's 다음에 할 일 card says the same
things). The case's alias is the only personal detail printed: contact, story and notes stay in the case.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from services.cases.blocks import Block, blocks_to_markdown, check_line, dotted_day, table
from services.cases.model import Case, CaseError
from services.cases.pdf_report import BlockPDF
from services.cases.report import FOOTER
from services.next_step import NextStep, days_words, filing_help, next_step
from storage.atomic import check_export_target, write_export_atomic

TITLE = "산재 불복 준비 체크리스트"
# What is handed in for each route.
FILING_DOCUMENTS = {"심사청구": "심사청구서", "재심사청구": "재심사청구서", "행정소송": "소장"}
DOCUMENT_NOTES = {"행정소송": " (법원에 행정소송을 내는 서류)"}
ITEM_CHARS = 90          # a longer to-do line is cut: the case file has it whole
HELP_HEADER = ("어디", "전화", "무엇을 물어보나요")
HELP_WIDTHS = (30, 15, 55)

# Type sizes (pt) for a reader who needs them large; ``checklist_pdf_bytes`` scales them down only when the
# page would not hold everything.
SIZES: dict[str, float] = {"title": 22, "heading": 16, "subheading": 15, "big": 24, "field": 14, "text": 14,
                           "item": 14, "check": 14, "note": 11.5, "table": 13}
# Type scales tried in turn with every to-do line; below ``READABLE_SCALE`` lines are left out instead.
SCALES = (1.0, 0.92, 0.85, 0.78)
READABLE_SCALE = 0.78
LAST_SCALE = 0.62


def _case_step(case: Case, today: date) -> NextStep:
    learned = date.fromisoformat(case.learned_on) if case.learned_on else None
    decided = date.fromisoformat(case.decided_on) if case.decided_on else None
    if learned is not None and decided is not None and decided > learned:
        decided = None  # inconsistent dates: the case page asks for them to be fixed
    return next_step(learned, decided, stage=case.stage, disease_committee=case.disease_committee, today=today)


def _main_routes(step: NextStep) -> list[str]:
    """The routes whose deadline is the date to act by, in the order they are usually taken."""
    return [route.name for route in step.routes if route.deadline == step.deadline and not route.overdue]


def _first_step_blocks(step: NextStep) -> list[Block]:
    if step.state == "overdue":
        return [Block("heading", "1. 기한이 지났어도 할 수 있는 일"), Block("big", step.headline),
                Block("text", step.summary), *(Block("item", line) for line in step.still_possible)]
    if step.state != "open" or step.deadline is None or step.days_left is None:
        return [Block("heading", "1. 먼저 할 일"), Block("big", step.headline), Block("text", step.summary)]
    routes = _main_routes(step) or [route.name for route in step.routes][:1]
    first, others = routes[0], routes[1:]
    blocks = [Block("heading", "1. 이 날까지 내세요"), Block("big", f"{dotted_day(step.deadline)}까지"),
              Block("field", days_words(step.days_left), "남은 날"),
              Block("field", FILING_DOCUMENTS.get(first, first) + DOCUMENT_NOTES.get(first, ""), "낼 서류"),
              Block("text", step.summary)]
    if others:
        choices = ", ".join(f"{name}({FILING_DOCUMENTS.get(name, name)})" for name in others)
        blocks.append(Block("text", f"같은 날까지 {choices}도 낼 수 있습니다. 어느 길로 갈지는 상담해 보세요."))
    return blocks


def _filing_blocks(step: NextStep) -> list[Block]:
    if step.state == "overdue" or not step.how_to_file:
        return []  # nothing to file by a date: the numbers below say who to ask
    routes = _main_routes(step)
    lines = filing_help(routes[:1]) if routes else list(step.how_to_file)
    return [Block("heading", "2. 어디에 내나요"), *(Block("item", line) for line in lines)]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ITEM_CHARS else text[:ITEM_CHARS].rstrip() + "…"


def _documents_blocks(case: Case, number: int, max_items: int | None) -> list[Block]:
    open_items = [item.text for item in case.checklist if not item.done]
    blocks = [Block("heading", f"{number}. 챙길 서류와 할 일")]
    if not open_items:
        return [*blocks, Block("text", "남은 할 일이 없습니다. 상담할 때 받은 서류를 모두 가져가세요.")]
    shown = open_items if max_items is None else open_items[:max_items]
    blocks += [check_line(_short(text), False) for text in shown]
    if len(shown) < len(open_items):
        blocks.append(Block("text", f"그 밖에 {len(open_items) - len(shown)}가지가 더 있습니다. 사건 기록을 보세요."))
    return blocks


def _help_blocks(step: NextStep, number: int, with_notes: bool) -> list[Block]:
    rows = [(contact.name, contact.phone, contact.what) for contact in step.free_help]
    blocks = [Block("heading", f"{number}. 무료로 물어볼 곳"), table(HELP_HEADER, rows, HELP_WIDTHS, strong=(1,))]
    if with_notes:
        blocks += [Block("note", note) for note in step.help_notes]
    return blocks


def _document(case: Case, today: date, max_items: int | None, with_notes: bool) -> list[Block]:
    step = _case_step(case, today)
    blocks = [Block("title", TITLE), Block("field", f"{case.alias}  ·  {dotted_day(today)} 기준", "사건")]
    blocks += _first_step_blocks(step)
    filing = _filing_blocks(step)
    blocks += filing
    number = 3 if filing else 2
    blocks += _documents_blocks(case, number, max_items)
    blocks += _help_blocks(step, number + 1, with_notes)
    blocks.append(Block("note", step.general_info))
    return blocks


def checklist_document(case: Case, today: date | None = None) -> list[Block]:
    """The checklist's blocks, everything included (the PDF may shorten it to stay on one page)."""
    return _document(case, today or date.today(), None, True)


def checklist_markdown(case: Case, today: date | None = None) -> str:
    return blocks_to_markdown(checklist_document(case, today))


def _render(blocks: Iterable[Block], today: date, scale: float) -> tuple[bytes, int]:
    pdf = BlockPDF(today, sizes={kind: size * scale for kind, size in SIZES.items()}, title=TITLE,
                   footer_text=f"{FOOTER} · 참고용 정보 · 만든 날 {dotted_day(today)}", numbered=False, margin=15)
    pdf.add_page()
    pdf.write_blocks(blocks)
    return bytes(pdf.output()), pdf.pages_count


def _fewest_lines_cut(case: Case, today: date, scale: float) -> bytes | None:
    """The page with as many to-do lines as fit at ``scale`` (found by halving), None when even one does not."""
    low, high, best = 1, max(1, len(case.checklist)), None
    while low <= high:
        middle = (low + high) // 2
        data, pages = _render(_document(case, today, middle, False), today, scale)
        if pages == 1:
            best, low = data, middle + 1
        else:
            high = middle - 1
    return best


def checklist_pdf_bytes(case: Case, today: date | None = None) -> bytes:
    """One A4 page: the largest type that holds everything; else the longer notes are left out, then the type
    gets smaller, and only then are to-do lines left out (the page says how many)."""
    today = today or date.today()
    data, pages = _render(_document(case, today, None, True), today, SCALES[0])
    for scale in SCALES:
        if pages == 1:
            return data
        data, pages = _render(_document(case, today, None, False), today, scale)
    if pages == 1:
        return data
    return (_fewest_lines_cut(case, today, READABLE_SCALE) or _fewest_lines_cut(case, today, LAST_SCALE)
            or _render(_document(case, today, 0, False), today, LAST_SCALE)[0])


def export_checklist(cases: Sequence[Case], path: Path, today: date | None = None) -> Path:
    """The checklist of the one case in ``cases`` written to ``path`` (a checklist is for one person)."""
    if len(cases) != 1:
        raise CaseError("체크리스트는 한 사건씩 만듭니다. 사건을 하나만 골라 주세요."
                        if cases else "체크리스트를 만들 사건이 없습니다.")
    path = Path(path)
    check_export_target(path)
    write_export_atomic(path, checklist_pdf_bytes(cases[0], today))
    return path
