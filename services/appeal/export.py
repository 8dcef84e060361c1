"""Handing a draft out for filing: PDF, DOCX or Markdown, only after every case number in it is checked.

A draft is edited freely, but what leaves as a file meant for the 공단 cites nothing that is not held on this
computer: a case number typed into the 청구 이유 or 청구 취지 that is a sample or not found stops the export with
a Korean message naming it.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from services.appeal.citations import CitationPool, PrecedentLookup, check_numbers, gather
from services.appeal.document import draft_blocks
from services.appeal.draft import AppealDraft
from services.appeal.form import TITLES, AppealError
from services.appeal.pdf import appeal_pdf_bytes
from services.appeal.word import appeal_docx_bytes
from services.cases.blocks import blocks_to_markdown
from services.cases.model import Case
from storage.atomic import check_export_target, write_export_atomic

FORMATS = ("pdf", "docx", "md")
FORMAT_NAMES = {"pdf": "PDF", "docx": "한글·워드 문서(DOCX)", "md": "Markdown"}


def citation_problems(draft: AppealDraft, case: Case, lookup: PrecedentLookup) -> list[str]:
    """Why the draft may not be filed as it is: each case number in it that is a sample or not held here."""
    pool = gather(case, lookup)
    cited = {c.precedent_id for c in draft.citations}
    pool.records += [r for r in lookup.get_many(sorted(cited)) if r.id not in {p.id for p in pool.records}]
    pool = CitationPool([r for r in pool.records if not r.is_sample and r.source != "sample"], pool.samples)
    return [p.message for p in check_numbers(f"{draft.purpose}\n{draft.reasons}", pool, lookup)]


def check_for_filing(draft: AppealDraft, case: Case, lookup: PrecedentLookup) -> None:
    problems = citation_problems(draft, case, lookup)
    if problems:
        raise AppealError("청구서에 확인되지 않은 사건번호가 있어 파일로 만들지 않았습니다. 고치거나 지운 뒤 다시 "
                          "시도해 주세요.\n" + "\n".join(f"- {p}" for p in problems))


def appeal_markdown(draft: AppealDraft, case: Case, today: date | None = None) -> str:
    return blocks_to_markdown(draft_blocks(draft, case, today))


def appeal_bytes(draft: AppealDraft, case: Case, fmt: str, lookup: PrecedentLookup,
                 today: date | None = None) -> bytes:
    """The draft as a file's bytes, checked for filing first."""
    if fmt not in FORMATS:
        raise AppealError(f"'{fmt}' 형식으로는 만들 수 없습니다. {', '.join(FORMATS)} 가운데 하나를 골라 주세요.")
    check_for_filing(draft, case, lookup)
    if fmt == "pdf":
        return appeal_pdf_bytes(draft, case, today)
    if fmt == "docx":
        return appeal_docx_bytes(draft, case, today)
    return appeal_markdown(draft, case, today).encode("utf-8")


def format_of(path: Path, fmt: str | None = None) -> str:
    """The format asked for, else the one the file name ends with (else PDF)."""
    return fmt or {".docx": "docx", ".md": "md", ".markdown": "md"}.get(path.suffix.lower(), "pdf")


def export_appeal(draft: AppealDraft, case: Case, path: Path, lookup: PrecedentLookup, fmt: str | None = None,
                  today: date | None = None) -> Path:
    path = Path(path)
    check_export_target(path)  # a bad target is said before the work
    write_export_atomic(path, appeal_bytes(draft, case, format_of(path, fmt), lookup, today))
    return path


def appeal_file_name(case: Case, draft: AppealDraft, fmt: str, today: date | None = None) -> str:
    """'심사청구서-초안-김OO-허리-2026-12-01.pdf': safe in mail, messengers and every file system."""
    slug = "-".join(re.findall(r"[^\W_]+", case.alias))[:40].strip("-")
    day = (today or date.today()).isoformat()
    name = f"{TITLES[draft.stage]}-초안"
    return f"{name}-{slug}-{day}.{fmt}" if slug else f"{name}-{day}.{fmt}"
