"""Search over the sample corpus and small synthetic stores, through the real PrecedentStore."""
from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np
import pytest

from bench.synthetic import generate
from core.errors import Cancelled
from core.progress import CancelToken
from core.records import Precedent
from services.judgment import READER
from services.search import SearchFilters, SearchService
from services.search.expansions import squash
from services.search.index import SearchIndex, build_index
from services.search.query import build_plan
from services.search.text import searchable_text, special_tokens
from services.search.tokenize import bigram_codes, code_to_token
from storage.precedents import PrecedentStore

BRAIN_HEART = ("뇌출혈", "뇌경색", "심근경색", "지주막하출혈", "심장", "뇌혈관", "뇌졸중")


@pytest.fixture(scope="module")
def sample_service(tmp_path_factory) -> SearchService:
    root = tmp_path_factory.mktemp("samples")
    service = SearchService(PrecedentStore(root / "cache", reader=READER), index_dir=root / "index")
    service.ensure_index()
    return service


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> PrecedentStore:
    root = tmp_path_factory.mktemp("synthetic")
    store = PrecedentStore(root / "cache", reader=READER)
    store.upsert_many(generate(300, seed=7))
    return store


@pytest.fixture(scope="module")
def synthetic_service(synthetic_store, tmp_path_factory) -> SearchService:
    service = SearchService(synthetic_store, index_dir=tmp_path_factory.mktemp("synthetic-index"))
    service.ensure_index()
    return service


def _text(record: Precedent) -> str:
    return f"{record.title} {record.issues_text} {record.full_text}"


def _current_build(index_dir: Path) -> str:
    return json.loads((index_dir / "current.json").read_text(encoding="utf-8"))["build"]


# --- lay language ---------------------------------------------------------------------------------

def test_back_disc_in_lay_words_finds_disc_cases(sample_service):
    result = sample_service.search("허리디스크", limit=5)
    assert result.total >= 2
    top = result.hits[:3]
    assert all("추간판" in _text(hit.record) for hit in top)
    assert "요추 추간판탈출증" in result.expanded_terms


def test_commute_accident_finds_commute_cases(sample_service):
    result = sample_service.search("출근길 교통사고", limit=3)
    assert result.hits
    for hit in result.hits[:2]:
        text = _text(hit.record)
        assert "교통사고" in text and ("출근" in text or "출퇴근" in text)


def test_collapse_from_overwork_finds_brain_and_heart_cases(sample_service):
    result = sample_service.search("과로로 쓰러짐", limit=5)
    assert len(result.hits) == 5
    for hit in result.hits:
        assert any(word in _text(hit.record) for word in BRAIN_HEART), hit.record.id


def test_hearing_loss_in_plain_words(sample_service):
    result = sample_service.search("귀가 안 들림", limit=3)
    assert result.hits and all("난청" in _text(h.record) for h in result.hits[:2])


def test_expansions_weigh_less_than_the_users_own_words(sample_service):
    index = sample_service._current_index()
    plan = build_plan("허리디스크", index)
    own = plan.groups[0].alternatives[0][0]
    expansions = [term for alt in plan.groups[0].alternatives[1:] for term in alt]
    assert expansions and all(term.weight < own.weight for term in expansions)


# --- Korean forms -----------------------------------------------------------------------------------

def test_compound_joined_or_split_finds_the_same_cases(sample_service):
    joined = {h.record.id for h in sample_service.search("추간판탈출증", limit=5).hits}
    split = {h.record.id for h in sample_service.search("추간판 탈출증", limit=5).hits}
    assert joined and len(joined & split) >= 4


def test_particles_and_endings_do_not_block_matches(sample_service):
    plain = sample_service.search("회전근개 파열", limit=3)
    with_particles = sample_service.search("회전근개가 파열되었어요", limit=3)
    assert plain.hits and with_particles.hits
    assert {h.record.id for h in plain.hits[:2]} == {h.record.id for h in with_particles.hits[:2]}
    assert all("회전근개" in _text(h.record) for h in with_particles.hits[:2])


