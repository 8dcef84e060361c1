"""The "다음에 할 일" step and what its card shows: nearest deadline, routes, how to file, free help."""
from __future__ import annotations

from datetime import date

from app.viewmodels import analysis_vm
from app.viewmodels.next_step_vm import card_view, step_for_case, step_for_form
from services.next_step import FREE_HELP, long_day, next_step

D = date.fromisoformat
LEARNED = D("2026-01-19")  # day 90 is Sunday 2026-04-19 → the deadline is Monday 2026-04-20


def test_open_deadline_far_off_is_not_urgent() -> None:
    step = next_step(LEARNED, today=D("2026-02-01"))
    assert step.state == "open" and step.deadline == D("2026-04-20") and step.days_left == 78
    assert not step.urgent
    assert step.headline == "심사청구 또는 행정소송 기한"
    assert [r.name for r in step.routes] == ["심사청구", "행정소송"]
    assert all(r.deadline == D("2026-04-20") for r in step.routes)
    assert "산업재해보상보험법 제103조" in step.routes[0].source
    assert "바로 낼 수도" in step.routes[1].meaning  # the lawsuit is an alternative, not a later step


def test_under_fourteen_days_is_urgent_and_thirteen_days_exactly() -> None:
    assert next_step(LEARNED, today=D("2026-04-06")).urgent is False  # 14 days left
    step = next_step(LEARNED, today=D("2026-04-07"))
    assert step.urgent and step.days_left == 13
    assert "먼저 청구서를 내세요" in step.summary
    last_day = next_step(LEARNED, today=D("2026-04-20"))
    assert last_day.days_left == 0 and "오늘 안에" in last_day.summary


def test_one_year_cap_makes_the_lawsuit_the_nearest_deadline() -> None:
    # Learned late (2026-01-20) about a decision of 2025-02-15: the lawsuit ends at the 1-year mark
    # (2026-02-15 is a Sunday followed by 설 연휴, so 2026-02-19).
    step = next_step(D("2026-01-20"), D("2025-02-15"), today=D("2026-02-01"))
    assert step.deadline == D("2026-02-19") and step.headline == "행정소송 기한"
    lawsuit = [r for r in step.routes if r.name == "행정소송"][0]
    assert lawsuit.deadline == D("2026-02-19")


def test_all_overdue_says_what_can_still_be_done() -> None:
    step = next_step(D("2025-06-02"), today=D("2026-03-01"))
    assert step.state == "overdue" and step.urgent and step.days_left is not None and step.days_left < 0
    assert "지났습니다" in step.summary
    joined = " ".join(step.still_possible)
    assert "정당한 사유" in joined and "제112조" in joined
    assert all(r.overdue for r in step.routes)


def test_disease_committee_offers_going_straight_to_re_review() -> None:
    step = next_step(LEARNED, stage="불승인", disease_committee=True, today=D("2026-02-01"))
    assert [r.name for r in step.routes] == ["심사청구", "재심사청구", "행정소송"]
    skip = step.routes[1]
    assert "심사청구 없이 바로 재심사청구" in skip.meaning and "제106조" in skip.meaning
    assert step.headline == "심사청구 또는 재심사청구 또는 행정소송 기한"
    unknown = next_step(LEARNED, disease_committee=None, today=D("2026-02-01"))
    assert "재심사청구" not in [r.name for r in unknown.routes]
    assert "업무상질병판정위원회" in unknown.routes_note


def test_after_review_and_after_re_review() -> None:
    after_review = next_step(LEARNED, stage="심사청구", today=D("2026-02-01"))
    assert [r.name for r in after_review.routes] == ["재심사청구", "행정소송"]
    after_re_review = next_step(LEARNED, stage="재심사청구", today=D("2026-02-01"))
    assert [r.name for r in after_re_review.routes] == ["행정소송"]
    assert not any("지사" in line for line in after_re_review.how_to_file)  # only the court is left
    assert any("법원" in line for line in after_re_review.how_to_file)


def test_no_date_still_gives_routes_how_to_file_and_help() -> None:
    step = next_step(None)
    assert step.state == "no_date" and step.deadline is None and step.days_left is None and not step.urgent
    assert "90일" in step.summary and "제103조" in step.summary
    assert [r.name for r in step.routes] == ["심사청구", "행정소송"]
    assert any("1588-0075" in line or "지사" in line for line in step.how_to_file)
    assert {c.phone for c in step.free_help} >= {"1588-0075", "132", "1350"}


