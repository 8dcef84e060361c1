"""Plain headlines and the three plain sentences, on the bundled sample corpus read as the app reads it."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.viewmodels.detail_vm import DetailViewModel
from app.viewmodels.search_vm import SearchQuery, SearchViewModel
from app.viewmodels.summary_vm import summary_parts
from core.paths import sample_corpus_path
from core.records import Precedent
from services.judgment import READER
from services.judgment.headline import HEADLINE_MAX, case_facts, headline, result_words
from services.search import SearchService
from services.sources import lawgokr_parse
from services.sources.payload import parse_body
from services.summaries.extract import extract_precedent
from services.summaries.schema import PrecedentContent, PrecedentSummary
from storage.precedents import PrecedentStore
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[Precedent]:
    store = PrecedentStore(tmp_path_factory.mktemp("cache"), sample_path=sample_corpus_path(), reader=READER)
    records = list(store.iter_records())
    assert len(records) >= 36
    return records


def test_sample_headlines_are_told_apart_short_and_say_the_worker_result(samples: list[Precedent]) -> None:
    lines = [headline(r) for r in samples]
    assert len(set(lines)) / len(lines) >= 0.95, lines
    for record, line in zip(samples, lines, strict=True):
        assert len(line) <= HEADLINE_MAX, line
        assert line.endswith(result_words(record.outcome)), line
        assert "처분취소" not in line  # the 사건명 is what the headline replaces
    assert headline(samples[0]) == headline(samples[0])  # stable (and cached)


def test_a_headline_names_work_and_condition_in_the_judgments_own_words(samples: list[Precedent]) -> None:
    first = next(r for r in samples if r.id == "sample:001")
    line = headline(first)
    assert "노동자 승소" in line and "요추 추간판탈출증" in line and "분류 업무" in line and "3년 4개월" in line
    for record in samples:
        facts = case_facts(record)
        body = (record.full_text + record.reasons).replace(" ", "")
        for part in (facts.work, facts.condition, facts.duration):
            # every word of a fact is in the text (digits of 제4-5번 and the like are only dropped; 끊음 is 끊은's
            # noun form)
            assert all(word in body or word[:-1] in body for word in part.split()), (record.id, part)


def test_results_other_than_win_or_loss_are_plain_too(samples: list[Precedent]) -> None:
    by_outcome = {r.outcome: headline(r) for r in samples}
    assert by_outcome["기각"].endswith("노동자 패소")
    assert by_outcome["일부취소"].endswith("노동자 일부 승소")
    assert by_outcome["파기환송"].endswith("대법원 파기환송")
    assert by_outcome["취하"].endswith("소송 취하")


def test_without_facts_the_headline_falls_back_to_the_kinds() -> None:
    bare = READER.read(Precedent(id="portal:x", source="portal", title="요양불승인처분취소", outcome="취소",
                                 kind_b="요양", kind_c="업무상질병", order="1. 피고가 원고에게 한 처분을 취소한다."))
    assert headline(bare) == "업무상 질병 · 요양 · 노동자 승소"
    unknown = READER.read(Precedent(id="portal:y", source="portal", title="", reasons="내용 없음"))
    assert headline(unknown) == "산재 사건 · 결과 정보 없음"


def test_every_sample_summary_leads_with_three_plain_sentences(samples: list[Precedent]) -> None:
    for record in samples:
        content = extract_precedent(record)
        plain = content["plain"]
        assert len(plain) == 3, record.id
        happened, agency, court = plain
        assert "노동자" in happened and "공단" in happened and happened.endswith("청구했습니다."), happened
        assert agency.startswith("공단은"), agency
        assert any(w in court for w in ("법원은", "대법원은", "소송은")), court
        assert all(len(s) <= 320 for s in plain), plain
        validated = PrecedentContent.model_validate(content)
        assert validated.plain == plain
        parts = summary_parts(validated.model_dump())
        assert parts[0].title == "쉽게 말하면" and parts[0].text.split("\n") == plain
    won = extract_precedent(next(r for r in samples if r.id == "sample:001"))["plain"]
    assert "'요추 추간판탈출증'" in won[0] and "퇴행성 변화" in won[1] and "취소했습니다" in won[2]
    died = extract_precedent(next(r for r in samples if r.id == "sample:009"))["plain"]
    assert "숨지자, 유족이" in died[0] and "유족급여" in died[0]


def test_a_summary_cached_before_the_plain_sentences_still_loads() -> None:
    old = {"preview": "한 줄", "plaintiff": "원고", "defendant": "피고", "result": "결과", "background": "배경",
           "issues": ["쟁점"], "reasoning": "이유", "deciding_facts": {"recognized": ["사실"]},
           "statutes": ["산업재해보상보험법 제37조"], "record_id": "sample:001", "engine": "offline",
           "model": "extract-1", "prompt_version": "p1", "is_extract": True}
    summary = PrecedentSummary.from_dict(old)
    assert summary.plain == []
    assert summary_parts(summary)[0].title == "한 줄 요약"


def test_search_rows_and_the_detail_page_carry_the_headline(samples: list[Precedent], tmp_path: Path) -> None:
    store = PrecedentStore(tmp_path / "cache", sample_path=sample_corpus_path(), reader=READER)
    vm = SearchViewModel(SearchService(store, index_dir=tmp_path / "index"), page_size=50)
    state = vm.run(SearchQuery())
    assert len(state.rows) == len(samples)
    by_id = {r.id: r for r in samples}
    for row in state.rows:
        assert row.headline == headline(by_id[row.id]) and row.heading == row.headline
        assert row.case_line.startswith(row.title)
    assert len({row.heading for row in state.rows}) > len({row.title for row in state.rows})
    detail = DetailViewModel(by_id["sample:001"])
    assert detail.headline.endswith("노동자 승소") and detail.case_name == "요양불승인처분취소"


def test_a_real_iaciac_decision_and_an_unquoted_portal_judgment() -> None:
    listing = lawgokr_parse.read_list(parse_body((FIXTURES / "lawgokr_iaciac_list.xml").read_bytes()), "iaciac")
    body = lawgokr_parse.read_body(parse_body((FIXTURES / "lawgokr_iaciac_body_7213.xml").read_bytes()), "iaciac")
    decision = READER.read(lawgokr_parse.iaciac_to_precedent("7213", body, listing.entries[0]))
    assert headline(decision) == "우측 슬개골 골절 · 노동자 패소"
    plain = extract_precedent(decision)["plain"]
    assert plain[1].startswith("원처분기관(근로복지공단)은 \"신청 상병은 업무와 상당인과관계가 인정되지 않는다\"")
    assert plain[2].startswith("재심사위원회는") and "까닭(재결서)" in plain[2]

    portal = READER.read(Precedent(
        id="portal:1", source="portal", title="요양불승인처분취소", outcome="취소", kind_b="요양",
        full_text="주 문\n1. 피고의 처분을 취소한다.\n이 유\n1. 처분의 경위\n원고는 물류센터에서 6년간 상하차 업무를 "
                  "하다가 요추 추간판탈출증 진단을 받았다.\n2. 판단\n따라서 원고의 업무와 상병 사이에 상당인과관계가 "
                  "인정된다."))
    assert headline(portal) == "상하차 업무 6년 · 요추 추간판탈출증 · 노동자 승소"
    assert extract_precedent(portal)["plain"][0].startswith("상하차 업무를 하던 노동자가 '요추 추간판탈출증' 때문에")
