"""Corpus files and the precedent manifest from outside: a gzip bomb and wrong types give Korean errors."""
from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from app.cli.program import main as cli_main
from core.errors import StoreError
from storage import precedents as precedents_module
from storage.precedents import PrecedentStore
from tests.test_precedent_store import _rec

BOMB_MB = 200


def _bomb(path: Path, megabytes: int = BOMB_MB, *, looks_like_json: bool = True) -> Path:
    """A small gzip file that unpacks to ``megabytes`` MB: zeros, or JSON padded with spaces."""
    with gzip.open(path, "wb", compresslevel=9) as fh:
        if looks_like_json:
            fh.write(b'{"format": "sanjae-gemma-corpus", "version": 1, "records": [')
        filler = (b" " if looks_like_json else b"\x00") * 2**20
        for _ in range(megabytes):
            fh.write(filler)
        if looks_like_json:
            fh.write(b"]}")
    return path


@pytest.mark.timeout(60)
def test_gzip_bomb_is_refused_in_korean_with_bounded_memory(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.json.gz")
    assert bomb.stat().st_size < 2**20  # a small file that unpacks to 200 MB
    store = PrecedentStore(tmp_path / "cache")
    tracemalloc.start()
    try:
        with pytest.raises(StoreError) as err:
            store.import_corpus(bomb, max_bytes=8 * 2**20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"peak {peak / 2**20:.0f} MiB while refusing the file"
    assert "8 MB" in err.value.message and "가져오지 않았습니다" in err.value.message
    assert not store.has_real_data()


@pytest.mark.timeout(60)
def test_bomb_of_zeros_stops_at_the_first_chunk_even_under_the_default_cap(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "zeros.json.gz", looks_like_json=False)
    tracemalloc.start()
    try:
        with pytest.raises(StoreError) as err:
            PrecedentStore(tmp_path / "cache").import_corpus(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20 and "판례 자료 파일이 아니거나 손상" in err.value.message


def test_cli_refuses_a_file_that_unpacks_beyond_the_cap(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(precedents_module, "MAX_CORPUS_BYTES", 4 * 2**20)
    bomb = _bomb(tmp_path / "bomb.json.gz", megabytes=16)
    code = cli_main(["import", str(bomb)])
    err = capsys.readouterr().err
    assert code == 2 and "오류:" in err and "4 MB" in err and "Traceback" not in err


def test_plain_file_beyond_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(64 * 2**20)  # sparse: costs no disk
    with pytest.raises(StoreError) as err:
        PrecedentStore(tmp_path / "cache").import_corpus(big, max_bytes=2**20)
    assert "1 MB" in err.value.message


def test_an_export_within_the_cap_still_imports(tmp_path: Path) -> None:
    source = PrecedentStore(tmp_path / "a")
    source.upsert_many([_rec(i) for i in range(30)])
    out = tmp_path / "corpus.json.gz"
    source.export_corpus(out)
    assert PrecedentStore(tmp_path / "b").import_corpus(out, max_bytes=2**20).added == 30


WRONG_MANIFESTS = [
    {"format": "1"},
    {"ids": []},
    {"ids": {"portal:1": "0,1"}},
    {"ids": {"portal:1": [0]}},
    {"ids": {"portal:1": ["0", 1]}},
    {"tail": "3"},
    {"tail": [1, 2, 3]},
    {"sync": []},
    {"sync": {"portal": ["next_page", 3]}},
    {"sync": {"portal": {"next_page": "셋째"}}},
    {"sync": {"portal": {"complete": "yes"}}},
    {"version": 5},
    [],
]


def _use_everything(store: PrecedentStore) -> None:
    len(store), store.ids(), store.version(), store.count_by_source(), store.last_sync(), store.has_real_data()
    list(store.iter_records())
    store.get_many(["portal:1", "portal:2"])
    store.sync_state("portal")
    store.upsert_many([_rec(9)])
    store.save_sync_state("portal", {"next_page": 2})


@pytest.mark.parametrize("change", WRONG_MANIFESTS, ids=lambda c: json.dumps(c, ensure_ascii=False))
def test_manifest_with_wrong_types_is_restored_from_its_backup(tmp_path: Path, change) -> None:
    root = tmp_path / "cache"
    store = PrecedentStore(root)
    store.upsert_many([_rec(i) for i in range(3)])
    store.save_sync_state("portal", {"next_page": 4, "complete": False})  # the upsert's manifest is now the backup
    manifest = root / "manifest.json"
    good = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps(change if isinstance(change, list) else {**good, **change}), encoding="utf-8")
    reopened = PrecedentStore(root)
    assert {r.id for r in reopened.iter_records()} == {"portal:0", "portal:1", "portal:2"}
    assert any("manifest.json" in n and "백업으로 복구" in n for n in reopened.recovery_notices())
    _use_everything(reopened)


@pytest.mark.parametrize("change", WRONG_MANIFESTS[:4], ids=lambda c: json.dumps(c, ensure_ascii=False))
def test_manifest_with_wrong_types_and_no_backup_starts_empty_with_a_notice(tmp_path: Path, change) -> None:
    root = tmp_path / "cache"
    PrecedentStore(root).upsert_many([_rec(1)])
    manifest = root / "manifest.json"
    good = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**good, **change}), encoding="utf-8")
    store = PrecedentStore(root)
    _use_everything(store)
    assert any("manifest.json" in n and "빈 상태" in n for n in store.recovery_notices())


@pytest.mark.parametrize("table", [[], {"1": "문자열"}, {"1": [1, 2]}, "records", {"1": {"id": "portal:1"}},
                                   {"1": {"id": "portal:1", "source": "portal", "title": 5}}])
def test_shard_with_wrong_types_does_not_break_reading(tmp_path: Path, table) -> None:
    root = tmp_path / "cache"
    PrecedentStore(root).upsert_many([_rec(i) for i in range(3)])
    shard = next(root.glob("shard-*.json"))
    shard.write_text(json.dumps({"records": table}), encoding="utf-8")
    store = PrecedentStore(root)
    _use_everything(store)