def test_stages_without_an_appeal_deadline() -> None:
    assert next_step(LEARNED, stage="요양신청").state == "no_appeal"
    in_court = next_step(LEARNED, stage="행정소송")
    assert in_court.state == "no_appeal" and in_court.routes == []


def test_how_to_file_names_the_deciding_branch_visit_post_and_online() -> None:
    text = " ".join(next_step(LEARNED, today=D("2026-02-01")).how_to_file)
    for words in ("결정을 한 근로복지공단 지사", "직접", "우편", "온라인", "1588-0075", "제103조 제2항"):
        assert words in text


def test_free_help_numbers_dial_and_no_unconfirmed_article_is_cited() -> None:
    urls = {c.name: c.tel_url for c in FREE_HELP}
    assert urls["근로복지공단 고객센터"] == "tel:15880075"
    assert urls["대한법률구조공단"] == "tel:132" and urls["고용노동부 고객상담센터"] == "tel:1350"
    assert urls["지역 노동권익센터"] == ""
    step = next_step(LEARNED, today=D("2026-02-01"))
    everything = " ".join([step.summary, step.routes_note, *step.how_to_file, *step.help_notes,
                           *(c.what for c in step.free_help), *(r.meaning for r in step.routes)])
    assert "126조의2" not in everything
    assert "국선대리인" in everything and "확인하세요" in everything  # reported plan, not promised
    assert "법률 자문이 아닙니다" in step.general_info


# ---- what the card shows ----------------------------------------------------------------------

def test_card_shows_the_date_with_weekday_days_left_and_red_when_urgent() -> None:
    view = card_view(next_step(LEARNED, today=D("2026-04-10")))
    assert view.title == "다음에 할 일"
    assert view.date_text == "2026년 4월 20일 (월)"
    assert view.days_text == "D-10 · 10일 남음" and view.red
    assert view.routes_title == "고를 수 있는 길 (둘 중 하나)"
    assert view.routes[0][0] == "심사청구 — 2026년 4월 20일 (월)까지"
    assert "(산업재해보상보험법 제103조)" in view.routes[0][1]
    assert [c.url for c in view.calls] == ["tel:15880075", "tel:132", "tel:1350"]
    assert view.calls[1].label == "대한법률구조공단 132"
    assert any("노동권익센터" in line for line in view.help_lines)
    assert "2026년 4월 20일 (월)" in view.semantics and "D-10" in view.semantics

    calm = card_view(next_step(LEARNED, today=D("2026-02-01")))
    assert not calm.red and calm.days_text == "D-78 · 78일 남음"


def test_card_for_overdue_and_for_no_date() -> None:
    overdue = card_view(next_step(D("2025-06-02"), today=D("2026-03-01")))
    assert overdue.red and overdue.days_text.endswith("일 지남") and overdue.still_possible
    assert overdue.routes[0][0].endswith("(지남)")
    none = card_view(next_step(None))
    assert none.date_text == "" and none.days_text == "" and not none.red
    assert none.routes[0][0] == "심사청구" and none.calls


def test_card_from_a_saved_case_uses_stage_dates_and_committee() -> None:
    case = {"learned_on": "2026-01-19", "decided_on": "2026-01-15", "stage": "불승인", "disease_committee": True}
    step = step_for_case(case, today=D("2026-04-10"))
    assert step.deadline == D("2026-04-20") and "재심사청구" in [r.name for r in step.routes]
    assert step_for_case({"learned_on": "", "stage": "불승인"}).state == "no_date"
    # Dates the wrong way round (decision after learning of it) are not used for the 1-year cap.
    assert step_for_case({**case, "decided_on": "2026-03-01"}, today=D("2026-04-10")).deadline == D("2026-04-20")


def test_card_from_the_situation_form() -> None:
    form = analysis_vm.AnalysisForm(kind_c="업무상질병", learned_on="2026. 1. 19.")
    step = step_for_form(form, today=D("2026-04-10"))
    assert step.deadline == D("2026-04-20") and step.urgent
    assert "업무상질병판정위원회" in step.routes_note  # the form does not ask, so it is offered as a maybe
    accident = step_for_form(analysis_vm.AnalysisForm(kind_c="업무상사고", learned_on="2026-01-19"),
                             today=D("2026-04-10"))
    assert "업무상질병판정위원회" not in accident.routes_note
    assert step_for_form(analysis_vm.AnalysisForm()).state == "no_date"
    assert long_day(D("2026-04-19")) == "2026년 4월 19일 (일)"
