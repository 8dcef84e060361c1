"""One record with an out-of-range year, court level or date must not break search for good.

The import (and a sync) blanks such a field and says how many it blanked; the index build never trusts a
field's range either, for records already stored by an older version."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from app.cli.program import main as cli_main
from bench.synthetic import generate
from core.records import Precedent, drop_bad_fields
from services.search import SearchFilters, SearchService
from services.search.index import SearchIndex, build_index
from services.sources.portal import PortalClient
from services.sync import sync
from storage.precedents import EXPORT_FORMAT, PrecedentStore
from tests.fakes.portal import RAW_KEY, FakePortal, make_records

ODD = {"case_year": 40000, "court_level": 300, "decided_on": "²⁰²²-⁰⁶-¹⁶"}


def _corpus(path: Path, records: list[dict]) -> Path:
    payload = {"format": EXPORT_FORMAT, "version": 1, "records": records}
    path.write_bytes(gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8")))
    return path


def test_import_blanks_odd_fields_and_search_keeps_working(tmp_path: Path, capsys) -> None:
    good = [r.to_dict() for r in generate(5, seed=2)]
    odd = dict(good[0], id="portal:odd", full_text=good[0]["full_text"] + " 뷁퀭쮧텳", **ODD)
    corpus = _corpus(tmp_path / "odd.json.gz", [*good, odd])
    code = cli_main(["import", str(corpus)])
    out = capsys.readouterr().out
    assert code == 0 and "새로 6건" in out and "3개" in out  # three fields blanked, named in the report
    store = PrecedentStore()
    record = store.get("portal:odd")
    assert record is not None
    assert (record.case_year, record.court_level, record.decided_on) == (None, None, "")
    service = SearchService(store, index_dir=tmp_path / "index")
    assert [h.record.id for h in service.search("뷁퀭쮧텳").hits] == ["portal:odd"]
    assert service.search("", SearchFilters(year_from=2000)).total == 5


@pytest.mark.parametrize(("field", "value"), [
    ("case_year", 40000), ("case_year", -5), ("case_year", 2**40), ("court_level", 300), ("court_level", -129),
    ("decided_on", "²⁰²²-⁰⁶-¹⁶"), ("decided_on", "٢٠٢٢-٠٦-١٦"), ("decided_on", "99999999999"),
])
def test_index_build_survives_records_stored_before_the_check(tmp_path: Path, field: str, value: object) -> None:
    records = list(generate(3, seed=4))
    setattr(records[1], field, value)  # as an older version may have stored it
    build_index(records, tmp_path, store_version="x", tokenizer="bigram")
    index = SearchIndex.load(tmp_path)
    assert index is not None and len(index) == 3
    assert index.fields["level"][1] in (0, 1, 2, 3)
    assert index.fields["year"][1] == 0 or 1900 <= index.fields["year"][1] <= 2100


def test_drop_bad_fields_keeps_good_values() -> None:
    record = Precedent(id="portal:1", source="portal", title="t", case_year=2021, court_level=2,
                       decided_on="2022-06-16")
    assert drop_bad_fields(record) == 0
    assert (record.case_year, record.court_level, record.decided_on) == (2021, 2, "2022-06-16")
    odd = Precedent(id="portal:2", source="portal", title="t", **ODD)
    assert drop_bad_fields(odd) == 3
    assert (odd.case_year, odd.court_level, odd.decided_on) == (None, None, "")


def test_sync_blanks_odd_fields_and_reports_them(tmp_path: Path) -> None:
    items = make_records(5)
    for item in items[:2]:  # a source typo: a judgment "decided" in the year 9999
        item["noncontent"] = re.sub(r"판 결 선 고  [^\n]+", "판 결 선 고  9999. 1. 1.", item["noncontent"])
    store = PrecedentStore(tmp_path / "cache")
    with FakePortal(items) as fake:
        client = PortalClient(RAW_KEY, base_url=fake.base_url, timeout=5)
        try:
            report = sync("portal", store, client=client)
        finally:
            client.close()
    # The judgment reader does not take a day in the year 9999 for a decision date: nothing left to blank.
    assert report.added == 5 and report.dropped_fields == 0
    dates = {r.case_number: r.decided_on for r in store.iter_records()}
    assert dates["2010구단10000"] == dates["2011구단10001"] == "" and dates["2012구단10002"] == "2013-03-03"
    assert {r.decided_on[:4] for r in store.iter_records()} <= {"", *map(str, range(1900, 2101))}
    SearchService(store, index_dir=tmp_path / "index").ensure_index()
