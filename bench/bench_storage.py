"""Storage benchmark: ingest rate, cold open, and saving one case with the full cache present.

    python -m bench.bench_storage [--n 30000]

The naive layout, measured in the same run, is one TinyDB file holding the precedents and the
cases together (TinyDB's default JSONStorage): every case save rewrites the whole corpus.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from bench.synthetic import generate
from bench.table import Row, render
from services.judgment import READER
from storage.precedents import PrecedentStore
from storage.user_store import UserStore

PAGE = 100  # a portal page


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


def run(n: int = 30_000, saves: int = 60, naive_saves: int = 5) -> list[Row]:
    records = list(generate(n, seed=1))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = PrecedentStore(root / "cache")
        start = time.perf_counter()
        for i in range(0, n, PAGE):
            store.upsert_many(records[i:i + PAGE])
        ingest = n / (time.perf_counter() - start)
        rows.append(Row("storage", f"ingest {n:,} records, pages of {PAGE}", ingest, "records/s", ">= 2,000",
                        ingest >= 2000))
        # What sync and import do: every record passes the judgment reader once, on the way in.
        read_store = PrecedentStore(root / "read", reader=READER)
        start = time.perf_counter()
        for i in range(0, n, PAGE):
            read_store.upsert_many(records[i:i + PAGE])
        read_ingest = n / (time.perf_counter() - start)
        rows.append(Row("storage", "  same, each record read by the judgment reader (as sync does)", read_ingest,
                        "records/s", ">= 2,000", read_ingest >= 2000))
        del read_store

        start = time.perf_counter()
        reopened = PrecedentStore(root / "cache")
        counts = reopened.count_by_source()
        cold = time.perf_counter() - start
        assert sum(counts.values()) == n
        rows.append(Row("storage", "cold open + counts", cold * 1000, "ms", "<= 1,500 ms", cold <= 1.5))

        # A results page: 20 records spread over the corpus, ours (byte ranges) vs parsing whole shards.
        rng = random.Random(7)
        all_ids = [r.id for r in records]
        page_times, parse_times = [], []
        fresh = PrecedentStore(root / "cache")
        for _ in range(30):
            ids = rng.sample(all_ids, 20)
            t = time.perf_counter()
            got = fresh.get_many(ids)
            page_times.append(time.perf_counter() - t)
            assert len(got) == 20
        whole = PrecedentStore(root / "cache", shard_cache=1)
        manifest = whole._manifest()
        for _ in range(5):
            ids = rng.sample(all_ids, 20)
            t = time.perf_counter()
            for rid in ids:
                whole._read_shard(manifest["ids"][rid][0]).get(str(manifest["ids"][rid][1]))
            parse_times.append(time.perf_counter() - t)
        rows.append(Row("storage", "read a results page (20 records), p95", _p95(page_times) * 1000, "ms", "",
                        None, _p95(parse_times) * 1000))

        user = UserStore(root / "user.json")
        cases = user.table("cases")
        times = []
        for i in range(saves):
            t = time.perf_counter()
            cases.insert({"alias": f"사례 {i}", "situation": "허리 통증 " * 50, "notes": "메모"})
            times.append(time.perf_counter() - t)

        naive_path = root / "naive.json"
        naive_db = TinyDB(naive_path, ensure_ascii=False)
        naive_db.table("precedents").insert_multiple(r.to_dict() for r in records)
        naive_times = []
        for i in range(naive_saves):
            t = time.perf_counter()
            naive_db.table("cases").insert({"alias": f"사례 {i}", "situation": "허리 통증 " * 50})
            naive_times.append(time.perf_counter() - t)
        naive_db.close()
        ours = _p95(times) * 1000
        naive = _p95(naive_times) * 1000
        rows.append(Row("storage", "save one case, p95 (cache present)", ours, "ms", "<= 20 ms", ours <= 20, naive))
        size_mb = sum(p.stat().st_size for p in (root / "cache").glob("shard-*.json")) / 1e6
        rows.append(Row("storage", "cache size on disk", size_mb, "MB", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30_000)
    args = parser.parse_args()
    print(render(run(args.n)))


if __name__ == "__main__":
    main()
