"""Web mode, every case at once: one file out, the browser emptied after a confirmation, the file back in."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, screenshot
from tests.e2e.test_two_tabs import LONG, new_case, stored_cases, wait_for_storage


def download(page, button: str, tmp_path: Path) -> Path:
    target = page.get_by_role("button", name=button)
    target.scroll_into_view_if_needed()
    with page.expect_download(timeout=LONG) as info:
        target.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_export_clear_and_import_every_case(browser, app_url, tmp_path):
    context, page = open_app(browser, app_url + "cases", width=1280)
    try:
        for alias in ("최OO 어깨", "정OO 난청"):
            new_case(page, alias)
            page.get_by_role("button", name="뒤로").click()
        wait_for_storage(page, lambda cs: len(cs) == 2, "two cases")
        expect(page.get_by_text("사건 2건")).to_be_visible(timeout=LONG)

        saved = download(page, "모두 JSON으로 내보내기", tmp_path)
        assert re.fullmatch(r"사건-전체-2건-\d{4}-\d\d-\d\d\.json", saved.name), saved.name
        assert sorted(c["alias"] for c in json.loads(saved.read_text(encoding="utf-8"))["cases"]) == [
            "정OO 난청", "최OO 어깨"]
        calendar = download(page, "달력에 기한 넣기 (.ics)", tmp_path)
        assert Calendar.from_ical(calendar.read_bytes()).get("X-WR-CALNAME") == "산재 불복 기한"

        page.get_by_role("button", name="이 브라우저의 사건 모두 지우기").click()
        expect(page.get_by_text("이 브라우저의 사건을 모두 지울까요?")).to_be_visible(timeout=LONG)
        expect(page.get_by_text(re.compile("사건 2건과 그 안의"))).to_be_visible()
        screenshot(page, "cases-clear-all-1280.png")
        page.get_by_role("button", name="모두 지우기").click()
        expect(page.get_by_text("아직 사건이 없습니다.", exact=False)).to_be_visible(timeout=LONG)
        assert stored_cases(page) == []

        with page.expect_file_chooser(timeout=LONG) as chooser:
            page.get_by_role("button", name="가져오기").click()
        chooser.value.set_files(str(saved))
        expect(page.get_by_text("사건 2건")).to_be_visible(timeout=LONG)
        assert sorted(c["alias"] for c in stored_cases(page)) == ["정OO 난청", "최OO 어깨"]
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("button", name="이 브라우저의 사건 모두 지우기").scroll_into_view_if_needed()
        screenshot(page, "cases-all-390.png")
    finally:
        context.close()


def test_case_page_gives_the_claimant_page_and_the_calendar(browser, app_url, tmp_path):
    context, page = open_app(browser, app_url + "cases", width=1280)
    try:
        new_case(page, "한OO 손목")
        page.set_viewport_size({"width": 390, "height": 844})
        branch = page.get_by_label("처분한 공단 지사")
        expect(branch).to_be_attached(timeout=LONG)
        page.mouse.move(195, 400)
        page.mouse.wheel(0, 2100)  # down to the notice's facts under 사건 정보
        screenshot(page, "case-details-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        checklist = download(page, "신청인용 한 장 (PDF)", tmp_path)
        assert re.fullmatch(r"체크리스트-한OO-손목-\d{4}-\d\d-\d\d\.pdf", checklist.name), checklist.name
        text = subprocess.run(["pdftotext", "-layout", str(checklist), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.count("\f") == 1 and "1588-0075" in text  # one page, with where to ask
        screenshot(page, "case-exports-1280.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("button", name="달력에 기한 넣기 (.ics)").scroll_into_view_if_needed()
        screenshot(page, "case-exports-390.png")
    finally:
        context.close()
