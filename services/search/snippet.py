"""A short excerpt around the matched words, with the spans the UI should bold."""
from __future__ import annotations

import re
from dataclasses import dataclass

from services.search.text import spine_matches

SNIPPET_CHARS = 120
_LEAD = 20  # characters shown before the first matched word
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: list[tuple[int, int]]

    def marked(self, open_mark: str = "【", close_mark: str = "】") -> str:
        out, last = [], 0
        for start, end in self.spans:
            out.append(self.text[last:start])
            out.append(f"{open_mark}{self.text[start:end]}{close_mark}")
            last = end
        out.append(self.text[last:])
        return "".join(out)


def _pattern(surface: str) -> str:
    # Letters may be separated by spaces in the text ("추간판 탈출증" for "추간판탈출증").
    return r"\s*".join(re.escape(ch) for ch in surface if not ch.isspace())


def find_matches(text: str, terms: list[tuple[str, float]], specials: set[str]) -> list[tuple[int, int, str, float]]:
    """(start, end, term, weight) for every occurrence, overlaps resolved in favour of longer terms."""
    found: list[tuple[int, int, str, float]] = []
    usable = [(s, w) for s, w in terms if len(s.replace(" ", "")) >= 2]
    if usable:
        regex = re.compile("|".join(f"({_pattern(s)})" for s, _ in usable), re.IGNORECASE)
        for m in regex.finditer(text):
            group = m.lastindex
            assert group is not None  # every alternative is a group
            surface, weight = usable[group - 1]
            found.append((m.start(), m.end(), surface, weight))
    for start, end, token in spine_matches(text):
        if token in specials:
            found.append((start, end, token, 1.0))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    merged: list[tuple[int, int, str, float]] = []
    for item in found:
        if merged and item[0] < merged[-1][1]:
            continue
        merged.append(item)
    return merged


def make_snippet(text: str, terms: list[tuple[str, float]], specials: set[str],
                 width: int = SNIPPET_CHARS) -> Snippet:
    """The ``width``-character window holding the most (and heaviest) distinct matched terms."""
    matches = find_matches(text, terms, specials)
    if not matches:
        return _cut(text, 0, width, [])
    best_start, best_value = 0, -1.0
    # Matches do not overlap and are sorted, so those inside a window are one run, matches[lo:hi], that
    # only moves forward: each anchor looks at its own window alone, not at every match (was O(n²)).
    lo = hi = 0
    for anchor, _, _, _ in matches:
        start = max(0, anchor - _LEAD)
        while lo < len(matches) and matches[lo][0] < start:
            lo += 1
        hi = max(hi, lo)
        while hi < len(matches) and matches[hi][1] <= start + width:
            hi += 1
        inside: dict[str, float] = {}
        for s, e, term, weight in matches[lo:hi]:
            if s >= start and e <= start + width:
                inside[term] = max(inside.get(term, 0.0), weight)
        value = sum(inside.values())
        if value > best_value:
            best_start, best_value = start, value
    return _cut(text, best_start, width, matches)


def _cut(text: str, start: int, width: int, matches: list[tuple[int, int, str, float]]) -> Snippet:
    end = min(len(text), start + width)
    body = re.sub(r"\s", " ", text[start:end])  # same length, so spans stay valid
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    spans = [(s + shift, e + shift) for s, e, _, _ in matches if s >= start and e <= end]
    return Snippet(prefix + body + suffix, spans)
