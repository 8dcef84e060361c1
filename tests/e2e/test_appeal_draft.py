"""The 심사청구서 draft page in a real browser (web mode, real-shaped synced judgments on the server): from the case
page to the draft, a part edited and saved, still there after a reload, and the PDF downloaded."""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.appeal_cases import synced_store
from tests.e2e.conftest import open_app, open_tab, running_app, screenshot, type_into
from tests.e2e.test_all_cases_web import download
from tests.e2e.test_feature_analysis_cases import LONG, _save_to_new_case, fill_with_example
from tests.e2e.test_two_tabs import new_case, stored_cases, wait_for_storage

pytestmark = pytest.mark.e2e
BRANCH = "근로복지공단 안산지사"


@pytest.fixture(scope="module")
def synced_app(tmp_path_factory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("appeal-e2e")
    synced_store(data / "cache")
    with running_app(data, {}) as url:
        yield url


def _scroll_to_field(page, label: str):
    """Flutter leaves far off-screen fields out of the accessibility tree: scroll until the field is there."""
    field = page.get_by_label(label, exact=True)
    for _ in range(8):
        try:
            field.wait_for(state="attached", timeout=4_000)
            return field
        except PlaywrightTimeout:
            page.mouse.move(640, 450)
            page.mouse.wheel(0, 350)
    field.wait_for(state="attached", timeout=LONG)
    return field


def _scroll_until_near_top(page, target) -> None:
    """Wheel the page down until ``target`` sits near the top of the window (Flutter draws its own scrolling)."""
    page.mouse.move(640, 450)
    for _ in range(40):
        box = target.bounding_box() if target.count() else None
        if box is not None and 60 <= box["y"] <= 220:
            return
        page.mouse.wheel(0, 300 if box is None or box["y"] > 220 else -120)
        page.wait_for_timeout(150)


def _value_of(page, label: str) -> str:
    """A text field's value: Flutter hands it to the page's input element only while the field has the focus."""
    field = _scroll_to_field(page, label)
    field.click()
    expect(field).to_be_focused()
    page.wait_for_timeout(250)
    value: str = field.input_value()
    return value


def _open_draft(page, url: str, alias: str) -> None:
    page.goto(url + "cases")
    page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
    page.get_by_role("button", name=re.compile(alias)).click()
    expect(page).to_have_url(re.compile(r"/case/[^/]+$"), timeout=LONG)
    _go_to_draft(page)
    expect(page.get_by_text("초안입니다. 검토한 뒤 내세요")).to_be_visible(timeout=LONG)


def _go_to_draft(page) -> None:
    # A click that lands while the case page redraws after a save can be dropped: try once more.
    for attempt in range(3):
        page.get_by_role("button", name="심사청구서 초안 만들기").click()
        try:
            expect(page).to_have_url(re.compile(r"/case/[^/]+/appeal$"), timeout=LONG // 3)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_draft_page_edit_save_reload_and_download(browser, synced_app, tmp_path: Path) -> None:
    context, page = open_app(browser, synced_app + "analysis", width=1280)
    try:
        fill_with_example(page)
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        expect(page.get_by_text("판례 근거 (인터넷 없이 정리)")).to_be_visible(timeout=LONG)
        _save_to_new_case(page, "윤OO 허리")
        _open_draft(page, synced_app, "윤OO 허리")
        expect(page.get_by_text("사건 기록으로 새로 만든 초안입니다. 아직 저장하지 않았습니다.")).to_have_count(1)
        expect(page.get_by_role("button", name=re.compile(r"판결 — 노동자 (일부 )?승소"))).not_to_have_count(0)
        expect(page.get_by_text(re.compile("사건에 저장했습니다"))).to_have_count(0, timeout=LONG)  # the notice went
        screenshot(page, "appeal-draft-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "appeal-draft-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})

        _scroll_to_field(page, "원처분기관")
        type_into(page, "원처분기관", BRANCH)
        page.get_by_role("button", name="초안 저장").click()
        cases = wait_for_storage(page, lambda cs: cs and cs[0].get("appeal_drafts"), "a saved draft")
        assert cases[0]["branch"] == BRANCH and cases[0]["appeal_drafts"][-1]["fields"]["branch"] == BRANCH

        draft_url = page.url
        page.reload()
        page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        expect(page.get_by_text("저장한 초안을 보고 있습니다.")).to_be_visible(timeout=LONG)
        assert _value_of(page, "원처분기관") == BRANCH
        # A new tab has a session of its own: the draft can only come from the case kept in the browser.
        page = open_tab(context, draft_url)
        expect(page.get_by_text("저장한 초안을 보고 있습니다.")).to_be_visible(timeout=LONG)
        assert _value_of(page, "원처분기관") == BRANCH

        _scroll_until_near_top(page, page.get_by_text("청구 취지", exact=True))
        screenshot(page, "appeal-draft-reasons-1280.png")

        saved = download(page, "PDF로 내보내기", tmp_path)
        assert re.fullmatch(r"심사청구서-초안-윤OO-허리-\d{4}-\d\d-\d\d\.pdf", saved.name), saved.name
        text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], capture_output=True, text=True,
                              check=True).stdout
        squeezed = re.sub(r"\s+", "", text)
        assert "원처분기관" in squeezed and re.sub(r"\s+", "", BRANCH) in squeezed
        assert "취소한다는결정을구합니다" in squeezed and "내기전에읽어주세요" in squeezed
        assert len(stored_cases(page)[0]["appeal_drafts"]) == 1
    finally:
        context.close()


