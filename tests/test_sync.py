"""sync() against the fake servers with a real PrecedentStore: passes, resume, incremental runs."""
from __future__ import annotations

import pytest

from core.errors import Cancelled, ConfigError
from core.progress import CancelToken, Progress
from services.judgment import READER
from services.settings import Settings
from services.sources.errors import PortalQuotaError
from services.sources.http import RetryPolicy
from services.sources.lawgokr import LawGoKrClient
from services.sources.portal import PortalClient
from services.sync import make_client, sync
from storage.precedents import PrecedentStore
from tests.conftest import FIXTURES
from tests.fakes.lawgokr import OC, FakeLawGoKr, make_iaciac, make_prec
from tests.fakes.portal import RAW_KEY, FakePortal, make_records, portal_id

FAST = RetryPolicy(attempts=2, backoff=0.01, max_delay=0.02)


def portal_client(fake: FakePortal) -> PortalClient:
    return PortalClient(RAW_KEY, base_url=fake.base_url, retry=FAST, timeout=5)


def law_client(fake: FakeLawGoKr, response_type: str = "XML") -> LawGoKrClient:
    return LawGoKrClient(OC, base_url=fake.base_url, retry=FAST, timeout=5, response_type=response_type)


def portal_ids(store: PrecedentStore) -> set[str]:
    return {i for i in store.ids() if i.startswith("portal:")}


def page_requests_since(fake: FakePortal, start: int) -> list[int]:
    return fake.page_requests()[start:]


@pytest.fixture
def fake():
    with FakePortal(make_records(250)) as server:
        yield server


def test_full_portal_pass_then_nothing_new(fake: FakePortal) -> None:
    store = PrecedentStore(reader=READER)
    seen: list[Progress] = []
    result = sync("portal", store, client=portal_client(fake), progress=seen.append)
    assert result.added == 250 and result.complete and result.remote_total == 250
    assert portal_ids(store) == {portal_id(r) for r in fake.records}
    assert store.count_by_source()["portal"] == 250 and store.count_by_source()["sample"] == 0
    assert fake.page_requests() == [1, 2, 3]
    assert [p.done for p in seen] == [100, 200, 250] and all(p.total == 250 for p in seen)
    state = store.sync_state("portal")
    assert state["complete"] and state["known_total"] == 250 and store.last_sync()["portal"]

    again = sync("portal", store, client=portal_client(fake))
    assert again.added == 0 and again.complete and fake.page_requests() == [1, 2, 3, 1]


def test_new_records_at_the_end_fetch_only_the_tail(fake: FakePortal) -> None:
    store = PrecedentStore(reader=READER)
    sync("portal", store, client=portal_client(fake))
    fake.records.extend(make_records(60, start=250))
    before = len(fake.page_requests())
    result = sync("portal", store, client=portal_client(fake))
    # page 1 to learn the new total, then from the page holding record 251 to the end
    assert page_requests_since(fake, before) == [1, 3, 4]
    assert result.added == 60 and len(portal_ids(store)) == 310


def test_new_records_at_the_front_stop_at_first_page_without_news(fake: FakePortal) -> None:
    store = PrecedentStore(reader=READER)
    sync("portal", store, client=portal_client(fake))
    fake.records[:0] = make_records(5, start=900)
    before = len(fake.page_requests())
    result = sync("portal", store, client=portal_client(fake))
    assert page_requests_since(fake, before) == [1, 1, 2]
    assert result.added == 5 and len(portal_ids(store)) == 255 and result.complete
    # the known records fetched again are left as they were (no new version, no index rebuild)
    assert result.updated == 0 and result.unchanged == 195


def test_quota_error_keeps_state_and_rerun_resumes_without_duplicates(fake: FakePortal) -> None:
    store = PrecedentStore(reader=READER)
    fake.fail_from_page = (3, "code:22")
    with pytest.raises(PortalQuotaError) as info:
        sync("portal", store, client=portal_client(fake))
    assert "내일" in info.value.message and "이어서" in info.value.message
    assert len(portal_ids(store)) == 200 and store.sync_state("portal")["next_page"] == 3
    fake.fail_from_page = None
    before = len(fake.page_requests())
    result = sync("portal", store, client=portal_client(fake))
    assert page_requests_since(fake, before) == [3]
    assert result.added == 50 and portal_ids(store) == {portal_id(r) for r in fake.records}


