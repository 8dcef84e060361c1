"""The 심사청구서 draft page's logic: what it shows, what it saves, what it hands out. Plain Python (no Flet).

The work is in ``services.appeal``; this module loads a case's draft (the newest saved one, or a new one from the
case), turns the page's typed values back into a draft, and names the files. Everything here may block (the
repository in web mode, the search, the PDF): the page calls it from ``ctx.run_background``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from services.analysis.grounding import SimilarFinder
from services.appeal import (
    AppealDraft,
    AppealError,
    appeal_bytes,
    appeal_file_name,
    available_stages,
    build_offline_draft,
    latest_draft,
    stage_for,
)
from services.appeal.citations import PrecedentLookup
from services.appeal.draft import evidence_lines, search_for
from services.appeal.export import citation_problems
from services.appeal.form import TITLES, FormField, fields_for
from services.appeal.guidance import DeadlineState, deadline_state, filing_box
from services.cases.model import Case
from services.cases.repository import CaseRepository, SavedEdit
from services.next_step import FREE_HELP

EXPORTS = ("pdf", "docx", "md")
EXPORT_LABELS = {"pdf": "PDF로 내보내기", "docx": "한글·워드(DOCX)로 내보내기", "md": "Markdown으로 내보내기"}
GROUP_HELP = {
    "청구인": "청구인(내는 사람)의 이름·주소는 앱이 채우지 않습니다. 직접 적거나 종이에 적으세요.",
    "재해근로자": "청구인이 다친 본인이면 '청구인과 같음'이라고 적으면 됩니다.",
    "대리인": "노무사 등 대리인이 없으면 비워 두세요.",
}
FREE_LINE = "무료 상담: " + " · ".join(f"{c.name} {c.phone}".strip() for c in FREE_HELP)
NO_CASE_FACTS = "사건 화면에서 고친 날짜와 단계는 '사건 기록으로 다시 만들기'를 누르면 초안에 들어갑니다."
CITED_HELP = "이 컴퓨터에 있는 판결문만, 사건번호로 확인해 인용합니다. 가상 예시는 넣지 않습니다."
REASONS_HELP = ("'1.', '가.'로 시작하는 줄은 문서에서 제목이 됩니다. 판례 사건번호를 새로 적으면 내보낼 때 "
                "이 컴퓨터의 판례에서 확인합니다.")
SAVED_WORDS = {True: "저장한 초안을 보고 있습니다.",
               False: "사건 기록으로 새로 만든 초안입니다. 아직 저장하지 않았습니다."}
SAVED_NOTICE = "초안을 사건에 저장했습니다. 원처분기관 등 바뀐 사건 정보도 함께 저장했습니다."


BUTTON_LABELS = {"심사청구": "심사청구서 초안 만들기", "재심사청구": "재심사청구서 초안 만들기"}


def button_label(case: Case | None) -> str:
    """The case page's way here: named after the 청구서 this case drafts now."""
    stages = available_stages(case) if case is not None else []
    return BUTTON_LABELS[stages[0]] if stages else "심사청구서 초안"


@dataclass
class DraftState:
    """Everything the draft page draws."""

    case: Case
    draft: AppealDraft | None            # None: this case can draft no 청구서 now (``problem`` says why)
    stages: list[str] = field(default_factory=list)
    deadline: DeadlineState | None = None
    filing: list[tuple[str, str]] = field(default_factory=list)
    problem: str = ""
    saved: bool = False                  # the draft shown is one the case keeps (not a new one)
    versions: list[tuple[int, str]] = field(default_factory=list)   # (index in appeal_drafts, label)

    @property
    def title(self) -> str:
        return f"{TITLES[self.draft.stage]} 초안" if self.draft is not None else "청구서 초안"


def versions_of(case: Case) -> list[tuple[int, str]]:
    """The case's saved drafts for the picker, newest first."""
    return [(i, version_label(d)) for i, d in enumerate(case.appeal_drafts)][::-1]


def saved_state(state: DraftState, case: Case, draft: AppealDraft) -> DraftState:
    """The page after a save: the case as stored now, the draft as saved."""
    return replace(state, case=case, draft=draft, saved=True, versions=versions_of(case))


def version_label(data: dict[str, Any]) -> str:
    """'2026-12-01 14:05 저장 · 심사청구서'."""
    saved = str(data.get("saved_at") or "")
    when = f"{saved[:10]} {saved[11:16]}".strip() or "저장한 때 모름"
    return f"{when} 저장 · {TITLES.get(str(data.get('stage')), '청구서')}"


def load_state(repo: CaseRepository, case_id: str, lookup: PrecedentLookup, finder: SimilarFinder | None, *,
               stage: str | None = None, fresh: bool = False, version: int | None = None,
               today: date | None = None) -> DraftState:
    """The case's draft for the page: a chosen saved version, else the newest saved one of the stage, else (or
    with ``fresh``) a new one written from the case (with precedents found for it when ``finder`` is given)."""
    case = repo.get(case_id)
    stages = available_stages(case)
    try:
        chosen = stage_for(case, stage)
    except AppealError as exc:
        return DraftState(case, None, stages, problem=exc.message)
    draft = None if fresh else _saved(case, chosen, version)
    saved = draft is not None
    if draft is None:
        found = search_for(case, finder, chosen) if finder is not None else []
        draft = build_offline_draft(case, lookup, stage=chosen, found=found)
    return DraftState(case, draft, stages, deadline_state(case, draft.stage, today),
                      filing_box(case, draft.stage, today), saved=saved, versions=versions_of(case))


def _saved(case: Case, stage: str, version: int | None) -> AppealDraft | None:
    if version is not None and 0 <= version < len(case.appeal_drafts):
        try:
            return AppealDraft.from_dict(case.appeal_drafts[version])
        except AppealError:
            return None
    return latest_draft(case, stage)


def form_specs(draft: AppealDraft) -> list[tuple[str, list[FormField]]]:
    """The form's parts by group, in the form's order."""
    groups: list[tuple[str, list[FormField]]] = []
    for spec in fields_for(draft.stage):
        if not groups or groups[-1][0] != spec.group:
            groups.append((spec.group, []))
        groups[-1][1].append(spec)
    return groups


def edited_draft(draft: AppealDraft, fields: dict[str, str], purpose: str, reasons: str,
                 evidence: str) -> AppealDraft:
    """The draft as the page's fields hold it now (its citations and notices stay those it was written with)."""
    data = draft.to_dict()
    data.update(fields={k: v.strip() for k, v in fields.items() if v and v.strip()}, purpose=purpose.strip(),
                reasons=reasons.rstrip(), evidence=evidence_lines(evidence))
    return AppealDraft.from_dict(data)


def save_draft(repo: CaseRepository, case_id: str, draft: AppealDraft, base: Case) -> SavedEdit:
    return repo.save_appeal_draft(case_id, draft.to_dict(), base)


def export_file(draft: AppealDraft, case: Case, fmt: str, lookup: PrecedentLookup,
                today: date | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of the draft in ``fmt``; ``AppealError`` (Korean) when it cites what can't be checked."""
    return appeal_file_name(case, draft, fmt, today), appeal_bytes(draft, case, fmt, lookup, today)


def problems(draft: AppealDraft, case: Case, lookup: PrecedentLookup) -> list[str]:
    return citation_problems(draft, case, lookup)
