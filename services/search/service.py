"""Ranked precedent search over the local cache.

    service = SearchService(PrecedentStore(reader=READER))
    service.ensure_index(progress, cancel)          # build or load; rebuilt when the cache changed
    result = service.search("허리디스크", SearchFilters(outcome="취소"), limit=20, offset=0)
    result.total, result.counts, result.hits[0].record, result.hits[0].snippet, result.hits[0].spans
    service.similar("회사에서 무거운 상자를 옮기다 허리를 다쳤습니다 ...", k=8)

Only the index lives in memory (score matrix memory-mapped, filter fields as small numpy arrays);
records for the shown page are read with ``store.get_many``.
"""
from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from core.errors import SanjaeError
from core.paths import data_dir
from core.progress import CancelToken, ProgressCallback, report
from core.records import Precedent
from services.search.index import SearchIndex, build_index
from services.search.query import Plan, build_plan, cap_query, evaluate
from services.search.snippet import Snippet, make_snippet
from services.search.text import snippet_source
from services.search.tokenize import DEFAULT_TOKENIZER, TOKENIZERS, kiwi
from storage.locks import PathLock

SIMILAR_SALIENT_WORDS = 30

Choice = str | Collection[str] | None
LevelChoice = int | Collection[int] | None


class PrecedentSource(Protocol):
    """What search needs from ``storage.precedents.PrecedentStore``."""

    def iter_records(self) -> Iterable[Precedent]: ...
    def get_many(self, ids: list[str]) -> list[Precedent]: ...
    def version(self) -> str: ...


class SearchError(SanjaeError):
    """Search could not run."""


@dataclass(frozen=True)
class SearchFilters:
    """Every field narrows the results; a field may hold one value or several (any of them)."""

    outcome: Choice = None      # result for the worker (Precedent.outcome): 취소, 일부취소, 기각, 각하, 취하, 파기환송
    kind_b: Choice = None       # 요양, 장해, 유족, …
    kind_c: Choice = None       # 업무상사고, 업무상질병
    court_level: LevelChoice = None  # 1, 2, 3
    source: Choice = None       # portal, lawgokr, iaciac, sample
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class Hit:
    record: Precedent
    score: float
    snippet: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def marked_snippet(self) -> str:
        """The snippet with matched words in 【】 (for plain-text output)."""
        return Snippet(self.snippet, self.spans).marked()


@dataclass
class SearchResult:
    query: str
    total: int
    counts: dict[str, int]  # outcome → number of matches (all pages, current filters)
    hits: list[Hit]
    offset: int = 0
    limit: int = 20
    expanded_terms: list[str] = field(default_factory=list)  # legal terms also searched
    notes: list[str] = field(default_factory=list)  # Korean notes for the user (e.g. the query was cut)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.hits) < self.total


@dataclass
class RankedPage:
    query: str
    total: int
    counts: dict[str, int]
    docs: np.ndarray      # document numbers of this page
    ids: list[str]        # their record ids
    scores: np.ndarray    # score per document number (whole index)
    plan: Plan
    index: SearchIndex
    notes: list[str] = field(default_factory=list)


_V = TypeVar("_V", str, int)


def _as_set(value: _V | Collection[_V] | None) -> set[_V] | None:
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, (str, int)):
        return {value}
    return set(value)


