"""Inputs that used to take minutes (quadratic loops) finish in well under the timeout, same results."""
from __future__ import annotations

import time

import pytest

from services.redaction import redact
from services.search import SearchService
from services.search.query import MAX_QUERY_WORDS, build_plan
from services.search.snippet import make_snippet
from storage.precedents import PrecedentStore


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> SearchService:
    root = tmp_path_factory.mktemp("hotspots")
    built = SearchService(PrecedentStore(root / "cache"), index_dir=root / "index", tokenizer="bigram")
    built.ensure_index()
    return built


@pytest.mark.timeout(20)
def test_snippet_of_a_record_repeating_the_query_word_20000_times() -> None:
    text = "허리디스크 " * 20_000
    started = time.perf_counter()
    snippet = make_snippet(text, [("허리디스크", 1.0)], set())
    assert time.perf_counter() - started < 5
    assert snippet.text.startswith("허리디스크") and snippet.spans[0] == (0, 5)


def test_snippet_picks_the_window_with_the_most_distinct_terms() -> None:
    text = "요추 " * 300 + "요추 추간판탈출증 출퇴근 " + "요추 " * 300
    snippet = make_snippet(text, [("추간판탈출증", 1.0), ("출퇴근", 1.0), ("요추", 0.5)], set())
    assert "추간판탈출증" in snippet.text and "출퇴근" in snippet.text


LONG_QUERY = " ".join(["허리디스크 출퇴근 사고로 요추 추간판탈출증 과로 뇌출혈 소음성 난청 진폐 우울증"] * 400)


@pytest.mark.timeout(20)
def test_long_query_of_4000_words_is_planned_fast(service) -> None:
    index = service._current_index()
    assert len(LONG_QUERY.split()) >= 4000
    started = time.perf_counter()
    plan = build_plan(LONG_QUERY, index)
    assert time.perf_counter() - started < 10
    assert not plan.empty


@pytest.mark.timeout(20)
def test_long_query_search_is_capped_with_a_korean_note(service) -> None:
    result = service.search(LONG_QUERY, limit=5)
    assert result.total > 0
    assert result.notes and f"앞의 {MAX_QUERY_WORDS}단어" in result.notes[0]
    short = service.search("허리디스크", limit=5)
    assert short.notes == []


def _five_mb_of_personal_data() -> str:
    syllables = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허"
    names = [f"{s}{a}{b}" for s in "김이박최정강조윤" for a in syllables for b in syllables[:8]]
    parts = []
    for i, name in enumerate(names * 3):
        parts.append(f"원고 {name} 씨의 전화번호는 010-{1000 + i % 9000}-{2000 + i % 7000}이고 "
                     f"주소는 서울 강남구 테헤란로 {i % 500 + 1}에 있다. 주 60시간 근무하였다. ")
    text = "".join(parts)
    return text * -(-5 * 2**20 // len(text.encode("utf-8")))  # whole sentences up to 5 MB


@pytest.mark.timeout(20)
def test_redacting_5_mb_is_linear() -> None:
    text = _five_mb_of_personal_data()
    assert len(text.encode("utf-8")) >= 5 * 2**20
    result = redact(text)
    assert "010-" not in result.text and "테헤란로" not in result.text
    assert result.counts()["전화번호"] > 10_000 and result.counts()["이름"] > 10_000
