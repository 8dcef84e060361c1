"""Property tests for files a user imports: case exports / workspace backups and corpus files.

Random structure mutations of real exports, random JSON, wrong types, huge strings, big numbers, deep
nesting, truncation and path-like names ("../../etc/passwd") in ids, aliases and document titles.
The import either works or raises a Korean ``SanjaeError``; the store still opens; nothing is written
outside the data folder."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import SanjaeError
from core.records import Precedent
from services.cases.exchange import (
    CASES_FORMAT,
    WORKSPACE_FORMAT,
    import_cases,
    restore_workspace,
)
from services.cases.model import Case
from services.cases.repository import UserFileCaseRepository
from services.sources.portal_parse import item_to_precedent
from storage.precedents import EXPORT_FORMAT, PrecedentStore
from storage.user_store import UserStore
from tests.fakes.faults import JSON_VALUES, assert_korean_failure, mutate, report_counts, tried
from tests.fakes.portal import make_records

FUZZ = dict(deadline=None, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                   HealthCheck.data_too_large, HealthCheck.large_base_example])
PATHLIKE = st.sampled_from(["../../etc/passwd", "/etc/passwd", "..\\..\\Windows\\win.ini", "~/.ssh/id_rsa",
                            "file:///etc/passwd", "a/../../b", "\x00", "CON", "user.json", "../user.json"])
ODD_VALUES = st.one_of(JSON_VALUES, PATHLIKE, st.integers(10**19, 10**30), st.just("가" * 300_000),
                       st.just([[[[[[[[[["깊다"]]]]]]]]]]))


@pytest.fixture(scope="module", autouse=True)
def _counts(request):
    yield
    report_counts(request, "imports.")


def files_outside(root: Path, data: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if data not in p.parents and p != data}


def sample_cases() -> list[dict]:
    case = Case(alias="택배 상하차 허리", situation="6년간 상하차", learned_on="2026-01-19", decided_on="2026-01-10")
    other = Case(alias="야간 경비 뇌출혈", stage="심사청구", notes="메모")
    data = [case.to_dict(), other.to_dict()]
    data[0]["documents"] = [{"text": "불승인 통지서 내용", "title": "통지서"}]
    data[0]["bookmarks"] = [{"precedent_id": "sample:001", "title": "요양불승인처분취소"}]
    data[0]["analyses"] = [{"engine": "offline", "answer": None}]
    return data


@pytest.fixture(scope="module")
def case_root(tmp_path_factory):
    return tmp_path_factory.mktemp("cases-fuzz")


@settings(max_examples=120, **FUZZ)
@given(data=st.data())
def test_case_files_import_or_are_refused_in_korean_and_write_nowhere_else(case_root: Path, data) -> None:
    data_dir = case_root / "data"
    data_dir.mkdir(exist_ok=True)
    (case_root / "incoming").mkdir(exist_ok=True)
    before = files_outside(case_root, data_dir)
    fmt = data.draw(st.sampled_from([CASES_FORMAT, WORKSPACE_FORMAT]))
    doc = {"format": fmt, "version": 1, "exported_at": "2026-01-01T00:00:00+00:00", "cases": sample_cases()}
    if fmt == WORKSPACE_FORMAT:
        doc["settings"] = {"summary_engine": "offline", "gemini_key": "MARKER-SHOULD-NOT-COPY"}
    kind = data.draw(st.sampled_from(["mutate", "pathlike", "truncate", "random", "deep"]))
    if kind == "mutate":
        raw = json.dumps(mutate(data, doc, steps=4), ensure_ascii=False).encode("utf-8")
    elif kind == "pathlike":
        row = doc["cases"][0]
        for name in data.draw(st.lists(st.sampled_from(["id", "alias", "copied_from", "notes"]),
                                       min_size=1, max_size=3)):
            row[name] = data.draw(ODD_VALUES)
        row["documents"][0]["title"] = data.draw(PATHLIKE)
        row["documents"][0]["id"] = data.draw(PATHLIKE)
        raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    elif kind == "truncate":
        full = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        raw = full[: data.draw(st.integers(0, len(full)))]
    elif kind == "random":
        raw = data.draw(st.one_of(st.binary(max_size=200), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
    else:
        raw = (f'{{"format": "{fmt}", "version": 1, "cases": [{{"id": "x", "alias": "y", "analyses": ['
               + '{"a": ' * data.draw(st.sampled_from([300, 3000])) + "1").encode()
    name = data.draw(st.one_of(PATHLIKE.filter(lambda n: "\x00" not in n and "/" not in n and "\\" not in n),
                               st.just("import.json")))
    source = case_root / "incoming" / (name if name not in ("", ".", "..") else "x.json")
    source.write_bytes(raw)
    store = UserStore(data_dir / "user.json")
    repository = UserFileCaseRepository(store)
    tried("imports.case files")
    try:
        if fmt == WORKSPACE_FORMAT and data.draw(st.booleans()):
            restore_workspace(repository, source, store)
        else:
            import_cases(repository, source)
    except SanjaeError as exc:
        assert_korean_failure(exc)
    finally:
        source.unlink()
    for case in repository.all():  # the user file still opens and every case is valid
        assert case.id and case.alias
    assert store.get_setting("gemini_key") is None  # secrets never come from a file
    store.close()
    assert files_outside(case_root, data_dir) == before - {str(source)}


def corpus_payload() -> dict:
    records = [item_to_precedent(item, "2026-01-01T00:00:00+00:00").to_dict() for item in make_records(3, seed=3)]
    return {"format": EXPORT_FORMAT, "version": 1, "exported_at": "2026-01-01T00:00:00+00:00",
            "count": len(records), "records": records}


@settings(max_examples=100, **FUZZ)
@given(data=st.data())
def test_corpus_files_import_or_are_refused_in_korean_and_the_store_stays_usable(tmp_path_factory, data) -> None:
    root = tmp_path_factory.mktemp("corpus")
    kind = data.draw(st.sampled_from(["mutate", "odd-records", "truncate", "random", "deep"]))
    payload = corpus_payload()
    if kind == "mutate":
        raw = json.dumps(mutate(data, payload, steps=4), ensure_ascii=False).encode("utf-8")
    elif kind == "odd-records":
        for record in payload["records"]:
            record[data.draw(st.sampled_from(list(record)))] = data.draw(ODD_VALUES)
        raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    elif kind == "truncate":
        full = gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        raw = full[: data.draw(st.integers(0, len(full)))]
    elif kind == "random":
        raw = data.draw(st.one_of(st.binary(max_size=200), st.binary(max_size=50).map(lambda b: b"\x1f\x8b" + b)))
    else:
        raw = b'{"format": "sanjae-gemma-corpus", "version": 1, "records": ' + b"[" * 5000
    if data.draw(st.booleans()) and kind not in ("truncate", "random"):
        raw = gzip.compress(raw)
    source = root / "corpus.json.gz"
    source.write_bytes(raw)
    store = PrecedentStore(root / "cache")
    tried("imports.corpus files")
    try:
        store.import_corpus(source)
    except SanjaeError as exc:
        assert_korean_failure(exc)
    reopened = PrecedentStore(root / "cache")
    for record in reopened.iter_records():
        assert isinstance(record, Precedent) and isinstance(record.id, str)
        json.dumps(record.to_dict(), ensure_ascii=False)
        record.citation()
    assert sorted(p.name for p in root.iterdir()) == ["cache", "corpus.json.gz"]
    assert all(p.parent == root / "cache" for p in (root / "cache").rglob("*"))
