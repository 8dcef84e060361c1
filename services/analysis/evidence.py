"""The offline evidence view: what similar precedents decided and why, the criteria, what to collect,
the deadlines and where to get free help. Built only from data; nothing here is generated prose.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from core.errors import SanjaeError
from services.analysis.grounding import HitLike, fitting_sentences, hit_to_dict
from services.analysis.model import SituationInput
from services.analysis.prompt import DISCLAIMER
from services.deadlines import compute_deadlines
from services.legal_criteria import BRAIN_HEART, COMMUTE, MENTAL, MUSCULOSKELETAL, criteria_for
from services.next_step import FREE_HELP, STATE_AGENT_NOTE

CHECKLIST_COMMON = [
    "불승인 통지서와 공단의 판단 자료(정보공개청구로 재해조사서·자문의 소견·질판위 심의 결과 받기)",
    "근무시간 기록(출퇴근 기록, 근무표, 급여명세서의 연장·야간수당, 업무용 메신저·문자 시간)",
    "주치의 소견서(업무 내용과 병의 관계에 대한 의사의 의견)",
    "동료·관리자 진술서(하던 일의 내용, 강도, 시간에 대해)",
    "업무 내용을 보여 주는 자료(작업 사진·영상, 업무 지시 문서, 작업량 기록)",
]
CHECKLIST_BY_TOPIC = {
    BRAIN_HEART.title: ["야간·교대 근무표(야간 시간은 30% 가산)", "발병 전 1주·4주·12주 근무시간 정리표",
                        "건강검진 기록(혈압·혈당이 조절되고 있었는지)", "발병 직전 24시간의 업무 상황 기록"],
    MUSCULOSKELETAL.title: ["다룬 물건의 무게와 하루 횟수, 작업 자세 기록",
                            "입사 전 같은 부위 치료가 없었음을 보여 줄 건강보험 진료 내역",
                            "특별진찰(공단에 요청할 수 있는 업무관련성 특별진찰) 결과",
                            "영상 검사 판독지(급성 변화 여부)"],
    MENTAL.title: ["사건 기록(폭언·괴롭힘 일시, 내용, 목격자)", "정신건강의학과 진료 기록", "회사에 신고·상담한 기록"],
    COMMUTE.title: ["출퇴근 경로와 시간(교통카드 내역, 지도 경로)",
                    "사고 기록(교통사고 사실확인원, 블랙박스, 119 기록)",
                    "경로를 벗어난 이유를 보여 주는 자료(어린이집 등원 기록, 영수증, 진료 기록)"],
}
SUPPORT_STEPS = [
    *(f"{c.name}({c.phone}): {c.what}" if c.phone else f"{c.name}: {c.what}" for c in FREE_HELP),
    STATE_AGENT_NOTE,
    "불승인 통지서, 진단서, 근무 기록을 가지고 가면 상담이 빨라집니다.",
]


def outcome_counts(hits: Sequence[HitLike]) -> dict[str, int]:
    return dict(Counter(h.record.outcome or "미상" for h in hits))


def checklist_for(criteria_titles: list[str]) -> list[str]:
    items = list(CHECKLIST_COMMON)
    for title in criteria_titles:
        items += CHECKLIST_BY_TOPIC.get(title, [])
    return items


def deadlines_for(learned_on: date | None, today: date | None) -> tuple[list[dict[str, Any]], list[str]]:
    if learned_on is None:
        return [], ["불승인 통지를 받은 날을 알려 주시면 심사청구·재심사청구·행정소송 기한을 계산합니다."]
    try:
        items = [d.to_dict() for d in compute_deadlines(learned_on, today=today)]
    except SanjaeError as exc:
        return [], [exc.message]
    items.sort(key=lambda d: 0 if d.get("name") == "심사청구" else 1)
    return items, []


def evidence_view(inp: SituationInput, hits: Sequence[HitLike], *, today: date | None = None) -> dict[str, Any]:
    criteria = criteria_for(inp.kind_c, inp.query_text())
    deadlines, deadline_notes = deadlines_for(inp.learned_on, today)
    # Only sentences about his illness or fact pattern, each with the precedent it comes from.
    facts = fitting_sentences(inp.query_text(), hits)
    return {
        "similar": [hit_to_dict(h) for h in hits],
        "outcome_counts": outcome_counts(hits),
        "deciding_facts": facts,
        "criteria": [c.to_dict() for c in criteria],
        "evidence_checklist": checklist_for([c.title for c in criteria]),
        "deadlines": deadlines,
        "deadline_notes": deadline_notes,
        "support_steps": list(SUPPORT_STEPS),
        "disclaimer": DISCLAIMER,
        "has_samples": any(h.record.is_sample for h in hits),
    }
