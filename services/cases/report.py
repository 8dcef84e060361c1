"""The printable content of a case, as simple blocks that Markdown and PDF both render.

The report opens with what a reader needs first: the case, its stage and decision dates, and the appeal
deadlines as a table. Each saved situation analysis follows on its own page (``analysis_report``), then
the 할 일, the saved precedents, pasted documents and notes.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from core.errors import SanjaeError
from services.cases.analysis_report import analysis_blocks, analysis_heading
from services.cases.blocks import Block, blocks_to_markdown, check_line, dotted_day, dotted_iso, table
from services.cases.checklist import ticked_keys
from services.cases.model import Case
from services.deadlines import DISCLAIMER, Deadline
from services.next_step import days_words, next_step
from storage.atomic import write_export_atomic

__all__ = ["FOOTER", "Block", "blocks_to_markdown", "case_blocks", "cases_markdown", "export_markdown"]

FOOTER = "법률 자문이 아닙니다"
DEADLINE_HEADER = ("절차", "기한", "남은 날", "무엇을 하나요")
DEADLINE_WIDTHS = (18, 24, 20, 50)

# A pasted document's summary (``TextSummary.to_dict()``): the parts a reader wants, in reading order.
SUMMARY_LABELS = (("doc_type", "문서 종류"), ("preview", "한 줄 요약"), ("what_it_is", "무슨 문서인가요"),
                  ("key_points", "핵심 내용"), ("what_it_means", "무슨 뜻인가요"),
                  ("next_steps", "이제 할 수 있는 일"), ("deadline_note", "기한 안내"))


def _stage_line(case: Case) -> str:
    return case.stage + (" (업무상질병판정위원회 심의)" if case.disease_committee else "")


# ------------------------------------------------------------------------------ first page

def _case_facts(case: Case) -> list[Block]:
    blocks = [Block("title", f"사건 기록: {case.alias}"), Block("field", _stage_line(case), "단계")]
    if case.decided_on:
        blocks.append(Block("field", dotted_iso(case.decided_on), "처분일"))
    if case.learned_on:
        blocks.append(Block("field", dotted_iso(case.learned_on), "결정을 안 날"))
    if case.contact:
        blocks.append(Block("field", case.contact, "연락처"))
    blocks.append(Block("field", dotted_iso(case.updated_at[:10]), "마지막 수정"))
    return blocks


def _route_meanings(case: Case, today: date) -> dict[str, str]:
    """What each route means in one line, as the app's 다음에 할 일 card says it."""
    learned = date.fromisoformat(case.learned_on) if case.learned_on else None
    decided = date.fromisoformat(case.decided_on) if case.decided_on else None
    step = next_step(learned, decided, stage=case.stage, disease_committee=case.disease_committee, today=today)
    return {route.name: route.meaning for route in step.routes}


def deadline_table(deadlines: list[Deadline], meanings: dict[str, str]) -> Block:
    rows = [(d.name, dotted_day(d.deadline), days_words(d.days_left), meanings.get(d.name, "")) for d in deadlines]
    return table(DEADLINE_HEADER, rows, DEADLINE_WIDTHS)


def _overdue_help(deadlines: list[Deadline]) -> list[str]:
    # Every passed deadline carries the same general help; it is said once.
    seen: list[str] = []
    for item in deadlines:
        seen += [option for option in item.options_if_overdue if option not in seen]
    return seen


def _deadline_blocks(case: Case, today: date) -> list[Block]:
    blocks = [Block("heading", "불복 기한"), Block("note", f"{dotted_day(today)} 기준")]
    try:
        deadlines = case.deadlines(today)
    except SanjaeError as exc:  # a stored date the calendar cannot count from: the rest still prints
        return [*blocks, Block("text", exc.message)]
    if not deadlines:
        reason = ("결정을 안 날을 적으면 기한을 계산합니다." if not case.learned_on
                  else "이 단계에서는 계산할 불복 기한이 없습니다.")
        return [*blocks, Block("text", reason), Block("note", DISCLAIMER)]
    blocks.append(deadline_table(deadlines, _route_meanings(case, today)))
    blocks += [Block("text", item.notice) for item in deadlines if item.notice]
    blocks.append(Block("field", "", "계산 근거"))
    blocks += [Block("item", f"{item.name}: {item.explanation} 근거: {item.statute}.") for item in deadlines]
    help_lines = _overdue_help(deadlines)
    if help_lines:
        blocks.append(Block("field", "", "기한이 지났을 때"))
        blocks += [Block("item", line) for line in help_lines]
    blocks.append(Block("note", DISCLAIMER))
    return blocks


