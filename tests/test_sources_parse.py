"""Parsing of every response shape both sources send, including the real samples in shared/fixtures."""
from __future__ import annotations

import json

import pytest

from core.dates import iso_date
from services.judgment.sections import split_judgment
from services.sources import lawgokr_parse, portal_parse
from services.sources.errors import LawGoKrError, NotFoundError, PortalError, PortalQuotaError
from services.sources.kinds import kind_b_from_title, kind_c_normalized
from services.sources.payload import BodyError, parse_body
from tests.conftest import FIXTURES

PLAIN = ("연관판결 : 서울행정법원,2019구단1234,1심-서울고등법원,2020누5678,2심-대법원,2021두999,3심\n"
         "사      건  2020누5678 요양불승인처분취소\n판 결 선 고  2020. 11. 5.\n"
         "주      문\n1. 제1심판결을 취소한다.\n2. 피고가 원고에게 한 요양불승인처분을 취소한다.\n"
         "청 구 취 지\n피고가 원고에게 한 처분을 취소한다.\n"
         "이      유\n1. 처분의 경위\n원고의 주장은 이유가 있다.")
BRACKETED = ("【연관판결】<br/>서울행정법원,2019구단1234,1심<br/>【주문】<br/>원고의 청구를 기각한다.<br/>"
             "【이유】<br/>1. 처분의 경위<br/>원고는 ...")


def test_plain_noncontent_splits_into_related_order_and_reasons() -> None:
    parts = split_judgment(PLAIN)
    assert parts.related == [
        {"court": "서울행정법원", "case_number": "2019구단1234", "level": 1},
        {"court": "서울고등법원", "case_number": "2020누5678", "level": 2},
        {"court": "대법원", "case_number": "2021두999", "level": 3},
    ]
    assert parts.order == "1. 제1심판결을 취소한다.\n2. 피고가 원고에게 한 요양불승인처분을 취소한다."
    assert parts.reasons.startswith("1. 처분의 경위") and parts.reasons.endswith("이유가 있다.")


def test_bracketed_noncontent_with_br_tags() -> None:
    parts = split_judgment(BRACKETED)
    assert parts.related == [{"court": "서울행정법원", "case_number": "2019구단1234", "level": 1}]
    assert parts.order == "원고의 청구를 기각한다."
    assert parts.reasons == "1. 처분의 경위\n원고는 ..."


def test_inline_noncontent_on_one_line() -> None:
    parts = split_judgment("연관판결 : 부산지방법원,2019구단77,1심-부산지방법원,2020누88,2심 "
                           "주 문 피고의 항소를 기각한다. 이 유 1. 인정 사실")
    assert [r["case_number"] for r in parts.related] == ["2019구단77", "2020누88"]
    assert parts.order == "피고의 항소를 기각한다."
    assert parts.reasons == "1. 인정 사실"


def test_blank_noncontent_gives_empty_parts() -> None:
    assert split_judgment("") == split_judgment("   ")
    assert split_judgment("").related == [] and split_judgment("").order == ""


def test_claim_section_is_kept_apart_from_the_order() -> None:
    parts = split_judgment(PLAIN)
    assert parts.claim == "피고가 원고에게 한 처분을 취소한다."


def test_portal_item_to_precedent_prefers_related_level_for_own_case() -> None:
    # A 지방법원 appeal panel: the court name looks like 1심 but 연관판결 says 2심.
    item = {"accnum": "2020누88", "courtname": "부산지방법원", "kinda": "취소", "kindb": "요양", "kindc": "업무상사고",
            "title": "요양불승인처분취소",
            "noncontent": "연관판결 : 부산지방법원,2019구단77,1심-부산지방법원,2020누88,2심\n"
                          "주 문\n피고의 항소를 기각한다.\n이 유\n..."}
    record = portal_parse.item_to_precedent(item, "2026-01-01T00:00:00+00:00")
    assert record.id == "portal:2020누88@부산지방법원"
    assert record.source == "portal"
    assert (record.case_number, record.case_year, record.court_level) == ("2020누88", 2020, 2)
    assert (record.outcome, record.kind_b, record.kind_c) == ("취소", "요양", "업무상사고")
    assert record.order == "피고의 항소를 기각한다."
    assert record.fetched_at == "2026-01-01T00:00:00+00:00"


