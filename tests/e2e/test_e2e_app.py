"""The app in a real browser: find precedents, open one, go back; settings check; two visitors."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, screenshot, type_into

pytestmark = pytest.mark.e2e
LONG = 30_000


def test_home_search_detail_and_back(browser, app_url):
    context, page = open_app(browser, app_url, width=1280)
    try:
        expect(page.get_by_text("내 사건과 비슷한 판례를 찾아보세요")).to_be_visible(timeout=LONG)
        expect(page.get_by_text("가상 예시", exact=False).first).to_be_visible()
        screenshot(page, "home-1280.png")
        page.get_by_role("checkbox", name="일하다 병을 얻었어요").click()
        expect(page.get_by_role("checkbox", name="일하다 병을 얻었어요")).to_be_checked()
        page.get_by_role("checkbox", name="요양 (치료비·휴업)").click()
        expect(page.get_by_role("checkbox", name="요양 (치료비·휴업)")).to_be_checked()
        page.get_by_role("button", name="판례 찾기", exact=True).click()
        expect(page).to_have_url(re.compile(r"/search\?.*b=%EC%9A%94%EC%96%91"), timeout=LONG)
        # Outcome chips carry counts in plain words.
        expect(page.get_by_role("checkbox", name=re.compile(r"노동자 승소 \(취소\) \d+건"))).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile(r"판례 \d+건을 찾았습니다"))).to_be_visible(timeout=LONG)
        screenshot(page, "search-1280.png")
        page.get_by_role("button", name=re.compile("판례 자세히 보기")).first.click()
        expect(page).to_have_url(re.compile(r"/precedent/sample"), timeout=LONG)
        expect(page.get_by_text("판결문", exact=True)).to_be_visible(timeout=LONG)
        expect(page.get_by_role("button", name=re.compile("인용 복사"))).to_be_visible()
        screenshot(page, "detail-1280.png")
        page.go_back()
        expect(page).to_have_url(re.compile(r"/search\?"), timeout=LONG)
        expect(page.get_by_text(re.compile(r"판례 \d+건을 찾았습니다"))).to_be_visible(timeout=LONG)
    finally:
        context.close()


def test_phone_width_deep_link_and_settings_check(browser, app_url):
    context, page = open_app(browser, app_url + "settings", width=390, height=844)
    try:
        expect(page.get_by_text("인증키와 연결")).to_be_visible(timeout=LONG)
        expect(page.get_by_text("운영자가 설정함").first).to_be_visible()
        screenshot(page, "settings-390.png")
        page.get_by_role("button", name=re.compile("연결 확인")).first.click()
        expect(page.get_by_text(re.compile("코드 30"))).to_be_visible(timeout=LONG)
        screenshot(page, "settings-code30-390.png")
        page.get_by_role("tab", name="판례 찾기").click()
        page.get_by_role("button", name=re.compile("판례 자세히 보기")).first.click()
        expect(page.get_by_role("button", name=re.compile("인용 복사"))).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile("자동 발췌"))).to_be_visible(timeout=LONG)  # the offline summary
        screenshot(page, "detail-390.png")
    finally:
        context.close()


def test_two_visitors_do_not_disturb_each_other(browser, app_url):
    ctx_a, a = open_app(browser, app_url + "search?q=%ED%97%88%EB%A6%AC", width=390, height=844)
    ctx_b, b = open_app(browser, app_url, width=1280)
    try:
        expect(a.get_by_text(re.compile(r"판례 \d+건을 찾았습니다|찾은 판례가 없습니다"))).to_be_visible(timeout=LONG)
        expect(b.get_by_text("내 사건과 비슷한 판례를 찾아보세요")).to_be_visible(timeout=LONG)
        # B picks a choice on the start page; A searches at the same time.
        b.get_by_role("checkbox", name="장해").click()
        expect(b.get_by_role("checkbox", name="장해")).to_be_checked()
        type_into(a, "찾을 말", "뇌출혈")
        a.keyboard.press("Enter")
        expect(a).to_have_url(re.compile(r"q=%EB%87%8C"), timeout=LONG)
        expect(a.get_by_role("button", name=re.compile("뇌출혈")).first).to_be_visible(timeout=LONG)
        screenshot(a, "search-390.png")
        # B is where it was, with its own choice; A's start page has none.
        expect(b).to_have_url(re.compile(r"/$"))
        expect(b.get_by_role("checkbox", name="장해")).to_be_checked()
        a.get_by_role("tab", name="시작").click()  # the bottom bar on a phone-wide window
        expect(a.get_by_role("checkbox", name="장해")).not_to_be_checked(timeout=LONG)
        screenshot(a, "home-390.png")
        screenshot(b, "home-choice-1280.png")
    finally:
        ctx_a.close()
        ctx_b.close()
