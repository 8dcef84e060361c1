"""The sharded precedent cache: upserts, samples, sync state, export/import, crash safety."""
from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.errors import StoreError
from core.records import Precedent
from storage import precedents as precedents_module
from storage.precedents import PrecedentStore

REPO = Path(__file__).resolve().parent.parent


def _rec(i: int, source: str = "portal", text: str = "본문") -> Precedent:
    return Precedent(id=f"{source}:{i}", source=source, title=f"요양불승인처분취소 {i}", case_number=f"2020구단{i}",
                     case_year=2020, court="서울행정법원", court_level=1, outcome="취소", kind_b="요양",
                     kind_c="업무상사고", full_text=f"{text} {i}")


def test_empty_store_shows_the_sample_corpus(tmp_path: Path) -> None:
    sample = tmp_path / "samples.json"
    sample.write_text(json.dumps([{"id": "sample:001", "source": "sample", "title": "가상", "is_sample": True}]),
                      encoding="utf-8")
    store = PrecedentStore(tmp_path / "cache", sample_path=sample)
    assert not store.has_real_data()
    assert store.count_by_source() == {"portal": 0, "lawgokr": 0, "iaciac": 0, "sample": 1}
    assert [r.id for r in store.iter_records()] == ["sample:001"]
    sample_version = store.version()
    store.upsert_many([_rec(1)])
    # Once real data is cached, the samples are hidden (but old links to them still resolve).
    assert store.count_by_source() == {"portal": 1, "lawgokr": 0, "iaciac": 0, "sample": 0}
    assert [r.id for r in store.iter_records()] == ["portal:1"]
    assert store.get("sample:001") is not None
    assert store.version() != sample_version


def test_upsert_is_by_id_and_reports_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precedents_module, "SHARD_SIZE", 10)
    store = PrecedentStore(tmp_path)
    first = store.upsert_many([_rec(i) for i in range(25)])
    assert (first.added, first.updated, first.unchanged) == (25, 0, 0)
    v1 = store.version()
    again = store.upsert_many([_rec(i) for i in range(25)])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 25)
    assert store.version() == v1  # nothing changed, so the search index stays valid
    changed = store.upsert_many([_rec(3, text="고친 본문"), _rec(30)])
    assert (changed.added, changed.updated) == (1, 1)
    assert store.get("portal:3").full_text == "고친 본문 3"
    assert len(store) == 26 and len(list(store.iter_records())) == 26
    assert len(list(tmp_path.glob("shard-*.json"))) == 3  # 10 + 10 + 6
    reopened = PrecedentStore(tmp_path)
    assert [r.id for r in reopened.get_many(["portal:30", "nope", "portal:0"])] == ["portal:30", "portal:0"]


def test_sync_state_survives_reopen(tmp_path: Path) -> None:
    store = PrecedentStore(tmp_path)
    store.save_sync_state("portal", {"next_page": 4, "last_sync": "2026-11-01T00:00:00+00:00"})
    reopened = PrecedentStore(tmp_path)
    assert reopened.sync_state("portal")["next_page"] == 4
    assert reopened.last_sync()["portal"] == "2026-11-01T00:00:00+00:00"
    assert reopened.last_sync()["iaciac"] is None


def test_export_import_round_trip_and_bad_files(tmp_path: Path) -> None:
    store = PrecedentStore(tmp_path / "a")
    store.upsert_many([_rec(i) for i in range(5)] + [_rec(1, "iaciac")])
    out = tmp_path / "corpus.json.gz"
    assert store.export_corpus(out) == 6
    other = PrecedentStore(tmp_path / "b")
    result = other.import_corpus(out)
    assert result.added == 6
    assert other.import_corpus(out).unchanged == 6  # importing twice adds nothing
    assert other.count_by_source()["iaciac"] == 1
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(gzip.compress(b'{"format": "something-else"}'))
    with pytest.raises(StoreError) as err:
        other.import_corpus(bad)
    assert "판례 자료 파일이 아닙니다" in err.value.message
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x1f\x8b\x00\x00broken")
    with pytest.raises(StoreError):
        other.import_corpus(garbage)


_UPSERTER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from core.records import Precedent
    from storage import precedents
    precedents.SHARD_SIZE = 50
    store = precedents.PrecedentStore(Path({root!r}))
    page = {start}
    while True:
        recs = [Precedent(id=f"{prefix}:{{page}}-{{i}}", source="portal", title="t", full_text="가" * 500)
                for i in range(20)]
        store.upsert_many(recs)
        print(page, flush=True)
        page += 1
""")


def test_sigkill_during_upserts_keeps_every_acknowledged_page(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    acked: set[int] = set()
    start = 0
    for round_no in range(4):
        code = _UPSERTER.format(repo=str(REPO), root=str(root), start=start, prefix="portal")
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            acked.add(int(line))
            if len(acked) >= start + 3 + round_no:
                break
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        acked |= {int(x) for x in rest.split() if x.isdigit()}
        start = max(acked) + 1
        store = PrecedentStore(root)
        ids = [r.id for r in store.iter_records()]
        assert len(ids) == len(set(ids)), "no duplicates after a crash"
        pages = {int(i.split(":")[1].split("-")[0]) for i in ids}
        assert acked <= pages


def test_two_processes_upserting_at_once_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, {repo!r})
        from pathlib import Path
        from core.records import Precedent
        from storage import precedents
        precedents.SHARD_SIZE = 30
        store = precedents.PrecedentStore(Path({root!r}))
        for page in range(15):
            store.upsert_many([Precedent(id=f"portal:{who}-{{page}}-{{i}}", source="portal", title="t")
                               for i in range(7)])
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code.format(repo=str(REPO), root=str(root), who=w)])
             for w in "AB"]
    for p in procs:
        assert p.wait(120) == 0
    ids = [r.id for r in PrecedentStore(root).iter_records()]
    assert len(ids) == len(set(ids)) == 2 * 15 * 7


def test_records_are_read_by_byte_range_and_survive_stale_offsets(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precedents_module, "SHARD_SIZE", 10)
    store = PrecedentStore(tmp_path)
    store.upsert_many([_rec(i, text="가나다 " * (i + 1)) for i in range(25)])
    store.upsert_many([_rec(4, text="바뀐 본문")])  # rewrites shard 0: every offset there moves
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert all(len(loc) == 4 for loc in manifest["ids"].values())
    fresh = PrecedentStore(tmp_path, shard_cache=1)
    got = fresh.get_many(["portal:4", "portal:13", "portal:24"])
    assert [r.full_text for r in got] == ["바뀐 본문 4", "가나다 " * 14 + " 13", "가나다 " * 25 + " 24"]
    # Offsets that no longer fit (e.g. another process rewrote the shard) fall back to a full read.
    manifest["ids"]["portal:13"][2] += 7
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert PrecedentStore(tmp_path).get("portal:13").full_text == "가나다 " * 14 + " 13"
