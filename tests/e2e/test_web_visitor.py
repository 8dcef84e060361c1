"""A web visitor in a real browser: the home banner offers the samples instead of 설정, and a long paste
on the document page is cut with an announcement of what was kept."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, screenshot

pytestmark = pytest.mark.e2e
LONG = 30_000
PASTE = "근로복지공단 요양급여 불승인 결정 통지서의 내용입니다. " * 1_000  # 31,000 characters


@pytest.mark.parametrize("width", [390, 1280])
def test_visitor_home_has_no_settings_link_and_a_long_paste_is_announced(browser, app_url, width):
    height = 844 if width < 600 else 900
    context, page = open_app(browser, app_url, width=width, height=height)
    try:
        expect(page.get_by_text("내 사건과 비슷한 판례를 찾아보세요")).to_be_visible(timeout=LONG)
        banner = page.get_by_text(re.compile("운영자가 받아 오면"))
        banner.scroll_into_view_if_needed()
        expect(banner).to_be_visible(timeout=LONG)
        expect(page.get_by_role("button", name=re.compile("예시 판례 둘러보기"))).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("설정에서"))).to_have_count(0)
        expect(page.get_by_text(re.compile("설정에서"))).to_have_count(0)
        screenshot(page, f"visitor-home-{width}.png")

        context, page = open_app(browser, app_url + "summarize", width=width, height=height)
        expect(page.get_by_text(re.compile("최대 30,000자")).first).to_be_visible(timeout=LONG)
        box = page.get_by_label("요약할 글")
        box.click()
        expect(box).to_be_focused()
        box.fill(PASTE)
        expect(page.get_by_text(re.compile(r"앞의 30,000자만 남겼습니다 \(붙여 넣은 글 31,000자\)")).first) \
            .to_be_visible(timeout=LONG)
        expect(page.get_by_text("30,000 / 30,000자").first).to_be_visible(timeout=LONG)
        screenshot(page, f"visitor-summarize-cut-{width}.png")
    finally:
        context.close()