def test_spine_level_spellings_are_one_token():
    assert special_tokens("요추 제4-5번") == special_tokens("L4-5") == special_tokens("요추 4, 5번") == ["#l4-5"]
    assert special_tokens("L4-L5 사이") == ["#l4-5"]
    assert special_tokens("경추 5-6번") == ["#c5-6"]


def test_latin_spine_level_finds_korean_spelling(sample_service):
    result = sample_service.search("L4-5", limit=5)
    assert result.hits
    for hit in result.hits:
        assert "#l4-5" in special_tokens(_text(hit.record))
    assert any(hit.snippet[s:e].replace(" ", "").startswith("요추") for hit in result.hits for s, e in hit.spans)


# --- snippets ---------------------------------------------------------------------------------------

def test_snippets_mark_the_matched_words(sample_service):
    result = sample_service.search("손목 저림", limit=3)
    assert result.hits
    wanted = {squash(w) for w in ["손목", "저림", *result.expanded_terms]}
    for hit in result.hits:
        assert len(hit.snippet) <= 125 and hit.spans
        marked = [squash(hit.snippet[s:e]) for s, e in hit.spans]
        assert all(any(m == w or m in w.split() or m in squash(w) for w in wanted) for m in marked), marked
        assert "【" in hit.marked_snippet and "】" in hit.marked_snippet


# --- filters, counts, pages -------------------------------------------------------------------------

def _passes(record: Precedent, f: SearchFilters) -> bool:
    def ok(value, wanted):
        return wanted is None or value in ({wanted} if isinstance(wanted, (str, int)) else set(wanted))
    year = record.case_year or 0
    return (ok(record.outcome, f.outcome) and ok(record.kind_b, f.kind_b) and ok(record.kind_c, f.kind_c)
            and ok(record.court_level or 0, f.court_level) and ok(record.source, f.source)
            and (f.year_from is None or (year and year >= f.year_from))
            and (f.year_to is None or (year and year <= f.year_to)))


