"""Page logic without Flet: URLs, plain words, counts, empty states, settings display, checks."""
from __future__ import annotations

import os

import pytest

from app.viewmodels import settings_vm
from app.viewmodels.detail_vm import DetailViewModel
from app.viewmodels.home_vm import DataStatus, HomeChoices
from app.viewmodels.search_vm import (
    SearchQuery,
    SearchViewModel,
    empty_suggestions,
    hit_row,
    outcome_chip_label,
    outcome_counts,
)
from app.viewmodels.summary_vm import available_engines, summary_parts
from core.errors import SanjaeError
from core.records import Precedent
from services.settings import Settings
from tests.fakes.portal import FakePortal


def test_search_query_round_trips_through_the_url():
    q = SearchQuery.from_params({"q": "  허리   디스크 ", "a": "취소", "b": "요양", "c": "업무상질병",
                                 "level": "2", "from": "2019", "to": "2023"})
    assert q.text == "허리 디스크" and q.level == 2 and q.year_from == 2019
    again = SearchQuery.from_params(dict(__import__("urllib.parse").parse.parse_qsl(q.to_route().split("?")[1])))
    assert again == q
    assert SearchQuery.from_params({"a": "모름", "level": "9", "c": "x"}) == SearchQuery()
    assert SearchQuery().to_route() == "/search"


def test_outcome_words_say_who_won():
    assert outcome_chip_label("취소", 12) == "노동자 승소 (취소) 12건"
    assert outcome_chip_label("기각", 0) == "노동자 패소 (기각) 0건"
    assert outcome_counts({"취소": 3, "미상": 2}) == {"취소": 3}


def test_empty_state_suggests_lay_words_and_fewer_filters():
    tips = " ".join(empty_suggestions(SearchQuery(text="요추 추간판 탈출증 수술", outcome="취소")))
    assert "쉬운 말" in tips and "빼 보세요" in tips and "낱말 수" in tips


def test_search_viewmodel_counts_ignore_the_outcome_filter_and_pages_on():
    from services.judgment import READER
    from services.search import SearchService
    from storage.precedents import PrecedentStore

    vm = SearchViewModel(SearchService(PrecedentStore(reader=READER)), page_size=3)
    everything = vm.run(SearchQuery())
    assert everything.total > 3 and len(everything.rows) == 3 and everything.has_more
    more = vm.more()
    assert len(more.rows) == 6 and len({r.id for r in more.rows}) == 6
    won = vm.run(SearchQuery(outcome="취소"))
    assert won.total == everything.counts["취소"]
    assert won.counts == everything.counts and won.all_total == everything.total
    assert all(r.outcome == "취소" and r.is_sample for r in won.rows)
    assert "<" not in won.rows[0].route


def test_hit_row_prefers_a_cached_summary_preview():
    record = Precedent(id="portal:1", source="portal", title="요양불승인처분취소", outcome="기각",
                       court="대법원", court_level=3, full_text="연관판결 : 서울행정법원,2019구단1,1심 주문 기각")

    class FakeHit:
        pass

    hit = FakeHit()
    hit.record, hit.snippet = record, "연관판결 : 서울행정법원,2019구단1,1심 주문 1. 원고의 청구를 기각한다."
    row = hit_row(hit)
    assert row.preview.startswith("주문") and row.court == "대법원"
    assert hit_row(hit, lambda rid: "허리 통증 사건").preview == "허리 통증 사건"
    assert row.outcome_words == "노동자 패소 (기각)" and not row.is_sample


def test_home_choices_and_data_status():
    choices = HomeChoices(kind_c="업무상질병", kind_b="요양")
    choices.toggle_keyword("과로")
    assert SearchQuery.from_params(dict(__import__("urllib.parse").parse.parse_qsl(
        choices.to_route().split("?")[1]))) == SearchQuery(text="과로", kind_b="요양", kind_c="업무상질병")
    from storage.precedents import PrecedentStore

    status = DataStatus.from_store(PrecedentStore())
    assert status.sample_only and "가상 예시" in " ".join(status.lines())
    assert "열지 못했습니다" in DataStatus.from_store(None).lines()[0]


def test_detail_header_credit_and_sections():
    record = Precedent(id="portal:9", source="portal", title="장해급여부지급처분취소", case_number="2020구단5",
                       court="서울행정법원", court_level=1, outcome="일부취소", kind_b="장해", kind_c="업무상사고",
                       related=[{"court": "서울행정법원", "case_number": "2020구단5", "level": 1}],
                       order="1. 일부 취소한다.", reasons="이유 본문")
    vm = DetailViewModel(record)
    facts = dict(vm.facts())
    assert facts["결과"] == "노동자 일부 승소 (일부취소)" and facts["사고/질병"] == "업무상 사고"
    assert "근로복지공단" in vm.credit and "공공저작물" in vm.credit
    keys = [s.key for s in vm.sections()]
    assert keys == ["related", "order", "reasons"]
    assert "2020구단5" in vm.citation()


def test_summary_parts_and_engines():
    parts = summary_parts({"preview": "한 줄", "issues": ["업무관련성"], "deciding_facts":
                           {"recognized": ["장시간 노동"], "not_recognized": []}, "statutes": []})
    titles = [p.title for p in parts]
    assert titles == ["한 줄 요약", "쟁점", "인정된 사정"]
    assert available_engines(Settings()) == ["offline"]
    os.environ["SANJAE_LLM_URL"] = "http://127.0.0.1:9/"
    try:
        assert available_engines(Settings()) == ["offline", "gemma"]
    finally:
        del os.environ["SANJAE_LLM_URL"]


def test_settings_display_never_shows_a_key(monkeypatch):
    field = settings_vm.FIELDS_BY_NAME["portal_key"]
    monkeypatch.setenv("SANJAE_PORTAL_KEY", "abcdefghijklmnopqrstuvwxyz")
    desktop = settings_vm.display_value(Settings(), field, web_mode=False)
    assert "abcdefghijklmnopqrstuvwxyz" not in desktop and "abcd…wxyz" in desktop
    assert settings_vm.display_value(Settings(web_mode=True), field, web_mode=True) == settings_vm.OPERATOR_SET
    monkeypatch.delenv("SANJAE_PORTAL_KEY")
    assert settings_vm.display_value(Settings(web_mode=True), field, web_mode=True) == settings_vm.OPERATOR_UNSET
    with pytest.raises(SanjaeError):
        settings_vm.save_value(Settings(web_mode=True), field, "x", web_mode=True)


def test_portal_check_reports_code_30_in_korean(monkeypatch):
    with FakePortal() as portal:  # answers an unregistered key like the gateway: HTTP 200, code 30
        monkeypatch.setenv("SANJAE_PORTAL_URL", portal.base_url)
        monkeypatch.setenv("SANJAE_PORTAL_KEY", "wrong-key-000000")
        with pytest.raises(SanjaeError) as info:
            settings_vm.check_connection("portal", Settings())
    assert "코드 30" in info.value.message and "wrong-key" not in info.value.message
