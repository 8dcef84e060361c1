"""Redaction benchmark: how much personal data the masker catches, and which facts it wrongly hides.

    python -m bench --only redaction

``bench/redaction_set.json`` holds sentences written the way claimants and their families write, each
with the items that must be masked (with their kind) and the facts that must stay. An item is caught
when every letter and digit of it is inside a masked span (a bracket or a space left outside does not
count as a leak); a fact is falsely masked when any of its letters or digits is. The previous cue-only
masker (``bench/redaction_previous.py``) is measured on the same set in the same run (the naive figure).

``bench/redaction_heldout.json`` is a second, smaller set written after the masker's rules were settled;
its rows show how the masker does on sentences it was not shaped on. The 43 sample judgments
(``assets/sample_corpus.json``, anonymised: 원고, 주식회사 C) contain no personal data, so every span
masked there is a false alarm.

Speed: milliseconds per 1,000 characters on the set's sentences joined into one text and on the sample
judgments, and the time a new process needs for its first redaction (which loads Kiwi).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import redaction_previous
from bench.table import Row
from services.redaction import NUMBER_KINDS, redact

SET = Path(__file__).resolve().parent / "redaction_set.json"
HELDOUT = Path(__file__).resolve().parent / "redaction_heldout.json"
REPO = Path(__file__).resolve().parent.parent
JUDGMENTS = REPO / "assets" / "sample_corpus.json"
NUMBER_GOAL, WORD_GOAL, FALSE_MASK_GOAL = 0.99, 0.95, 0.01
WORD_KINDS = ("name", "address", "company", "hospital")

Spans = list[tuple[int, int]]


@dataclass
class Score:
    total: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)
    kept: int = 0
    kept_masked: int = 0
    other_masks: int = 0            # masked spans that touch no labelled item
    missed: list[tuple[str, str, str]] = field(default_factory=list)      # (kind, item, text)
    wrongly_masked: list[tuple[str, str]] = field(default_factory=list)   # (fact, text)

    def recall(self, kinds: tuple[str, ...] | str) -> float:
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        total = sum(self.total.get(k, 0) for k in kinds)
        return sum(self.caught.get(k, 0) for k in kinds) / total if total else 1.0

    def count(self, kinds: tuple[str, ...] | str) -> int:
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        return sum(self.total.get(k, 0) for k in kinds)


def load(path: Path = SET) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def judgments_text() -> str:
    records = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    return "\n".join(f"{r.get('order', '')}\n{r.get('reasons', '')}" for r in records)


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append((pos, pos + len(needle)))
        pos = text.find(needle, pos + len(needle))
    return out


def score(items: list[dict[str, Any]], masker: Callable[[str], Spans]) -> Score:
    result = Score()
    for item in items:
        text = item["text"]
        spans = masker(text)
        covered = bytearray(len(text))
        for start, end in spans:
            covered[start:end] = b"\x01" * (end - start)
        labelled = bytearray(len(text))
        for kind, value in item["mask"]:
            for start, end in _occurrences(text, value):
                labelled[start:end] = b"\x01" * (end - start)
                letters = [i for i in range(start, end) if text[i].isalnum()]
                result.total[kind] = result.total.get(kind, 0) + 1
                if all(covered[i] for i in letters):
                    result.caught[kind] = result.caught.get(kind, 0) + 1
                else:
                    result.missed.append((kind, value, text))
        for fact in item["keep"]:
            for start, end in _occurrences(text, fact):
                result.kept += 1
                if any(covered[i] for i in range(start, end) if text[i].isalnum()):
                    result.kept_masked += 1
                    result.wrongly_masked.append((fact, text))
        result.other_masks += sum(1 for start, end in spans if not any(labelled[start:end]))
    return result


def ours(text: str) -> Spans:
    return [(f.start, f.end) for f in redact(text).findings]


def previous(text: str) -> Spans:
    return [(f.start, f.end) for f in redaction_previous.redact(text).findings]


def ms_per_1000_chars(masker: Callable[[str], Any], text: str, repeat: int = 3) -> float:
    masker(text)  # warm: Kiwi loaded, word cache filled as in a running app
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        masker(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000 / (len(text) / 1000)


def first_redaction_seconds() -> float:
    """A new process: import the masker and redact one sentence (loads Kiwi's model)."""
    code = ("import time; t = time.perf_counter(); from services.redaction import redact; "
            "redact('반장 박영수가 봤습니다'); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(n: int = 0) -> list[Row]:
    """Rows for ``python -m bench`` (``n`` is unused: the labelled set is fixed)."""
    del n
    items = load()
    new, old = score(items, ours), score(items, previous)
    rows: list[Row] = []

    def row(metric: str, value: float, unit: str = "", goal: str = "", ok: bool | None = None,
            naive: float | None = None) -> None:
        rows.append(Row("redaction", metric, round(value, 4), unit, goal, ok, naive))

    numbers = tuple(k for k in NUMBER_KINDS if new.count(k))
    row(f"recall, number-like kinds ({new.count(numbers)} items)", new.recall(numbers), "", f">= {NUMBER_GOAL}",
        new.recall(numbers) >= NUMBER_GOAL, round(old.recall(numbers), 4))
    for kind in WORD_KINDS:
        value = new.recall(kind)
        row(f"recall, {kind} ({new.count(kind)} items)", value, "", f">= {WORD_GOAL}", value >= WORD_GOAL,
            round(old.recall(kind), 4))
    for kind in numbers:
        row(f"  recall, {kind} ({new.count(kind)})", new.recall(kind), naive=round(old.recall(kind), 4))
    share = new.kept_masked / new.kept if new.kept else 0.0
    row(f"kept facts masked ({new.kept} facts)", share, "", f"<= {FALSE_MASK_GOAL}", share <= FALSE_MASK_GOAL,
        round(old.kept_masked / old.kept, 4) if old.kept else None)
    row("masked spans touching no labelled item", new.other_masks, naive=old.other_masks)
    row(f"sentences in the set ({sum(len(i['text']) for i in items):,} chars)", len(items))

    heldout = load(HELDOUT)
    new_h, old_h = score(heldout, ours), score(heldout, previous)
    numbers_h = tuple(k for k in NUMBER_KINDS if new_h.count(k))
    row(f"held-out set ({len(heldout)} sentences): recall, number-like ({new_h.count(numbers_h)})",
        new_h.recall(numbers_h), naive=round(old_h.recall(numbers_h), 4))
    for kind in WORD_KINDS:
        row(f"  held-out recall, {kind} ({new_h.count(kind)})", new_h.recall(kind), naive=round(old_h.recall(kind), 4))
    row(f"  held-out kept facts masked ({new_h.kept} facts)", new_h.kept_masked / new_h.kept if new_h.kept else 0.0,
        naive=round(old_h.kept_masked / old_h.kept, 4) if old_h.kept else None)

    judgments = judgments_text()
    per_10k = 10_000 / len(judgments)
    row(f"false alarms per 10,000 chars of the 43 sample judgments ({len(judgments):,} chars)",
        len(redact(judgments).findings) * per_10k,
        naive=round(len(redaction_previous.redact(judgments).findings) * per_10k, 3))
    joined = "\n".join(item["text"] for item in items)
    row("speed, ms per 1,000 chars (set joined, warm)", ms_per_1000_chars(redact, joined), "ms",
        naive=round(ms_per_1000_chars(redaction_previous.redact, joined), 3))
    row("speed, ms per 1,000 chars (sample judgments, warm)", ms_per_1000_chars(redact, judgments), "ms",
        naive=round(ms_per_1000_chars(redaction_previous.redact, judgments), 3))
    row("first redaction in a new process (loads Kiwi)", first_redaction_seconds(), "s")
    return rows


def report(kind_filter: str = "", path: Path = SET) -> None:
    """Print what ours misses and masks wrongly (``python -m bench.bench_redaction [kind] [--heldout]``)."""
    result = score(load(path), ours)
    for kind, value, text in result.missed:
        if not kind_filter or kind == kind_filter:
            print(f"MISSED {kind:9} {value!r:24} in {text}  →  {redact(text).text}")
    for fact, text in result.wrongly_masked:
        print(f"MASKED fact {fact!r:20} in {text}  →  {redact(text).text}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--heldout"]
    report(args[0] if args else "", HELDOUT if "--heldout" in sys.argv else SET)
