"""The deciding sentences shown beside similar precedents fit his case: his body part and fact pattern,
complete sentences only, each with the precedent it comes from."""
from __future__ import annotations

import re

import pytest

from services.analysis import EXAMPLES, SituationInput
from services.analysis.evidence import evidence_view
from services.analysis.grounding import PER_SIDE, fitting_sentences
from services.judgment import READER
from services.judgment.sentences import balanced, complete_sentence, complete_sentences
from services.search import SearchService
from storage.precedents import PrecedentStore

LIST_MARK = re.compile(r"^\s*(?:\d{1,2}\s*[.)]|[가-하]\s*[.)]|\(\s*\w{1,2}\s*\)|[①-⑳]|[-–·•])")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    root = tmp_path_factory.mktemp("evidence-fit")
    found = SearchService(PrecedentStore(root / "cache", reader=READER), index_dir=root / "index")
    found.ensure_index()
    return found


def _facts(service: SearchService, inp: SituationInput) -> tuple[list[dict[str, str]], dict[str, str]]:
    hits = service.similar(inp.query_text(), k=6)
    view = evidence_view(inp, hits)
    citations = {h["id"]: h["citation"] for h in view["similar"]}
    return view["deciding_facts"], citations


def test_lumbar_case_gets_only_lumbar_sentences_that_are_complete_and_cited(service: SearchService) -> None:
    inp = EXAMPLES["허리디스크 (퇴행성 이유로 불승인)"]
    facts, citations = _facts(service, inp)
    # The search itself brings neck, knee and 재요양 precedents: the filter has something to remove.
    assert {"sample:043", "sample:003"} <= set(citations)
    assert facts, "his own precedents have deciding sentences"
    text = " ".join(f["sentence"] for f in facts)
    for off_topic in ("회식", "계단", "경추", "컴퓨터", "목 ", "무릎", "재탈출", "재요양"):
        assert off_topic not in text
    assert "요추" in text or "허리" in text
    for fact in facts:
        assert not LIST_MARK.match(fact["sentence"]), fact["sentence"]
        assert balanced(fact["sentence"]) and complete_sentence(fact["sentence"]) == fact["sentence"]
        assert fact["citation"] == citations[fact["id"]] and fact["citation"]
    for side in ("인정", "부정"):
        assert 1 <= sum(f["direction"] == side for f in facts) <= PER_SIDE


def test_neck_case_gets_no_lumbar_sentences(service: SearchService) -> None:
    inp = SituationInput(kind_c="업무상질병", diagnoses=["경추 추간판탈출증"], industry="건설 전기공",
                         denial_reason="경추 퇴행성 변화가 있어 업무 관련성이 낮음",
                         story="15년 동안 천장 배선 작업을 하면서 하루 종일 고개를 뒤로 젖히고 일했습니다.")
    facts, _ = _facts(service, inp)
    assert facts and all("요추" not in f["sentence"] and "허리" not in f["sentence"] for f in facts)
    assert any("경추" in f["sentence"] for f in facts)


def test_brain_case_gets_no_company_dinner(service: SearchService) -> None:
    inp = EXAMPLES["뇌출혈 (주 52시간 미만이라 불승인)"]
    facts, citations = _facts(service, inp)
    assert "sample:025" in citations  # the 회식 precedent is among the hits …
    assert facts and all(f["id"] != "sample:025" for f in facts)  # … but says nothing about his case
    assert all("회식" not in f["sentence"] for f in facts)


def test_an_unrelated_story_shows_no_sentences(service: SearchService) -> None:
    lumbar = service.similar(EXAMPLES["허리디스크 (퇴행성 이유로 불승인)"].query_text(), k=6)
    assert fitting_sentences("출장 중 바다에 빠졌습니다", lumbar) == []


def test_complete_sentence_strips_markers_and_rejects_fragments() -> None:
    finding = "원고는 6년간 상자를 들어 허리가 아팠다."
    for marked in ("2) ", "가. ", "나) ", "(1) ", "가. (1) ", "① ", "- "):
        assert complete_sentence(marked + finding) == finding
    assert complete_sentence('감정의는 "업무가 악화에 기여하였다고 보았다.') is None   # quote never closed
    assert complete_sentence("감정의는 「업무가 악화에 기여하였다고 보았다.") is None
    assert complete_sentence("감정의는 업무가 악화에 기여하였다(진료기록 참조.") is None
    assert complete_sentence("감정의는 업무가 악화]에 기여하였다고 보았다.") is None
    assert complete_sentence("업무상 행사에 해당하는지 여부") is None                # heading
    assert complete_sentence("관련 법리") is None
    assert complete_sentence("는 반드시 최단 거리의 경로만을 의미하는 것이 아니다.") is None  # lost its subject
    quoted = '감정의는 "업무가 기여하였다"는 의견을 밝혔다.'
    assert complete_sentence(quoted) == quoted


def test_headings_on_their_own_line_do_not_stick_to_the_next_sentence() -> None:
    text = ("2. 대법원의 판단\n가. 근로자가 회사 밖의 행사에 참가하던 중 다친 경우에는 여러 사정을 고려한다.\n"
            "1) 업무상 행사에 해당하는지 여부\n위 모임은 동료들끼리 자발적으로 정한 것이었다.")
    assert complete_sentences(text) == ["근로자가 회사 밖의 행사에 참가하던 중 다친 경우에는 여러 사정을 고려한다.",
                                        "위 모임은 동료들끼리 자발적으로 정한 것이었다."]