FILTERS = [
    SearchFilters(outcome="취소"),
    SearchFilters(outcome=["취소", "일부취소"], kind_c="업무상질병"),
    SearchFilters(court_level=1, year_from=2010, year_to=2018),
    SearchFilters(source="lawgokr", kind_b=["요양", "유족"]),
    SearchFilters(court_level=[2, 3], outcome="기각", year_from=2015),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_browse_counts_match_a_brute_force_count(synthetic_service, synthetic_store, filters):
    records = list(synthetic_store.iter_records())
    expected = [r for r in records if _passes(r, filters)]
    result = synthetic_service.search("", filters, limit=len(records))
    assert result.total == len(expected)
    brute_counts: dict[str, int] = {}
    for r in expected:
        brute_counts[r.outcome] = brute_counts.get(r.outcome, 0) + 1
    assert result.counts == brute_counts
    years = [h.record.case_year for h in result.hits]
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize("filters", FILTERS)
def test_query_with_filters_is_the_unfiltered_matches_narrowed(synthetic_service, filters):
    everything = synthetic_service.search("요추 추간판탈출증", limit=1000)
    assert everything.total == len(everything.hits) > 0
    narrowed = [h.record for h in everything.hits if _passes(h.record, filters)]
    result = synthetic_service.search("요추 추간판탈출증", filters, limit=1000)
    assert result.total == len(narrowed)
    assert {h.record.id for h in result.hits} == {r.id for r in narrowed}
    assert sum(result.counts.values()) == result.total
    assert all(_passes(h.record, filters) for h in result.hits)


def test_pages_follow_each_other(synthetic_service):
    whole = synthetic_service.search("소음성 난청", limit=30)
    first = synthetic_service.search("소음성 난청", limit=10)
    second = synthetic_service.search("소음성 난청", limit=10, offset=10)
    assert whole.total > 20
    assert [h.record.id for h in first.hits + second.hits] == [h.record.id for h in whole.hits[:20]]
    assert first.has_more and second.offset == 10
    scores = [h.score for h in whole.hits]
    assert scores == sorted(scores, reverse=True)


# --- similar ----------------------------------------------------------------------------------------

def test_similar_finds_cases_like_a_situation(sample_service):
    situation = ("물류센터에서 하루 종일 무거운 상자를 들어 옮기는 일을 했습니다. 허리가 너무 아파서 병원에 갔더니 "
                 "디스크가 터졌다고 수술을 받으라고 했는데 공단에서는 나이 때문이라며 산재를 안 해 준다고 합니다.")
    hits = sample_service.similar(situation, k=5)
    assert len(hits) == 5
    assert hits[0].score >= hits[-1].score > 0
    assert sum("추간판" in _text(h.record) for h in hits[:3]) >= 2


def test_similar_respects_filters(sample_service):
    hits = sample_service.similar("야간 교대근무 중 가슴 통증으로 쓰러져 사망했습니다", k=8,
                                  filters=SearchFilters(kind_b="유족"))
    assert hits and all(h.record.kind_b == "유족" for h in hits)


# --- index life cycle -------------------------------------------------------------------------------

def test_index_is_saved_and_loaded_without_rebuilding(tmp_path):
    store = PrecedentStore(tmp_path / "cache", reader=READER)
    first = SearchService(store, index_dir=tmp_path / "index")
    first.ensure_index()
    build = _current_build(tmp_path / "index")
    reports = []
    second = SearchService(store, index_dir=tmp_path / "index")
    assert not second.is_ready()
    second.ensure_index(progress=reports.append)
    assert second.is_ready() and not reports
    assert _current_build(tmp_path / "index") == build
    assert second.search("진폐").total == first.search("진폐").total > 0


def test_index_is_rebuilt_when_the_store_changes(tmp_path):
    store = PrecedentStore(tmp_path / "cache", reader=READER)
    service = SearchService(store, index_dir=tmp_path / "index")
    service.ensure_index()
    build = _current_build(tmp_path / "index")
    assert service.search("뷁퀭쮧텳").total == 0
    new = next(generate(1, seed=3))
    new.id, new.full_text = "portal:new-1", new.full_text + "\n뷁퀭쮧텳 사고 경위"
    store.upsert_many([new])
    reloaded = SearchService(store, index_dir=tmp_path / "index")
    reloaded.ensure_index()
    assert _current_build(tmp_path / "index") != build
    assert [h.record.id for h in reloaded.search("뷁퀭쮧텳").hits] == ["portal:new-1"]
    assert len(list((tmp_path / "index").glob("build-*"))) == 1


def test_cancelled_build_leaves_no_index(tmp_path):
    store = PrecedentStore(tmp_path / "cache", reader=READER)
    store.upsert_many(generate(50, seed=1))
    cancel = CancelToken()
    cancel.cancel()
    service = SearchService(store, index_dir=tmp_path / "index")
    with pytest.raises(Cancelled):
        service.ensure_index(cancel=cancel)
    assert not (tmp_path / "index" / "current.json").exists() and not service.is_ready()


def test_indexing_reports_progress_to_the_end(tmp_path):
    store = PrecedentStore(tmp_path / "cache", reader=READER)
    service = SearchService(store, index_dir=tmp_path / "index")
    reports = []
    service.ensure_index(progress=reports.append)
    assert service.is_ready()
    assert reports[-1].done == reports[-1].total == len(store)


def test_empty_corpus_gives_empty_results(tmp_path):
    store = PrecedentStore(tmp_path / "cache", sample_path=tmp_path / "none.json", reader=READER)
    service = SearchService(store, index_dir=tmp_path / "index")
    result = service.search("허리디스크")
    assert result.total == 0 and result.hits == [] and result.counts == {}
    assert service.search("").total == 0


def test_bulk_scores_equal_bm25s_index(tmp_path):
    records = list(generate(60, seed=5))
    build_index(records, tmp_path, store_version="x", tokenizer="bigram")
    index = SearchIndex.load(tmp_path)
    corpus = [[code_to_token(int(c)) for c in bigram_codes(searchable_text(r))] + special_tokens(searchable_text(r))
              for r in records]
    reference = bm25s.BM25()
    reference.index(corpus, show_progress=False)
    for token in ("요추", "난청", "#l4-5", "원고"):
        ours = np.zeros(len(records))
        docs, scores = index.postings(index.token_id(token))
        ours[docs] = scores
        assert np.allclose(ours, reference.get_scores([token]), atol=1e-5), token
