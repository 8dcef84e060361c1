"""A draft as printable blocks (``services.cases.blocks``): the PDF, the DOCX and the Markdown all read these.

Page 1 and on: the 청구서 as the form lays it out (a grid of its parts, the 청구 취지, the 청구 이유, the 입증 자료,
the closing line, the signature and the addressee). Last page: for the one who files it, not for the 공단 — the
deadline (first, when it has passed), the "제출 방법" box, the judgments cited and how they were checked, what
the draft could not do, and the free places to ask.

Two table kinds the appeal's writers draw differently from a plain table (``label``): "form" (the 청구서 grid;
its first row is a header for Markdown only) and "box" (one framed column, its first row the box's title).
"""
from __future__ import annotations

import re
from datetime import date

from services.appeal.draft import AppealDraft
from services.appeal.form import CLOSING, FORM_NOTE, SUBTITLES, TITLES, addressee, fields_for
from services.appeal.guidance import REVIEW_NOTE, deadline_state, filing_box, free_help_lines
from services.cases.blocks import Block, dotted_day
from services.cases.model import Case

FORM_HEADER = ("구분", "항목", "내용")
FORM_WIDTHS = (16, 26, 58)
DRAFT_MARK = "초안 · 내기 전에 검토하세요"
CITED_NOTE = "모두 이 컴퓨터에 있는 판결문이며, 사건번호로 확인했습니다. 내기 전에 판결문 원문을 한 번 더 읽어 보세요."
_SECTION = re.compile(r"^\d+\.\s")
_POINT = re.compile(r"^[가-하]\.\s")


def form_rows(draft: AppealDraft) -> list[tuple[str, str, str]]:
    """The grid: the group named on its first row only, an empty part printed as its marked blank."""
    rows: list[tuple[str, str, str]] = []
    group = ""
    for spec in fields_for(draft.stage):
        value = draft.value(spec.key).strip() or spec.blank
        rows.append((spec.group if spec.group != group else "", spec.label, value))
        group = spec.group
    return rows


def indent_of(line: str) -> int:
    """How deep a line of the 청구 이유 sits: 0, 1 (two spaces in) or 2 (five or more)."""
    spaces = len(line) - len(line.lstrip(" "))
    return 0 if spaces == 0 else 1 if spaces < 5 else 2


def reasons_blocks(text: str) -> list[Block]:
    """The 청구 이유 as typed: '1. …' lines as section headings, '가. …' as bold points, indented lines kept
    indented (``label`` "indent1"/"indent2"), the rest as paragraphs."""
    blocks: list[Block] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        depth = indent_of(line)
        if _SECTION.match(stripped) and not depth:
            blocks.append(Block("subheading", stripped))
        elif _POINT.match(stripped) and not depth:
            blocks.append(Block("field", "", stripped))
        else:
            blocks.append(Block("text", stripped, f"indent{depth}" if depth else ""))
    return blocks or [Block("text", "[직접 적기: 청구 이유]")]


def form_blocks(draft: AppealDraft) -> list[Block]:
    """The 청구서 itself."""
    branch = draft.value("branch")
    blocks = [Block("title", TITLES[draft.stage]), Block("note", f"{SUBTITLES[draft.stage]} · {DRAFT_MARK}"),
              Block("table", label="form", rows=(FORM_HEADER, *form_rows(draft)), widths=FORM_WIDTHS),
              Block("heading", "청구 취지"), Block("text", draft.purpose.strip() or "[직접 적기: 청구 취지]"),
              Block("heading", "청구 이유"), *reasons_blocks(draft.reasons),
              Block("heading", "입증 자료 목록")]
    blocks += [Block("item", item) for item in draft.evidence] or \
        [Block("text", "[직접 적기: 함께 낼 자료]")]
    filed = draft.value("filed_on").strip() or "20    .    .    ."
    signer = draft.value("claimant_name").strip() or "                "
    blocks += [Block("text", CLOSING[draft.stage]), Block("field", filed, "청구일"),
               Block("field", f"{signer}  (서명 또는 인)", "청구인")]
    if draft.value("agent_name").strip():
        blocks.append(Block("field", f"{draft.value('agent_name').strip()}  (서명 또는 인)", "대리인"))
    blocks += [Block("big", addressee(draft.stage, branch)), Block("note", FORM_NOTE)]
    return blocks


def guidance_blocks(draft: AppealDraft, case: Case, today: date) -> list[Block]:
    """The page for the one who files: never part of what the 공단 reads."""
    state = deadline_state(case, draft.stage, today)
    blocks = [Block("title", "내기 전에 읽어 주세요"), Block("note", f"{case.alias} · {dotted_day(today)} 기준")]
    if state.overdue:
        blocks += [Block("heading", "기한이 지났습니다"), Block("big", state.lines[0]),
                   *(Block("item", line) for line in state.lines[1:])]
    blocks.append(Block("text", REVIEW_NOTE))
    box = [("제출 방법",), *((f"{what}: {how}",) for what, how in filing_box(case, draft.stage, today))]
    blocks.append(Block("table", label="box", rows=tuple(box)))
    blocks.append(Block("heading", "인용한 판례"))
    if draft.citations:
        blocks.append(Block("text", CITED_NOTE))
        blocks += [Block("item", f"{c.head} — {c.result}" + (f" 「{c.title}」" if c.title else ""))
                   for c in draft.citations]
    else:
        blocks.append(Block("text", "인용한 판례가 없습니다."))
    blocks += [Block("note", notice) for notice in draft.notices]
    blocks.append(Block("heading", "무료로 물어볼 곳"))
    blocks += [Block("item", line) for line in free_help_lines()]
    return blocks


def draft_blocks(draft: AppealDraft, case: Case, today: date | None = None) -> list[Block]:
    today = today or date.today()
    form = form_blocks(draft)
    state = deadline_state(case, draft.stage, today)
    if state.overdue:  # said at once, under the title of the 청구서's first page
        form.insert(1, Block("big", f"※ {state.lines[0]} 마지막 쪽의 '내기 전에 읽어 주세요'를 먼저 보세요."))
    return [*form, Block("pagebreak"), *guidance_blocks(draft, case, today)]
