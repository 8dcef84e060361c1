"""Case list logic: deadline badges, sorting, filtering, form checks, storage choice, import/export."""
from __future__ import annotations

import asyncio
import json
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from app.platform import browser
from app.viewmodels import case_rows, cases_vm
from app.wiring import AppServices
from services.cases import Case, UserFileCaseRepository
from storage.user_store import UserStore

TODAY = date(2026, 3, 9)  # a Monday; all targets below are working days


def _learned_for(days_left: int) -> str:
    """A 결정을 안 날 whose 심사청구 deadline (day 90, moved off weekends/holidays) is ``days_left`` away."""
    target = TODAY + timedelta(days=days_left)
    for back in range(0, 10):
        learned = target - timedelta(days=90 + back)
        deadlines = case_rows.case_deadlines({"learned_on": learned.isoformat(), "stage": "불승인"}, TODAY)
        if deadlines[0].days_left == days_left:
            return learned.isoformat()
    raise AssertionError("no date found")


@pytest.mark.parametrize("days,text,tone", [
    (30, "심사청구 D-30", "calm"), (14, "심사청구 D-14", "near"), (7, "심사청구 D-7", "soon"),
    (3, "심사청구 D-3", "urgent"), (0, "심사청구 오늘 마감", "urgent"),
])
def test_badge_levels(days, text, tone):
    badge = case_rows.case_badge({"learned_on": _learned_for(days), "stage": "불승인"}, TODAY)
    assert (badge.text, badge.tone, badge.days_left) == (text, tone, days)


def test_overdue_badge_uses_plain_words():
    badge = case_rows.case_badge({"learned_on": "2025-09-01", "stage": "불승인"}, TODAY)
    # 심사청구 passed; 행정소송 (also 90 days) passed too → the most recent passed one is named
    assert badge.tone == "overdue"
    assert "기한 지남" in badge.text
    assert "지났습니다" in badge.detail


def test_badge_without_dates_or_for_court_stage():
    assert case_rows.case_badge({"stage": "불승인"}, TODAY).tone == "none"
    assert case_rows.case_badge({"learned_on": "2026-01-19", "stage": "행정소송"}, TODAY).tone == "none"


def test_sort_overdue_first_then_nearest_deadline_then_undated():
    cases = [
        {"id": "a", "alias": "날짜 없음", "stage": "불승인"},
        {"id": "b", "alias": "지난 사건", "learned_on": "2025-09-01", "stage": "불승인"},
        {"id": "c", "alias": "여유", "learned_on": _learned_for(44), "stage": "불승인"},
        {"id": "d", "alias": "급함", "learned_on": _learned_for(3), "stage": "불승인"},
    ]
    rows = case_rows.list_rows(cases, today=TODAY)
    # A case whose deadline passed needs a decision now, above one with 44 days left.
    assert [r.case_id for r in rows] == ["b", "d", "c", "a"]
    assert [r.case_id for r in case_rows.list_rows(cases, sort="alias", today=TODAY)] == ["d", "a", "c", "b"]


def test_filter_by_words_and_stage():
    cases = [
        {"id": "1", "alias": "김OO 허리", "stage": "불승인", "situation": "물류센터 상하차"},
        {"id": "2", "alias": "박OO 뇌출혈", "stage": "심사청구", "notes": "야간 교대"},
        {"id": "3", "alias": "이OO", "stage": "불승인", "bookmarks": [{"title": "허리 디스크 판례", "note": ""}]},
    ]
    assert [c["id"] for c in case_rows.filter_cases(cases, text="허리")] == ["1", "3"]
    assert [c["id"] for c in case_rows.filter_cases(cases, text="야간 교대")] == ["2"]
    assert [c["id"] for c in case_rows.filter_cases(cases, stage="불승인")] == ["1", "3"]
    assert case_rows.filter_cases(cases, stage=case_rows.ALL_STAGES) == cases


def test_edit_changes_checks_dates_in_korean():
    changes, problems = case_rows.edit_changes({"alias": " 김OO ", "decided_on": "2026-01-20",
                                               "learned_on": "2026-01-19", "stage": "불승인"})
    assert changes["alias"] == "김OO"
    assert problems == ["처분일이 결정을 안 날보다 늦습니다. 두 날짜를 다시 확인해 주세요."]
    _, problems = case_rows.edit_changes({"alias": "", "learned_on": "2026-02-30"})
    assert any("사건 이름" in p for p in problems) and any("2월 30일은 없는 날" in p for p in problems)
    changes, problems = case_rows.edit_changes({"alias": "a", "learned_on": "2026. 1. 9."})  # as notices print it
    assert problems == [] and changes["learned_on"] == "2026-01-09"
    changes, problems = case_rows.edit_changes({"alias": "a", "learned_on": "2026-01-19", "stage": "심사청구"})
    assert problems == [] and changes["learned_on"] == "2026-01-19" and changes["decided_on"] == ""


def test_deadline_lines_explain_weekend_shift():
    lines = case_rows.deadline_lines({"learned_on": "2026-01-19", "stage": "불승인"}, TODAY)
    assert lines[0].title == "심사청구: 2026-04-20(월)까지"
    assert "일요일" in lines[0].explanation


