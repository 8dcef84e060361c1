"""Nothing asked twice, in a real browser: the start page's picks fill the analysis form, and the
analysis's specific evidence to collect lands in the saved case's 할 일."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, screenshot, type_into

pytestmark = pytest.mark.e2e
LONG = 30_000
SPECIFIC = "특별진찰(공단에 요청할 수 있는 업무관련성 특별진찰) 결과"


def _pick(page, name: str) -> None:
    """Select a chip on 시작; a click that lands while Flutter is still wiring the page can be dropped."""
    chip = page.get_by_role("checkbox", name=name, exact=True)
    for attempt in range(3):
        chip.click()
        try:
            expect(chip).to_be_checked(timeout=3_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def _scroll_to(page, locator, x: int) -> None:
    """Scroll the page's canvas until ``locator`` is on screen (Flutter leaves far off-screen controls out
    of the accessibility tree, and draws only what is scrolled into view)."""
    height = page.viewport_size["height"]
    for _ in range(20):
        try:
            locator.wait_for(state="attached", timeout=1_500)
            box = locator.bounding_box()
            if box and 80 < box["y"] < height - 200:
                return
        except PlaywrightTimeout:
            pass
        page.mouse.move(x, 400)
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(300)
    locator.wait_for(state="attached", timeout=LONG)


def test_start_choices_fill_the_form_and_evidence_reaches_the_case(browser, app_url):
    context, page = open_app(browser, app_url, width=1280)
    try:
        expect(page.get_by_role("checkbox", name="일하다 병을 얻었어요")).to_be_visible(timeout=LONG)
        _pick(page, "일하다 병을 얻었어요")
        _pick(page, "허리 디스크")
        page.get_by_role("button", name="내 상황 분석하기").click()
        expect(page).to_have_url(re.compile(r"/analysis\?"), timeout=LONG)
        # The form shows what was picked: the illness, the diagnosis chip and the kind.
        expect(page.get_by_role("button", name="허리 디스크 빼기")).to_have_count(1, timeout=LONG)
        expect(page.get_by_role("radio", name=re.compile("질병"))).to_be_checked()
        page.wait_for_timeout(500)
        screenshot(page, "carryover-form-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        screenshot(page, "carryover-form-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_timeout(800)

        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        expect(page.get_by_text("판례 근거 (인터넷 없이 정리)")).to_be_visible(timeout=LONG)
        page.get_by_role("button", name="사건에 저장").click()
        expect(page.get_by_text("어느 사건에 저장할까요?")).to_be_visible(timeout=LONG)
        type_into(page, "새 사건 이름", "이OO 허리")
        page.get_by_role("button", name="새 사건 만들고 저장").click()
        expect(page.get_by_text("어느 사건에 저장할까요?")).to_have_count(0, timeout=LONG)
        page.wait_for_timeout(1500)

        page.goto(app_url + "cases")
        page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        row = page.get_by_role("button", name=re.compile("이OO 허리"))
        expect(row).to_be_visible(timeout=LONG)
        row.click()
        expect(page).to_have_url(re.compile(r"/case/"), timeout=LONG)
        expect(page.get_by_text("증거·할 일 목록", exact=False).first).to_be_attached(timeout=LONG)
        item = page.get_by_role("checkbox", name=SPECIFIC, exact=True)
        _scroll_to(page, item, 640)
        expect(item).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile("왜: 근골격계 질병 인정 기준에서 살펴보는 자료")).first).to_be_attached()
        # The generic "동료 진술서 부탁하기" gave way to the specific statement item.
        expect(page.get_by_role("checkbox", name="동료 진술서 부탁하기")).to_have_count(0)
        screenshot(page, "carryover-case-todo-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        _scroll_to(page, item, 200)
        screenshot(page, "carryover-case-todo-390.png")

        # A tap on the bin next to an item can be a slip: the notice offers to bring it back.
        page.get_by_role("button", name=f"'{SPECIFIC}' 지우기").click()
        expect(page.get_by_role("checkbox", name=SPECIFIC, exact=True)).to_have_count(0, timeout=LONG)
        undo = page.get_by_role("button", name="되돌리기")
        expect(undo).to_be_visible(timeout=LONG)
        undo.click()
        expect(page.get_by_role("checkbox", name=SPECIFIC, exact=True)).to_have_count(1, timeout=LONG)
    finally:
        context.close()
