"""Open appeal deadlines as an iCalendar file: all-day events, stable UIDs, alarms, nothing private; the CLI."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from services.cases import UserFileCaseRepository
from services.cases.calendar_export import cases_ics_bytes
from services.cases.model import Case
from services.deadlines import DISCLAIMER
from storage.user_store import UserStore
from tests.conftest import REPO

TODAY = date(2026, 2, 1)
CONTACT = "010-9876-5432"
SITUATION = "야간 교대 근무 중 쓰러졌습니다"
NOTES = "배우자와 통화함"


def _repo(folder: Path) -> UserFileCaseRepository:
    folder.mkdir(parents=True, exist_ok=True)
    return UserFileCaseRepository(UserStore(folder / "user.json"))


def _committee_case(repository: UserFileCaseRepository) -> Case:
    # After the 판정위원회 all three routes are open on the same day (2026-04-20: 90 days after 01-19).
    return repository.create("이OO 뇌출혈", learned_on="2026-01-19", decided_on="2026-01-15", disease_committee=True,
                             contact=CONTACT, situation=SITUATION, notes=NOTES)


def _events(payload: bytes) -> list[Event]:
    return list(Calendar.from_ical(payload).events)


def _unfolded(payload: bytes) -> str:
    """The file's text with folded lines joined again (a long line is split anywhere, even inside a word)."""
    return re.sub(r"\r\n[ \t]", "", payload.decode("utf-8"))


def test_each_open_deadline_is_one_all_day_event_on_its_date(tmp_path: Path) -> None:
    case = _committee_case(_repo(tmp_path))
    events = _events(cases_ics_bytes([case], TODAY))
    expected = {d.name: d.deadline for d in case.deadlines(TODAY)}
    assert set(expected) == {"심사청구", "재심사청구", "행정소송"}
    assert len(events) == 3
    for event in events:
        route = next(name for name in expected if f"] {name} 마감" in event.summary)
        assert event.summary == f"[이OO 뇌출혈] {route} 마감"
        assert type(event.start) is date and event.start == expected[route] == date(2026, 4, 20)
        assert event.end == event.start + timedelta(days=1)
        assert event.sequence == case.rev


def test_the_calendar_says_what_it_is_and_passed_deadlines_are_left_out(tmp_path: Path) -> None:
    repository = _repo(tmp_path)
    case = _committee_case(repository)
    last_day = date(2026, 4, 20)
    calendar = Calendar.from_ical(cases_ics_bytes([case], last_day))
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert "sanjae-gemma" in str(calendar["PRODID"])
    assert calendar["X-WR-CALNAME"] == "산재 불복 기한"
    assert len(calendar.events) == 3  # the last day still counts
    assert _events(cases_ics_bytes([case], last_day + timedelta(days=1))) == []
    undated = repository.create("날짜 모름")
    assert _events(cases_ics_bytes([undated, case], TODAY)) and not _events(cases_ics_bytes([undated], TODAY))


def test_an_empty_selection_is_still_a_calendar_file() -> None:
    payload = cases_ics_bytes([], TODAY)
    assert payload.startswith(b"BEGIN:VCALENDAR") and payload.rstrip().endswith(b"END:VCALENDAR")
    calendar = Calendar.from_ical(payload)
    assert calendar.events == [] and calendar["X-WR-CALNAME"] == "산재 불복 기한"


def test_uids_stay_the_same_across_exports_and_edits_and_the_sequence_grows(tmp_path: Path) -> None:
    repository = _repo(tmp_path)
    case = _committee_case(repository)
    first = {e.uid: e for e in _events(cases_ics_bytes([case], TODAY))}
    again = {e.uid: e for e in _events(cases_ics_bytes([case], TODAY))}
    edited = repository.update(case.id, notes="심사청구서 초안 작성")
    assert edited.rev > case.rev
    after_edit = {e.uid: e for e in _events(cases_ics_bytes([edited], TODAY))}
    assert set(first) == set(again) == set(after_edit)
    assert len(first) == 3 and all(uid.startswith(case.id) and uid.endswith("@sanjae-gemma") for uid in first)
    assert all(after_edit[uid].sequence == edited.rev > first[uid].sequence for uid in first)
    other = repository.create("박OO 허리", learned_on="2026-01-19")
    assert not set(first) & {e.uid for e in _events(cases_ics_bytes([other], TODAY))}