def test_a_case_past_its_deadline_is_told_so_first(browser, synced_app) -> None:
    context, page = open_app(browser, synced_app + "cases", width=390, height=844)
    try:
        new_case(page, "장OO 어깨")
        learned = date.today() - timedelta(days=200)
        _scroll_to_field(page, "결정을 안 날")
        box = page.get_by_role("textbox", name="결정을 안 날")  # not the calendar button beside it
        for _ in range(3):
            box.click()
            box.fill(learned.isoformat())
            page.wait_for_timeout(250)
            if box.input_value() == learned.isoformat():
                break
        page.get_by_role("button", name="사건 정보 저장").click()
        wait_for_storage(page, lambda cs: cs and cs[0].get("learned_on") == learned.isoformat(), "the date")
        _go_to_draft(page)
        expect(page.get_by_text("기한이 지났습니다", exact=True)).to_be_visible(timeout=LONG)
        first = page.get_by_text("기한이 지났습니다", exact=True).bounding_box()
        plainly = page.get_by_text("초안입니다. 검토한 뒤 내세요").bounding_box()
        assert first is not None and plainly is not None and first["y"] < plainly["y"]  # said before anything
        expect(page.get_by_text(re.compile(r"^심사청구 기한\(.*\)이 \d+일 지났습니다"))).to_be_visible()
        expect(page.get_by_text(re.compile("정당한 사유"))).to_be_visible()
        page.wait_for_timeout(4000)  # the notice of the case page's save goes away
        screenshot(page, "appeal-draft-overdue-390.png")
    finally:
        context.close()



REWRITTEN = ("1. 사건의 경위\n청구인은 6년 동안 물류센터에서 무거운 상자를 옮기는 일을 하였습니다.\n"
             "2099구합99999 판결도 같은 취지입니다.\n2. 결론\n원처분을 취소하여 주시기 바랍니다.")


@pytest.fixture(scope="module")
def ai_app(tmp_path_factory):
    """The draft page where the operator configured a (fake, OpenAI-compatible) AI server."""
    from tests.fakes.llm_server import FakeLLMServer

    data = tmp_path_factory.mktemp("appeal-ai-e2e")
    synced_store(data / "cache")
    with FakeLLMServer("vllm", answer=REWRITTEN) as server, running_app(data, {"SANJAE_LLM_URL": server.url}) as url:
        yield url, server


def test_the_ai_rewrite_is_shown_masked_then_compared_and_chosen(browser, ai_app) -> None:
    url, server = ai_app
    context, page = open_app(browser, url + "analysis", width=1280)
    try:
        fill_with_example(page)
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        expect(page.get_by_text("판례 근거 (인터넷 없이 정리)")).to_be_visible(timeout=LONG)
        _save_to_new_case(page, "백OO 허리")
        _open_draft(page, url, "백OO 허리")
        ask = page.get_by_role("button", name=re.compile("청구 이유 다듬기"))
        _scroll_until_near_top(page, ask)
        ask.click()
        expect(page.get_by_text(re.compile("이름이 더 있으면"))).to_be_visible(timeout=LONG)
        assert not [r for r in server.requests if r.path.endswith("/chat/completions")]  # nothing before the yes
        page.get_by_role("button", name="이대로 보내기").click()
        expect(page.get_by_text("지금 글과 AI가 다듬은 글의 다른 곳")).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile("AI: 청구인은 6년 동안 물류센터에서"))).to_be_visible()
        expect(page.get_by_text(re.compile("뺀 문장: 2099구합99999"))).to_be_visible()  # not sent, so dropped
        screenshot(page, "appeal-ai-compare-1280.png")
        take = page.get_by_role("button", name="AI가 다듬은 글로 바꾸기")
        take.scroll_into_view_if_needed()
        take.click()
        expect(page.get_by_text("지금 글과 AI가 다듬은 글의 다른 곳")).to_have_count(0, timeout=LONG)
        assert "무거운 상자를 옮기는 일을" in _value_of(page, "청구 이유")
    finally:
        context.close()
