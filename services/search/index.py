"""The on-disk search index: a bm25s model plus compact per-document metadata for filters.

Layout in ``index_dir``::

    current.json            which build is live (replaced atomically)
    build-<n>/meta.json     format version, tokenizer, store version, label lists
    build-<n>/ids.json      record id per document number
    build-<n>/fields.npz    outcome/kind_b/kind_c/source codes, court level, year, date (numpy)
    build-<n>/bm25/         the bm25s model (CSC score matrix, vocabulary), loaded with mmap

A new build is written into its own folder; only then ``current.json`` is switched to it and old
builds are removed, so a crash never leaves a half-written index in use.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

import bm25s
import numpy as np

from services.errors import StoreError
from services.progress import CancelToken, ProgressCallback, check, report
from services.records import Precedent
from services.search.text import searchable_text, special_tokens
from services.search.tokenize import bigram_codes, code_to_token, is_bigram_based, kiwi_doc_tokens

FORMAT_VERSION = 3
_CATEGORY_FIELDS = ("outcome", "kind_b", "kind_c", "source")
_SPECIAL_BASE = 1 << 43  # above every bigram code (two 21-bit code points)
_PROGRESS_EVERY = 500

logging.getLogger("bm25s").setLevel(logging.WARNING)


class SearchIndexError(StoreError):
    """The index folder could not be written or read."""


@dataclass
class _TokenizedDocs:
    """Per-document (token ids, counts), replayed as token lists for bm25s without keeping them all."""

    ids: "_TokenLists"
    vocab: dict[str, int]


class _TokenLists(Sequence):
    def __init__(self, uniques: list[np.ndarray], counts: list[np.ndarray]) -> None:
        self._uniques = uniques
        self._counts = counts

    def __len__(self) -> int:
        return len(self._uniques)

    def __getitem__(self, i):  # type: ignore[override]
        return np.repeat(self._uniques[i], self._counts[i]).tolist()

    def __iter__(self) -> Iterator[list[int]]:
        for i in range(len(self._uniques)):
            yield self[i]


class _Vocabulary:
    """Token → id, filled while documents are read."""

    def __init__(self) -> None:
        self.by_code: dict[int, int] = {}
        self.specials: dict[str, int] = {}

    def ids_for_codes(self, codes: np.ndarray) -> np.ndarray:
        lookup = self.by_code
        return np.fromiter((lookup.setdefault(c, len(lookup)) for c in codes.tolist()), dtype=np.int32,
                           count=len(codes))

    def special_code(self, token: str) -> int:
        return _SPECIAL_BASE + self.specials.setdefault(token, len(self.specials))

    def as_strings(self) -> dict[str, int]:
        special_names = {(_SPECIAL_BASE + i): name for name, i in self.specials.items()}
        return {special_names.get(code) or code_to_token(code): i for code, i in self.by_code.items()}


def _doc_counts_bigram(text: str, vocab: _Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    codes = bigram_codes(text)
    specials = special_tokens(text)
    if specials:
        codes = np.concatenate((codes, np.array([vocab.special_code(s) for s in specials], dtype=np.uint64)))
    unique, counts = np.unique(codes, return_counts=True)
    return vocab.ids_for_codes(unique), counts.astype(np.uint32)


def _doc_counts_words(tokens: list[str], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32, count=len(tokens))
    unique, counts = np.unique(ids, return_counts=True)
    return unique.astype(np.int32), counts.astype(np.uint32)


def _date_key(record: Precedent) -> int:
    digits = "".join(ch for ch in (record.decided_on or "") if ch.isdigit())
    if len(digits) == 8:
        return int(digits)
    return (record.case_year or 0) * 10000


class SearchIndex:
    """A loaded index: the bm25s score matrix and the filter arrays."""

    def __init__(self, path: Path, meta: dict, ids: list[str], fields: dict[str, np.ndarray],
                 model: bm25s.BM25) -> None:
        self.path = path
        self.meta = meta
        self.ids = ids
        self.fields = fields
        self.model = model
        self.labels: dict[str, list[str]] = meta["labels"]
        scores = model.scores
        self._data = scores["data"]
        self._indices = scores["indices"]
        self._indptr = scores["indptr"]
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def tokenizer(self) -> str:
        return self.meta["tokenizer"]

    @property
    def store_version(self) -> str:
        return self.meta["store_version"]

    def __len__(self) -> int:
        return len(self.ids)

    def token_id(self, token: str) -> Optional[int]:
        return self.model.vocab_dict.get(token)

    def postings(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 contributions) for one token."""
        start, end = int(self._indptr[token_id]), int(self._indptr[token_id + 1])
        return self._indices[start:end], self._data[start:end]

    def doc_freq(self, token_id: int) -> int:
        return int(self._indptr[token_id + 1] - self._indptr[token_id])

    def label_code(self, field: str, value: str) -> Optional[int]:
        try:
            return self.labels[field].index(value)
        except ValueError:
            return None

    def label(self, field: str, code: int) -> str:
        return self.labels[field][code]

    # --- persistence ----------------------------------------------------------------------------

    @classmethod
    def load(cls, index_dir: Path) -> Optional["SearchIndex"]:
        """The live build in ``index_dir``, or None when there is none or it is unreadable."""
        if not (index_dir / "current.json").exists():
            return None
        try:
            pointer = json.loads((index_dir / "current.json").read_text(encoding="utf-8"))
            path = index_dir / pointer["build"]
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT_VERSION:
                return None
            ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
            with np.load(path / "fields.npz") as npz:
                fields = {name: npz[name] for name in npz.files}
            model = bm25s.BM25.load(str(path / "bm25"), mmap=True, show_progress=False, verbosity=0)
        except (OSError, ValueError, KeyError, json.JSONDecodeError):
            logging.getLogger(__name__).warning("search index in %s unreadable; it will be rebuilt", index_dir)
            return None
        if len(ids) != model.scores["num_docs"]:
            return None
        return cls(path, meta, ids, fields, model)


