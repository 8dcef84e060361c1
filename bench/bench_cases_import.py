"""Case import: merging an export file of many cases into the user file.

    python -m bench.bench_cases_import [--n 10000]

Ours merges in memory and writes the user file once (``UserFileCaseRepository.session``). The old path,
measured in the same run, upserted case by case through TinyDB, so every case rewrote and fsynced the
whole growing file: its cost grows with n². It is timed at two small sizes and the fitted
``a·n + b·n²`` is extrapolated to n (say so in the metric); timing it at 10,000 would take hours.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query
from tinydb.table import Table

from bench.table import Row, render
from services.cases.exchange import export_json, import_cases
from services.cases.model import Bookmark, Case, ChecklistItem, default_checklist
from services.cases.repository import TABLE, UserFileCaseRepository
from storage.user_store import UserStore

GOAL_CASES = 10_000
GOAL_SECONDS = 30.0
OLD_SIZES = (100, 200)  # the old path is timed at these sizes and extrapolated


def _cases(n: int) -> list[Case]:
    """Cases shaped like a support worker's: a story, a checklist, a bookmark and a saved analysis."""
    out = []
    for number in range(n):
        case = Case(alias=f"사건 {number:05d} 허리 디스크", contact="010-0000-0000",
                    situation="건설 현장에서 20년 동안 무거운 자재를 날랐습니다. " * 8,
                    learned_on="2026-01-19", decided_on="2026-01-15",
                    checklist=default_checklist("불승인") + [ChecklistItem("동료 진술서", True)],
                    bookmarks=[Bookmark(precedent_id=f"sample:{number % 50:03d}", title="요양불승인처분취소",
                                        citation="서울행정법원 2020-05-01 2019구단12345")],
                    analyses=[{"title": "상황 분석", "issues": ["업무와 질병 사이의 인과관계"],
                               "assessment": "중량물 취급 기간이 깁니다. " * 5}])
        out.append(case)
    return out


class _OldTableSession:
    """The session as it was before: every put is a TinyDB upsert, i.e. a whole-file write."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def all(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.table.all()]

    def get(self, case_id: str) -> dict[str, Any] | None:
        row = self.table.get(Query().id == case_id)
        return dict(row) if isinstance(row, dict) else None

    def put(self, case: dict[str, Any]) -> None:
        self.table.upsert(case, Query().id == case["id"])

    def remove(self, case_id: str) -> bool:
        return bool(self.table.remove(Query().id == case_id))


class _OldRepository(UserFileCaseRepository):
    @contextmanager
    def session(self) -> Iterator[_OldTableSession]:  # type: ignore[override]
        with self.store.transaction():
            yield _OldTableSession(self.store.table(TABLE))


def _time_import(repository: UserFileCaseRepository, source: Path) -> float:
    started = time.perf_counter()
    report = import_cases(repository, source)
    seconds = time.perf_counter() - started
    if len(report.added) != len(repository.all()):
        raise AssertionError("not every case was imported")
    return seconds


def _extrapolate(sizes: tuple[int, int], seconds: tuple[float, float], n: int) -> float:
    """Fit t = a·n + b·n² through the two timings (a, b ≥ 0) and read it off at n."""
    (n1, n2), (t1, t2) = sizes, seconds
    b = max(0.0, (t2 / n2 - t1 / n1) / (n2 - n1))
    a = max(0.0, t1 / n1 - b * n1)
    return a * n + b * n * n


def run(n: int = GOAL_CASES) -> list[Row]:
    n = min(n, GOAL_CASES)  # ``python -m bench`` passes its corpus size; the goal is about 10,000 cases
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = export_json(_cases(n), root / "cases.json")
        ours = _time_import(UserFileCaseRepository(UserStore(root / "ours" / "user.json")), source)
        old: list[float] = []
        for size in OLD_SIZES:
            small = export_json(_cases(size), root / f"cases-{size}.json")
            old.append(_time_import(_OldRepository(UserStore(root / f"old-{size}" / "user.json")), small))
        old_at_n = _extrapolate(OLD_SIZES, (old[0], old[1]), n)
        mib = source.stat().st_size / 2**20
    return [
        Row("cases", f"import {n:,} cases ({mib:.0f} MiB file), one write; naive extrapolated", ours, "s",
            f"<= {GOAL_SECONDS:g} s", ours <= GOAL_SECONDS, naive=old_at_n),
        *(Row("cases", f"  old per-case writes, {size:,} cases (measured)", seconds, "s")
          for size, seconds in zip(OLD_SIZES, old, strict=True)),
        Row("cases", f"  old per-case writes, {n:,} cases (extrapolated a·n+b·n²)", old_at_n, "s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=GOAL_CASES)
    args = parser.parse_args()
    print(render(run(args.n)))


if __name__ == "__main__":
    main()
