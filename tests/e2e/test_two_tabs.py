"""Two tabs of one browser and a second browser profile working on the same cases lose nothing.

The sequence that used to lose data: open the same case in tabs A and B, save a memo in A and then in
B (each overwrote the other), create a case in A and then save a memo in B (A's new case was gone).
What the browser keeps is read straight from its localStorage, where Flutter's SharedPreferences
puts it, so the test sees exactly what a visitor would find after closing every tab.
"""
from __future__ import annotations

import json
import re
import time

from playwright.sync_api import expect

from app.platform.browser import BROWSER_KEY
from tests.e2e.conftest import open_app, open_tab, screenshot, type_into

LONG = 30_000
STORAGE_KEY = "flutter." + BROWSER_KEY  # SharedPreferences' prefix on the web


def stored_cases(page) -> list[dict]:
    raw = page.evaluate("key => window.localStorage.getItem(key)", STORAGE_KEY)
    if not raw:
        return []
    return json.loads(json.loads(raw))["cases"]  # a JSON string holding our JSON blob


def wait_for_storage(page, check, what: str, timeout_s: float = 20.0) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    cases = stored_cases(page)
    while not check(cases):
        if time.monotonic() > deadline:
            raise AssertionError(f"browser storage never showed {what}: {cases!r}")
        page.wait_for_timeout(300)
        cases = stored_cases(page)
    return cases


def regain_focus(page) -> None:
    """Switch to this tab. Headless Chromium shows every tab at once and never moves the focus between
    them, so the events a real browser sends on a tab switch are sent here by hand."""
    page.bring_to_front()
    page.evaluate("""() => {
        window.dispatchEvent(new Event('blur'));
        window.dispatchEvent(new Event('focus'));
    }""")


def new_case(page, alias: str) -> None:
    expect(page.get_by_role("button", name="새 사건")).to_be_visible(timeout=LONG)
    page.get_by_role("button", name="새 사건").click()
    type_into(page, "사건 이름", alias)
    page.get_by_role("button", name="만들기").click()
    expect(page).to_have_url(re.compile(r"/case/"), timeout=LONG)


def save_memo(page, text: str) -> None:
    type_into(page, "메모", text, exact=True)
    page.get_by_role("button", name="메모 저장").click()


def memo_of(cases: list[dict], alias: str) -> str:
    return next(c["notes"] for c in cases if c["alias"] == alias)


def test_two_tabs_and_two_profiles_lose_nothing(browser, app_url):
    context, tab_a = open_app(browser, app_url + "cases", width=1280)
    try:
        new_case(tab_a, "김OO 요추")
        case_url = tab_a.url
        tab_b = open_tab(context, case_url)
        list_tab = open_tab(context, app_url + "cases")  # a third tab left on the case list
        expect(list_tab.get_by_role("button", name=re.compile("김OO 요추"))).to_be_visible(timeout=LONG)
        for tab in (tab_a, tab_b):
            expect(tab.get_by_role("button", name="메모 저장")).to_be_visible(timeout=LONG)

        # A memo in A, then one in B typed on B's older page: both stay.
        tab_a.bring_to_front()
        save_memo(tab_a, "A에서 쓴 메모")
        wait_for_storage(tab_a, lambda cs: "A에서 쓴 메모" in memo_of(cs, "김OO 요추"), "A's memo")
        tab_b.bring_to_front()
        save_memo(tab_b, "B에서 쓴 메모")
        cases = wait_for_storage(tab_b, lambda cs: "B에서 쓴 메모" in memo_of(cs, "김OO 요추"), "B's memo")
        memo = memo_of(cases, "김OO 요추")
        assert "A에서 쓴 메모" in memo and "B에서 쓴 메모" in memo, memo
        screenshot(tab_b, "two-tabs-merged-1280.png")
        tab_b.set_viewport_size({"width": 390, "height": 844})
        screenshot(tab_b, "two-tabs-merged-390.png")
        tab_b.set_viewport_size({"width": 1280, "height": 900})

        # A new case in A, then a memo in B: A's new case stays.
        tab_a.bring_to_front()
        tab_a.get_by_role("button", name="뒤로").click()
        new_case(tab_a, "박OO 뇌출혈")
        wait_for_storage(tab_a, lambda cs: len(cs) == 2, "the second case")
        tab_b.bring_to_front()
        save_memo(tab_b, memo + "\nB 한 줄 더")
        cases = wait_for_storage(tab_b, lambda cs: "B 한 줄 더" in memo_of(cs, "김OO 요추"), "B's second memo")
        assert sorted(c["alias"] for c in cases) == ["김OO 요추", "박OO 뇌출혈"]
        memo = memo_of(cases, "김OO 요추")
        assert memo.count("A에서 쓴 메모") == 1 and memo.count("B에서 쓴 메모") == 1, memo

        # The tab left on the list picks up the new case when it is looked at again.
        regain_focus(list_tab)
        expect(list_tab.get_by_role("button", name=re.compile("박OO 뇌출혈"))).to_be_visible(timeout=LONG)

        # Another browser profile keeps its own cases and touches none of these.
        other, other_tab = open_app(browser, app_url + "cases", width=1280)
        try:
            new_case(other_tab, "다른 창 사건")
            wait_for_storage(other_tab, lambda cs: len(cs) == 1, "the other profile's case")
            assert [c["alias"] for c in stored_cases(other_tab)] == ["다른 창 사건"]
        finally:
            other.close()
        assert sorted(c["alias"] for c in stored_cases(tab_a)) == ["김OO 요추", "박OO 뇌출혈"]

        # A tab opened now, after all that, shows both cases and the merged memo.
        fresh = open_tab(context, app_url + "cases")
        expect(fresh.get_by_text("사건 2건")).to_be_visible(timeout=LONG)
    finally:
        context.close()
