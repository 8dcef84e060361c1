"""Tap targets on a phone: every button, choice and tab on 시작 is at least 48 px tall."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_app
from tests.e2e.test_feature_analysis_cases import LONG

pytestmark = pytest.mark.e2e

# Controls fully on screen (Flutter clips a control's accessible box to what is visible).
TARGETS = """([top, bottom]) => [...document.querySelectorAll(
    'flt-semantics[role=button], flt-semantics[role=checkbox], flt-semantics[role=tab]')]
  .map(e => [e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
  .filter(([, r]) => r.top >= top && r.bottom <= bottom && r.width > 0)
  .map(([name, r]) => [name, Math.round(r.height)])"""


def test_every_target_on_the_start_page_is_48_px_on_a_phone(browser, app_url):
    context, page = open_app(browser, app_url, width=390, height=844)
    try:
        expect(page.get_by_text("내 사건과 비슷한 판례를 찾아보세요")).to_be_visible(timeout=LONG)
        page.wait_for_timeout(800)
        seen: dict[str, int] = {}
        for _ in range(4):  # the page is longer than the screen: look, scroll, look again
            # A control half under the app bar looks shorter: keep the tallest view of each.
            for name, height in page.evaluate(TARGETS, [56, 844]):
                seen[name] = max(height, seen.get(name, 0))
            page.mouse.move(195, 400)
            page.mouse.wheel(0, 500)
            page.wait_for_timeout(500)
        assert len(seen) >= 20, seen
        small = {name: height for name, height in seen.items() if height < 48}
        assert not small, small
    finally:
        context.close()
