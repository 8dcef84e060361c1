"""Evidence benchmark: do the deciding sentences shown to a claimant fit his case?

    python -m bench --only evidence

For each labelled situation in ``bench/evidence_relevance.json`` the search over the sample corpus finds
the similar precedents (k=6, as the analysis does); the evidence view picks its deciding sentences and each
is scored against the labels. The earlier way (the first 4 sentences with a 인정/부정 cue of every
precedent, split without the completeness check) is measured in the same run as the naive figure.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.records import Precedent
from services.analysis.evidence import evidence_view
from services.analysis.grounding import HitLike, sentence_direction
from services.analysis.model import SituationInput
from services.judgment import READER
from services.judgment.sections import judgment_part, record_parts
from services.judgment.sentences import complete_sentence, split_sentences
from services.search import SearchService
from storage.precedents import PrecedentStore

LABELS = Path(__file__).resolve().parent / "evidence_relevance.json"
PRECISION_GOAL = 0.8
COMPLETE_GOAL = 0.95


@dataclass
class Tally:
    shown: int = 0
    relevant: int = 0
    unlabelled: int = 0
    complete: int = 0
    situations_with_any: int = 0

    def add(self, labels: dict[str, Any], picked: list[tuple[str, str]]) -> None:
        self.shown += len(picked)
        self.situations_with_any += bool(picked)
        for record_id, sentence in picked:
            self.complete += complete_sentence(sentence) == sentence
            if _matches(labels["relevant"], record_id, sentence):
                self.relevant += 1
            elif not _matches(labels["not_relevant"], record_id, sentence):
                self.unlabelled += 1  # counted as not relevant

    def share(self, part: int) -> float:
        return part / self.shown if self.shown else 0.0


def _matches(items: list[dict[str, str]], record_id: str, sentence: str) -> bool:
    return any(item["id"] == record_id and item["text"] in sentence for item in items)


def previous_selection(hits: list[HitLike], limit: int = 4) -> list[tuple[str, str]]:
    """The earlier evidence view: every precedent's first ``limit`` sentences that lean one way."""
    picked = []
    for hit in hits:
        record: Precedent = hit.record
        sentences = [s for s in split_sentences(judgment_part(record_parts(record).reasons)) if len(s) >= 16]
        picked += [(record.id, s) for s in sentences if sentence_direction(s)][:limit]
    return picked


def measure() -> tuple[Tally, Tally, int]:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        service = SearchService(PrecedentStore(Path(work) / "cache", reader=READER), index_dir=Path(work) / "index")
        service.ensure_index()
        ours, before = Tally(), Tally()
        for item in labels["situations"]:
            inp = SituationInput.from_dict(item["situation"])
            hits: list[HitLike] = list(service.similar(inp.query_text(), k=labels["k"]))
            facts = evidence_view(inp, hits)["deciding_facts"]
            ours.add(item, [(f["id"], f["sentence"]) for f in facts])
            before.add(item, previous_selection(hits))
    return ours, before, len(labels["situations"])


def run(n: int = 0) -> list[dict[str, Any]]:
    """Rows for ``python -m bench`` (``n`` is unused: the labelled set is fixed)."""
    ours, before, count = measure()

    def row(metric: str, value: float, unit: str, naive: float, goal: str = "",
            ok: bool | None = None) -> dict[str, Any]:
        return {"area": "evidence", "metric": metric, "value": round(value, 3), "unit": unit, "goal": goal, "ok": ok,
                "naive": round(naive, 3)}

    precision = ours.share(ours.relevant)
    complete = ours.share(ours.complete)
    return [
        row(f"precision of shown sentences ({count} situations)", precision, "", before.share(before.relevant),
            f">= {PRECISION_GOAL}", precision >= PRECISION_GOAL),
        row("share of complete sentences", complete, "", before.share(before.complete),
            f">= {COMPLETE_GOAL}", complete >= COMPLETE_GOAL),
        row("sentences shown per situation", ours.shown / count, "", before.shown / count),
        row("sentences shown that are not relevant, per situation", (ours.shown - ours.relevant) / count, "",
            (before.shown - before.relevant) / count),
        row("situations with at least one sentence", ours.situations_with_any, "", before.situations_with_any),
        row("shown sentences without a label (counted not relevant)", ours.share(ours.unlabelled), "",
            before.share(before.unlabelled)),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r['metric']:<58} {r['value']:>8} (before: {r['naive']})  {r['goal']}")
