"""Situation analysis, case files and document summaries in a real browser (web mode)."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, running_app, screenshot, type_into

pytestmark = pytest.mark.e2e
LONG = 30_000
EXAMPLE = "허리디스크 (퇴행성 이유로 불승인)"

ANSWER = {
    "issues": ["퇴행성 변화와 업무 부담 중 무엇이 주된 원인인지"],
    "assessment": {"strengths": ["6년간 반복된 중량물 취급"], "weaknesses": ["영상의 퇴행성 소견"]},
    "favourable_facts": ["입사 전 허리 치료 기록이 없음", "[이름1]은 하루 10시간 상자를 날랐음"],
    "unfavourable_facts": ["퇴행성 변화가 뚜렷하다는 소견"],
    "evidence_checklist": ["하루 취급 중량과 횟수 기록"],
    "cited_precedents": [{"id": "sample:999", "why": "목록에 없는 판례"}],
    "next_steps": ["심사청구서 준비"],
}


def _save_to_new_case(page, alias: str) -> None:
    page.get_by_role("button", name="사건에 저장").click()
    expect(page.get_by_text("어느 사건에 저장할까요?")).to_be_visible(timeout=LONG)
    type_into(page, "새 사건 이름", alias)
    page.get_by_role("button", name="새 사건 만들고 저장").click()
    # The dialog closes once the case exists; the snackbar is not in the semantics tree.
    expect(page.get_by_text("어느 사건에 저장할까요?")).to_have_count(0, timeout=LONG)
    page.wait_for_timeout(1500)


def fill_with_example(page) -> None:
    """Fill the situation form with the lumbar-disc example and wait until it shows."""
    expect(page.get_by_role("button", name=EXAMPLE)).to_be_visible(timeout=LONG)
    # A click that lands while Flutter is still wiring the page can be dropped: try once more.
    for attempt in range(2):
        page.get_by_role("button", name=EXAMPLE).click()
        try:
            expect(page.get_by_text("요추 제4-5번 추간판탈출증")).to_be_visible(timeout=LONG // 2)
            return
        except AssertionError:
            if attempt:
                raise


def test_example_offline_evidence_saved_into_a_case(browser, app_url):
    context, page = open_app(browser, app_url + "analysis", width=1280)
    try:
        fill_with_example(page)
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        expect(page.get_by_text("판례 근거 (인터넷 없이 정리)")).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile(r"비슷한 사례 \d+건의 결과"))).to_be_visible()
        page.wait_for_timeout(500)
        screenshot(page, "feature-analysis-offline-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        screenshot(page, "feature-analysis-offline-390.png")
        _save_to_new_case(page, "김OO 허리")

        page.goto(app_url + "cases")
        page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        row = page.get_by_role("button", name=re.compile("김OO 허리"))
        expect(row).to_be_visible(timeout=LONG)
        expect(row).to_have_accessible_name(re.compile(r"심사청구 D-\d+"))
        screenshot(page, "feature-cases-390.png")
        row.click()
        expect(page).to_have_url(re.compile(r"/case/"), timeout=LONG)
        expect(page.get_by_text("저장한 상황 분석 (1)")).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile(r"심사청구: \d{4}-\d\d-\d\d"))).to_be_visible()
        screenshot(page, "feature-case-detail-390.png")
        # The saved analysis opens with the report's sections, the deciding sentences with their citations.
        tile = page.get_by_role("button", name=re.compile(r"\d{4}-\d\d-\d\d 요추"))
        tile.scroll_into_view_if_needed()
        tile.click()
        expect(page.get_by_text("유리한 사실", exact=True)).to_be_visible(timeout=LONG)
        expect(page.get_by_text("모아 둘 증거", exact=True).first).to_be_visible()
        screenshot(page, "case-saved-analysis-390.png")
    finally:
        context.close()


def test_two_visitors_keep_their_own_cases(browser, app_url):
    visitors = [open_app(browser, app_url + "cases", width=1280) for _ in range(2)]
    try:
        for (_, page), name in zip(visitors, ("방문자A 사건", "방문자B 사건"), strict=True):
            expect(page.get_by_role("button", name="새 사건")).to_be_visible(timeout=LONG)
            page.get_by_role("button", name="새 사건").click()
            type_into(page, "사건 이름", name)
        # Both press "만들기" before either has looked again.
        for _, page in visitors:
            page.get_by_role("button", name="만들기").click()
        pairs = zip(visitors, ("방문자A 사건", "방문자B 사건"), ("방문자B 사건", "방문자A 사건"), strict=True)
        for (_, page), mine, theirs in pairs:
            expect(page).to_have_url(re.compile(r"/case/"), timeout=LONG)
            page.goto(app_url + "cases")
            page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
            expect(page.get_by_role("button", name=re.compile(mine))).to_be_visible(timeout=LONG)
            expect(page.get_by_text("사건 1건")).to_be_visible()
            assert page.get_by_role("button", name=re.compile(theirs)).count() == 0
    finally:
        for context, _ in visitors:
            context.close()


# ---------------------------------------------------------------- with an AI server

@pytest.fixture(scope="module")
def llm_app(tmp_path_factory):
    """A second app instance whose operator configured a (fake, OpenAI-compatible) AI server."""
    from tests.fakes.llm_server import FakeLLMServer

    with FakeLLMServer("vllm", answer=json.dumps(ANSWER, ensure_ascii=False)) as server:
        data = tmp_path_factory.mktemp("e2e-llm-data")
        with running_app(data, {"SANJAE_LLM_URL": server.url}) as url:
            yield url, server


def _bring_into_semantics(page, label: str) -> None:
    """Flutter leaves far off-screen fields out of the accessibility tree: scroll until it is there."""
    for _ in range(6):
        try:
            page.get_by_label(label).wait_for(state="attached", timeout=5_000)
            return
        except PlaywrightTimeout:
            page.mouse.move(640, 450)
            page.mouse.wheel(0, 350)
    page.get_by_label(label).wait_for(state="attached", timeout=LONG)


def test_ai_analysis_streams_after_the_privacy_step(browser, llm_app):
    url, server = llm_app
    context, page = open_app(browser, url + "analysis", width=1280)
    try:
        expect(page.get_by_role("button", name=EXAMPLE)).to_be_visible(timeout=LONG)
        page.get_by_role("button", name=EXAMPLE).click()
        expect(page.get_by_role("button", name="요추 제4-5번 추간판탈출증 빼기")).to_have_count(1, timeout=LONG)
        _bring_into_semantics(page, "내 상황 (자유롭게)")
        type_into(page, "내 상황 (자유롭게)",
                  "성명: 홍길동. 연락처 010-1234-5678. 물류센터에서 하루 10시간 상자를 날랐습니다.")
        page.get_by_role("button", name="보낼 내용 확인하고 AI 분석 받기").click()
        expect(page.get_by_text("보내기 전에 확인하세요")).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile("전화번호 1건"))).to_be_visible()
        # His own words, masked, with what was masked; the instructions and precedents only behind the tile.
        expect(page.get_by_text(re.compile(r"010-1234-5678 → \[전화번호1\]"))).to_be_visible()
        expect(page.get_by_text(re.compile("보낼 전체 내용 보기"))).to_be_visible()
        expect(page.get_by_text(re.compile("이름이 더 있으면 아래 칸에서 직접 지워 주세요"))).to_be_visible()
        screenshot(page, "feature-analysis-privacy-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        page.mouse.move(195, 400)
        page.mouse.wheel(0, 700)  # down to the review, as a thumb would
        screenshot(page, "feature-analysis-privacy-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="이대로 보내기").click()
        expect(page.get_by_text("AI가 정리한 내용")).to_be_visible(timeout=LONG)
        expect(page.get_by_text("• 퇴행성 변화와 업무 부담 중 무엇이 주된 원인인지")).to_be_visible()
        # The server wrote "[이름1]은"; his own name comes back on his screen, on this computer only.
        expect(page.get_by_text(re.compile("홍길동은 하루 10시간 상자를 날랐음"))).to_be_visible()
        # The invented citation was dropped and the user is told so.
        expect(page.get_by_text(re.compile("목록에 없는 판례를 언급해 그 부분을 뺐습니다"))).to_be_visible()
        expect(page.get_by_text("이어서 물어보기")).to_be_visible()
        page.wait_for_timeout(500)
        screenshot(page, "feature-analysis-ai-1280.png")
        asked = len(server.requests)
        type_into(page, "더 묻고 싶은 것", "특별진찰은 어떻게 신청하나요? 제 번호는 010-9999-8888입니다.")
        page.get_by_role("button", name="질문하기").click()
        expect(page.get_by_text(re.compile("질문: 특별진찰은"))).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile("evidence_checklist"))).to_be_visible(timeout=LONG)  # the fake reply
        followup = json.dumps([r.body for r in server.requests[asked:]], ensure_ascii=False)
        assert "특별진찰은" in followup and "010-9999-8888" not in followup
        sent = [r.body for r in server.requests if r.path.endswith("/chat/completions")]
        assert sent, "no chat request reached the AI server"
        text = json.dumps(sent[-1], ensure_ascii=False)
        assert "010-1234-5678" not in text and "홍길동" not in text
        assert "[전화번호1]" in text and "[이름1]" in text
    finally:
        context.close()


def test_summary_of_pasted_notice(browser, app_url):
    context, page = open_app(browser, app_url + "summarize", width=390, height=844)
    try:
        notice = ("근로복지공단 요양급여 불승인 결정 통지서. 귀하께서 신청하신 요양급여에 대하여 업무와 상병 사이의 "
                  "상당인과관계를 인정하기 어려워 불승인합니다. 처분일 2026년 1월 15일. 이 결정에 이의가 있으면 "
                  "결정을 안 날부터 90일 이내에 심사청구를 할 수 있습니다.")
        type_into(page, "요약할 글", notice)
        page.get_by_role("button", name="요약하기").click()
        expect(page.get_by_text("무슨 문서인가요")).to_be_visible(timeout=LONG)
        expect(page.get_by_text("이 요약은 참고용 정보이며 법률 자문이 아닙니다.")).to_be_visible()
        page.wait_for_timeout(300)
        screenshot(page, "feature-summarize-390.png")
    finally:
        context.close()