def test_a_stage_change_moves_the_event_of_the_same_route(tmp_path: Path) -> None:
    repository = _repo(tmp_path)
    case = repository.create("최OO 어깨", learned_on="2026-01-19", decided_on="2026-01-15")
    before = {e.uid: e.start for e in _events(cases_ics_bytes([case], TODAY))}
    # The 심사 decision came: the lawsuit deadline is now counted from it.
    moved = repository.update(case.id, stage="심사청구", learned_on="2026-03-03", decided_on="2026-03-01")
    after = {e.uid: e.start for e in _events(cases_ics_bytes([moved], TODAY))}
    lawsuit = f"{case.id}-sosong@sanjae-gemma"
    assert before[lawsuit] == date(2026, 4, 20) and after[lawsuit] == date(2026, 6, 1)


def test_three_display_alarms_14_7_and_1_days_before(tmp_path: Path) -> None:
    case = _committee_case(_repo(tmp_path))
    for event in _events(cases_ics_bytes([case], TODAY)):
        alarms = event.walk("VALARM")
        assert sorted(a["TRIGGER"].to_ical() for a in alarms) == [b"-P14D", b"-P1D", b"-P7D"]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
        assert all(event.summary in str(a["DESCRIPTION"]) for a in alarms)


def test_the_description_says_where_to_file_and_holds_nothing_private(tmp_path: Path) -> None:
    case = _committee_case(_repo(tmp_path))
    payload = cases_ics_bytes([case], TODAY)
    text = _unfolded(payload)
    for private in (CONTACT, SITUATION, NOTES):
        assert private not in text and private not in payload.decode("utf-8")
    by_route = {str(e.summary).split("] ")[1].removesuffix(" 마감"): str(e["DESCRIPTION"]) for e in _events(payload)}
    assert "근로복지공단 지사" in by_route["심사청구"] and "산업재해보상보험법 제103조" in by_route["심사청구"]
    assert "전자소송" in by_route["행정소송"] and "근로복지공단 지사" not in by_route["행정소송"]
    assert "2026년 4월 20일" in by_route["재심사청구"]
    assert all(DISCLAIMER in description and "하나를 고릅니다" in description for description in by_route.values())


# ---- CLI --------------------------------------------------------------------------------------
def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SANJAE_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def _create(data_dir: Path, alias: str, *extra: str) -> str:
    made = _cli(data_dir, "cases", "create", "--alias", alias, "--situation", SITUATION, *extra, "--json")
    assert made.returncode == 0, made.stderr
    case_id: str = json.loads(made.stdout)["id"]
    return case_id


def test_cli_exports_one_case_or_all_to_a_calendar_file(tmp_path: Path, isolated_data_dir: Path) -> None:
    learned = (date.today() - timedelta(days=10)).isoformat()  # the CLI counts from the real today
    first = _create(isolated_data_dir, "김OO 허리", "--learned", learned)
    second = _create(isolated_data_dir, "정OO 난청", "--learned", learned, "--stage", "재심사청구")
    _create(isolated_data_dir, "날짜 없는 사건")

    one = tmp_path / "one.txt"
    result = _cli(isolated_data_dir, "cases", "export", str(one), "--format", "ics", "--id", first[:8])
    assert result.returncode == 0, result.stderr
    assert "불복 기한 2개" in result.stdout
    events = _events(one.read_bytes())
    assert {e.uid for e in events} == {f"{first}-simsa@sanjae-gemma", f"{first}-sosong@sanjae-gemma"}
    assert all("김OO 허리" in e.summary for e in events)

    everything = tmp_path / "기한.ics"  # the extension alone picks the format
    result = _cli(isolated_data_dir, "cases", "export", str(everything))
    assert result.returncode == 0, result.stderr
    uids = {e.uid for e in _events(everything.read_bytes())}
    assert len(uids) == 3 and f"{second}-sosong@sanjae-gemma" in uids
    assert SITUATION not in _unfolded(everything.read_bytes())


def test_cli_says_when_there_is_no_open_deadline(tmp_path: Path, isolated_data_dir: Path) -> None:
    undated = _create(isolated_data_dir, "날짜 없는 사건")
    out = tmp_path / "empty.ics"
    result = _cli(isolated_data_dir, "cases", "export", str(out), "--id", undated)
    assert result.returncode == 0, result.stderr
    assert "남은 불복 기한이 없어" in result.stdout
    assert Calendar.from_ical(out.read_bytes()).events == []