def build_index(records: Iterable[Precedent], index_dir: Path, *, store_version: str, tokenizer: str,
                total: Optional[int] = None, progress: Optional[ProgressCallback] = None,
                cancel: Optional[CancelToken] = None) -> Path:
    """Tokenize every record, compute BM25 with bm25s and write a new build; return its folder."""
    bigram_vocab = _Vocabulary()
    word_vocab: dict[str, int] = {}
    uniques: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    ids: list[str] = []
    labels: dict[str, dict[str, int]] = {name: {} for name in _CATEGORY_FIELDS}
    columns: dict[str, list[int]] = {name: [] for name in (*_CATEGORY_FIELDS, "level", "year", "date")}
    for n, record in enumerate(records):
        if n % _PROGRESS_EVERY == 0:
            check(cancel)
            report(progress, n, total, "판례 색인을 만드는 중입니다")
        text = searchable_text(record)
        if is_bigram_based(tokenizer):
            doc_ids, doc_counts = _doc_counts_bigram(text, bigram_vocab)
        else:
            doc_ids, doc_counts = _doc_counts_words(kiwi_doc_tokens(text), word_vocab)
        uniques.append(doc_ids)
        counts.append(doc_counts)
        ids.append(record.id)
        for name in _CATEGORY_FIELDS:
            value = getattr(record, name) or ""
            columns[name].append(labels[name].setdefault(value, len(labels[name])))
        columns["level"].append(record.court_level or 0)
        columns["year"].append(record.case_year or 0)
        columns["date"].append(_date_key(record))
    check(cancel)
    report(progress, len(ids), total or len(ids), "검색 점수를 계산하는 중입니다")

    vocab = bigram_vocab.as_strings() if is_bigram_based(tokenizer) else dict(word_vocab)
    model = bm25s.BM25()
    if ids:
        model.index(_TokenizedDocs(_TokenLists(uniques, counts), vocab), create_empty_token=False,
                    show_progress=False)
    del uniques, counts
    check(cancel)

    index_dir.mkdir(parents=True, exist_ok=True)
    build_name = f"build-{time.time_ns()}"
    tmp = index_dir / f".tmp-{build_name}"
    try:
        tmp.mkdir()
        if ids:
            model.save(str(tmp / "bm25"), show_progress=False)
        else:
            _save_empty_model(tmp / "bm25")
        fields = {
            **{name: np.asarray(columns[name], dtype=np.uint16) for name in _CATEGORY_FIELDS},
            "level": np.asarray(columns["level"], dtype=np.int8),
            "year": np.asarray(columns["year"], dtype=np.int16),
            "date": np.asarray(columns["date"], dtype=np.int32),
        }
        np.savez(tmp / "fields.npz", **fields)
        (tmp / "ids.json").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        meta = {
            "format": FORMAT_VERSION, "tokenizer": tokenizer, "store_version": store_version,
            "documents": len(ids), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "labels": {name: list(values) for name, values in labels.items()},
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, index_dir / build_name)
        _switch_current(index_dir, build_name)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SearchIndexError("검색 색인을 저장하지 못했습니다. 저장 공간이 충분한지 확인한 뒤 다시 시도해 주세요.") from exc
    _remove_old_builds(index_dir, keep=build_name)
    return index_dir / build_name


def _save_empty_model(path: Path) -> None:
    """bm25s cannot index zero documents; an empty corpus gets a one-token, zero-document matrix."""
    model = bm25s.BM25()
    model.scores = {"data": np.zeros(0, dtype=np.float32), "indices": np.zeros(0, dtype=np.int32),
                    "indptr": np.zeros(2, dtype=np.int32), "num_docs": 0}
    model.vocab_dict = {"": 0}
    model.save(str(path), show_progress=False)


def _switch_current(index_dir: Path, build_name: str) -> None:
    pointer = index_dir / "current.json"
    tmp = index_dir / f".current-{os.getpid()}.json"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"build": build_name}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, pointer)


def _remove_old_builds(index_dir: Path, keep: str) -> None:
    # A build another process still has mapped may refuse to go on Windows; it is retried next time.
    for child in index_dir.iterdir():
        if not child.is_dir() or child.name == keep:
            continue
        stale_tmp = child.name.startswith(".tmp-") and time.time() - child.stat().st_mtime > 3600
        if child.name.startswith("build-") or stale_tmp:
            shutil.rmtree(child, ignore_errors=True)

