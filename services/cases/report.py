"""The printable content of a case, as simple blocks that Markdown and PDF both render."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from services.cases.model import Case
from services.deadlines import DISCLAIMER
from storage.atomic import write_export_atomic

FOOTER = "법률 자문이 아닙니다"

# Labels for the keys an analysis is usually saved with; other text keys are shown under their own name.
ANALYSIS_LABELS = {
    "question": "질문", "situation": "상황", "issues": "쟁점", "assessment": "정리", "evidence": "모아 둘 증거",
    "next_steps": "다음에 할 일", "cited": "인용한 판례", "cited_precedents": "인용한 판례",
    "precedents": "인용한 판례", "sources": "출처", "engine": "만든 도구", "model": "모델", "notice": "안내",
}
_ANALYSIS_SKIP = {"title", "saved_at", "created_at", "id"}


@dataclass(frozen=True)
class Block:
    kind: str   # "title", "heading", "subheading", "text", "item", "check" (a checklist line), "field"
    text: str
    label: str = ""


def _stage_line(case: Case) -> str:
    return case.stage + (" (업무상질병판정위원회 심의)" if case.disease_committee else "")


def _precedent_line(item: Any) -> str:
    if isinstance(item, dict):
        head = item.get("citation") or " ".join(str(item.get(k, "")) for k in ("court", "decided_on", "case_number")
                                                 if item.get(k)).strip()
        title = item.get("title", "")
        text = head if title and title in head else " ".join(p for p in (head, f"「{title}」" if title else "") if p)
        if not item.get("citation") and item.get("source"):
            text += f" (출처: {item['source']})"
        if item.get("id") and item["id"] not in text:
            text += f" [{item['id']}]"
        reason = item.get("why") or item.get("reason") or item.get("note")
        return text + (f" — {reason}" if reason else "")
    return str(item)


def _analysis_blocks(index: int, analysis: dict[str, Any]) -> list[Block]:
    title = analysis.get("title") or f"분석 {index}"
    saved = str(analysis.get("saved_at", ""))[:10]
    blocks = [Block("subheading", f"{title}" + (f" ({saved})" if saved else ""))]
    for key, value in analysis.items():
        if key in _ANALYSIS_SKIP or value in (None, "", [], {}):
            continue
        label = ANALYSIS_LABELS.get(key, key)
        if isinstance(value, list):
            blocks.append(Block("field", "", label))
            is_precedents = key in ("cited", "cited_precedents", "precedents", "sources")
            for item in value:
                blocks.append(Block("item", _precedent_line(item) if is_precedents else _flat(item)))
        elif isinstance(value, dict):
            blocks.append(Block("field", "", label))
            for sub_key, sub_value in value.items():
                blocks.append(Block("item", f"{ANALYSIS_LABELS.get(sub_key, sub_key)}: {_flat(sub_value)}"))
        else:
            blocks.append(Block("field", str(value), label))
    return blocks


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_flat(v) for v in value)
    return str(value)


def case_blocks(case: Case, today: date | None = None) -> list[Block]:
    today = today or date.today()
    blocks = [Block("title", f"사건 기록: {case.alias}"),
              Block("field", _stage_line(case), "단계")]
    if case.contact:
        blocks.append(Block("field", case.contact, "연락처"))
    if case.decided_on:
        blocks.append(Block("field", case.decided_on, "처분일"))
    if case.learned_on:
        blocks.append(Block("field", case.learned_on, "결정을 안 날"))
    blocks.append(Block("field", case.updated_at[:10], "마지막 수정"))

    blocks.append(Block("heading", "상황"))
    blocks.append(Block("text", case.situation or "(적지 않음)"))

    blocks.append(Block("heading", "불복 기한"))
    deadlines = case.deadlines(today)
    if not deadlines:
        reason = ("결정을 안 날을 적으면 기한을 계산합니다." if not case.learned_on
                  else "이 단계에서는 계산할 불복 기한이 없습니다.")
        blocks.append(Block("text", reason))
    for item in deadlines:
        state = f"{-item.days_left}일 지남" if item.overdue else f"{item.days_left}일 남음"
        blocks.append(Block("subheading",
                            f"{item.name}: {item.deadline.isoformat()}까지 ({state}, {today.isoformat()} 기준)"))
        blocks.append(Block("text", f"{item.explanation} 근거: {item.statute}."))
        if item.notice:
            blocks.append(Block("text", item.notice))
        for option in item.options_if_overdue:
            blocks.append(Block("item", option))
    blocks.append(Block("text", DISCLAIMER))

    if case.analyses:
        blocks.append(Block("heading", "상황 분석"))
        for index, analysis in enumerate(case.analyses, start=1):
            blocks.extend(_analysis_blocks(index, analysis))

    blocks.append(Block("heading", "모아 둔 판례"))  # the app's own words for them
    if not case.bookmarks:
        blocks.append(Block("text", "(없음)"))
    for bookmark in case.bookmarks:
        line = bookmark.citation or f"「{bookmark.title}」"
        result = f" — {bookmark.outcome_label}" if bookmark.outcome_label else ""
        sample = " (가상 예시)" if bookmark.source == "sample" and "가상 예시" not in line else ""
        blocks.append(Block("item", f"{line}{result}{sample}"))
        if bookmark.note:
            blocks.append(Block("field", bookmark.note, "메모"))

    if case.documents:
        blocks.append(Block("heading", "붙여 넣은 문서"))
        for number, document in enumerate(case.documents, start=1):
            blocks.append(Block("subheading", document.title or f"문서 {number}"))
            if document.summary:
                for key, value in document.summary.items():
                    if value not in (None, "", [], {}):
                        blocks.append(Block("field", _flat(value), ANALYSIS_LABELS.get(key, key)))
            blocks.append(Block("text", document.text))

    blocks.append(Block("heading", "할 일"))
    if not case.checklist:
        blocks.append(Block("text", "(없음)"))
    for entry in case.checklist:
        # □ and ■ are in the bundled Korean font (☐/☑ are not, and would print as boxes with a cross).
        blocks.append(Block("check", ("■ " if entry.done else "□ ") + entry.text + (" (완료)" if entry.done else "")
                            + (f" — {entry.why}" if entry.why else "")))

    blocks.append(Block("heading", "메모"))
    blocks.append(Block("text", case.notes or "(없음)"))
    return blocks


# ------------------------------------------------------------------------------ Markdown

_ORDERED = re.compile(r"^\d+[.)](\s|$)")


def _md_escape(text: str) -> str:
    # Keep the user's words as written but stop them from turning into headings or list markers.
    lines = []
    for line in text.splitlines() or [""]:
        stripped = line.lstrip()
        if stripped[:1] in ("#", ">", "-", "*", "+", "|") or _ORDERED.match(stripped):
            line = "\\" + line if stripped == line else line.replace(stripped, "\\" + stripped, 1)
        lines.append(line)
    return "  \n".join(lines)


def blocks_to_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind == "title":
            out.append(f"# {block.text}\n")
        elif block.kind == "heading":
            out.append(f"\n## {block.text}\n")
        elif block.kind == "subheading":
            out.append(f"\n### {block.text}\n")
        elif block.kind == "field":
            out.append(f"- **{block.label}**: {_md_escape(block.text)}" if block.text else f"\n**{block.label}**\n")
        elif block.kind in ("item", "check"):
            out.append(f"- {_md_escape(block.text)}")
        else:
            out.append(f"\n{_md_escape(block.text)}\n")
    return "\n".join(out).strip() + "\n"


def cases_markdown(cases: Iterable[Case], today: date | None = None) -> str:
    today = today or date.today()
    parts = [blocks_to_markdown(case_blocks(case, today)) for case in cases]
    footer = f"\n---\n\n{FOOTER}. 참고용 정보입니다. 만든 날: {today.isoformat()}\n"
    return "\n\n---\n\n".join(parts) + footer


def export_markdown(cases: Iterable[Case], path: Path, today: date | None = None) -> Path:
    path = Path(path)
    write_export_atomic(path, cases_markdown(cases, today).encode("utf-8"))
    return path
