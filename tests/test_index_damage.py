"""A damaged search index is set aside and rebuilt, never a traceback; a build is on disk before it is used."""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from services.search import SearchService
from services.search.index import SearchIndex, build_index
from storage.precedents import PrecedentStore


def _current(index_dir: Path) -> Path:
    return index_dir / json.loads((index_dir / "current.json").read_text(encoding="utf-8"))["build"]


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xffnot an index file" * 10)


def _wrong_json(path: Path) -> None:
    path.write_text(json.dumps({"ids": [1, 2]} if path.name != "ids.json" else {"not": "a list"}), encoding="utf-8")


DAMAGES: dict[str, Callable[[Path], None]] = {"empty": _empty, "truncated": _truncate, "garbage": _garbage}
FILES = ["fields.npz", "ids.json", "meta.json", "bm25/params.index.json", "bm25/vocab.index.json",
         "bm25/indptr.csc.index.npy", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy"]


@pytest.fixture
def built(tmp_path: Path) -> tuple[SearchService, Path, int]:
    service = SearchService(PrecedentStore(tmp_path / "cache"), index_dir=tmp_path / "index", tokenizer="bigram")
    service.ensure_index()
    return service, tmp_path / "index", service.search("진폐").total


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize("name", FILES)
def test_damaged_index_file_is_set_aside_and_rebuilt(built, name: str, damage: str, caplog) -> None:
    service, index_dir, expected = built
    build = _current(index_dir)
    DAMAGES[damage](build / name)
    fresh = SearchService(service.store, index_dir=index_dir, tokenizer="bigram")
    with caplog.at_level(logging.WARNING, logger="services.search.index"):
        fresh.ensure_index()
    assert fresh.search("진폐").total == expected > 0
    assert _current(index_dir) != build and not build.exists()
    assert any("rebuilt" in r.getMessage() and name.split("/")[0] in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("name", ["ids.json", "meta.json", "bm25/params.index.json", "bm25/vocab.index.json"])
def test_index_json_of_the_wrong_shape_is_rebuilt(built, name: str) -> None:
    service, index_dir, expected = built
    build = _current(index_dir)
    _wrong_json(build / name)
    fresh = SearchService(service.store, index_dir=index_dir, tokenizer="bigram")
    fresh.ensure_index()
    assert fresh.search("진폐").total == expected and _current(index_dir) != build


def test_filter_arrays_of_the_wrong_length_are_rebuilt(built) -> None:
    service, index_dir, expected = built
    build = _current(index_dir)
    with np.load(build / "fields.npz") as npz:
        fields = {k: npz[k][:-1] for k in npz.files}
    with open(build / "fields.npz", "wb") as fh:
        np.savez(fh, **fields)
    fresh = SearchService(service.store, index_dir=index_dir, tokenizer="bigram")
    fresh.ensure_index()
    assert fresh.search("진폐").total == expected and _current(index_dir) != build


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"build": 5}', b'{"build": "../../elsewhere"}'])
def test_damaged_pointer_is_rebuilt(built, content: bytes) -> None:
    service, index_dir, expected = built
    (index_dir / "current.json").write_bytes(content)
    fresh = SearchService(service.store, index_dir=index_dir, tokenizer="bigram")
    fresh.ensure_index()
    assert fresh.search("진폐").total == expected
    assert SearchIndex.load(index_dir) is not None


def test_every_index_file_is_fsynced_before_the_pointer_switches(tmp_path: Path, monkeypatch) -> None:
    synced: list[str] = []
    switched: list[int] = []  # how many fsyncs had happened when current.json was replaced
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(src, dst) -> None:  # type: ignore[no-untyped-def]
        real_replace(src, dst)
        if Path(dst).name == "current.json":
            switched.append(len(synced))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    index_dir = tmp_path / "index"
    build = build_index(PrecedentStore(tmp_path / "cache").iter_records(), index_dir, store_version="x",
                        tokenizer="bigram")
    assert switched, "current.json was not replaced"
    before = synced[: switched[0]]
    tmp_name = f".tmp-{build.name}"
    names = {p.replace(tmp_name, build.name) for p in before}
    for path in [build, *build.rglob("*")]:
        assert str(path) in names, f"{path.relative_to(index_dir)} was not fsynced before the switch"
    assert str(index_dir) in before[before.index(next(p for p in before if p.endswith(build.name))):], \
        "the index folder was not fsynced after the build was moved in"
    assert str(index_dir) in synced[switched[0]:], "the index folder was not fsynced after the switch"
