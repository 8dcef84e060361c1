"""Index build step: turning the (document × token) score matrix into bm25s's column layout.

    python -m bench --only index_csc [--n 30000]

The index converts with scipy.sparse (``services.search.index.csr_to_csc``). The alternative that would
drop scipy, a stable numpy sort by column, is measured in the same run as the "naive" figure. The shape of
the matrix (unique bigrams per document, vocabulary size) comes from synthetic judgments tokenized the way
the index does.
"""
from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from bench.synthetic import generate
from bench.table import Row
from services.search.index import csr_to_csc
from services.search.text import searchable_text
from services.search.tokenize import bigram_codes

_SAMPLE = 300  # documents tokenized to learn the matrix shape
Matrix = tuple[np.ndarray, np.ndarray, np.ndarray]


def _matrix(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """A random score matrix with the row lengths and vocabulary size of n synthetic judgments."""
    lengths_seen: list[int] = []
    vocab: set[int] = set()
    for record in generate(_SAMPLE, seed=3):
        codes = np.unique(bigram_codes(searchable_text(record)))
        lengths_seen.append(len(codes))
        vocab.update(codes.tolist())
    rng = np.random.default_rng(0)
    n_vocab = int(len(vocab) * max(1.0, (n / _SAMPLE) ** 0.5))  # a vocabulary grows sublinearly
    lengths = rng.choice(np.asarray(lengths_seen), size=n)
    columns = np.concatenate([np.sort(rng.choice(n_vocab, size=k, replace=False)) for k in lengths])
    row_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=row_ptr[1:])
    return rng.random(len(columns), dtype=np.float32), columns.astype(np.int32), row_ptr, n_vocab


def numpy_csr_to_csc(values: np.ndarray, columns: np.ndarray, row_ptr: np.ndarray, n_columns: int) -> Matrix:
    """The same conversion with numpy alone: a stable sort by column keeps each column's rows in order."""
    order = np.argsort(columns, kind="stable")
    rows = np.repeat(np.arange(len(row_ptr) - 1, dtype=np.int32), np.diff(row_ptr))[order]
    data = values[order]
    del order
    col_ptr = np.zeros(n_columns + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=n_columns), out=col_ptr[1:])
    return data, rows, col_ptr


def _measure(fn: Callable[[], Matrix]) -> tuple[float, float, Matrix]:
    tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def run(n: int = 30_000) -> list[Row]:
    values, columns, row_ptr, n_vocab = _matrix(n)
    ours_s, ours_mb, ours = _measure(lambda: csr_to_csc(values, columns, row_ptr, n_vocab))
    alt_s, alt_mb, alt = _measure(lambda: numpy_csr_to_csc(values, columns, row_ptr, n_vocab))
    if not all(np.array_equal(a, b) for a, b in zip(ours, alt, strict=True)):
        raise AssertionError("scipy and numpy column layouts differ")
    entries = f"{len(values) / 1e6:.1f}M entries"
    return [
        Row("index", f"score matrix to columns, scipy ({entries})", ours_s, "s", naive=alt_s),
        Row("index", "  extra memory while converting", ours_mb, "MiB", naive=alt_mb),
    ]