class SearchService:
    def __init__(self, store: PrecedentSource, index_dir: Path | None = None, *,
                 tokenizer: str = DEFAULT_TOKENIZER) -> None:
        if tokenizer not in TOKENIZERS:
            raise ValueError(f"unknown tokenizer {tokenizer!r}")
        self.store = store
        self.index_dir = Path(index_dir) if index_dir else data_dir() / "index"
        self.tokenizer = tokenizer
        self._index: SearchIndex | None = None
        self._build_lock = threading.Lock()

    # --- index lifecycle -------------------------------------------------------------------------

    def is_ready(self) -> bool:
        """True when an index is loaded (it may be a little behind a cache that is being updated)."""
        return self._index is not None

    def ensure_index(self, progress: ProgressCallback | None = None,
                     cancel: CancelToken | None = None) -> None:
        """Load the saved index, or build it when missing or out of date with the cache."""
        with self._build_lock:
            version = self.store.version()
            if self._usable(self._index, version):
                return
            saved = SearchIndex.load(self.index_dir)
            if self._usable(saved, version):
                self._index = saved
                self._warm_up()
                return
            report(progress, 0, None, "판례 색인을 준비하는 중입니다")
            # Several web workers share one index folder: one builds, the others wait and load it.
            with PathLock(self.index_dir / "build", timeout=1800):
                saved = SearchIndex.load(self.index_dir)
                if not self._usable(saved, version):
                    records = self.store.iter_records()
                    total = _length(self.store)
                    build_index(records, self.index_dir, store_version=version, tokenizer=self.tokenizer,
                                total=total, progress=progress, cancel=cancel)
            loaded = SearchIndex.load(self.index_dir)
            if loaded is None:
                raise SearchError("검색 색인을 읽지 못했습니다. 프로그램을 다시 시작해 주세요.")
            self._index = loaded
            self._warm_up()
            report(progress, len(loaded), len(loaded), "판례 색인이 준비되었습니다")

    def _usable(self, index: SearchIndex | None, version: str) -> bool:
        return index is not None and index.store_version == version and index.tokenizer == self.tokenizer

    def _warm_up(self) -> None:
        if self.tokenizer in ("mixed", "kiwi"):
            kiwi().tokenize("허리 디스크")  # the first analysis loads the model; do it before the first query

    def _current_index(self) -> SearchIndex:
        # While another thread rebuilds, keep answering from the index already loaded.
        if self._index is not None and self._build_lock.locked():
            return self._index
        self.ensure_index()
        assert self._index is not None
        return self._index

    # --- queries ---------------------------------------------------------------------------------

    def search(self, query: str, filters: SearchFilters | None = None, *, limit: int = 20,
               offset: int = 0) -> SearchResult:
        """Matches for ``query`` (all words, lay terms expanded), best first; empty query = browse."""
        ranked = self.rank(query, filters, limit=limit, offset=offset)
        hits = self._hits(ranked.index, ranked.docs, ranked.scores, ranked.plan)
        return SearchResult(ranked.query, ranked.total, ranked.counts, hits, offset, limit,
                            ranked.plan.expanded_phrases, ranked.notes)

    def rank(self, query: str, filters: SearchFilters | None = None, *, limit: int = 20,
             offset: int = 0) -> RankedPage:
        """Like ``search`` but without reading the records: ids and scores of one page, total, counts."""
        index = self._current_index()
        allowed = self._filter_mask(index, filters)
        query = (query or "").strip()
        capped, note = cap_query(query)
        plan = build_plan(capped, index) if query else Plan([], [])
        if plan.empty:
            # Words the index cannot use (e.g. only particles): nothing matches.
            selected = np.zeros(len(index), dtype=bool) if query else allowed
            order = self._browse_order(index, selected)
            scores = np.zeros(len(index))
        else:
            evaluation = evaluate(plan, index, allowed=allowed)
            selected = evaluation.matched & allowed
            scores = evaluation.scores
            order = self._rank(scores, selected, offset + limit)
        page = order[offset:offset + limit]
        return RankedPage(query, int(selected.sum()), self._outcome_counts(index, selected), page,
                          [index.ids[i] for i in page], scores, plan, index, [note] if note else [])

    def similar(self, situation_text: str, k: int = 8, filters: SearchFilters | None = None) -> list[Hit]:
        """The precedents closest to a free-text description of what happened."""
        index = self._current_index()
        text = (situation_text or "").strip()
        if not text:
            return []
        plan = build_plan(text, index, salient=SIMILAR_SALIENT_WORDS)
        if plan.empty:
            return []
        evaluation = evaluate(plan, index, require=False)
        selected = evaluation.matched & self._filter_mask(index, filters)
        order = self._rank(evaluation.scores, selected, k)
        return self._hits(index, order[:k], evaluation.scores, plan)

    # --- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _filter_mask(index: SearchIndex, filters: SearchFilters | None) -> np.ndarray:
        mask = np.ones(len(index), dtype=bool)
        if filters is None:
            return mask
        choices = (("outcome", filters.outcome), ("kind_b", filters.kind_b), ("kind_c", filters.kind_c),
                   ("source", filters.source))
        for name, choice in choices:
            wanted = _as_set(choice)
            if wanted is not None:
                codes = [c for c in (index.label_code(name, v) for v in wanted) if c is not None]
                mask &= np.isin(index.fields[name], codes)
        levels = _as_set(filters.court_level)
        if levels is not None:
            mask &= np.isin(index.fields["level"], [int(v) for v in levels])
        years = index.fields["year"]
        if filters.year_from is not None:
            mask &= (years >= filters.year_from) & (years > 0)
        if filters.year_to is not None:
            mask &= (years <= filters.year_to) & (years > 0)
        return mask

    @staticmethod
    def _outcome_counts(index: SearchIndex, selected: np.ndarray) -> dict[str, int]:
        labels = index.labels["outcome"]
        counted = np.bincount(index.fields["outcome"][selected], minlength=len(labels))
        return {labels[i] or "미상": int(n) for i, n in enumerate(counted) if n}

    @staticmethod
    def _browse_order(index: SearchIndex, selected: np.ndarray) -> np.ndarray:
        docs = np.flatnonzero(selected)
        dates = index.fields["date"][docs]
        return docs[np.argsort(-dates, kind="stable")]

    @staticmethod
    def _rank(scores: np.ndarray, selected: np.ndarray, top: int) -> np.ndarray:
        docs = np.flatnonzero(selected)
        if len(docs) == 0 or top <= 0:
            return docs[:0]
        doc_scores = scores[docs]
        if len(docs) > top:
            part = np.argpartition(-doc_scores, top - 1)[:top]
            docs, doc_scores = docs[part], doc_scores[part]
        return docs[np.lexsort((docs, -doc_scores))]

    def _hits(self, index: SearchIndex, page: np.ndarray, scores: np.ndarray, plan: Plan) -> list[Hit]:
        ids = [index.ids[i] for i in page]
        records = {r.id: r for r in self.store.get_many(ids)}
        terms = plan.highlight_terms()
        specials = plan.specials()
        hits = []
        for doc, record_id in zip(page, ids, strict=True):
            record = records.get(record_id)
            if record is None:  # removed from the cache since the index was built
                continue
            snippet = make_snippet(snippet_source(record), terms, specials)
            hits.append(Hit(record, round(float(scores[doc]), 4), snippet.text, snippet.spans))
        return hits


def _length(store: object) -> int | None:
    return len(store) if isinstance(store, Sized) else None
