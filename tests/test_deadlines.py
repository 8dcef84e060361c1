"""Appeal deadline arithmetic: day counting, weekend and holiday shifts, the 1-year cap, §106 skip."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from services.deadlines import (
    DeadlineError,
    add_years,
    compute_deadlines,
    is_day_off,
    nearest_open_deadline,
    next_working_day,
    read_entered_date,
    reminder_level,
)
from tests.conftest import REPO

D = date.fromisoformat

# learned, expected raw end (day 90), expected deadline, why
SHIFT_TABLE = [
    ("2026-01-19", "2026-04-19", "2026-04-20", "Sunday → Monday (worked example)"),
    ("2026-01-18", "2026-04-18", "2026-04-20", "Saturday → Monday"),
    ("2026-01-20", "2026-04-20", "2026-04-20", "working day, no shift"),
    ("2024-10-27", "2025-01-25", "2025-01-31", "설 2025: Sat, Sun, 임시공휴일, 설 연휴 3일"),
    ("2025-07-07", "2025-10-05", "2025-10-10", "추석 2025: 연휴 + 대체공휴일 + 한글날"),
    ("2025-11-17", "2026-02-15", "2026-02-19", "설 2026: Sunday then 설 연휴"),
    ("2026-06-26", "2026-09-24", "2026-09-28", "추석 2026: Thu-Fri + weekend"),
    ("2026-11-08", "2027-02-06", "2027-02-10", "설 2027: weekend + 대체공휴일"),
    ("2027-06-16", "2027-09-14", "2027-09-17", "추석 2027: Tue-Thu"),
    ("2026-05-17", "2026-08-15", "2026-08-18", "광복절 on Saturday → substitute Monday"),
    ("2025-12-04", "2026-03-04", "2026-03-04", "just after 삼일절 substitute: no shift"),
    ("2025-12-01", "2026-03-01", "2026-03-03", "삼일절 Sunday + 대체공휴일"),
    ("2027-09-26", "2027-12-25", "2027-12-28", "성탄절 Saturday, Sunday, 대체공휴일 at year end"),
    ("2025-10-03", "2026-01-01", "2026-01-02", "crossing into the new year on 신정"),
    ("2027-12-01", "2028-02-29", "2028-02-29", "leap day is a working Tuesday"),
]


@pytest.mark.parametrize("learned, raw_end, deadline, why", SHIFT_TABLE, ids=[row[3] for row in SHIFT_TABLE])
def test_simsa_deadline_table(learned: str, raw_end: str, deadline: str, why: str) -> None:
    first = compute_deadlines(D(learned), today=D(learned))[0]
    assert first.name == "심사청구"
    assert first.start == D(learned)
    assert first.raw_end == D(raw_end)
    assert first.deadline == D(deadline)
    assert not is_day_off(first.deadline)


def test_worked_example_explanation_in_plain_words() -> None:
    first = compute_deadlines(D("2026-01-19"), today=D("2026-04-10"))[0]
    assert first.explanation == ("결정을 안 날(2026-01-19) 다음 날부터 90일째는 2026-04-19(일요일)입니다. "
                                 "일요일이라 다음 평일인 2026-04-20(월)까지입니다.")
    assert first.days_left == 10
    assert first.reminder == 14
    assert first.statute == "산업재해보상보험법 제103조"


def test_holiday_chain_is_named_in_explanation() -> None:
    first = compute_deadlines(D("2025-07-07"), today=D("2025-07-07"))[0]
    for word in ("추석 전날", "추석 대체 휴일", "한글날", "2025-10-10(금)"):
        assert word in first.explanation


def test_next_working_day_skips_whole_chains() -> None:
    assert next_working_day(D("2026-02-14")) == D("2026-02-19")
    assert next_working_day(D("2026-02-19")) == D("2026-02-19")
    # 2025-01-27 was a one-off 임시공휴일, which counts too.
    assert is_day_off(D("2025-01-27"))


def test_one_year_in_leap_years() -> None:
    assert add_years(D("2028-02-29"), 1) == D("2029-02-28")
    assert add_years(D("2027-03-10"), 1) == D("2028-03-10")


def test_one_year_cap_bites_for_lawsuit() -> None:
    items = {d.name: d for d in compute_deadlines(D("2026-01-20"), D("2025-02-15"), today=D("2026-01-20"))}
    lawsuit = items["행정소송"]
    # 90 days would end 2026-04-20, but one year from the decision (2026-02-15, Sunday, then 설) ends first.
    assert lawsuit.raw_end == D("2026-02-15")
    assert lawsuit.deadline == D("2026-02-19")
    assert lawsuit.start == D("2025-02-15")
    assert "먼저 오는 날" in lawsuit.explanation
    assert items["심사청구"].deadline == D("2026-04-20")


def test_one_year_cap_from_leap_day_decision() -> None:
    lawsuit = compute_deadlines(D("2029-01-20"), D("2028-02-29"), today=D("2029-01-20"))[-1]
    assert lawsuit.raw_end == D("2029-02-28")
    assert lawsuit.deadline == D("2029-02-28")


def test_cap_not_biting_keeps_ninety_days() -> None:
    lawsuit = compute_deadlines(D("2026-01-19"), D("2026-01-15"), today=D("2026-01-19"))[-1]
    assert lawsuit.name == "행정소송"
    assert lawsuit.deadline == D("2026-04-20")
    assert lawsuit.start == D("2026-01-19")
    assert "1년" in lawsuit.explanation


def test_disease_committee_allows_skipping_simsa() -> None:
    without = [d.name for d in compute_deadlines(D("2026-01-19"), today=D("2026-01-19"))]
    with_committee = compute_deadlines(D("2026-01-19"), disease_committee=True, today=D("2026-01-19"))
    assert without == ["심사청구", "행정소송"]
    assert [d.name for d in with_committee] == ["심사청구", "재심사청구", "행정소송"]
    resim = with_committee[1]
    assert resim.statute == "산업재해보상보험법 제106조"
    assert resim.deadline == D("2026-04-20")
    assert "업무상질병판정위원회" in resim.explanation


def test_later_stages() -> None:
    after_simsa = compute_deadlines(D("2026-01-19"), D("2026-01-10"), stage="심사청구", today=D("2026-01-19"))
    assert [d.name for d in after_simsa] == ["재심사청구", "행정소송"]
    assert after_simsa[0].deadline == D("2026-04-20")
    assert "심사 결정을 안 날" in after_simsa[0].explanation
    after_resim = compute_deadlines(D("2026-01-19"), stage="재심사청구", today=D("2026-01-19"))
    assert [d.name for d in after_resim] == ["행정소송"]
    assert "재결서를 받은 날" in after_resim[0].explanation
    assert compute_deadlines(D("2026-01-19"), stage="요양신청") == []
    assert compute_deadlines(D("2026-01-19"), stage="행정소송") == []


@pytest.mark.parametrize("days_left, level", [(30, None), (15, None), (14, 14), (8, 14), (7, 7), (4, 7),
                                              (3, 3), (1, 3), (0, 0), (-1, None)])
def test_reminder_levels(days_left: int, level: int | None) -> None:
    assert reminder_level(days_left) == level


def test_overdue_says_so_and_lists_what_remains() -> None:
    items = compute_deadlines(D("2026-01-20"), D("2025-02-15"), today=D("2026-03-01"))
    simsa, lawsuit = items
    assert lawsuit.overdue and lawsuit.days_left == -10
    assert "10일 지났습니다" in lawsuit.notice
    joined = " ".join(lawsuit.options_if_overdue)
    assert "심사청구(2026-04-20(월)까지)" in joined
    assert "근로복지공단에 지금 할 수 있는 일을" in joined and "제112조" in joined and "정당한 사유" in joined
    assert "126조의2" not in joined  # no article we could not confirm
    assert not simsa.overdue and simsa.options_if_overdue == []
    assert nearest_open_deadline(items) is simsa


def test_last_day_notice() -> None:
    first = compute_deadlines(D("2026-01-19"), today=D("2026-04-20"))[0]
    assert first.days_left == 0 and first.reminder == 0
    assert "마지막 날" in first.notice


def test_bad_inputs_raise_korean_errors() -> None:
    with pytest.raises(DeadlineError) as excinfo:
        compute_deadlines(D("2026-01-01"), D("2026-02-01"))
    assert "처분일" in excinfo.value.message
    with pytest.raises(DeadlineError):
        compute_deadlines(D("2026-01-01"), stage="항소")


def test_to_dict_is_json_with_iso_dates() -> None:
    data = compute_deadlines(D("2026-01-19"), today=D("2026-01-19"))[0].to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["raw_end"] == "2026-04-19" and data["deadline"] == "2026-04-20"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8")


def test_cli_deadlines_json() -> None:
    result = _cli("deadlines", "--learned", "2026-01-19", "--decided", "2026-01-15", "--today", "2026-04-06",
                  "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["name"] for item in data] == ["심사청구", "행정소송"]
    for key in ("name", "statute", "start", "raw_end", "deadline", "days_left", "explanation"):
        assert key in data[0]
    assert data[0]["deadline"] == "2026-04-20" and data[0]["days_left"] == 14


@pytest.mark.parametrize(("text", "says"), [
    ("2026-02-30", "2월 30일은 없는 날입니다"), ("2026. 13. 1.", "13월은 없는 달입니다"), ("어제", "연, 월, 일을 모두"),
    ("3026-01-05", "연도 3026년이 맞지 않습니다"), ("2026-10-05", "오늘보다 뒤입니다"), ("1985-03-02", "너무 이릅니다"),
])
def test_cli_deadlines_bad_date_exits_2_in_korean(text: str, says: str) -> None:
    result = _cli("deadlines", "--learned", text, "--today", "2026-10-01")
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("text", ["2026-09-10", "2026. 9. 10.", "2026.9.10", "2026년 9월 10일", "2026/9/10", "20260910",
                                  "２０２６．９．１０", " 2026. 09. 10 "])
def test_dates_as_people_write_them(text: str) -> None:
    assert read_entered_date(text, "결정을 안 날", today=date(2026, 10, 1)) == date(2026, 9, 10)
    result = _cli("deadlines", "--learned", text, "--today", "2026-10-01", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["start"] == "2026-09-10"


def test_superscript_digits_are_not_a_date() -> None:
    with pytest.raises(DeadlineError):
        read_entered_date("²⁰²⁶-⁰⁹-¹⁰", "결정을 안 날", today=date(2026, 10, 1))
