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
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypedDict, cast

import bm25s
import bm25s.scoring
import numpy as np
import scipy.sparse

from core.errors import StoreError
from core.progress import CancelToken, ProgressCallback, check, report
from core.records import Precedent, valid_court_level, valid_date, valid_year
from services.search.text import searchable_text, special_tokens
from services.search.tokenize import bigram_codes, code_to_token, is_bigram_based, kiwi_doc_tokens
from storage.atomic import fsync_dir, fsync_tree, write_bytes_atomic

FORMAT_VERSION = 3
_CATEGORY_FIELDS = ("outcome", "kind_b", "kind_c", "source")
_SPECIAL_BASE = 1 << 43  # above every bigram code (two 21-bit code points)
_PROGRESS_EVERY = 500
_BUILD_NAME = re.compile(r"build-\d+")  # current.json may name nothing else (never a path outside)
_BROKEN_PREFIX = ".broken-"
_log = logging.getLogger(__name__)

logging.getLogger("bm25s").setLevel(logging.WARNING)


class SearchIndexError(StoreError):
    """The index folder could not be written or read."""


_CHUNK = 500  # documents whose new bigrams are merged into the vocabulary at once


class _CodeVocabulary:
    """Bigram code → token id, kept as two aligned numpy arrays sorted by code (compact and fast)."""

    def __init__(self) -> None:
        self.codes = np.zeros(0, dtype=np.uint64)
        self.ids = np.zeros(0, dtype=np.int32)

    def add(self, codes: np.ndarray) -> None:
        fresh = np.setdiff1d(np.unique(codes), self.codes, assume_unique=True)
        if len(fresh):
            new_ids = np.arange(len(self.ids), len(self.ids) + len(fresh), dtype=np.int32)
            merged = np.concatenate((self.codes, fresh))
            order = np.argsort(merged, kind="stable")
            self.codes = merged[order]
            self.ids = np.concatenate((self.ids, new_ids))[order]

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        return self.ids[np.searchsorted(self.codes, codes)]

    def as_strings(self, specials: dict[str, int]) -> dict[str, int]:
        special_names = {_SPECIAL_BASE + i: name for name, i in specials.items()}
        return {special_names.get(code) or code_to_token(code): int(i)
                for code, i in zip(self.codes.tolist(), self.ids.tolist(), strict=True)}


def _count16(counts: np.ndarray) -> np.ndarray:
    # A token repeated more than 65,535 times in one document would wrap around to a small count.
    clipped: np.ndarray = np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)
    return clipped


class _Tokenized:
    """Per-document (token ids, counts) for the whole corpus, in compact arrays."""

    def __init__(self, tokenizer: str) -> None:
        self.bigram_based = is_bigram_based(tokenizer)
        self.code_vocab = _CodeVocabulary()
        self.specials: dict[str, int] = {}
        self.words: dict[str, int] = {}
        self.uniques: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, text: str) -> None:
        if self.bigram_based:
            codes = bigram_codes(text)
            found = special_tokens(text)
            if found:
                extra = [_SPECIAL_BASE + self.specials.setdefault(t, len(self.specials)) for t in found]
                codes = np.concatenate((codes, np.asarray(extra, dtype=np.uint64)))
            unique, counts = np.unique(codes, return_counts=True)
            self._pending.append((unique, _count16(counts)))
            if len(self._pending) >= _CHUNK:
                self.flush()
        else:
            tokens = kiwi_doc_tokens(text)
            ids = np.fromiter((self.words.setdefault(t, len(self.words)) for t in tokens), dtype=np.int32,
                              count=len(tokens))
            unique, counts = np.unique(ids, return_counts=True)
            self.uniques.append(unique.astype(np.int32))
            self.counts.append(_count16(counts))

    def flush(self) -> None:
        if not self._pending:
            return
        self.code_vocab.add(np.concatenate([u for u, _ in self._pending]))
        for unique, counts in self._pending:
            self.uniques.append(self.code_vocab.lookup(unique))
            self.counts.append(counts)
        self._pending = []

    def vocabulary(self) -> dict[str, int]:
        self.flush()
        return self.code_vocab.as_strings(self.specials) if self.bigram_based else dict(self.words)


