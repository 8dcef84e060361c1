"""Date entry in a real browser: notice-style dates are read, an impossible date is explained in full under
the field at 390 px, and the calendar button fills the field."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from services.next_step import long_day, next_step
from tests.e2e.conftest import open_app, screenshot, type_into
from tests.e2e.test_feature_analysis_cases import LONG, _bring_into_semantics, fill_with_example

pytestmark = pytest.mark.e2e

FIELD = "불승인 통지를 받은 날"


def test_dates_as_written_on_a_phone(browser, app_url):
    context, page = open_app(browser, app_url + "analysis", width=390, height=844)
    try:
        fill_with_example(page)
        _bring_into_semantics(page, FIELD)
        type_into(page, FIELD, "2026-02-30")
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        messages = page.get_by_text(re.compile("2월 30일은 없는 날입니다"))
        expect(messages.first).to_be_visible(timeout=LONG)
        assert messages.count() >= 1
        page.wait_for_timeout(800)  # the page scrolls to the field that needs fixing
        for index in range(messages.count()):  # under the field and in the list above the buttons
            message = messages.nth(index)
            expect(message).to_contain_text("며칠인지 다시 확인해 주세요")  # the whole message, not cut off
            box = message.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        screenshot(page, "date-impossible-390.png")

        learned = date.today() - timedelta(days=30)
        written = f"{learned.year}년 {learned.month}월 {learned.day}일"
        field = page.get_by_label(FIELD)
        field.click(position={"x": 30, "y": 20})  # the box's middle is the error text below the field
        field.fill(written)
        expect(field).to_have_value(written)
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        step = next_step(learned)
        assert step.deadline is not None
        expect(page.get_by_text(long_day(step.deadline), exact=True)).to_be_visible(timeout=LONG)
    finally:
        context.close()


def test_calendar_button_fills_the_field(browser, app_url):
    # In Korea the picked local midnight is the previous day in UTC: the field must still show the picked day.
    context, page = open_app(browser, app_url + "analysis", width=1280, timezone_id="Asia/Seoul")
    try:
        fill_with_example(page)
        _bring_into_semantics(page, FIELD)
        type_into(page, FIELD, "")  # an empty field opens the calendar on today
        page.get_by_role("button", name="달력에서 통지를 받은 날 고르기").click()
        confirm = page.get_by_role("button", name="이 날짜로")
        expect(confirm).to_be_visible(timeout=LONG)
        page.mouse.move(5, 5)
        screenshot(page, "date-picker-1280.png")
        confirm.click()  # today is highlighted and chosen
        expect(confirm).to_have_count(0, timeout=LONG)
        page.get_by_role("button", name="비슷한 판례와 근거 보기").click()
        step = next_step(date.today())
        assert step.deadline is not None
        # Flutter does not copy a value set by the app into the page's input element: read the result instead.
        expect(page.get_by_text(long_day(step.deadline), exact=True)).to_be_visible(timeout=LONG)
        expect(page.get_by_text(f"D-{step.days_left} · {step.days_left}일 남음")).to_be_visible()
    finally:
        context.close()