def test_portal_ids_separate_same_number_at_two_courts_and_hash_without_accnum() -> None:
    base = {"kinda": "기각", "kindb": "요양", "kindc": "업무상질병", "title": "요양불승인처분취소", "noncontent": PLAIN}
    a = portal_parse.item_to_precedent({**base, "accnum": "2019구합1234", "courtname": "서울행정법원"})
    b = portal_parse.item_to_precedent({**base, "accnum": "2019구합1234", "courtname": "대전지방법원"})
    assert a.id != b.id
    no_number = portal_parse.item_to_precedent({**base, "accnum": "", "courtname": "서울고등법원"})
    again = portal_parse.item_to_precedent({**base, "accnum": " ", "courtname": "서울고등법원"})
    other = portal_parse.item_to_precedent({**base, "accnum": "", "courtname": "서울고등법원",
                                            "title": "장해등급결정처분취소"})
    assert no_number.id.startswith("portal:h") and no_number.id == again.id != other.id
    # The case number then comes from the '사건' line of the text.
    assert no_number.case_number == "2020누5678" and no_number.court_level == 2
    assert no_number.decided_on == "2020-11-05"


def test_portal_page_json_list_single_and_blank_items() -> None:
    many = {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
                         "body": {"items": {"item": [{"accnum": "1"}, {"accnum": "2"}]}, "totalCount": 2,
                                  "pageNo": 1, "numOfRows": 100}}}
    single = json.loads(json.dumps(many))
    single["response"]["body"]["items"] = {"item": {"accnum": "1"}}
    page = portal_parse.read_page(many)
    assert [i["accnum"] for i in page.items] == ["1", "2"] and page.total_count == 2
    assert [i["accnum"] for i in portal_parse.read_page(single).items] == ["1"]
    for blank in ("", None, "   "):
        doc = json.loads(json.dumps(many))
        doc["response"]["body"]["items"] = blank
        assert portal_parse.read_page(doc).items == []
    doc = json.loads(json.dumps(many))
    del doc["response"]["body"]["items"]
    assert portal_parse.read_page(doc).items == []


def test_portal_page_xml_shapes() -> None:
    xml = ("<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header><body>"
           "<items><item><accnum>2019구단1</accnum><noncontent/></item></items>"
           "<numOfRows>100</numOfRows><pageNo>3</pageNo><totalCount>201</totalCount></body></response>").encode()
    page = portal_parse.read_page(parse_body(xml))
    assert page.items == [{"accnum": "2019구단1", "noncontent": ""}]
    assert (page.total_count, page.page_no, page.num_of_rows) == (201, 3, 100)
    empty = parse_body(b"<response><header><resultCode>00</resultCode></header><body><items/>"
                       b"<totalCount>0</totalCount></body></response>")
    assert portal_parse.read_page(empty).items == []


def test_real_gateway_error_sample_maps_to_code_30() -> None:
    doc = parse_body((FIXTURES / "datagokr_error_code30.xml").read_bytes())
    with pytest.raises(PortalError) as info:
        portal_parse.check_envelope(doc)
    assert info.value.code == "portal-30" and not info.value.retryable
    assert "Encoding" in info.value.message and "활용신청" in info.value.message and "한 시간" in info.value.message


@pytest.mark.parametrize("code", ["1", "4", "12", "20", "22", "23", "30", "31", "32", "99"])
def test_every_reason_code_has_its_own_korean_message(code: str) -> None:
    envelope = {"OpenAPI_ServiceResponse": {"cmmMsgHeader": {"errMsg": "SERVICE ERROR", "returnAuthMsg": "X",
                                                             "returnReasonCode": code}}}
    header_form = {"response": {"header": {"resultCode": code.zfill(2), "resultMsg": "X"}}}
    for doc in (envelope, header_form):
        with pytest.raises(PortalError) as info:
            portal_parse.check_envelope(doc)
        assert f"코드 {code}" in info.value.message
        assert info.value.retryable is (code == "23")
        assert isinstance(info.value, PortalQuotaError) is (code == "22")
    assert len({portal_parse.reason_message(c)
                for c in ("1", "4", "12", "20", "22", "23", "30", "31", "32", "99")}) == 10
    assert "내일" in portal_parse.reason_message("22")
    assert "기간" in portal_parse.reason_message("31") and "IP" in portal_parse.reason_message("32")


def test_nodata_result_code_reads_as_no_items() -> None:
    doc = {"response": {"header": {"resultCode": "03", "resultMsg": "NODATA_ERROR"}, "body": {}}}
    portal_parse.check_envelope(doc)
    assert portal_parse.read_page(doc).items == []