def test_export_file_name_is_safe():
    day = date(2026, 12, 1)
    name = case_rows.export_file_name({"alias": "이OO 뇌출혈 (유족)"}, "pdf", day)
    assert name == "사건-이OO-뇌출혈-유족-2026-12-01.pdf"
    assert case_rows.export_file_name({"alias": "김/OO:허리"}, "md", day) == "사건-김-OO-허리-2026-12-01.md"
    assert case_rows.export_file_name({"alias": "../.."}, "json", day) == "사건-2026-12-01.json"


def test_export_and_import_round_trip(tmp_path):
    repo = UserFileCaseRepository(UserStore(tmp_path / "a.json"))
    case = repo.create("김OO 허리", learned_on="2026-01-19")
    repo.add_analysis(case.id, {"kind": "상황 분석", "issues": ["퇴행성 여부"]})
    case = repo.get(case.id)
    raw = cases_vm.export_bytes([case], "json")
    assert b"sanjae-gemma-cases" in raw
    assert cases_vm.export_bytes([case], "md").decode("utf-8").count("김OO 허리") >= 1
    assert cases_vm.export_bytes([case], "pdf").startswith(b"%PDF")
    other = UserFileCaseRepository(UserStore(tmp_path / "b.json"))
    summary = cases_vm.import_bytes(other, raw)
    assert "새로 추가 1건" in summary
    assert other.get(case.id).analyses[0]["issues"] == ["퇴행성 여부"]


# ---------------------------------------------------------------- storage choice

class _FakePrefs:
    """Stands in for ft.SharedPreferences: async get/set answered on the page's loop."""

    def __init__(self, loop):
        self.loop = loop
        self.values: dict[str, str] = {}

    async def get(self, key):
        assert asyncio.get_running_loop() is self.loop
        return self.values.get(key)

    async def set(self, key, value):
        assert asyncio.get_running_loop() is self.loop
        self.values[key] = value
        return True


class _Store(dict):
    def set(self, key, value):
        self[key] = value


@pytest.fixture
def page_loop():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def _ctx(loop, services):
    page = SimpleNamespace(session=SimpleNamespace(connection=SimpleNamespace(loop=loop)))
    return SimpleNamespace(page=page, web_mode=services.web_mode, store=_Store(), services=services)


def test_web_mode_keeps_cases_in_the_visitors_browser(page_loop, tmp_path):
    services = AppServices.open(tmp_path, web_mode=True)
    shared_file = services.user_store
    visitor_a = _ctx(page_loop, services)
    visitor_b = _ctx(page_loop, services)
    for ctx in (visitor_a, visitor_b):
        ctx.store.set(browser.PREFS_STORE_KEY, _FakePrefs(page_loop))
    cases_vm.repository_for(visitor_a).create("A의 사건")
    cases_vm.repository_for(visitor_b).create("B의 사건")
    assert [c.alias for c in cases_vm.repository_for(visitor_a).all()] == ["A의 사건"]
    assert [c.alias for c in cases_vm.repository_for(visitor_b).all()] == ["B의 사건"]
    blob = json.loads(visitor_a.store[browser.PREFS_STORE_KEY].values[browser.BROWSER_KEY])
    assert blob["cases"][0]["alias"] == "A의 사건"
    assert shared_file.table("cases").all() == []  # nothing reached the server's file


def test_desktop_uses_the_user_file(page_loop, tmp_path):
    services = AppServices.open(tmp_path, web_mode=False)
    store = services.user_store
    ctx = _ctx(page_loop, services)
    cases_vm.repository_for(ctx).create("데스크톱 사건")
    assert [row["alias"] for row in store.table("cases").all()] == ["데스크톱 사건"]


def test_browser_storage_refuses_the_page_loop(page_loop, tmp_path):
    ctx = _ctx(page_loop, AppServices.open(tmp_path, web_mode=True))
    prefs = _FakePrefs(page_loop)
    blob = browser.BrowserBlob(ctx.page, prefs)

    async def on_loop():
        return blob.load()

    with pytest.raises(RuntimeError):
        asyncio.run_coroutine_threadsafe(on_loop(), page_loop).result(5)


def test_case_objects_and_dicts_give_the_same_row():
    case = Case(alias="김OO", learned_on="2026-01-19")
    assert case_rows.case_row(case, TODAY) == case_rows.case_row(case.to_dict(), TODAY)


def test_the_case_list_never_shows_numbers_or_addresses():
    row = case_rows.case_row({"alias": "김OO 허리", "situation": "김철수 010 - 1234 - 5678, 곤지암읍 신대리 55번지 "
                              "거주. 주민번호 780305-1234567. 월급 3,200,000원, 허리 4, 5번"})
    assert "1234" not in row.situation and "신대리" not in row.situation and "780305" not in row.situation
    assert "[전화번호]" in row.situation and "[주소]" in row.situation
    assert "3,200,000원" in row.situation or row.situation.endswith("…")  # facts stay (the line may be cut)


def test_the_case_form_takes_the_notices_facts_for_the_draft():
    base = {"alias": "김OO", "stage": "불승인"}
    changes, problems = case_rows.edit_changes({**base, "benefit": "요양", "branch": " 서울관악지사 ",
                                                "denial_reason": " 퇴행성 변화 "})
    assert problems == []
    assert (changes["benefit"], changes["branch"], changes["denial_reason"]) == (
        "요양급여", "근로복지공단 서울관악지사", "퇴행성 변화")
    _, problems = case_rows.edit_changes({**base, "benefit": "연금", "branch": "", "denial_reason": ""})
    assert problems and "급여 종류 '연금'" in problems[0]
