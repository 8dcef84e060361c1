"""What a case tells a 청구서: which 청구 it can make now, and the facts and dates each part needs.

A case records the decision its dates refer to (``Case.stage``): "불승인" is the 공단's decision (the 원처분),
"심사청구" is the 심사 decision on it. So a 재심사청구 drafted from a case at "심사청구" knows the 심사 decision's
dates but not the 원처분's; one drafted straight after the 업무상질병판정위원회 (제106조 제1항 단서) knows the
원처분's. What the case lacks, its newest situation analysis may know (the form asked for the benefit, the
notice's reason, the work and the illness).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.appeal.form import AppealError, branch_name, check_stage, decision_for, form_date
from services.appeal.shapes import as_list
from services.cases.model import Case

NOT_YET = ("아직 공단의 결정이 나오지 않은 사건입니다. 불승인 통지를 받으면 사건 화면에서 단계를 '불승인'으로 바꾸고 "
           "결정을 안 날을 적은 뒤 다시 시도해 주세요.")
AFTER_BOARD = ("이 사건은 재심사 결정(재결)까지 받은 단계입니다. 다음 길은 법원에 내는 행정소송이라 "
               "청구서 초안은 만들지 않습니다. 대한법률구조공단(132)에 소송 지원을 받을 수 있는지 물어보세요.")
IN_COURT = "이미 소송 단계인 사건이라 청구서 초안은 만들지 않습니다. 소송 서류는 대리인이나 법원에 확인하세요."
NOT_YET_REVIEW = ("이 사건은 아직 심사청구 전 단계입니다. 재심사청구는 심사 결정을 받은 뒤에 냅니다. "
                  "업무상질병판정위원회 심의를 거친 결정이면 바로 낼 수 있으니, 그렇다면 사건 화면에서 그 칸에 "
                  "표시해 주세요.")
ALREADY_REVIEWED = ("이 사건은 이미 심사 결정을 받은 단계입니다. 다음에 낼 청구서는 재심사청구서입니다. "
                    "아직 심사 결정 전이라면 사건 화면에서 단계를 '불승인'으로 바꿔 주세요.")
SKIPPED_REVIEW = "해당 없음 (업무상질병판정위원회 심의를 거친 결정이라 심사청구 없이 청구)"
_UNAVAILABLE = {"요양신청": NOT_YET, "재심사청구": AFTER_BOARD, "행정소송": IN_COURT}


def available_stages(case: Case) -> list[str]:
    """The 청구서 this case can draft now, the usual one first."""
    if case.stage == "불승인":
        return ["심사청구", "재심사청구"] if case.disease_committee else ["심사청구"]
    if case.stage == "심사청구":
        return ["재심사청구"]
    return []


def stage_for(case: Case, requested: str | None = None) -> str:
    """``requested`` when this case can draft it (else the case's usual one); a Korean message when it can't."""
    stages = available_stages(case)
    if not stages:
        raise AppealError(_UNAVAILABLE.get(case.stage, NOT_YET))
    if requested is None or requested == "":
        return stages[0]
    check_stage(requested)
    if requested not in stages:
        raise AppealError(NOT_YET_REVIEW if requested == "재심사청구" else ALREADY_REVIEWED)
    return requested


def latest_input(case: Case) -> dict[str, Any]:
    """The situation form of the case's newest saved analysis ({} when it has none)."""
    for analysis in reversed(case.analyses):
        found = analysis.get("input")
        if isinstance(found, dict):
            return found
    return {}


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


@dataclass(frozen=True)
class CaseFacts:
    """The facts a 청구서 states, as the form writes them ('' where the case does not know)."""

    stage: str
    branch: str = ""
    benefit: str = ""
    decision: str = ""
    denial_reason: str = ""
    decided_on: str = ""           # 원처분일, as '2026. 9. 3.'
    learned_on: str = ""           # 원처분이 있음을 안 날
    review_decided_on: str = ""    # 심사 결정일 (재심사청구)
    review_learned_on: str = ""
    review_skipped: bool = False   # 재심사청구 straight after the 판정위원회
    industry: str = ""
    kind_c: str = ""
    diagnoses: tuple[str, ...] = ()
    story: str = ""
    evidence: tuple[str, ...] = field(default=())

    def situation_text(self) -> str:
        """His situation in one text, the way the similar-precedent search reads it."""
        parts = [self.kind_c, " ".join(self.diagnoses), self.industry, self.denial_reason, self.story]
        return " ".join(p for p in parts if p)


def case_facts(case: Case, stage: str) -> CaseFacts:
    inp = latest_input(case)
    benefit = case.benefit or _text(inp.get("benefit"))
    benefit = "" if benefit == "기타" else benefit
    diagnoses = as_list(inp.get("diagnoses"))
    dates: dict[str, Any] = {"decided_on": form_date(case.decided_on), "learned_on": form_date(case.learned_on)}
    skipped = False
    if stage == "재심사청구" and case.stage == "심사청구":
        # The case's dates are the 심사 decision's; the 원처분's are on its notice.
        dates = {"decided_on": "", "learned_on": "", "review_decided_on": dates["decided_on"],
                 "review_learned_on": dates["learned_on"]}
    elif stage == "재심사청구":
        skipped = True
    return CaseFacts(
        stage=stage, branch=branch_name(case.branch), benefit=benefit, decision=decision_for(benefit),
        denial_reason=" ".join((case.denial_reason or _text(inp.get("denial_reason"))).split()),
        review_skipped=skipped, industry=_text(inp.get("industry")), kind_c=_text(inp.get("kind_c")),
        diagnoses=tuple(_text(d) for d in diagnoses if _text(d)),
        story=(case.situation or "").strip() or str(inp.get("story") or "").strip(),
        evidence=tuple(evidence_items(case, stage)), **dates)


# 할 일 items that are things to hand in, not steps to take.
_EVIDENCE_WORDS = ("기록", "소견서", "진단서", "진술서", "자료", "내역", "사진", "영상", "판독지", "근무표", "정리표",
                   "결과", "명세서", "확인서")
_STEP_WORDS = ("내기", "확인하기", "상의하기", "알아보기", "적어 두기", "정리하기")
_VERB_ENDINGS = (" 모으기", " 받기", " 부탁하기", " 받아 두기", " 챙기기")
FIRST_EVIDENCE = {"심사청구": ("원처분 통지서 사본",), "재심사청구": ("원처분 통지서 사본", "심사 결정서 사본")}


def evidence_items(case: Case, stage: str) -> list[str]:
    """The 입증 자료 목록 from the case's 할 일: the papers among them (not the steps), the decisions first."""
    items = list(FIRST_EVIDENCE[stage])
    for item in case.checklist:
        text = " ".join(item.text.split())
        for ending in _VERB_ENDINGS:
            text = text.removesuffix(ending)
        if "통지서 사본" in text or any(step in text for step in _STEP_WORDS):
            continue
        if any(word in text for word in _EVIDENCE_WORDS) and text not in items:
            items.append(text)
    return items
