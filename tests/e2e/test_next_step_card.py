"""The '다음에 할 일' card in a real browser: first in the analysis result, with the date and tap-to-call help."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from services.next_step import long_day, next_step
from tests.e2e.conftest import open_app, screenshot, type_into
from tests.e2e.test_feature_analysis_cases import LONG, _bring_into_semantics, _save_to_new_case, fill_with_example

pytestmark = pytest.mark.e2e

# Record what a tap on a call button asks the browser to open instead of leaving the page.
RECORD_OPENS = """() => {
  window.__opened = [];
  window.open = (url) => { window.__opened.push(String(url)); return null; };
}"""


def test_next_step_card_comes_first_with_the_date_and_a_call_button(browser, app_url):
    learned = date.today() - timedelta(days=80)  # about ten days left: the urgent (red) card
    step = next_step(learned)
    assert step.deadline is not None and step.urgent
    context, page = open_app(browser, app_url + "analysis", width=1280)
    try:
        fill_with_example(page)
        _bring_into_semantics(page, "불승인 통지를 받은 날")
        type_into(page, "불승인 통지를 받은 날", learned.isoformat())
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        title = page.get_by_text("다음에 할 일", exact=True)
        expect(title).to_be_visible(timeout=LONG)
        day = page.get_by_text(long_day(step.deadline), exact=True)
        expect(day).to_be_visible()
        expect(page.get_by_text(f"D-{step.days_left} · {step.days_left}일 남음")).to_be_visible()
        evidence = page.get_by_text("판례 근거 (인터넷 없이 정리)")
        expect(evidence).to_be_visible(timeout=LONG)
        # The card is the first thing of the result: above the save button and the precedent evidence.
        top = title.bounding_box()
        assert top is not None
        for later in (page.get_by_role("button", name="사건에 저장"), evidence):
            box = later.bounding_box()
            assert box is not None and box["y"] > top["y"], (top, box)
        call = page.get_by_role("button", name=re.compile("대한법률구조공단 132 전화하기"))
        call.scroll_into_view_if_needed()
        expect(call).to_be_visible()
        height = call.bounding_box()
        assert height is not None and height["height"] >= 48
        page.evaluate(RECORD_OPENS)
        call.click()
        page.wait_for_function("() => window.__opened && window.__opened.length > 0", timeout=LONG)
        assert page.evaluate("() => window.__opened") == ["tel:132"]
        page.mouse.move(5, 5)  # no tooltip in the pictures
        for attempt in range(3):  # the semantics tree is rebuilt after the call opens: find the title again
            try:
                title.scroll_into_view_if_needed(timeout=LONG // 3)
                break
            except PlaywrightError:
                if attempt == 2:
                    raise
                page.wait_for_timeout(500)
        screenshot(page, "next-step-analysis-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        page.mouse.move(195, 400)
        page.mouse.wheel(0, 420)  # the card at the top of the phone screen, as the app scrolls to it
        page.wait_for_timeout(800)
        screenshot(page, "next-step-analysis-390.png")

        _save_to_new_case(page, "다음 할 일 확인")
        page.goto(app_url + "cases")
        page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        page.get_by_role("button", name=re.compile("다음 할 일 확인")).click()
        expect(page).to_have_url(re.compile(r"/case/"), timeout=LONG)
        expect(page.get_by_text("다음에 할 일", exact=True)).to_be_visible(timeout=LONG)
        expect(page.get_by_text(long_day(step.deadline), exact=True)).to_be_visible()
        page.wait_for_timeout(4000)  # let the "저장했습니다" message go away
        screenshot(page, "next-step-case-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_timeout(800)
        screenshot(page, "next-step-case-1280.png")
    finally:
        context.close()
