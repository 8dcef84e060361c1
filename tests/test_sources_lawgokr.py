"""The law.go.kr client against a fake DRF server over real HTTP on 127.0.0.1."""
from __future__ import annotations

import traceback

import pytest

from core.errors import ConfigError
from services.sources.errors import LawGoKrError, NotFoundError
from services.sources.http import RetryPolicy
from services.sources.lawgokr import LawGoKrClient
from tests.conftest import FIXTURES
from tests.fakes.lawgokr import OC, FakeLawGoKr, make_iaciac, make_prec

FAST = RetryPolicy(attempts=3, backoff=0.01, max_delay=0.02)


def client(fake: FakeLawGoKr, oc: str = OC, **kwargs) -> LawGoKrClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeout", 5.0)
    return LawGoKrClient(oc, base_url=fake.base_url, **kwargs)


@pytest.mark.parametrize("response_type", ["XML", "JSON"])
def test_prec_list_and_body(response_type: str) -> None:
    with FakeLawGoKr(make_prec(130)) as fake:
        c = client(fake, response_type=response_type)
        first = c.list_page("prec", 1)
        second = c.list_page("prec", 2)
        assert first.total == 130 and len(first.entries) == 100 and len(second.entries) == 30
        assert fake.requests[0].params["datSrcNm"] == "근로복지공단산재판례"
        assert fake.requests[0].params["type"] == response_type
        doc_id = second.ids("prec")[0]
        record = c.record("prec", doc_id, second.entries[0])
        assert record.id == f"lawgokr:{doc_id}" and record.source == "lawgokr"
        # 사건번호 blank and date 0001.01.01 at the source: number from 연관판결, date unknown.
        assert record.case_number in {"2019구단3101", "2020누5101"} and record.case_year in (2019, 2020)
        assert record.decided_on == "" and record.court_level in (1, 2)
        assert record.order and record.reasons.startswith("1. 처분의 경위") and record.outcome in ("취소", "기각")
        assert "<br" not in record.full_text


def test_single_entry_list_in_json() -> None:
    with FakeLawGoKr(make_prec(1)) as fake:
        page = client(fake, response_type="JSON").list_page("prec", 1)
        assert page.ids("prec") == ["900001"]


@pytest.mark.parametrize("response_type", ["XML", "JSON"])
def test_iaciac_generated_list_and_body(response_type: str) -> None:
    with FakeLawGoKr(iaciac=make_iaciac(3)) as fake:
        c = client(fake, response_type=response_type)
        page = c.list_page("iaciac", 1)
        assert page.ids("iaciac") == ["1", "2", "3"]
        record = c.record("iaciac", "2")
        assert record.id == "iaciac:2" and record.outcome == "취소" and record.kind_c == "업무상사고"
        assert record.kind_b == "유족" and record.court_level is None


def test_real_iaciac_samples_served_over_http() -> None:
    with FakeLawGoKr(iaciac_fixtures=FIXTURES) as fake:
        c = client(fake)
        page = c.list_page("iaciac", 1)
        assert page.ids("iaciac") == ["7213", "7187", "6339"] and page.total == 934
        record = c.record("iaciac", "7213", page.entries[0])
        assert record.id == "iaciac:7213" and record.outcome == "기각" and record.kind_c == "업무상사고"
        assert record.decided_on == "2023-01-09" and record.issues_text.startswith("개인적 사유로")
        assert c.list_page("iaciac", 2).entries == []


@pytest.mark.parametrize("response_type", ["XML", "JSON"])
def test_oc_failure_is_explained_and_not_retried(response_type: str) -> None:
    wrong = "someone-else-secret"
    with FakeLawGoKr(make_prec(3)) as fake:
        with pytest.raises(LawGoKrError) as info:
            client(fake, wrong, response_type=response_type).list_page("prec", 1)
        assert info.value.code == "oc" and len(fake.requests) == 1
        assert "open.law.go.kr" in info.value.message and "IP" in info.value.message
        text = str(info.value) + "".join(traceback.format_exception(info.value))
        assert wrong not in text


def test_unknown_id_is_not_found() -> None:
    with FakeLawGoKr(make_prec(2)) as fake, pytest.raises(NotFoundError):
        client(fake).record("prec", "1")


def test_transient_failures_retried_html_not() -> None:
    with FakeLawGoKr(make_prec(2)) as fake:
        fake.queue("http500")
        assert len(client(fake).list_page("prec", 1).entries) == 2
        assert len(fake.requests) == 2
        fake.queue("html")
        with pytest.raises(LawGoKrError) as info:
            client(fake).list_page("prec", 1)
        assert info.value.code == "body-html" and len(fake.requests) == 3


def test_timeout_message() -> None:
    with FakeLawGoKr(make_prec(2)) as fake:
        fake.slow_seconds = 1.0
        fake.queue("slow", "slow")
        with pytest.raises(LawGoKrError) as info:
            client(fake, timeout=0.3, retry=RetryPolicy(attempts=2, backoff=0.01)).list_page("prec", 1)
        assert info.value.code == "timeout" and len(fake.requests) == 2
        assert OC not in str(info.value) + "".join(traceback.format_exception(info.value))


def test_host_setting_may_include_drf_and_missing_oc_is_explained() -> None:
    with FakeLawGoKr(make_prec(2)) as fake:
        c = LawGoKrClient(OC, base_url=fake.base_url + "/DRF/", retry=FAST)
        assert len(c.list_page("prec", 1).entries) == 2
    with pytest.raises(ConfigError) as info:
        LawGoKrClient("")
    assert "SANJAE_LAWGOKR_OC" in info.value.message
