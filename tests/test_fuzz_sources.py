"""Property tests: whatever 공공데이터포털 or 국가법령정보센터 sends, the parsers and clients either return
records or raise a ``SanjaeError`` with a Korean message. Bodies are random mutations of real-shaped
envelopes (the law.go.kr samples are read at test time), truncations at random byte offsets and random
bytes; the byte-level cases go through the real clients over HTTP on 127.0.0.1."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import iso_date
from core.errors import SanjaeError
from core.records import OUTCOMES, Precedent
from services.judgment.order import read_order
from services.judgment.reader import decision_date_from_text
from services.judgment.sections import case_number_from_text, clean_text, split_judgment
from services.sources import lawgokr_parse as L
from services.sources import portal_parse as P
from services.sources.http import RetryPolicy
from services.sources.kinds import kind_b_from_title
from services.sources.lawgokr import LawGoKrClient
from services.sources.payload import BodyError, parse_body
from services.sources.portal import PortalClient
from tests.conftest import FIXTURES
from tests.fakes.faults import (
    JSON_VALUES,
    KOREANISH,
    TEXT,
    BodyServer,
    assert_korean_failure,
    mutate,
    report_counts,
    tried,
)
from tests.fakes.lawgokr import make_iaciac, make_prec
from tests.fakes.portal import gateway_error, make_records, xml_document

FUZZ = dict(deadline=None, database=None, derandomize=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                   HealthCheck.data_too_large, HealthCheck.large_base_example])


@pytest.fixture(scope="module", autouse=True)
def _counts(request):
    yield
    report_counts(request, "sources.")


def portal_envelope(n: int = 3) -> dict:
    items = make_records(n, seed=n)
    return {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
                         "body": {"items": {"item": items[0] if n == 1 else items}, "numOfRows": 100,
                                  "pageNo": 1, "totalCount": n}}}


def render(doc: object, as_xml: bool) -> bytes:
    if (as_xml and isinstance(doc, dict) and len(doc) == 1
            and isinstance(next(iter(doc.values())), (dict, str, int, type(None)))):
        tag, value = next(iter(doc.items()))
        if isinstance(tag, str) and re.fullmatch(r"[A-Za-z가-힣_][\w가-힣]*", tag):
            return xml_document(tag, value)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def read_portal(doc: dict) -> list[Precedent]:
    """Everything the portal client does with a parsed body."""
    P.check_envelope(doc)
    page = P.read_page(doc)
    records = [P.item_to_precedent(item, "2026-01-01T00:00:00+09:00") for item in page.items]
    P.read_codes(doc, "kinda")
    P.read_count(doc)
    return records


def check_record(record: Precedent) -> None:
    assert isinstance(record.id, str) and record.id.split(":", 1)[0] in ("portal", "lawgokr", "iaciac")
    assert record.court_level in (None, 1, 2, 3)
    if record.decided_on:
        date.fromisoformat(record.decided_on)
    json.dumps(record.to_dict(), ensure_ascii=False)  # storable as is


# -- 공공데이터포털 ---------------------------------------------------------------------------------------
@settings(max_examples=60, **FUZZ)
@given(raw=st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8")),
                     st.sampled_from([b"", b"   ", b"<", b"{", b"[1,2]", b"null", b"<html>", b"\xef\xbb\xbf<a/>"])))
def test_parse_body_on_random_bytes_returns_a_dict_or_a_body_error(raw: bytes) -> None:
    tried("sources.payload random bytes")
    try:
        doc = parse_body(raw)
    except BodyError as exc:
        assert exc.kind in ("empty", "html", "invalid")
        return
    assert isinstance(doc, dict)


@settings(max_examples=200, **FUZZ)
@given(data=st.data(), n=st.sampled_from([0, 1, 3]))
def test_portal_envelope_mutations_give_records_or_a_korean_portal_error(data, n: int) -> None:
    doc = mutate(data, portal_envelope(n) if n
                 else {"response": {"header": {"resultCode": "00"}, "body": {"items": ""}}})
    if not isinstance(doc, dict):  # parse_body only ever returns a dict
        doc = {"response": doc}
    tried("sources.portal envelope mutations")
    try:
        records = read_portal(doc)
    except SanjaeError as exc:
        assert_korean_failure(exc)
        assert isinstance(exc, P.PortalError)
        return
    for record in records:
        check_record(record)


COUNTER = st.one_of(st.sampled_from(["²", "١٢", "１２", "1,000", "-3", " 7 ", "1e3", "", "0"]), JSON_VALUES)


@settings(max_examples=60, **FUZZ)
@given(total=COUNTER, page=COUNTER, rows=COUNTER, cnt=COUNTER, list_total=COUNTER)
def test_counters_of_any_value_or_type_are_read_or_refused_in_korean(total, page, rows, cnt, list_total) -> None:
    tried("sources.counter fields")
    doc = portal_envelope(1)
    doc["response"]["body"].update(totalCount=total, pageNo=page, numOfRows=rows)
    doc["response"]["body"]["items"]["item"]["cnt"] = cnt
    listing = {"Iaciac": {"totalCnt": list_total, "page": page, "iaciac": {"결정문일련번호": "1"}}}
    try:
        read_portal(doc)
        result = L.read_list(listing, "iaciac")
    except SanjaeError as exc:
        assert_korean_failure(exc)
        return
    assert result.total is None or isinstance(result.total, int)


@settings(max_examples=40, **FUZZ)
@given(data=st.data())
def test_portal_gateway_envelopes_with_any_code_are_explained(data) -> None:
    code = data.draw(st.one_of(st.integers(-5, 200).map(str), TEXT))
    body = gateway_error(0).replace(b"<returnReasonCode>0<", f"<returnReasonCode>{code}<".encode("utf-8", "replace")) \
        if not set(code) & set("<&>") else gateway_error(99)
    tried("sources.portal gateway codes")
    try:
        doc = parse_body(body)
    except BodyError:
        return
    with pytest.raises(P.PortalError) as err:
        P.check_envelope(doc)
    assert_korean_failure(err.value)


@pytest.fixture(scope="module")
def body_server():
    with BodyServer() as server:
        yield server


def portal_bytes(data) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "mutate", "random", "flip"]))
    as_xml = data.draw(st.booleans())
    envelope = portal_envelope(data.draw(st.sampled_from([1, 3])))
    if kind == "mutate":
        return render(mutate(data, envelope), as_xml)
    raw = render(envelope, as_xml)
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind == "flip":
        spots = data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=6))
        buf = bytearray(raw)
        for spot in spots:
            buf[spot] = data.draw(st.integers(0, 255))
        return bytes(buf)
    return data.draw(st.binary(max_size=400))


@pytest.mark.slow
@settings(max_examples=100, **FUZZ)
@given(data=st.data())
def test_portal_client_over_http_never_fails_without_a_korean_message(body_server, data) -> None:
    body_server.body = portal_bytes(data)
    body_server.status = data.draw(st.sampled_from([200] * 6 + [401, 403, 404, 429, 500, 503]))
    body_server.content_type = data.draw(st.sampled_from(["application/json", "text/xml", "text/html"]))
    tried("sources.portal client over HTTP")
    with PortalClient("Ab3+MarkerKey==", base_url=body_server.url, retry=RetryPolicy(attempts=1), timeout=10) as client:
        try:
            records, _page = client.precedents(1)
        except SanjaeError as exc:
            assert_korean_failure(exc)
            assert "MarkerKey" not in exc.message
            return
    assert body_server.status == 200
    for record in records:
        check_record(record)


# -- 국가법령정보센터 ---------------------------------------------------------------------------------------
LIST_XML = (FIXTURES / "lawgokr_iaciac_list.xml").read_bytes()
BODY_XML = (FIXTURES / "lawgokr_iaciac_body_7213.xml").read_bytes()


def read_lawgokr(doc: dict, target: str) -> list[Precedent]:
    """Everything the law.go.kr client does with a parsed list page or body."""
    L.check_answer(doc)
    out = []
    if any(name in doc for name in ("Iaciac", "PrecSearch")):
        page = L.read_list(doc, target)
        page.ids(target)
        return out
    body = L.read_body(doc, target)
    convert = L.prec_to_precedent if target == "prec" else L.iaciac_to_precedent
    out.append(convert("7213", body, {"사건": "2022재결 제1호 요양 불승인 처분 취소"}, "2026-01-01T00:00:00+09:00"))
    return out


def lawgokr_docs() -> list[tuple[dict, str]]:
    return [(parse_body(LIST_XML), "iaciac"), (parse_body(BODY_XML), "iaciac"),
            ({"IaciacService": make_iaciac(1, start=3)[0]}, "iaciac"),
            ({"PrecService": make_prec(1, start=2)[0]}, "prec"),
            ({"PrecSearch": {"target": "prec", "totalCnt": "2", "page": "1",
                             "prec": [{"판례일련번호": "1", "사건명": "요양"}, {"판례일련번호": "2"}]}}, "prec")]


@settings(max_examples=200, **FUZZ)
@given(data=st.data(), which=st.integers(0, 4))
def test_lawgokr_list_and_body_mutations_give_records_or_a_korean_error(data, which: int) -> None:
    base, target = lawgokr_docs()[which]
    doc = mutate(data, base)
    if not isinstance(doc, dict):
        doc = {"Law": doc}
    tried("sources.lawgokr list/body mutations")
    try:
        records = read_lawgokr(doc, target)
    except SanjaeError as exc:
        assert_korean_failure(exc)
        assert isinstance(exc, L.LawGoKrError)
        return
    for record in records:
        check_record(record)


@pytest.mark.slow
@settings(max_examples=100, **FUZZ)
@given(data=st.data())
def test_lawgokr_client_over_http_on_cut_or_damaged_samples(body_server, data) -> None:
    listing = data.draw(st.booleans())
    raw = LIST_XML if listing else BODY_XML
    kind = data.draw(st.sampled_from(["truncate", "flip", "mutate"]))
    if kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif kind == "flip":
        buf = bytearray(raw)
        for spot in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=8)):
            buf[spot] = data.draw(st.integers(0, 255))
        raw = bytes(buf)
    else:
        raw = render(mutate(data, parse_body(raw)), data.draw(st.booleans()))
    body_server.body, body_server.status = raw, data.draw(st.sampled_from([200] * 8 + [500, 404]))
    body_server.content_type = "application/xml;charset=UTF-8"
    tried("sources.lawgokr client over HTTP")
    with LawGoKrClient("MARKEROC", base_url=body_server.url, retry=RetryPolicy(attempts=1), timeout=10) as client:
        try:
            if listing:
                client.list_page("iaciac", 1).ids("iaciac")
            else:
                check_record(client.record("iaciac", "7213"))
        except SanjaeError as exc:
            assert_korean_failure(exc)
            assert "MARKEROC" not in exc.message


# -- judgment text (판례내용 / noncontent) --------------------------------------------------------------
JUDGMENT_TEXT = st.one_of(
    KOREANISH,
    st.lists(st.sampled_from(["연관판결 : ", "【연관판결】", "서울행정법원,2019구단1234,1심",
                              "-서울고등법원,2020누5678,2심",
                              "주 문", "【주문】", "이 유", "【이유】", "청 구 취 지", "판 결 선 고 2020. 5. 12.",
                              "사 건 2019구합77", "<br/>", "\n", "\r\n", " ", "원고의 청구를 기각한다.",
                              "처분을 취소한다.", "파기 환송", "일부", "각하", "9999. 99. 99.", "0001.01.01"]),
             max_size=25).map("".join),
    TEXT,
)


@settings(max_examples=200, **FUZZ)
@given(text=JUDGMENT_TEXT, court=st.one_of(KOREANISH, st.sampled_from(["서울행정법원", "서울고등법원", "대법원", ""])))
def test_judgment_text_splitting_never_raises_and_keeps_to_the_text(text: str, court: str) -> None:
    tried("sources.judgment text splitting")
    parts = split_judgment(text)
    cleaned = clean_text(text)
    assert parts.order in cleaned and parts.reasons in cleaned
    for entry in parts.related:
        assert re.fullmatch(r"(19|20)\d{2}[가-힣]{1,4}\d{1,7}", entry["case_number"])
        assert entry["level"] in (None, 1, 2, 3)
    case_number_from_text(text, court, parts.related)
    for value in (decision_date_from_text(text), iso_date(text)):
        if value:
            date.fromisoformat(value)
    assert read_order(parts.order).outcome in set(OUTCOMES) | {""}
    kind_b_from_title(text)


@settings(max_examples=8, **FUZZ)
@given(run=st.sampled_from(["가", " ", "법원", "서울법원 ", "판결선고", "주문", ",", "2019구단1 "]),
       head=st.sampled_from(["연관판결 : ", "【연관판결】", "판결선고", ""]))
def test_huge_judgment_texts_are_split(run: str, head: str) -> None:
    tried("sources.judgment text huge (200k chars)")
    text = head + run * (200_000 // len(run))
    parts = split_judgment(text)
    assert parts.order in clean_text(text)
    decision_date_from_text(text)


@settings(max_examples=60, **FUZZ)
@given(item=st.dictionaries(st.sampled_from(["accnum", "courtname", "title", "noncontent", "kinda", "kindb", "kindc"]),
                            JSON_VALUES, max_size=7))
def test_portal_items_of_any_shape_become_records(item) -> None:
    tried("sources.portal item shapes")
    check_record(P.item_to_precedent(item))
