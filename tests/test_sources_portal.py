"""The portal client against a fake data.go.kr gateway over real HTTP on 127.0.0.1."""
from __future__ import annotations

import logging
import threading
import traceback

import httpx
import pytest

from core.errors import Cancelled, ConfigError
from core.progress import CancelToken
from services.sources.errors import PortalError, PortalQuotaError
from services.sources.http import RetryPolicy
from services.sources.portal import PortalClient, normalize_key
from tests.fakes.portal import ENCODED_KEY, RAW_KEY, FakePortal, make_records, portal_id

FAST = RetryPolicy(attempts=3, backoff=0.01, max_delay=0.02)


def client(fake: FakePortal, key: str = RAW_KEY, **kwargs) -> PortalClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeout", 5.0)
    return PortalClient(key, base_url=fake.base_url, **kwargs)


def all_text(exc: BaseException) -> str:
    """Everything a user or a log could see of an exception, chained ones included."""
    return " ".join([str(exc), repr(exc), getattr(exc, "message", ""), "".join(traceback.format_exception(exc))])


@pytest.fixture
def fake():
    with FakePortal(make_records(230)) as server:
        yield server


@pytest.mark.parametrize("key", [RAW_KEY, ENCODED_KEY], ids=["decoding", "encoding"])
def test_both_key_forms_reach_the_gateway_as_the_raw_key(fake: FakePortal, key: str) -> None:
    records, page = client(fake, key).precedents(1)
    assert len(records) == 100 and page.total_count == 230
    assert fake.requests[-1].params["serviceKey"] == RAW_KEY


def test_encoding_key_sent_undecoded_would_fail() -> None:
    # What the gateway sees when a library encodes the Encoding key a second time: not the key.
    assert normalize_key(ENCODED_KEY) == RAW_KEY and normalize_key(f"  {RAW_KEY} ") == RAW_KEY
    assert httpx.QueryParams({"k": ENCODED_KEY})["k"] != RAW_KEY


def test_wrong_key_gets_code_30_without_retry_and_without_the_key(fake: FakePortal) -> None:
    wrong = "Wr0ngKey+Secret/Value=="
    with pytest.raises(PortalError) as info:
        client(fake, wrong).precedents(1)
    assert info.value.code == "portal-30" and len(fake.requests) == 1
    assert wrong not in all_text(info.value) and normalize_key(wrong) not in all_text(info.value)


def test_json_and_xml_give_the_same_records(fake: FakePortal) -> None:
    c = client(fake)
    from_json, _ = c.precedents(2)
    fake.force_format = "xml"
    from_xml, _ = c.precedents(2)
    assert fake.requests[0].accept == "application/json"
    strip = [dict(r.to_dict(), fetched_at="") for r in from_json]
    assert strip == [dict(r.to_dict(), fetched_at="") for r in from_xml]
    assert [r.id for r in from_json] == [portal_id(i) for i in fake.records[100:200]]
    assert any(r.related and r.order and r.reasons for r in from_json)
    assert any(r.full_text == "" for r in from_json)  # blank noncontent is fine


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_single_item_object_and_past_the_end(fmt: str) -> None:
    with FakePortal(make_records(101)) as fake:
        fake.force_format = fmt
        records, page = client(fake).precedents(2)
        assert [r.id for r in records] == [portal_id(fake.records[100])] and page.total_count == 101
        records, _ = client(fake).precedents(3)
        assert records == []


@pytest.mark.parametrize("style", ["empty", "null", "missing"])
def test_blank_items_mean_zero_items(style: str) -> None:
    with FakePortal([], blank_items=style) as fake:
        records, page = client(fake).precedents(1)
        assert records == [] and page.total_count == 0


def test_code_operations_and_counts(fake: FakePortal) -> None:
    c = client(fake)
    assert c.kind_a_codes() == ["취소", "일부취소", "취하", "기각", "파기환송"]
    assert c.count() == 230
    assert c.count(kind_a="기각") == sum(1 for r in fake.records if r["kinda"] == "기각")
    records, page = c.precedents(1, kind_b="장해")
    assert records and all(r.kind_b == "장해" for r in records)
    assert fake.requests[0].operation == "getSjbPrecedentResultYuhyeongPstate"


@pytest.mark.parametrize("code", [1, 4, 12, 20, 22, 30, 31, 32, 99])
def test_permanent_codes_are_not_retried(fake: FakePortal, code: int) -> None:
    fake.queue(f"code:{code}", f"code:{code}", f"code:{code}")
    with pytest.raises(PortalError) as info:
        client(fake).precedents(1)
    assert info.value.code == f"portal-{code}" and f"코드 {code}" in info.value.message
    assert isinstance(info.value, PortalQuotaError) is (code == 22)
    assert len(fake.requests) == 1
    assert RAW_KEY not in all_text(info.value)


