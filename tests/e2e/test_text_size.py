"""글자 크게 in a real browser: one tap makes every text larger, and the choice is still there after a reload."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, screenshot
from tests.e2e.test_feature_analysis_cases import LONG

pytestmark = pytest.mark.e2e

HEADING = "내 사건과 비슷한 판례를 찾아보세요"


def _height(page) -> float:
    box = page.get_by_text(HEADING).bounding_box()
    assert box is not None
    return box["height"]


def test_text_size_scales_the_app_and_is_remembered(browser, app_url):
    context, page = open_app(browser, app_url, width=390, height=844)
    try:
        expect(page.get_by_text(HEADING)).to_be_visible(timeout=LONG)
        before = _height(page)
        page.get_by_role("button", name=re.compile("글자 크기: 보통")).click()
        expect(page.get_by_role("button", name=re.compile("글자 크기: 크게"))).to_be_visible(timeout=LONG)
        page.wait_for_timeout(800)
        assert _height(page) > before * 1.15
        page.mouse.move(5, 5)
        screenshot(page, "text-size-large-390.png")

        page.reload()
        page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        expect(page.get_by_role("button", name=re.compile("글자 크기: 크게"))).to_be_visible(timeout=LONG)
        page.wait_for_timeout(800)
        assert _height(page) > before * 1.15
    finally:
        context.close()
