"""From a case to a 심사청구서 draft: the form's parts, the 청구 취지, an offline 청구 이유 that cites local,
non-sample judgments only, the deadline said first when it has passed, and drafts kept with the case."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from services.appeal import AppealDraft, AppealError, build_offline_draft, case_numbers_in, check_for_filing
from services.appeal.citations import SAMPLES_ONLY, gather
from services.appeal.document import draft_blocks
from services.appeal.draft import latest_draft, search_for
from services.appeal.facts import NOT_YET, NOT_YET_REVIEW, SKIPPED_REVIEW, evidence_items, stage_for
from services.appeal.form import BLANK, FORM_FIELDS, benefit_name, branch_name, purpose_text
from services.appeal.guidance import deadline_state
from services.cases import JsonBlobCaseRepository
from services.cases.exchange import dumps_json, envelope, parse_envelope
from services.cases.merge import merge_into
from services.cases.model import APPEAL_DRAFTS_MAX, Case, case_from_dict
from services.search import SearchService
from tests.appeal_cases import (
    BRANCH,
    TODAY,
    lumbar_case,
    repository,
    sample_store,
    synced_number,
    synced_store,
)

PURPOSE = "원처분기관이 2026. 2. 12. 청구인에게 한 요양불승인 처분을 취소한다는 결정을 구합니다."


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    return synced_store(tmp_path_factory.mktemp("synced") / "cache")


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return sample_store(tmp_path_factory.mktemp("samples") / "cache")


def _all_text(draft: AppealDraft, case: Case) -> str:
    return "\n".join(" ".join([b.text, b.label, *(" ".join(r) for r in b.rows)]) for b in draft_blocks(draft, case,
                                                                                                      TODAY))


# ------------------------------------------------------------------------------ the case model

def _fingerprint_before_drafts(case_dict: dict) -> str:
    """How a case was fingerprinted before it kept a benefit, a reason, a branch and drafts."""
    bookkeeping = ("id", "created_at", "updated_at", "rev", "history", "copied_from", "replaced")
    content = {k: v for k, v in case_dict.items() if k not in bookkeeping}
    content["checklist"] = [{k: v for k, v in i.items() if k != "why" or v} for i in content["checklist"]]
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def test_a_case_stored_before_drafts_existed_keeps_its_fingerprint(tmp_path: Path) -> None:
    repo = repository(tmp_path / "user.json")
    data = repo.create("박OO", situation="어깨", learned_on="2026-02-17").to_dict()
    for new in ("benefit", "denial_reason", "branch", "appeal_drafts"):
        data.pop(new)  # what an older file holds
    data["history"] = [_fingerprint_before_drafts(data)]
    case = case_from_dict(data)
    assert case.history == data["history"] and case.fingerprint() == data["history"][0]
    assert case.benefit == case.denial_reason == case.branch == "" and case.appeal_drafts == []
    # Once used, the new fields count: a case with a draft is another content.
    case.appeal_drafts = [{"stage": "심사청구"}]
    assert case.fingerprint() != data["history"][0]


def test_facts_and_drafts_are_validated_when_read(tmp_path: Path) -> None:
    repo = repository(tmp_path / "user.json")
    data = repo.create("박OO").to_dict()
    with pytest.raises(Exception, match="원처분기관"):
        case_from_dict({**data, "branch": "지" * 101})
    with pytest.raises(Exception, match="심사청구서 초안"):
        case_from_dict({**data, "appeal_drafts": ["글자"]})


# ------------------------------------------------------------------------------ the form

def test_the_form_parts_and_the_purpose_in_their_usual_words() -> None:
    assert purpose_text("심사청구", "2026. 9. 3.", "요양불승인") == (
        "원처분기관이 2026. 9. 3. 청구인에게 한 요양불승인 처분을 취소한다는 결정을 구합니다.")
    assert purpose_text("재심사청구", "2026. 9. 3.", "장해급여 부지급") == (
        "원처분기관이 2026. 9. 3. 청구인에게 한 장해급여 부지급 처분을 취소한다는 재결을 구합니다.")
    assert purpose_text("심사청구", "", "") == (
        "원처분기관이 [원처분일] 청구인에게 한 [처분 내용] 처분을 취소한다는 결정을 구합니다.")
    assert benefit_name("요양") == "요양급여" and benefit_name(" 유족급여 ") == "유족급여" and benefit_name("") == ""
    with pytest.raises(AppealError, match="급여 종류 '연금'을\\(를\\) 알 수 없습니다"):
        benefit_name("연금")
    assert branch_name("서울관악지사") == BRANCH and branch_name(BRANCH) == BRANCH
    review_only = {f.key for f in FORM_FIELDS["재심사청구"]} - {f.key for f in FORM_FIELDS["심사청구"]}
    assert review_only == {"review_decided_on", "review_learned_on", "review_result"}


def test_a_draft_from_the_sample_case_has_every_part_and_refuses_the_samples(tmp_path, samples) -> None:
    repo = repository(tmp_path / "user.json")
    case = lumbar_case(repo, samples, bookmark="sample:001", benefit="요양급여")
    draft = build_offline_draft(case, samples)
    assert draft.stage == "심사청구" and draft.engine == "offline"
    assert draft.purpose == PURPOSE
    assert draft.fields["branch"] == BRANCH and draft.fields["decision"] == "요양불승인"
    assert draft.fields["decided_on"] == "2026. 2. 12." and draft.fields["learned_on"] == "2026. 2. 17."
    assert "퇴행성 변화" in draft.fields["denial_reason"]  # from the saved analysis: the case had none
    # The claimant's and the worker's details are never filled: they print as marked blanks.
    personal = [f for f in FORM_FIELDS["심사청구"] if f.personal]
    assert all(not draft.value(f.key) for f in personal)
    text = _all_text(draft, case)
    for spec in FORM_FIELDS["심사청구"]:
        assert spec.label in text, spec.label
    assert text.count(BLANK) >= 9
    for part in ("청구 취지", "청구 이유", "입증 자료 목록", "1. 사건의 경위", "2. 원처분의 이유",
                 "3. 원처분이 부당한 이유", "제출 방법", "근로복지공단 귀중"):
        assert part in text, part
    # Samples are not cited in a document meant for filing, and the draft says why.
    assert draft.citations == [] and draft.notices == [SAMPLES_ONLY]
    assert case_numbers_in(draft.reasons) == []
    assert "6년 동안 물류센터에서" in draft.reasons  # his own words, tidied
    assert draft.evidence[0] == "원처분 통지서 사본" and any("진술서" in item for item in draft.evidence)
    assert not any("내기" in item or "확인하기" in item for item in draft.evidence)  # steps are not evidence
    check_for_filing(draft, case, samples)  # nothing in it that cannot be checked


def test_with_synced_judgments_the_reasons_quote_local_judgments_only(tmp_path, synced) -> None:
    repo = repository(tmp_path / "user.json")
    saved = f"portal:{synced_number('2021구단58217')}@서울행정법원"
    case = lumbar_case(repo, synced, bookmark=saved, benefit="요양급여",
                       denial_reason="영상 소견상 퇴행성 변화가 뚜렷하여 업무와의 상당인과관계를 인정하기 어려움")
    draft = build_offline_draft(case, synced)
    assert draft.citations and draft.notices == []
    held = {r.id: r for r in synced.iter_records()}
    assert draft.citations[0].precedent_id == saved  # the judgment he saved comes first
    for citation in draft.citations:
        record = held[citation.precedent_id]
        assert not record.is_sample and record.source in ("portal", "iaciac")
        assert record.case_number == citation.case_number and record.court == citation.court
        assert citation.outcome in ("취소", "일부취소", "파기환송") or citation.precedent_id == saved
        for sentence in citation.sentences:  # the court's own words, quoted
            assert sentence.rstrip(" …") in " ".join(record.reasons.split())
            assert f"“{sentence}”" in draft.reasons
        assert f"{citation.head} — {citation.result}" in draft.reasons
    assert "서울행정법원 2022. 6. 16. 선고 2021구단358217 판결 — 노동자 승소 (취소)" in draft.reasons
    assert set(case_numbers_in(draft.reasons)) == {c.case_number for c in draft.citations}
    assert "청구인의 경우:" in draft.reasons  # each point next to his own facts
    for promise in ("승소할", "이길 수", "받아들여질 것", "인정될 것입니다"):
        assert promise not in draft.reasons
    check_for_filing(draft, case, synced)


def test_a_made_up_or_sample_case_number_is_refused_for_filing(tmp_path, synced) -> None:
    repo = repository(tmp_path / "user.json")
    case = lumbar_case(repo, synced)
    case = repo.add_bookmark(case.id, {"id": "portal:2099구단1@서울행정법원", "title": "없는 판례"})
    pool = gather(case, synced)
    assert "portal:2099구단1@서울행정법원" in pool.missing and all(r.case_number != "2099구단1" for r in pool.records)
    draft = build_offline_draft(case, synced)
    assert "2099구단1" not in draft.reasons
    held = draft.citations[0].case_number if draft.citations else synced_number("2021구단58217")
    draft.reasons += f"\n또한 대법원 2099두99999 판결과 서울행정법원 2021구단58217 판결, {held} 판결을 보면 됩니다."
    with pytest.raises(AppealError) as refused:
        check_for_filing(draft, case, synced)
    message = refused.value.message
    assert "2099두99999: 이 컴퓨터의 판례에서 찾을 수 없는 사건번호입니다" in message
    assert "2021구단58217: 가상 예시 판례라서" in message
    assert held not in message  # a synced judgment is fine wherever it is written


def test_the_case_number_pattern_does_not_read_a_story_as_citations() -> None:
    story = "하루 10시간씩20kg 상자를 6년차3월까지 옮겼고 2026. 1. 5.에 진단받았습니다."
    assert case_numbers_in(story) == []
    assert case_numbers_in("서울고등법원 2021누48932, 대법원 2022 두 41855, 재결 2022-2302호") == [
        "2021누48932", "2022두41855", "2022-2302호"]


def test_a_found_precedent_is_cited_and_the_search_is_only_a_candidate(tmp_path, synced) -> None:
    repo = repository(tmp_path / "user.json")
    case = repo.create("이OO 허리", situation="택배 상하차 6년, 요추 추간판탈출증. 퇴행성 변화라며 불승인.",
                       learned_on="2026-02-17", decided_on="2026-02-12", benefit="요양급여")
    service = SearchService(synced, index_dir=tmp_path / "index")
    found = search_for(case, service)
    assert found and not any(r.is_sample for r in found)
    draft = build_offline_draft(case, synced, found=found)
    assert {c.precedent_id for c in draft.citations} <= {r.id for r in found}


# ------------------------------------------------------------------------------ stages and deadlines

def test_the_deadline_that_passed_is_said_first(tmp_path, samples) -> None:
    repo = repository(tmp_path / "user.json")
    case = lumbar_case(repo, samples, learned_on="2025-06-02", decided_on="2025-05-28")
    draft = build_offline_draft(case, samples)
    state = deadline_state(case, "심사청구", TODAY)
    assert state.overdue and "지났습니다" in state.lines[0]
    expected = next(d for d in case.deadlines(TODAY) if d.name == "심사청구")
    assert state.lines == [expected.notice, *expected.options_if_overdue]  # the deadlines' own words
    blocks = draft_blocks(draft, case, TODAY)
    assert blocks[0].text == "심사청구서" and blocks[1].kind == "big"
    assert blocks[1].text.startswith(f"※ {state.lines[0]}")
    guide = blocks[[b.kind for b in blocks].index("pagebreak") + 1:]
    assert guide[2].text == "기한이 지났습니다" and guide[3].text == state.lines[0]
    open_case = lumbar_case(repo, samples)
    assert not deadline_state(open_case, "심사청구", TODAY).overdue
    assert draft_blocks(build_offline_draft(open_case, samples), open_case, TODAY)[1].kind == "note"


def test_which_claim_a_case_can_draft(tmp_path, samples) -> None:
    repo = repository(tmp_path / "user.json")
    reviewed = repo.create("최OO", stage="심사청구", learned_on="2026-02-20", decided_on="2026-02-16",
                           benefit="장해급여", branch=BRANCH)
    draft = build_offline_draft(reviewed, samples)
    assert draft.stage == "재심사청구" and draft.purpose.endswith("취소한다는 재결을 구합니다.")
    assert draft.fields["review_decided_on"] == "2026. 2. 16." and draft.fields["review_learned_on"] == "2026. 2. 20."
    assert "decided_on" not in draft.fields  # the 원처분's date is on its own notice
    assert "산업재해보상보험재심사위원회 귀중" in _all_text(draft, reviewed)
    committee = repo.create("정OO", learned_on="2026-02-20", disease_committee=True)
    assert stage_for(committee, "재심사청구") == "재심사청구"
    skipped = build_offline_draft(committee, samples, stage="재심사청구")
    assert skipped.fields["review_result"] == SKIPPED_REVIEW and "제106조 제1항 단서" in skipped.reasons
    with pytest.raises(AppealError) as early:
        stage_for(repo.create("한OO", learned_on="2026-02-20"), "재심사청구")
    assert early.value.message == NOT_YET_REVIEW
    with pytest.raises(AppealError) as pending:
        build_offline_draft(repo.create("오OO", stage="요양신청"), samples)
    assert pending.value.message == NOT_YET


def test_evidence_comes_from_the_checklist_papers_not_its_steps(tmp_path) -> None:
    repo = repository(tmp_path / "user.json")
    case = repo.create("김OO", checklist=[{"text": "진단서·소견서 받기"}, {"text": "심사청구서 내기 (기한 확인)"},
                                          {"text": "동료 진술서 부탁하기"}, {"text": "불승인 이유 확인하기"},
                                          {"text": "출퇴근 교통카드 내역", "done": True}])
    assert evidence_items(case, "심사청구") == [
        "원처분 통지서 사본", "진단서·소견서", "동료 진술서", "출퇴근 교통카드 내역"]
    assert evidence_items(case, "재심사청구")[:2] == ["원처분 통지서 사본", "심사 결정서 사본"]


# ------------------------------------------------------------------------------ kept with the case

def test_saved_drafts_are_versions_and_write_the_facts_back(tmp_path, samples) -> None:
    repo = repository(tmp_path / "user.json")
    case = repo.create("김OO", learned_on="2026-02-17", decided_on="2026-02-12", benefit="요양급여")
    draft = build_offline_draft(case, samples)
    draft.fields.update(branch="근로복지공단 안산지사", claimant_name="김철수")
    first = repo.save_appeal_draft(case.id, draft.to_dict(), case)
    assert first.notice == "" and first.case.branch == "근로복지공단 안산지사"
    assert len(first.case.appeal_drafts) == 1 and first.case.appeal_drafts[0]["saved_at"]
    assert len(first.case.history) == 2
    draft.reasons += "\n덧붙임."
    second = repo.save_appeal_draft(case.id, draft.to_dict(), first.case).case
    assert [d["reasons"].endswith("덧붙임.") for d in second.appeal_drafts] == [False, True]
    again = latest_draft(repo.get(case.id), "심사청구")
    assert again is not None and again.fields["claimant_name"] == "김철수" and again.saved_at
    # A new draft of the case carries over what was typed, and the branch is now the case's own.
    fresh = build_offline_draft(repo.get(case.id), samples)
    assert fresh.fields["claimant_name"] == "김철수" and fresh.fields["branch"] == "근로복지공단 안산지사"
    for _ in range(APPEAL_DRAFTS_MAX + 2):
        repo.save_appeal_draft(case.id, draft.to_dict())
    assert len(repo.get(case.id).appeal_drafts) == APPEAL_DRAFTS_MAX


def test_a_branch_changed_elsewhere_meanwhile_gives_way_and_is_kept(tmp_path, samples) -> None:
    repo = repository(tmp_path / "user.json")
    case = repo.create("김OO", learned_on="2026-02-17", branch="근로복지공단 수원지사")
    loaded = repo.get(case.id)
    repo.update(case.id, branch="근로복지공단 화성지사")  # another window
    draft = build_offline_draft(loaded, samples)
    draft.fields["branch"] = "근로복지공단 안산지사"
    saved = repo.save_appeal_draft(case.id, draft.to_dict(), loaded)
    assert saved.case.branch == "근로복지공단 안산지사" and "원처분기관" in saved.notice
    assert saved.case.replaced[-1]["other"] == "근로복지공단 화성지사"
    # Two windows saving drafts both keep theirs: drafts are only added.
    repo.save_appeal_draft(case.id, draft.to_dict(), loaded)
    assert len(repo.get(case.id).appeal_drafts) == 2


def test_drafts_travel_with_the_case_file_and_the_browser_blob(tmp_path, samples) -> None:
    repo = repository(tmp_path / "user.json")
    case = repo.create("김OO", learned_on="2026-02-17")
    saved = repo.save_appeal_draft(case.id, build_offline_draft(case, samples).to_dict()).case
    restored = parse_envelope(dumps_json(envelope([saved])))["cases"][0]
    assert restored.appeal_drafts == saved.appeal_drafts and restored.fingerprint() == saved.fingerprint()
    text: list[str | None] = [None]
    blob = JsonBlobCaseRepository(lambda: text[0], lambda value: text.__setitem__(0, value))
    merge_into(blob, [restored])
    assert blob.get(case.id).appeal_drafts[0]["stage"] == "심사청구"


def test_a_draft_reads_back_and_says_what_is_wrong_with_a_bad_one(samples, tmp_path) -> None:
    repo = repository(tmp_path / "user.json")
    draft = build_offline_draft(repo.create("김OO", learned_on="2026-02-17"), samples)
    again = AppealDraft.from_dict(json.loads(json.dumps(draft.to_dict())))
    assert again.to_dict() == draft.to_dict()
    with pytest.raises(AppealError, match="만들 수 있는 청구서가 아닙니다"):
        AppealDraft.from_dict({**draft.to_dict(), "stage": "행정소송"})
    with pytest.raises(AppealError, match="청구 이유'이\\(가\\) 너무 깁니다"):
        AppealDraft.from_dict({**draft.to_dict(), "reasons": "가" * 60_001})