def _bm25_model(tokenized: _Tokenized, vocab: dict[str, int]) -> bm25s.BM25:
    """A bm25s model whose score matrix is computed in bulk with bm25s's own idf/tf formulas.

    ``BM25.index`` walks every token of every document in Python (about 80 s for 30,000 judgments on
    this machine); the same numbers come out of a few numpy operations over (document, token, count).
    """
    model = bm25s.BM25()
    n_docs = len(tokenized.uniques)
    n_vocab = max(len(vocab), 1)
    lengths = np.fromiter((len(u) for u in tokenized.uniques), dtype=np.int64, count=n_docs)
    doc_len = np.fromiter((int(c.sum()) for c in tokenized.counts), dtype=np.float64, count=n_docs)
    token_ids = np.concatenate(tokenized.uniques) if n_docs else np.zeros(0, dtype=np.int32)
    tokenized.uniques = []
    scores = np.concatenate(tokenized.counts).astype(np.float32) if n_docs else np.zeros(0, dtype=np.float32)
    tokenized.counts = []
    avg_len = float(doc_len.mean()) if n_docs else 1.0
    doc_freq = np.bincount(token_ids, minlength=n_vocab)
    idf_fn = bm25s.scoring._select_idf_scorer(model.idf_method or model.method)
    idf = np.fromiter((idf_fn(int(df), n_docs) for df in doc_freq), dtype=np.float32, count=n_vocab)
    tfc_fn = bm25s.scoring._select_tfc_scorer(model.method)
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    # tf → BM25 in place, a block of documents at a time, so no full-size temporaries are made.
    for first in range(0, n_docs, _CHUNK * 4):
        last = min(n_docs, first + _CHUNK * 4)
        lo, hi = int(indptr[first]), int(indptr[last])
        block_len = np.repeat(doc_len[first:last].astype(np.float32), lengths[first:last])
        scores[lo:hi] = tfc_fn(tf_array=scores[lo:hi], l_d=block_len, l_avg=avg_len, k1=model.k1, b=model.b,
                               delta=model.delta) * idf[token_ids[lo:hi]]
    data, rows, col_ptr = csr_to_csc(scores, token_ids, indptr, n_vocab)
    del scores, token_ids
    model.scores = {"data": data, "indices": rows, "indptr": col_ptr, "num_docs": n_docs}
    model.vocab_dict = vocab or {"": 0}
    model.unique_token_ids_set = set(model.vocab_dict.values())
    model.nonoccurrence_array = None
    return model


