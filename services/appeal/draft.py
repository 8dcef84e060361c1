"""A 심사청구서 (or 재심사청구서) draft: the form's parts, the 청구 취지, the 청구 이유, the 입증 자료, and the
judgments it cites, as plain data the draft page edits and the case keeps (``Case.appeal_drafts``).

``build_offline_draft`` writes one from the case alone, without any network: see ``services.appeal.reasons``.
What the user typed into an earlier draft of the case (his name, address, the branch, …) is carried over into
a new one, so drafting again never asks twice.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.records import Precedent
from services.analysis.grounding import SimilarFinder
from services.appeal.citations import Citation, PrecedentLookup, gather
from services.appeal.facts import SKIPPED_REVIEW, case_facts, stage_for
from services.appeal.form import AppealError, check_stage, fields_for, purpose_text
from services.appeal.reasons import choose_citations, offline_reasons
from services.appeal.shapes import as_dict, as_list, texts
from services.cases.model import Case, now_iso

FIELD_CHARS = 2_000
PURPOSE_CHARS = 2_000
REASONS_CHARS = 60_000
EVIDENCE_MAX = 60
SEARCH_K = 8
NO_FITTING = "이 컴퓨터의 판례 가운데 이 사건의 상황과 맞는 판단 문장을 찾지 못해 판례를 인용하지 않았습니다."


@dataclass
class AppealDraft:
    stage: str                                   # 심사청구 or 재심사청구
    fields: dict[str, str] = field(default_factory=dict)   # form parts by ``FormField.key`` ('' = blank)
    purpose: str = ""                            # 청구 취지
    reasons: str = ""                            # 청구 이유
    evidence: list[str] = field(default_factory=list)      # 입증 자료 목록
    citations: list[Citation] = field(default_factory=list)  # the local judgments the reasons quote
    notices: list[str] = field(default_factory=list)       # what the draft could not do (e.g. samples left out)
    engine: str = "offline"
    created_at: str = field(default_factory=now_iso)
    saved_at: str = ""

    def value(self, key: str) -> str:
        return self.fields.get(key, "")

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "fields": dict(self.fields), "purpose": self.purpose, "reasons": self.reasons,
                "evidence": list(self.evidence), "citations": [c.to_dict() for c in self.citations],
                "notices": list(self.notices), "engine": self.engine, "created_at": self.created_at,
                "saved_at": self.saved_at}

    @classmethod
    def from_dict(cls, data: Any) -> AppealDraft:
        """A stored or edited draft back; a Korean message for anything that is not one."""
        if not isinstance(data, dict):
            raise AppealError("심사청구서 초안의 모양이 맞지 않습니다.")
        stage = check_stage(str(data.get("stage") or ""))
        raw = as_dict(data.get("fields"))
        known = {f.key for f in fields_for(stage)}
        fields = {key: _text(raw.get(key), FIELD_CHARS, "청구서 칸") for key in known if raw.get(key)}
        citations = [c for c in (Citation.from_dict(c) for c in as_list(data.get("citations"))) if c is not None]
        return cls(stage=stage, fields=fields, purpose=_text(data.get("purpose"), PURPOSE_CHARS, "청구 취지"),
                   reasons=_text(data.get("reasons"), REASONS_CHARS, "청구 이유"),
                   evidence=evidence_lines("\n".join(texts(data.get("evidence")))),
                   citations=citations, notices=texts(data.get("notices")), engine=str(data.get("engine") or "offline"),
                   created_at=str(data.get("created_at") or now_iso()), saved_at=str(data.get("saved_at") or ""))


def _text(value: Any, limit: int, label: str) -> str:
    text = value if isinstance(value, str) else ""
    if len(text) > limit:
        raise AppealError(f"'{label}'이(가) 너무 깁니다({limit:,}자까지). 줄여서 다시 저장해 주세요.")
    return text


def evidence_lines(text: str) -> list[str]:
    """The 입증 자료 as typed, one a line: numbering and bullets dropped, blank lines skipped."""
    items = []
    for line in (text or "").splitlines():
        item = line.strip().lstrip("-•·*").strip()
        item = item.split(". ", 1)[1] if item[:1].isdigit() and ". " in item[:4] else item
        if item and item not in items:
            items.append(item[:500])
    if len(items) > EVIDENCE_MAX:
        raise AppealError(f"입증 자료는 {EVIDENCE_MAX}개까지 적을 수 있습니다. 묶어서 적어 주세요.")
    return items


def latest_draft(case: Case, stage: str | None = None) -> AppealDraft | None:
    """The case's newest saved draft (of ``stage`` when given); a damaged one is skipped."""
    for data in reversed(case.appeal_drafts):
        if stage is not None and data.get("stage") != stage:
            continue
        try:
            return AppealDraft.from_dict(data)
        except AppealError:
            continue
    return None


def _carried(case: Case, stage: str) -> dict[str, str]:
    """What the user typed into the case's newest draft, for a new draft's parts the case does not know."""
    earlier = latest_draft(case)
    if earlier is None:
        return {}
    keys = {f.key for f in fields_for(stage)}
    return {key: value for key, value in earlier.fields.items() if key in keys and value.strip()}


def form_fields(case: Case, stage: str) -> dict[str, str]:
    """The form's parts from the case (and from an earlier draft where the case does not know)."""
    facts = case_facts(case, stage)
    known = {"branch": facts.branch, "decided_on": facts.decided_on, "learned_on": facts.learned_on,
             "benefit": facts.benefit, "decision": facts.decision, "denial_reason": facts.denial_reason}
    if stage == "재심사청구":
        if facts.review_skipped:
            known.update(review_decided_on=SKIPPED_REVIEW, review_learned_on=SKIPPED_REVIEW,
                         review_result=SKIPPED_REVIEW)
        else:
            known.update(review_decided_on=facts.review_decided_on, review_learned_on=facts.review_learned_on)
    fields = _carried(case, stage)
    fields.update({key: value for key, value in known.items() if value})
    return fields


def search_for(case: Case, finder: SimilarFinder, stage: str | None = None, k: int = SEARCH_K) -> list[Precedent]:
    """Precedents found again for the case's situation (the draft still cites only what it can check)."""
    text = case_facts(case, stage_for(case, stage)).situation_text()
    return [hit.record for hit in finder.similar(text, k)] if text.strip() else []


def build_offline_draft(case: Case, lookup: PrecedentLookup, *, stage: str | None = None,
                        found: Iterable[Precedent] = ()) -> AppealDraft:
    """A draft written from the case alone (no network): the form filled, the 청구 취지 in its usual words, the
    청구 이유 quoting local judgments only (``found``: precedents searched for this case, if any)."""
    stage = stage_for(case, stage)
    facts = case_facts(case, stage)
    fields = form_fields(case, stage)
    pool = gather(case, lookup, found)
    citations = choose_citations(facts, pool, [b.precedent_id for b in case.bookmarks])
    notices = pool.notices()
    if pool.records and not citations:
        notices.append(NO_FITTING)
    return AppealDraft(stage=stage, fields=fields,
                       purpose=purpose_text(stage, fields.get("decided_on", ""), fields.get("decision", "")),
                       reasons=offline_reasons(facts, citations), evidence=list(facts.evidence),
                       citations=citations, notices=notices)