@pytest.mark.parametrize("raw,kind", [(b"", "empty"), (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
                                      (b"<response><header><resultCode>00</res", "invalid"),
                                      (b'{"response": {"header": ', "invalid"), (b"Service unavailable", "invalid")])
def test_bad_bodies_are_told_apart(raw: bytes, kind: str) -> None:
    with pytest.raises(BodyError) as info:
        parse_body(raw)
    assert info.value.kind == kind


def test_iaciac_fixture_list_and_body() -> None:
    listing = lawgokr_parse.read_list(parse_body((FIXTURES / "lawgokr_iaciac_list.xml").read_bytes()), "iaciac")
    assert listing.ids("iaciac") == ["7213", "7187", "6339"] and listing.total == 934 and listing.page == 1
    body = lawgokr_parse.read_body(parse_body((FIXTURES / "lawgokr_iaciac_body_7213.xml").read_bytes()), "iaciac")
    record = lawgokr_parse.iaciac_to_precedent("7213", body, listing.entries[0])
    assert record.id == "iaciac:7213" and record.source == "iaciac"
    assert record.court == "산업재해보상보험재심사위원회" and record.court_level is None
    assert record.outcome == "기각" and record.kind_b == "요양" and record.kind_c == "업무상사고"
    assert record.decided_on == "2023-01-09" and record.case_number == "2022-2302호" and record.case_year == 2022
    assert record.issues_text.startswith("개인적 사유로 휴직 중")
    assert record.order == "청구인의 재심사 청구를 기각한다."
    assert record.reasons.startswith("1. 사건 개요") and "제28조" in record.reasons
    assert "【주문】" in record.full_text and "【이유】" in record.full_text


def test_lawgokr_prec_json_body_without_case_number_or_date() -> None:
    doc = {"PrecService": {"판례정보일련번호": "123", "사건명": "유족급여및장의비부지급처분취소", "사건번호": "",
                           "선고일자": "00010101", "법원명": "서울고등법원", "판시사항": "", "판결요지": "",
                           "판례내용": "【연관판결】<br/>서울행정법원,2019구합11,1심-서울고등법원,2020누22,2심<br/>"
                                       "【주문】<br/>원고의 항소를 기각한다.<br/>【이유】<br/>..."}}
    lawgokr_parse.check_answer(doc)
    record = lawgokr_parse.prec_to_precedent("123", lawgokr_parse.read_body(doc, "prec"))
    assert record.id == "lawgokr:123" and record.source == "lawgokr"
    assert record.case_number == "2020누22" and record.case_year == 2020 and record.court_level == 2
    assert record.decided_on == "" and record.outcome == "기각" and record.kind_b == "유족"


def test_lawgokr_list_single_entry_json() -> None:
    doc = {"PrecSearch": {"totalCnt": "1", "page": "1", "prec": {"판례일련번호": "77", "사건명": "x"}}}
    assert lawgokr_parse.read_list(doc, "prec").ids("prec") == ["77"]
    assert lawgokr_parse.read_list({"PrecSearch": {"totalCnt": "0", "page": "1"}}, "prec").entries == []


@pytest.mark.parametrize("doc", [
    {"Response": {"result": "사용자 정보 검증에 실패하였습니다.", "msg": "IP 등록"}},
    {"result": "사용자 정보 검증에 실패하였습니다.", "msg": "IP 등록"},
    {"response": {"result": "사용자 정보 검증에 실패하였습니다."}},
])
def test_oc_failure_shapes(doc: dict) -> None:
    with pytest.raises(LawGoKrError) as info:
        lawgokr_parse.check_answer(doc)
    assert info.value.code == "oc" and "OC" in info.value.message and "IP" in info.value.message
    assert not info.value.retryable


def test_missing_document_answer() -> None:
    with pytest.raises(NotFoundError):
        lawgokr_parse.check_answer({"Law": "일치하는 판례가 없습니다. 판례명을 확인하여 주십시오."})


@pytest.mark.parametrize("raw,expected", [("2023.1.9", "2023-01-09"), ("2023.01.09", "2023-01-09"),
                                          ("20190512", "2019-05-12"), ("0001.01.01", ""), ("00010101", ""),
                                          ("", ""), ("2020. 11. 5.", "2020-11-05")])
def test_source_dates(raw: str, expected: str) -> None:
    assert iso_date(raw) == expected


def test_portal_record_keeps_the_source_code_and_follows_the_order() -> None:
    item = {"accnum": "2020누88", "courtname": "서울고등법원", "kinda": "기각", "title": "요양불승인처분취소",
            "noncontent": "주 문\n피고의 항소를 기각한다.\n이 유\n..."}
    record = portal_parse.item_to_precedent(item)
    assert (record.outcome, record.source_outcome) == ("취소", "기각")
    assert "공단(피고)의 항소" in record.outcome_note and record.reader_version >= 1


def test_kind_words() -> None:
    assert kind_b_from_title("2022재결 제1476호 장해급여 부지급 처분 취소") == "장해"
    assert kind_b_from_title("재요양불승인처분취소") == "재요양등"
    assert kind_b_from_title("유족급여 및 장례비 부지급 처분 취소") == "유족"
    assert kind_c_normalized("업무상 질병") == "업무상질병" and kind_c_normalized("업무상 사고") == "업무상사고"


def test_a_damaged_xml_encoding_declaration_is_a_broken_body() -> None:
    from services.sources.payload import BodyError, parse_body

    with pytest.raises(BodyError):
        parse_body(b'<?xml version="1.0" encoding="U-F-8"?><response/>')
