"""The first screen on a slow phone network: Korean from the first paint, never "Flet" or "Working...", no boxes.

The network is throttled (DevTools protocol) so that the loading screen stays long enough to be seen and
photographed. While the page loads, the tab title and the visible text are sampled: the title must be Korean
at every sample and the app's view must not be uncovered before it has drawn (its title set). The Korean font
must have arrived before Flutter's first frame and no fallback font may be fetched for the start page's
Hangul (either would mean boxes for a moment). Syllables outside the font's first piece, typed into the
search box, are drawn from the rest of the font, which the page fetches after its first view.
"""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from app.theme import WEB_REST_FONT
from app.web import page as web_page
from tests.e2e.conftest import KOREAN_FONT, add_loader_hook, screenshot, type_into

pytestmark = pytest.mark.e2e
SLOW = {"offline": False, "latency": 170, "downloadThroughput": 3_000_000 / 8, "uploadThroughput": 1_500_000 / 8}
HOME = "내 사건과 비슷한 판례를 찾아보세요"
MARKS = """(() => {
  window.__marks = {};
  addEventListener('flutter-first-frame', () => { window.__marks.firstFrame = performance.now(); });
})();"""


def _throttled_tab(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ko-KR")
    add_loader_hook(context)
    context.add_init_script(MARKS)
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    return context, tab


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_loading_screen_is_korean_until_the_app_has_drawn(browser, app_url, width: int, height: int) -> None:
    context, tab = _throttled_tab(browser, width, height)
    fallback: list[str] = []
    tab.on("request", lambda r: fallback.append(r.url) if "/notosans" in r.url else None)
    try:
        tab.goto(app_url, wait_until="commit")
        loading = tab.locator(f"#{web_page.LOADING_ID}")
        expect(loading.get_by_text(web_page.LOADING)).to_be_visible(timeout=10_000)
        assert tab.title() == web_page.LOADING_TITLE
        shot = screenshot(tab, f"loading-{width}.png", settle=False)
        assert shot.stat().st_size > 5_000
        titles, deadline = set(), time.monotonic() + 120
        while loading.count() and time.monotonic() < deadline:
            titles.add(tab.title())
            assert tab.get_by_text("Working").count() == 0
            tab.wait_for_timeout(100)
        assert loading.count() == 0, "the loading screen never went away"
        titles.add(tab.title())
        assert "Flet" not in titles and "" not in titles, titles
        assert all("산재 판례 도우미" in title for title in titles), titles
        tab.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        expect(tab.get_by_text(HOME)).to_be_visible(timeout=30_000)
        # The Korean font came in before Flutter drew anything, so no Hangul was ever a box.
        font_done, first_frame = tab.evaluate(
            """url => [performance.getEntriesByType('resource').find(e => e.name.endsWith(url)).responseEnd,
                       window.__marks.firstFrame]""", KOREAN_FONT)
        assert font_done <= first_frame
        tab.wait_for_timeout(1000)
        assert fallback == [], fallback  # the start page's Hangul all comes from the first piece
        screenshot(tab, f"first-screen-{width}.png")
    finally:
        context.close()


def test_syllables_outside_the_first_piece_are_drawn_not_boxes(browser, app_url) -> None:
    """Any character a font lacks is drawn as the same box, so two different rare syllables drawn alike
    would be boxes; drawn from the rest of the font (fetched after the first view) they differ."""
    context, tab = _throttled_tab(browser, 390, 844)
    try:
        with tab.expect_response(lambda r: r.url.endswith(WEB_REST_FONT), timeout=90_000) as rest:
            tab.goto(app_url + "search")
            tab.locator("flt-semantics-placeholder").wait_for(state="attached", timeout=60_000)
            tab.locator("flt-semantics-placeholder").evaluate("el => el.click()")
        assert rest.value.status == 200 and rest.value.headers["content-type"] == "font/woff2"
        rest.value.finished()
        box = tab.get_by_label("찾을 말")
        expect(box).to_be_visible(timeout=60_000)
        pictures = []
        for word in ("똠똠똠똠", "쀍쀍쀍쀍", "햏햏햏햏"):  # none of them in KS X 1001
            type_into(tab, "찾을 말", word)
            tab.wait_for_timeout(800)
            pictures.append(box.screenshot())
        assert len(set(pictures)) == 3, "rare syllables were drawn as boxes"
        screenshot(tab, "rare-syllables-390.png")
    finally:
        context.close()