@pytest.mark.parametrize("failure", ["code:23", "result:23", "http500", "truncated", "dropped", "empty"])
def test_transient_failures_are_retried_then_succeed(fake: FakePortal, failure: str) -> None:
    fake.queue(failure)
    records, _ = client(fake).precedents(1)
    assert len(records) == 100 and len(fake.requests) == 2


@pytest.mark.parametrize("failure,code", [("code:23", "portal-23"), ("http500", "http-500"),
                                          ("dropped", "protocol"), ("truncated", "body-invalid")])
def test_retries_are_capped(fake: FakePortal, failure: str, code: str) -> None:
    fake.queue(*[failure] * 5)
    with pytest.raises(PortalError) as info:
        client(fake).precedents(1)
    assert info.value.code == code and len(fake.requests) == FAST.attempts
    assert RAW_KEY not in all_text(info.value)


def test_result_code_in_normal_envelope(fake: FakePortal) -> None:
    fake.queue("result:22")
    with pytest.raises(PortalQuotaError) as info:
        client(fake).precedents(5)
    assert "내일" in info.value.message and len(fake.requests) == 1


def test_html_page_is_a_clear_error_not_retried(fake: FakePortal) -> None:
    fake.queue("html", "html")
    with pytest.raises(PortalError) as info:
        client(fake).precedents(1)
    assert info.value.code == "body-html" and "웹 페이지" in info.value.message and len(fake.requests) == 1


def test_timeout_is_retried_and_reported_in_korean(fake: FakePortal) -> None:
    fake.slow_seconds = 1.0
    fake.queue("slow")
    records, _ = client(fake, timeout=0.3).precedents(1)
    assert len(records) == 100 and len(fake.requests) == 2
    fake.queue("slow", "slow")
    with pytest.raises(PortalError) as info:
        client(fake, timeout=0.3, retry=RetryPolicy(attempts=2, backoff=0.01)).precedents(1)
    assert info.value.code == "timeout" and "응답하지 않았습니다" in info.value.message
    assert RAW_KEY not in all_text(info.value) and "serviceKey" not in all_text(info.value)


def test_connection_refused_message_hides_the_url() -> None:
    c = PortalClient(RAW_KEY, base_url="http://127.0.0.1:9/B490001/sjbPrecedentInfoService", retry=FAST)
    with pytest.raises(PortalError) as info:
        c.precedents(1)
    assert info.value.code == "connect" and "연결할 수 없습니다" in info.value.message
    assert RAW_KEY not in all_text(info.value) and "127.0.0.1" not in info.value.message


def test_bad_url_setting() -> None:
    with pytest.raises(PortalError) as info:
        PortalClient(RAW_KEY, base_url="ftp://example/B490001", retry=FAST).precedents(1)
    assert info.value.code == "bad-url" and not info.value.retryable


def test_missing_key_tells_where_to_put_it() -> None:
    with pytest.raises(ConfigError) as info:
        PortalClient("  ")
    assert "SANJAE_PORTAL_KEY" in info.value.message and "설정" in info.value.message


def test_cancel_during_backoff_stops_at_once(fake: FakePortal) -> None:
    fake.queue(*["http500"] * 5)
    cancel = CancelToken()
    slow_backoff = RetryPolicy(attempts=4, backoff=30.0, max_delay=30.0)

    def cancel_after_first_request() -> None:
        while not fake.requests:
            threading.Event().wait(0.01)
        threading.Event().wait(0.1)
        cancel.cancel()

    watcher = threading.Thread(target=cancel_after_first_request, daemon=True)
    watcher.start()
    with pytest.raises(Cancelled):
        client(fake, retry=slow_backoff).precedents(1, cancel=cancel)
    watcher.join(5)
    assert len(fake.requests) == 1


def test_key_never_reaches_logs(fake: FakePortal, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client(fake).precedents(1)
    fake.queue("code:30")
    with pytest.raises(PortalError):
        client(fake).precedents(1)
    assert caplog.records, "httpx should have logged the requests"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert RAW_KEY not in logged and httpx.QueryParams({"k": RAW_KEY}).get("k") in RAW_KEY
    assert "serviceKey=***" in logged
    assert "PortalClient" in repr(client(fake)) and RAW_KEY not in repr(client(fake))


def test_plain_http_refusals(fake: FakePortal) -> None:
    fake.queue("http401")
    with pytest.raises(PortalError) as info:
        client(fake).precedents(1)
    assert info.value.code == "http-401" and "코드 30" in info.value.message and len(fake.requests) == 1
    fake.queue("http429", "http429", "http429")
    with pytest.raises(PortalError) as info:
        client(fake).precedents(1)
    assert info.value.code == "http-429" and "이어서" in info.value.message
    assert len(fake.requests) == 1 + FAST.attempts
