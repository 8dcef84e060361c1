"""Web mode on a shared computer: a visitor locks the cases kept in this browser with a passphrase."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from app.platform.browser import BROWSER_KEY
from tests.e2e.conftest import open_app, open_tab, screenshot, type_into
from tests.e2e.test_two_tabs import LONG, STORAGE_KEY, new_case, wait_for_storage


def stored_text(page) -> str:
    return page.evaluate("key => window.localStorage.getItem(key) || ''", STORAGE_KEY)


def test_lock_the_browser_cases_and_open_them_in_another_tab(browser, app_url):
    assert STORAGE_KEY.endswith(BROWSER_KEY)
    context, page = open_app(browser, app_url + "cases", width=1280)
    try:
        new_case(page, "윤OO 무릎")
        page.get_by_role("button", name="뒤로").click()
        wait_for_storage(page, lambda cs: len(cs) == 1, "the case")
        lock = page.get_by_role("button", name="암호로 잠그기")
        lock.scroll_into_view_if_needed()
        lock.click()
        expect(page.get_by_text("이 브라우저의 사건을 암호로 잠글까요?")).to_be_visible(timeout=LONG)
        type_into(page, "새 암호 (6글자 이상)", "사무실 공용 암호")
        type_into(page, "새 암호 한 번 더", "사무실 공용 암호")
        screenshot(page, "cases-lock-dialog-1280.png")
        page.get_by_role("button", name="잠그기", exact=True).click()
        expect(page.get_by_role("button", name="잠금 풀기")).to_be_visible(timeout=LONG)
        text = stored_text(page)
        assert '\\"locked\\": true' in text or '"locked": true' in text, text[:200]
        assert "윤OO" not in text

        other = open_tab(context, app_url + "cases")
        expect(other.get_by_text("잠긴 사건 열기")).to_be_visible(timeout=LONG)
        assert other.get_by_role("button", name=re.compile("윤OO 무릎")).count() == 0
        type_into(other, "사건 암호", "틀린 암호")
        other.get_by_role("button", name="열기", exact=True).click()
        expect(other.get_by_text(re.compile("암호가 맞지 않습니다"))).to_be_visible(timeout=LONG)
        other.set_viewport_size({"width": 390, "height": 844})
        screenshot(other, "cases-locked-390.png")
        type_into(other, "사건 암호", "사무실 공용 암호")
        other.get_by_role("button", name="열기", exact=True).click()
        expect(other.get_by_role("button", name=re.compile("윤OO 무릎"))).to_be_visible(timeout=LONG)
    finally:
        context.close()