def csr_to_csc(values: np.ndarray, columns: np.ndarray, row_ptr: np.ndarray,
               n_columns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A row-major sparse matrix (documents × tokens) reordered column by column, as bm25s keeps it.

    Returns (values float32, row numbers int32, column pointers int64). scipy's conversion is a
    counting sort in C: against a stable numpy sort (bench/bench_index_csc.py, 30,000 judgments) it was
    about 6 times faster and needed a quarter less extra memory.
    """
    index_dtype = np.int32 if len(values) < 2**31 else np.int64  # int64 pointers would widen every index
    csc = scipy.sparse.csr_matrix((values, columns, row_ptr.astype(index_dtype)), shape=(len(row_ptr) - 1, n_columns),
                                  copy=False).tocsc()
    return csc.data.astype(np.float32, copy=False), csc.indices.astype(np.int32), csc.indptr.astype(np.int64)


def _year(record: Precedent) -> int:
    # Records stored before import/sync checked ranges may hold anything; the int16 column must not overflow.
    return record.case_year if valid_year(record.case_year) else 0  # type: ignore[return-value]


def _level(record: Precedent) -> int:
    return record.court_level if valid_court_level(record.court_level) else 0  # type: ignore[return-value]


def _date_key(record: Precedent) -> int:
    if valid_date(record.decided_on):
        return int(record.decided_on.replace("-", ""))
    return _year(record) * 10000


class IndexMeta(TypedDict):
    """``meta.json`` of one build."""
    format: int
    tokenizer: str
    store_version: str
    documents: int
    built_at: str
    labels: dict[str, list[str]]


class SearchIndex:
    """A loaded index: the bm25s score matrix and the filter arrays."""

    def __init__(self, path: Path, meta: IndexMeta, ids: list[str], fields: dict[str, np.ndarray],
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

    def token_id(self, token: str) -> int | None:
        token_id = self.model.vocab_dict.get(token)
        return None if token_id is None else int(token_id)

    def postings(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 contributions) for one token."""
        start, end = int(self._indptr[token_id]), int(self._indptr[token_id + 1])
        return self._indices[start:end], self._data[start:end]

    def doc_freq(self, token_id: int) -> int:
        return int(self._indptr[token_id + 1] - self._indptr[token_id])

    def label_code(self, field: str, value: str) -> int | None:
        try:
            return self.labels[field].index(value)
        except ValueError:
            return None

    def label(self, field: str, code: int) -> str:
        return self.labels[field][code]

    # --- persistence ----------------------------------------------------------------------------

    @classmethod
    def load(cls, index_dir: Path) -> SearchIndex | None:
        """The live build in ``index_dir``, or None when there is none or it is unreadable.

        A damaged build is renamed ``.broken-…`` (removed by the next build) and logged, so that the
        caller rebuilds instead of failing on it again and again.
        """
        pointer = index_dir / "current.json"
        if not pointer.exists():
            return None
        try:
            build = json.loads(pointer.read_text(encoding="utf-8"))["build"]
            if not isinstance(build, str) or not _BUILD_NAME.fullmatch(build):
                raise ValueError(f"no build named in {build!r}")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _log.warning("search index pointer %s unreadable (%s); the index will be rebuilt", pointer, exc)
            return None
        path = index_dir / build
        reading = "meta.json"
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
                return None  # an older format: rebuilt, nothing is damaged
            reading = "ids.json"
            ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
            reading = "fields.npz"
            with np.load(path / "fields.npz", allow_pickle=False) as npz:
                fields = {name: npz[name] for name in npz.files}
            reading = "bm25"
            model = bm25s.BM25.load(str(path / "bm25"), mmap=True, show_progress=False, verbosity=0)
            reading = "the build as a whole"
            _check_build(meta, ids, fields, model)
        except FileNotFoundError as exc:
            # Another process may have just replaced this build and removed the old one.
            _log.warning("search index build %s incomplete (%s); the index will be rebuilt", path, exc)
            return None
        except Exception as exc:  # any damage in these derived files means: rebuild
            aside = _set_aside(path)
            _log.warning("search index %s unreadable (%s: %s: %s); set aside as %s, it will be rebuilt",
                         path, reading, type(exc).__name__, exc, aside)
            return None
        return cls(path, cast(IndexMeta, meta), ids, fields, model)


def _check_build(meta: Any, ids: Any, fields: dict[str, np.ndarray], model: bm25s.BM25) -> None:
    """Raise ValueError when the files of a build do not fit together (searching them would fail)."""
    if not isinstance(meta.get("tokenizer"), str) or not isinstance(meta.get("store_version"), str):
        raise ValueError("meta.json lacks tokenizer or store version")
    labels = meta.get("labels")
    if not isinstance(labels, dict) or any(not isinstance(labels.get(name), list) for name in _CATEGORY_FIELDS):
        raise ValueError("meta.json lacks label lists")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValueError("ids.json is not a list of ids")
    for name in (*_CATEGORY_FIELDS, "level", "year", "date"):
        column = fields.get(name)
        if column is None or column.ndim != 1 or len(column) != len(ids) or column.dtype.kind not in "iu":
            raise ValueError(f"fields.npz column {name} missing or of the wrong length")
    for name in _CATEGORY_FIELDS:
        if len(ids) and int(fields[name].max()) >= len(labels[name]):
            raise ValueError(f"fields.npz column {name} names a label that does not exist")
    scores, vocab = model.scores, model.vocab_dict
    if not isinstance(vocab, dict) or not isinstance(scores, dict) or scores.get("num_docs") != len(ids):
        raise ValueError("bm25 vocabulary or document count does not match ids.json")
    indptr, data, indices = scores["indptr"], scores["data"], scores["indices"]
    if indptr.ndim != 1 or len(indptr) != len(vocab) + 1 or int(indptr[0]) != 0:
        raise ValueError("bm25 column pointers do not match the vocabulary")
    if not len(data) == len(indices) == int(indptr[-1]) or bool(np.any(np.diff(indptr) < 0)):
        raise ValueError("bm25 score arrays do not match the column pointers")
    token_ids = np.fromiter(vocab.values(), dtype=np.int64, count=len(vocab))
    if len(token_ids) and (int(token_ids.min()) < 0 or int(token_ids.max()) >= len(vocab)):
        raise ValueError("bm25 vocabulary has token ids out of range")


def _set_aside(path: Path) -> Path | None:
    aside = path.with_name(f"{_BROKEN_PREFIX}{path.name}")
    try:
        os.replace(path, aside)
    except OSError:
        return None  # e.g. already replaced by another process; the rebuild goes on regardless
    return aside


def build_index(records: Iterable[Precedent], index_dir: Path, *, store_version: str, tokenizer: str,
                total: int | None = None, progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> Path:
    """Tokenize every record, compute BM25 with bm25s and write a new build; return its folder."""
    tokenized = _Tokenized(tokenizer)
    ids: list[str] = []
    labels: dict[str, dict[str, int]] = {name: {} for name in _CATEGORY_FIELDS}
    columns: dict[str, list[int]] = {name: [] for name in (*_CATEGORY_FIELDS, "level", "year", "date")}
    for n, record in enumerate(records):
        if n % _PROGRESS_EVERY == 0:
            check(cancel)
            report(progress, n, total, "판례 색인을 만드는 중입니다")
        tokenized.add(searchable_text(record))
        ids.append(record.id)
        for name in _CATEGORY_FIELDS:
            value = getattr(record, name) or ""
            columns[name].append(labels[name].setdefault(value, len(labels[name])))
        columns["level"].append(_level(record))
        columns["year"].append(_year(record))
        columns["date"].append(_date_key(record))
    check(cancel)
    report(progress, len(ids), total or len(ids), "검색 점수를 계산하는 중입니다")
    model = _bm25_model(tokenized, tokenized.vocabulary())
    del tokenized
    check(cancel)

    index_dir.mkdir(parents=True, exist_ok=True)
    build_name = f"build-{time.time_ns()}"
    tmp = index_dir / f".tmp-{build_name}"
    try:
        tmp.mkdir()
        model.save(str(tmp / "bm25"), show_progress=False)
        fields: dict[str, np.ndarray] = {
            **{name: np.asarray(columns[name], dtype=_label_dtype(len(labels[name]))) for name in _CATEGORY_FIELDS},
            "level": np.asarray(columns["level"], dtype=np.int8),
            "year": np.asarray(columns["year"], dtype=np.int16),
            "date": np.asarray(columns["date"], dtype=np.int32),
        }
        np.savez(tmp / "fields.npz", allow_pickle=False, **fields)  # numeric arrays only
        (tmp / "ids.json").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        meta: IndexMeta = {
            "format": FORMAT_VERSION, "tokenizer": tokenizer, "store_version": store_version,
            "documents": len(ids), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "labels": {name: list(values) for name, values in labels.items()},
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        # Every file must be on disk before the folder is renamed in and current.json points at it:
        # after a power cut a renamed folder of empty files would otherwise be the live index.
        fsync_tree(tmp)
        os.replace(tmp, index_dir / build_name)
        fsync_dir(index_dir)
        _switch_current(index_dir, build_name)
    except StoreError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise  # current.json could not be written: the message says why (e.g. a full disk)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SearchIndexError("검색 색인을 저장하지 못했습니다. "
                               "저장 공간이 충분한지 확인한 뒤 다시 시도해 주세요.") from exc
    _remove_old_builds(index_dir, keep=build_name)
    return index_dir / build_name


def _label_dtype(n_labels: int) -> type[np.unsignedinteger[Any]]:
    # A forged corpus can carry more distinct outcome/kind texts than uint16 counts.
    return np.uint16 if n_labels <= np.iinfo(np.uint16).max + 1 else np.uint32


def _switch_current(index_dir: Path, build_name: str) -> None:
    write_bytes_atomic(index_dir / "current.json", json.dumps({"build": build_name}).encode("utf-8"))


def _remove_old_builds(index_dir: Path, keep: str) -> None:
    # A build another process still has mapped may refuse to go on Windows; it is retried next time.
    for child in index_dir.iterdir():
        if not child.is_dir() or child.name == keep:
            continue
        stale_tmp = child.name.startswith(".tmp-") and time.time() - child.stat().st_mtime > 3600
        if child.name.startswith(("build-", _BROKEN_PREFIX)) or stale_tmp:
            shutil.rmtree(child, ignore_errors=True)

