"""Inputs that used to be quadratic: snippets, long queries and redaction of long texts.

    python -m bench.bench_hotspots

Each figure at the size from the review (20,000 repeats, 4,000 words, 5 MB) is ours alone; the naive
(previous) code is kept here and measured against ours on a smaller input in the same run, where it still
finishes in seconds. For redaction the naive figure is the previous cue-only masker
(``bench/redaction_previous.py``): a different, simpler masker, so the check is that ours masks everything
it masked in that text, and the figure shows what reading names with Kiwi costs.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench import redaction_previous
from bench.table import Row, render
from services.redaction import redact
from services.search.expansions import find_expansions, squash
from services.search.query import _Occurrences
from services.search.snippet import _LEAD, SNIPPET_CHARS, find_matches, make_snippet
from services.search.tokenize import QueryWord, query_words

_QUERY_WORDS = "허리디스크 출퇴근 사고로 요추 추간판탈출증 과로 뇌출혈 소음성 난청 진폐 우울증"  # 11 words


def _seconds(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# --- the previous code paths --------------------------------------------------------------------------

def naive_snippet_start(text: str, terms: list[tuple[str, float]]) -> int:
    """make_snippet's window choice as it was: every anchor scans every match."""
    matches = find_matches(text, terms, set())
    best_start, best_value = 0, -1.0
    for anchor, _, _, _ in matches:
        start = max(0, anchor - _LEAD)
        inside: dict[str, float] = {}
        for s, e, term, weight in matches:
            if s >= start and e <= start + SNIPPET_CHARS:
                inside[term] = max(inside.get(term, 0.0), weight)
        value = sum(inside.values())
        if value > best_value:
            best_start, best_value = start, value
    return best_start


def _naive_overlaps(word: QueryWord, squashed: str, spans: tuple[tuple[int, int], ...]) -> bool:
    for surface in word.surfaces:
        pos = squashed.find(surface)
        while pos >= 0:
            if any(pos < end and start < pos + len(surface) for start, end in spans):
                return True
            pos = squashed.find(surface, pos + 1)
    return False


def naive_owners(query: str) -> list[list[int]]:
    """Which query words each expansion attaches to, as build_plan found them before."""
    words, squashed = query_words(query, "bigram"), squash(query)
    return [[i for i, w in enumerate(words) if _naive_overlaps(w, squashed, e.spans)] for e in find_expansions(query)]


def owners(query: str) -> list[list[int]]:
    words, occurrences = query_words(query, "bigram"), _Occurrences(squash(query))
    out = []
    for expansion in find_expansions(query):
        covered, seen = occurrences.covered(expansion.spans), dict[str, bool]()
        out.append([i for i, w in enumerate(words) if occurrences.overlaps(w, covered, seen)])
    return out


def previous_redact_spans(text: str) -> list[tuple[int, int, str]]:
    """The spans the previous cue-only masker takes in ``text``."""
    return [(f.start, f.end, f.kind) for f in redaction_previous.redact(text).findings]


def covers(found: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> bool:
    """Whether every span of ``spans`` lies inside one of ``found`` (both sorted by start)."""
    ends: dict[int, int] = {}
    for start, end in found:
        ends[start] = max(ends.get(start, start), end)
    covered = bytearray(max((e for _, e in found), default=0) + 1)
    for start, end in ends.items():
        covered[start:end] = b"\x01" * (end - start)
    return all(end <= len(covered) and covered.find(0, start, end) < 0 for start, end, _ in spans)


def personal_text(size_bytes: int) -> str:
    """Sentences with a cued name (thousands of different ones), a phone number and an address."""
    syllables = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허"
    names = [f"{s}{a}{b}" for s in "김이박최정강조윤" for a in syllables for b in syllables[:8]]
    sentences = [f"원고 {name} 씨의 전화번호는 010-{1000 + i % 9000}-{2000 + i % 7000}이고 "
                 f"주소는 서울 강남구 테헤란로 {i % 500 + 1}에 있다. 주 60시간 근무하였다. "
                 for i, name in enumerate(names * 3)]
    parts, size, i = [], 0, 0
    while size < size_bytes:  # whole sentences up to size_bytes of UTF-8
        parts.append(sentences[i % len(sentences)])
        size += len(parts[-1].encode("utf-8"))
        i += 1
    return "".join(parts)


# --- the run ------------------------------------------------------------------------------------------

def run(n: int = 30_000) -> list[Row]:
    del n  # these inputs do not depend on the corpus size
    rows: list[Row] = []
    terms = [("허리디스크", 1.0)]
    big = "허리디스크 " * 20_000
    rows.append(Row("hotspots", "snippet, query word repeated 20,000 times", _seconds(
        lambda: make_snippet(big, terms, set())), "s"))
    small = "허리디스크 " * 2_000
    if naive_snippet_start(small, terms) != 0 or make_snippet(small, terms, set()).spans[0] != (0, 5):
        raise AssertionError("snippet windows differ")
    rows.append(Row("hotspots", "  same, 2,000 repeats", _seconds(lambda: make_snippet(small, terms, set())), "s",
                    naive=_seconds(lambda: naive_snippet_start(small, terms))))

    long_query = " ".join([_QUERY_WORDS] * 364)  # 4,004 words
    rows.append(Row("hotspots", "query of 4,000 words: which words expansions belong to",
                    _seconds(lambda: owners(long_query)), "s"))
    mid_query = " ".join([_QUERY_WORDS] * 91)  # 1,001 words
    if owners(mid_query) != naive_owners(mid_query):
        raise AssertionError("expansion owners differ")
    rows.append(Row("hotspots", "  same, 1,000 words", _seconds(lambda: owners(mid_query)), "s",
                    naive=_seconds(lambda: naive_owners(mid_query))))

    five_mb = personal_text(5 * 2**20)
    rows.append(Row("hotspots", f"redact {len(five_mb.encode('utf-8')) / 2**20:.1f} MB of text with personal data",
                    _seconds(lambda: redact(five_mb)), "s"))
    part = personal_text(300 * 2**10)
    found = sorted((f.start, f.end) for f in redact(part).findings)
    if not covers(found, previous_redact_spans(part)):
        raise AssertionError("the masker misses spans the previous one masked")
    rows.append(Row("hotspots", f"  same, {len(part.encode('utf-8')) / 2**10:.0f} KB (naive: previous cue-only masker)",
                    _seconds(lambda: redact(part)), "s", naive=_seconds(lambda: previous_redact_spans(part))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    print(render(run()))


if __name__ == "__main__":
    main()