# ------------------------------------------------------------------------------ the rest

def _checklist_blocks(case: Case) -> list[Block]:
    blocks = [Block("heading", "할 일")]
    if not case.checklist:
        blocks.append(Block("text", "(없음)"))
    for entry in case.checklist:
        text = entry.text + (" (완료)" if entry.done else "") + (f" — {entry.why}" if entry.why else "")
        blocks.append(check_line(text, entry.done))
    return blocks


def _bookmark_blocks(case: Case) -> list[Block]:
    blocks = [Block("heading", "모아 둔 판례")]  # the app's own words for them
    if not case.bookmarks:
        blocks.append(Block("text", "(없음)"))
    for bookmark in case.bookmarks:
        line = bookmark.citation or f"「{bookmark.title}」"
        result = f" — {bookmark.outcome_label}" if bookmark.outcome_label else ""
        sample = " (가상 예시)" if bookmark.source == "sample" and "가상 예시" not in line else ""
        blocks.append(Block("item", f"{line}{result}{sample}"))
        if bookmark.note:
            blocks.append(Block("field", bookmark.note, "메모"))
    return blocks


def _summary_value(key: str, value: Any) -> str:
    if isinstance(value, list):
        return " / ".join(str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip())
    return str(value) if isinstance(value, (str, int, float)) else ""


def _summary_blocks(summary: dict[str, Any]) -> list[Block]:
    blocks = [Block("field", text, label) for key, label in SUMMARY_LABELS
              if (text := _summary_value(key, summary.get(key))).strip()]
    for item in summary.get("deadlines") or []:
        if isinstance(item, dict) and item.get("name") and item.get("deadline"):
            blocks.append(Block("item", f"{item['name']}: {dotted_iso(str(item['deadline']))}까지"))
    if isinstance(summary.get("notice"), str) and summary["notice"].strip():
        blocks.append(Block("note", summary["notice"]))
    return blocks


def _document_blocks(case: Case) -> list[Block]:
    if not case.documents:
        return []
    blocks = [Block("heading", "붙여 넣은 문서")]
    for number, document in enumerate(case.documents, start=1):
        blocks.append(Block("subheading", document.title or f"문서 {number}"))
        blocks += _summary_blocks(document.summary or {})
        blocks += [Block("field", "", "원문"), Block("text", document.text)]
    return blocks


def case_blocks(case: Case, today: date | None = None) -> list[Block]:
    today = today or date.today()
    blocks = _case_facts(case) + _deadline_blocks(case, today)
    blocks += [Block("heading", "상황 설명"), Block("text", case.situation or "(적지 않음)")]
    if case.analyses:  # what the following pages hold, so the first page can be read alone
        blocks.append(Block("field", "", f"저장한 상황 분석 {len(case.analyses)}건 (아래에 한 건씩)"))
        blocks += [Block("item", analysis_heading(n, a)) for n, a in enumerate(case.analyses, start=1)]
    done = ticked_keys(case.checklist)
    for number, analysis in enumerate(case.analyses, start=1):
        blocks.append(Block("pagebreak"))  # each analysis starts a page, so it can be handed on by itself
        blocks += analysis_blocks(number, analysis, done)
    blocks += _checklist_blocks(case) + _bookmark_blocks(case) + _document_blocks(case)
    blocks += [Block("heading", "메모"), Block("text", case.notes or "(없음)")]
    return blocks


# ------------------------------------------------------------------------------ Markdown

def cases_markdown(cases: Iterable[Case], today: date | None = None) -> str:
    today = today or date.today()
    parts = [blocks_to_markdown(case_blocks(case, today)) for case in cases]
    footer = f"\n---\n\n{FOOTER}. 참고용 정보입니다. 만든 날: {dotted_day(today)}\n"
    return "\n\n---\n\n".join(parts) + footer


def export_markdown(cases: Iterable[Case], path: Path, today: date | None = None) -> Path:
    path = Path(path)
    write_export_atomic(path, cases_markdown(cases, today).encode("utf-8"))
    return path
