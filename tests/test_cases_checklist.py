"""An analysis's evidence checklist carried into a case's 할 일: dedup, order, reasons, old files, exchange."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from services.cases import (
    CaseValidationError,
    JsonBlobCaseRepository,
    UserFileCaseRepository,
    case_from_dict,
    default_checklist,
)
from services.cases.checklist import carry_over
from services.cases.exchange import export_json, import_cases
from services.cases.report import cases_markdown
from storage.user_store import UserStore

COMMON = "불승인 이유를 반박할 때 기본이 되는 자료"
MSK = "근골격계 질병 인정 기준에서 살펴보는 자료"
EVIDENCE = [
    {"text": "주치의 소견서(업무 내용과 병의 관계에 대한 의사의 의견)", "why": COMMON},
    {"text": "동료·관리자 진술서(하던 일의 내용, 강도, 시간에 대해)", "why": COMMON},
    {"text": "특별진찰(공단에 요청할 수 있는 업무관련성 특별진찰) 결과", "why": MSK},
    {"text": "입사 전 같은 부위 치료가 없었음을 보여 줄 건강보험 진료 내역", "why": MSK},
]


@pytest.fixture(params=["tinydb", "blob"])
def repo(request, tmp_path):
    if request.param == "tinydb":
        return UserFileCaseRepository(UserStore(tmp_path / "user.json"))
    box: dict[str, str | None] = {"text": None}
    return JsonBlobCaseRepository(lambda: box["text"], lambda text: box.update(text=text))


def test_saving_an_analysis_puts_its_evidence_into_the_checklist(repo) -> None:
    case = repo.create("A씨 허리", checklist=default_checklist("불승인"))
    ticked = [{"text": it.text, "done": it.text == "동료 진술서 부탁하기"} for it in case.checklist]
    repo.set_checklist(case.id, ticked)
    saved = repo.add_analysis(case.id, {"title": "상황 분석: 허리 디스크"}, EVIDENCE)
    texts = [it.text for it in saved.checklist]
    # Generic items covered by specific ones are replaced where they stood; the tick stays.
    assert texts == [
        "불승인 통지서 사본 보관 (받은 날 적어 두기)", "불승인 이유 확인하기",
        EVIDENCE[0]["text"], "근무 기록(출퇴근·업무량) 모으기", EVIDENCE[1]["text"], "심사청구서 내기 (기한 확인)",
        EVIDENCE[2]["text"], EVIDENCE[3]["text"],
    ]
    by_text = {it.text: it for it in repo.get(case.id).checklist}
    assert by_text[EVIDENCE[1]["text"]].done is True and by_text[EVIDENCE[0]["text"]].done is False
    assert by_text[EVIDENCE[2]["text"]].why == "근골격계 질병 인정 기준에서 살펴보는 자료"
    assert by_text["불승인 이유 확인하기"].why == ""
    assert len(repo.get(case.id).analyses) == 1


def test_saving_twice_adds_nothing_and_fills_a_missing_reason(repo) -> None:
    case = repo.create("B씨")
    # Typed by hand earlier, spacing a little different and without a reason.
    repo.set_checklist(case.id, [{"text": "특별진찰 (공단에 요청할 수 있는 업무관련성 특별진찰) 결과", "done": True}])
    first = repo.add_analysis(case.id, {"title": "1"}, EVIDENCE)
    second = repo.add_analysis(case.id, {"title": "2"}, EVIDENCE)
    assert [it.text for it in second.checklist] == [it.text for it in first.checklist]
    assert len(second.checklist) == 4
    kept = second.checklist[0]
    assert kept.done is True and kept.why == EVIDENCE[2]["why"]
    assert kept.text.startswith("특별진찰 (")  # the user's own wording is kept


def test_carry_over_keeps_order_and_accepts_strings() -> None:
    items = carry_over(["진단서·소견서 받기", "사고 경위 적어 두기"],
                       ["사고 경위 적어 두기", "주치의 소견서", "새 항목"])
    assert [it.text for it in items] == ["주치의 소견서", "사고 경위 적어 두기", "새 항목"]


def _old_fingerprint(case_dict: dict) -> str:
    """How a case was fingerprinted before checklist items had a reason."""
    bookkeeping = ("id", "created_at", "updated_at", "rev", "history", "copied_from")
    content = {k: v for k, v in case_dict.items() if k not in bookkeeping}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def test_an_older_case_file_without_reasons_loads_with_its_history_unchanged(repo) -> None:
    data = repo.create("C씨").to_dict()
    for later in ("replaced", "benefit", "denial_reason", "branch", "appeal_drafts"):
        data.pop(later)  # not in files of that time
    data["checklist"] = [{"text": "진단서", "done": True}, {"text": "진술서", "done": False}]
    data["history"] = [_old_fingerprint(data)]
    case = case_from_dict(data)
    assert [(it.text, it.done, it.why) for it in case.checklist] == [("진단서", True, ""), ("진술서", False, "")]
    assert case.history == data["history"]  # same fingerprint: merging with the old copy sees no edit


def test_reasons_survive_export_import_and_show_in_the_report(tmp_path: Path) -> None:
    source = UserFileCaseRepository(UserStore(tmp_path / "a.json"))
    case = source.create("D씨")
    case = source.add_analysis(case.id, {"title": "분석"}, EVIDENCE[2:])
    (tmp_path / "out").mkdir()
    exported = export_json(source.all(), tmp_path / "out" / "cases.json")
    target = UserFileCaseRepository(UserStore(tmp_path / "b.json"))
    import_cases(target, exported)
    assert target.get(case.id).to_dict() == case.to_dict()
    assert [it.why for it in target.get(case.id).checklist] == [EVIDENCE[2]["why"], EVIDENCE[3]["why"]]
    # A newer copy from elsewhere replaces the unchanged one, reasons included.
    source.add_analysis(case.id, {"title": "둘째"}, [{"text": "영상 검사 판독지", "why": "급성 변화 확인"}])
    newer_file = export_json(source.all(), tmp_path / "out" / "newer.json")
    import_cases(target, newer_file)
    assert target.get(case.id).checklist[-1].why == "급성 변화 확인"
    assert "영상 검사 판독지 — 급성 변화 확인" in cases_markdown([target.get(case.id)])


def test_a_reason_that_is_not_text_is_refused_in_korean(repo) -> None:
    case = repo.create("E씨")
    with pytest.raises(CaseValidationError) as excinfo:
        repo.set_checklist(case.id, [{"text": "진단서", "why": 3}])
    assert "이유" in getattr(excinfo.value, "message", "")