def test_limit_stops_part_way_and_the_partial_page_is_asked_again(fake: FakePortal) -> None:
    store = PrecedentStore(reader=READER)
    result = sync("portal", store, client=portal_client(fake), limit=150)
    assert result.added == 150 and result.stopped_by_limit and not result.complete
    assert store.sync_state("portal")["next_page"] == 2
    before = len(fake.page_requests())
    result = sync("portal", store, client=portal_client(fake))
    assert page_requests_since(fake, before) == [2, 3]
    assert result.added == 100 and result.unchanged == 50 and len(portal_ids(store)) == 250


def test_cancel_between_pages(fake: FakePortal) -> None:
    store = PrecedentStore(reader=READER)
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        sync("portal", store, client=portal_client(fake), progress=lambda p: cancel.cancel(), cancel=cancel)
    assert len(portal_ids(store)) == 100 and fake.page_requests() == [1]
    assert store.sync_state("portal")["next_page"] == 2


def test_client_built_from_environment(fake: FakePortal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANJAE_PORTAL_KEY", "%2B".join(RAW_KEY.split("+")))  # the Encoding form, partly
    monkeypatch.setenv("SANJAE_PORTAL_URL", fake.base_url)
    client = make_client("portal", Settings())
    try:
        result = sync("portal", PrecedentStore(reader=READER), client=client, limit=100)
    finally:
        client.close()
    assert result.added == 100


def test_unknown_source_and_missing_key() -> None:
    with pytest.raises(ConfigError):
        make_client("elsewhere", Settings())
    with pytest.raises(ConfigError):
        sync("elsewhere", PrecedentStore(reader=READER), client=make_client("iaciac", _OcSettings()))
    with pytest.raises(ConfigError) as info:
        make_client("portal", Settings())
    assert "SANJAE_PORTAL_KEY" in info.value.message
    with pytest.raises(ConfigError) as info:
        make_client("iaciac", Settings())
    assert "SANJAE_LAWGOKR_OC" in info.value.message


class _OcSettings(Settings):
    def get(self, name: str) -> str | None:
        return "test-oc" if name == "lawgokr_oc" else None


@pytest.mark.parametrize("response_type", ["XML", "JSON"])
def test_lawgokr_pass_then_only_new_bodies(response_type: str) -> None:
    with FakeLawGoKr(make_prec(130)) as fake:
        store = PrecedentStore(reader=READER)
        result = sync("lawgokr", store, client=law_client(fake, response_type))
        assert result.added == 130 and result.complete
        assert store.count_by_source()["lawgokr"] == 130 and len(fake.body_requests()) == 130
        fake.prec[:0] = make_prec(3, start=500)  # newest first
        result = sync("lawgokr", store, client=law_client(fake, response_type))
        assert result.added == 3 and fake.body_requests()[130:] == ["900500", "900501", "900502"]
        assert store.count_by_source()["lawgokr"] == 133


def test_lawgokr_limit_then_resume_fetches_each_body_once() -> None:
    with FakeLawGoKr(make_prec(130)) as fake:
        store = PrecedentStore(reader=READER)
        first = sync("lawgokr", store, client=law_client(fake), limit=30)
        assert first.added == 30 and first.stopped_by_limit
        second = sync("lawgokr", store, client=law_client(fake))
        assert second.added == 100 and second.complete
        assert sorted(fake.body_requests()) == sorted(r["판례정보일련번호"] for r in fake.prec)


def test_lawgokr_missing_body_is_skipped() -> None:
    with FakeLawGoKr(make_prec(4)) as fake:
        fake.missing_bodies = {"900002"}
        result = sync("lawgokr", PrecedentStore(reader=READER), client=law_client(fake))
        assert result.added == 3 and result.skipped == 1


def test_iaciac_sync_with_the_real_samples() -> None:
    extra = make_iaciac(2)
    extra[0]["결정문일련번호"], extra[1]["결정문일련번호"] = "7187", "6339"
    with FakeLawGoKr(iaciac=extra, iaciac_fixtures=FIXTURES) as fake:
        store = PrecedentStore(reader=READER)
        result = sync("iaciac", store, client=law_client(fake))
        assert result.added == 3 and result.complete
        assert store.ids() == {"iaciac:7213", "iaciac:7187", "iaciac:6339"}
        sample = store.get("iaciac:7213")
        assert sample is not None and sample.outcome == "기각" and sample.kind_c == "업무상사고"
        assert store.count_by_source()["iaciac"] == 3 and store.last_sync()["iaciac"]
