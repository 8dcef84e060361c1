"""Search benchmark: speed on synthetic judgments, quality on the sample corpus.

    python -m bench.bench_search [--n 30000] [--queries 200] [--skip-naive] [--quality-only]

Each timed phase runs in its own process so its peak memory is its own:
``prepare`` writes the synthetic cache (PrecedentStore) and a TinyDB file with the same records,
``build`` builds the index, ``query`` loads it like an app start and runs queries with filters,
``naive`` scans the TinyDB file with a regular expression, the way a simple app would.
``run(n, ...)`` returns the rows so a bench runner can collect them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import generate
from services.judgment import READER
from services.search import SearchFilters, SearchService
from services.search.index import SearchIndex
from services.search.tokenize import TOKENIZERS
from storage.precedents import PrecedentStore

REPO = Path(__file__).resolve().parent.parent
QUALITY_FILE = Path(__file__).resolve().parent / "quality_queries.json"

GOALS = {"query_p95_ms": 50.0, "build_s": 120.0, "load_s": 1.0, "peak_rss_mb": 600.0}
_FILTER_CHOICES: list[dict[str, Any]] = [
    {}, {"outcome": "취소"}, {"outcome": ["취소", "일부취소"]}, {"kind_c": "업무상질병"}, {"court_level": 1},
    {"year_from": 2015}, {"year_from": 2010, "year_to": 2018, "outcome": "기각"}, {"source": "portal"},
    {"kind_b": "유족", "court_level": [2, 3]},
]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _quality_queries() -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(QUALITY_FILE.read_text(encoding="utf-8"))["queries"]
    return queries


# --- phases (each run in a child process) ---------------------------------------------------------

def _phase_prepare(work: Path, n: int) -> dict[str, Any]:
    from tinydb import TinyDB


    started = time.perf_counter()
    store = PrecedentStore(work / "cache", reader=READER)
    batch = []
    naive = TinyDB(work / "naive.json", encoding="utf-8")
    naive_rows = []
    for record in generate(n, seed=0):
        batch.append(record)
        naive_rows.append(record.to_dict())
        if len(batch) == 1000:
            store.upsert_many(batch)
            batch = []
    if batch:
        store.upsert_many(batch)
    naive.insert_multiple(naive_rows)
    naive.close()
    return {"prepare_s": time.perf_counter() - started}


def _phase_build(work: Path) -> dict[str, Any]:
    service = SearchService(PrecedentStore(work / "cache", reader=READER), index_dir=work / "index")
    started = time.perf_counter()
    service.ensure_index()
    return {"build_s": time.perf_counter() - started, "build_rss_mb": _peak_rss_mb()}


def _phase_query(work: Path, count: int, page_count: int = 20) -> dict[str, Any]:
    started = time.perf_counter()
    SearchIndex.load(work / "index")
    load_s = time.perf_counter() - started
    service = SearchService(PrecedentStore(work / "cache", reader=READER), index_dir=work / "index")
    started = time.perf_counter()
    service.ensure_index()  # loads the saved index (and Kiwi for the mixed tokenizer)
    ready_s = time.perf_counter() - started
    rng = random.Random(1)
    texts = [q["query"] for q in _quality_queries()] + ["", "요추 추간판탈출증", "소음성 난청", "L4-5"]
    latencies, page_latencies = [], []
    for i in range(count):
        filters = SearchFilters(**rng.choice(_FILTER_CHOICES))
        text = rng.choice(texts)
        started = time.perf_counter()
        service.rank(text, filters, limit=20)
        latencies.append((time.perf_counter() - started) * 1000)
        if i < page_count:  # the whole page also reads 20 records from the store and cuts snippets
            started = time.perf_counter()
            service.search(text, filters, limit=20)
            page_latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    page_latencies.sort()
    started = time.perf_counter()
    service.similar("물류센터에서 하루 종일 무거운 상자를 들고 옮기다가 허리가 아파 병원에 갔더니 "
                    "디스크라고 합니다", k=8)
    similar_ms = (time.perf_counter() - started) * 1000
    return {
        "load_s": load_s, "ready_s": ready_s, "similar_ms": similar_ms,
        "p50_ms": latencies[len(latencies) // 2], "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "page_p50_ms": page_latencies[len(page_latencies) // 2],
        "page_p95_ms": page_latencies[max(0, int(len(page_latencies) * 0.95) - 1)], "pages": len(page_latencies),
        "query_rss_mb": _peak_rss_mb(),
    }


def _phase_naive(work: Path, count: int) -> dict[str, Any]:
    from tinydb import Query, TinyDB

    db = TinyDB(work / "naive.json", encoding="utf-8")
    record = Query()
    patterns = ["요추.{0,3}추간판", "출퇴근|출근길", "소음성 난청"][:count]
    times = []
    for pattern in patterns:
        started = time.perf_counter()
        db.search(record.full_text.search(pattern) | record.title.search(pattern))
        times.append((time.perf_counter() - started) * 1000)
    db.close()
    return {"naive_ms": sum(times) / len(times), "naive_queries": len(times)}


def _child(phase: str, work: Path, *extra: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "bench.bench_search", "--phase", phase, "--workdir", str(work), *extra],
                         cwd=REPO, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"[{phase}] {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


# --- quality on the sample corpus -------------------------------------------------------------------

def quality(tokenizers: list[str] | None = None) -> list[dict[str, Any]]:
    """recall@10 and MRR of the lay queries against the sample corpus, per tokenizer."""

    rows = []
    queries = _quality_queries()
    with tempfile.TemporaryDirectory() as tmp:
        store = PrecedentStore(Path(tmp) / "cache", reader=READER)
        for tokenizer in tokenizers or list(TOKENIZERS):
            service = SearchService(store, index_dir=Path(tmp) / f"index-{tokenizer}", tokenizer=tokenizer)
            started = time.perf_counter()
            service.ensure_index()
            build_s = time.perf_counter() - started
            recalls, top3, reciprocal, misses = [], [], [], []
            for item in queries:
                found = [h.record.id for h in service.search(item["query"], limit=10).hits]
                expected = set(item["expected"])
                recalls.append(len(expected & set(found)) / len(expected))
                top3.append(len(expected & set(found[:3])) / min(3, len(expected)))
                rank = next((i + 1 for i, rid in enumerate(found) if rid in expected), None)
                reciprocal.append(1 / rank if rank else 0.0)
                if rank is None:
                    misses.append(item["query"])
            rows.append({
                "tokenizer": tokenizer, "queries": len(queries),
                "recall@10": round(sum(recalls) / len(recalls), 3),
                "recall@3": round(sum(top3) / len(top3), 3),
                "mrr": round(sum(reciprocal) / len(reciprocal), 3),
                "sample_build_s": round(build_s, 2), "misses": misses,
            })
    return rows


# --- the whole run ----------------------------------------------------------------------------------

def run(n: int = 30_000, *, queries: int = 200, naive: bool = True, with_quality: bool = True,
        workdir: Path | None = None) -> list[dict[str, Any]]:
    """Run every phase; one row per measure: {bench, metric, value, unit, goal, ok}."""
    rows: list[dict[str, Any]] = []

    def add(metric: str, value: float, unit: str, goal_key: str | None = None) -> None:
        goal = GOALS.get(goal_key) if goal_key else None
        rows.append({"bench": "search", "metric": metric, "value": round(value, 3), "unit": unit, "goal": goal,
                     "ok": None if goal is None else value <= goal})

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(workdir or tmp)  # a given workdir is kept, and its prepared records reused
        work.mkdir(parents=True, exist_ok=True)
        marker = work / f"prepared-{n}"
        if not marker.exists():
            prep = _child("prepare", work, "--n", str(n))
            add(f"prepare {n} synthetic records (store + TinyDB)", prep["prepare_s"], "s")
            marker.touch()
        shutil.rmtree(work / "index", ignore_errors=True)
        build = _child("build", work)
        add(f"index build, {n} docs", build["build_s"], "s", "build_s")
        add("peak RSS during build", build["build_rss_mb"], "MB", "peak_rss_mb")
        q = _child("query", work, "--queries", str(queries))
        add("index load at start (bm25s mmap + arrays)", q["load_s"], "s", "load_s")
        add("ensure_index() on a saved index", q["ready_s"], "s")
        add(f"query p50 with filters, ranking only ({queries} queries)", q["p50_ms"], "ms")
        add(f"query p95 with filters, ranking only ({queries} queries)", q["p95_ms"], "ms", "query_p95_ms")
        add(f"page p50 incl. store.get_many(20) + snippets ({q['pages']})", q["page_p50_ms"], "ms")
        add(f"page p95 incl. store.get_many(20) + snippets ({q['pages']})", q["page_p95_ms"], "ms")
        add("similar() on a situation text", q["similar_ms"], "ms")
        add("peak RSS while querying", q["query_rss_mb"], "MB", "peak_rss_mb")
        if naive:
            nv = _child("naive", work, "--queries", "3")
            add(f"naive TinyDB regex scan per query ({nv['naive_queries']} queries)", nv["naive_ms"], "ms")
            add("naive / indexed p50", nv["naive_ms"] / max(q["p50_ms"], 1e-6), "x")
    if with_quality:
        for row in quality():
            rows.append({"bench": "search-quality", "metric": f"{row['tokenizer']} recall@10",
                         "value": row["recall@10"], "unit": "", "goal": None, "ok": None})
            rows.append({"bench": "search-quality", "metric": f"{row['tokenizer']} recall@3", "value": row["recall@3"],
                         "unit": "", "goal": None, "ok": None})
            rows.append({"bench": "search-quality", "metric": f"{row['tokenizer']} MRR", "value": row["mrr"],
                         "unit": "", "goal": None, "ok": None})
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    width = max(len(r["metric"]) for r in rows)
    for r in rows:
        goal = "" if r["goal"] is None else f"goal ≤ {r['goal']:g}"
        flag = "" if r["ok"] is None else ("OK" if r["ok"] else "MISSED")
        print(f"{r['metric']:<{width}}  {r['value']:>10.3f} {r['unit']:<3} {goal:<12} {flag}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--phase", choices=("prepare", "build", "query", "naive"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help="keep the synthetic records here and reuse them next time")
    args = parser.parse_args(argv)
    if args.phase:
        os.environ["SANJAE_DATA_DIR"] = str(args.workdir / "data")
        result = {
            "prepare": lambda: _phase_prepare(args.workdir, args.n),
            "build": lambda: _phase_build(args.workdir),
            "query": lambda: _phase_query(args.workdir, args.queries),
            "naive": lambda: _phase_naive(args.workdir, args.queries),
        }[args.phase]()
        print(json.dumps(result))
        return 0
    if args.quality_only:
        for row in quality():
            print(json.dumps(row, ensure_ascii=False))
        return 0
    print_table(run(args.n, queries=args.queries, naive=not args.skip_naive, workdir=args.workdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
