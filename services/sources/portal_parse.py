"""Reading 공공데이터포털 (data.go.kr) responses: the error envelopes, the page, the items.

Shapes handled (XML converted by ``payload.parse_body`` or JSON as sent):
- normal: ``response.header.{resultCode, resultMsg}``, ``response.body.{items.item, totalCount, pageNo, numOfRows}``;
  ``item`` is one object or a list; ``items`` may be blank, null or missing (no results).
- gateway error (HTTP 200): ``OpenAPI_ServiceResponse.cmmMsgHeader.{errMsg, returnAuthMsg, returnReasonCode}``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from core.records import Precedent, split_case_number
from services.judgment import READER
from services.judgment.sections import clean_text
from services.sources.errors import PortalError, PortalQuotaError
from services.sources.payload import as_list, text_of

SERVICE_NAME = "근로복지공단_산재보험 판례 판결문 조회 서비스"
LABEL = "공공데이터포털"
RETRYABLE_CODES = {"23"}  # per-second limit: waiting helps; nothing else does

_KEY_HELP = (
    "설정 화면이나 환경 변수 SANJAE_PORTAL_KEY에 넣은 인증키를 확인해 주세요. "
    "공공데이터포털 마이페이지의 '일반 인증키'를 그대로 복사해 넣으면 되고, Encoding 키와 Decoding 키 "
    "어느 쪽이든 쓸 수 있습니다."
)

REASON_MESSAGES: dict[str, str] = {
    "1": ("공공데이터포털 서버 내부에서 오류가 났습니다(코드 1). 잠시 후 다시 시도해 주세요. "
          "계속되면 포털 고객센터에 문의해 주세요."),
    "4": "공공데이터포털 서버와 통신하는 중 오류가 났습니다(코드 4). 잠시 후 다시 시도해 주세요.",
    "10": "요청에 인증키가 들어 있지 않다고 합니다(코드 10). " + _KEY_HELP,
    "11": "요청에 필요한 값이 빠졌다고 합니다(코드 11). 프로그램을 최신으로 업데이트한 뒤 다시 시도해 주세요.",
    "12": ("요청한 서비스를 찾을 수 없다고 합니다(코드 12). 서비스가 폐기되었거나 주소가 바뀌었을 수 있습니다. "
           "설정의 포털 서버 주소를 비워 기본값으로 되돌린 뒤 다시 시도해 주세요."),
    "20": (f"이 인증키로는 서비스에 접근할 수 없다고 합니다(코드 20). 공공데이터포털에서 '{SERVICE_NAME}' "
           "활용신청이 승인되었는지 확인해 주세요."),
    "22": ("오늘 쓸 수 있는 공공데이터포털 호출 횟수를 모두 썼습니다(코드 22). 지금까지 받은 자료는 저장되어 있습니다. "
           "내일 다시 실행하면 멈춘 곳부터 이어서 받습니다."),
    "23": "공공데이터포털에 너무 빠르게 요청했다고 합니다(코드 23). 잠시 기다렸다가 다시 시도해 주세요.",
    "30": ("공공데이터포털이 인증키를 인식하지 못했습니다(코드 30, 등록되지 않은 인증키). 다음을 확인해 주세요. "
           "① 마이페이지의 인증키를 빠짐없이 정확히 붙여 넣었는지 (Encoding 키와 Decoding 키 중 하나를 그대로) "
           f"② 이 서비스('{SERVICE_NAME}')에 활용신청을 했는지 (다른 서비스의 키는 쓸 수 없습니다) "
           "③ 방금 신청했다면 키가 반영될 때까지 한 시간쯤 기다린 뒤 다시 시도해 주세요."),
    "31": ("인증키의 활용 기간이 끝났습니다(코드 31). "
           "공공데이터포털 마이페이지에서 활용 기간을 연장한 뒤 다시 시도해 주세요."),
    "32": ("이 컴퓨터의 IP 주소가 등록되지 않았다고 합니다(코드 32). 공공데이터포털 마이페이지의 활용신청 정보에서 "
           "허용 IP를 확인하거나 비워 둔 뒤 다시 시도해 주세요."),
    "33": "서명되지 않은 호출이라고 합니다(코드 33). 공공데이터포털 마이페이지에서 인증키 설정을 확인해 주세요.",
    "99": ("공공데이터포털에서 알 수 없는 오류가 났습니다(코드 99). "
           "잠시 후 다시 시도하고, 계속되면 포털 고객센터에 문의해 주세요."),
}


def reason_message(code: str) -> str:
    code = (code or "").strip().lstrip("0") or "0"
    known = REASON_MESSAGES.get(code)
    if known:
        return known
    return f"공공데이터포털에서 오류 응답을 보냈습니다(코드 {code}). 잠시 후 다시 시도해 주세요."


def raise_for_code(code: str) -> None:
    normalized = (code or "").strip().lstrip("0") or "0"
    message = reason_message(normalized)
    if normalized == "22":
        raise PortalQuotaError(message, code=f"portal-{normalized}")
    raise PortalError(message, retryable=normalized in RETRYABLE_CODES, code=f"portal-{normalized}")


def check_envelope(doc: dict[str, Any]) -> None:
    """Raise the mapped ``PortalError`` for a gateway error envelope or a non-00 resultCode."""
    gateway = doc.get("OpenAPI_ServiceResponse")
    if isinstance(gateway, dict):
        header = gateway.get("cmmMsgHeader") or {}
        code = text_of(header.get("returnReasonCode")) if isinstance(header, dict) else ""
        raise_for_code(code or "99")
    response = doc.get("response")
    if not isinstance(response, dict):
        return
    header = response.get("header")
    code = text_of(header.get("resultCode")) if isinstance(header, dict) else ""
    normalized = code.lstrip("0")
    if normalized == "3":  # NODATA_ERROR: a page past the end, read as zero items
        return
    if code and normalized != "":
        raise_for_code(code)


def status_error(status: int) -> PortalError | None:
    """Plain HTTP refusals some gateway versions send instead of the XML envelope."""
    if status in (401, 403):
        return PortalError(reason_message("30"), code=f"http-{status}")
    if status == 429:
        return PortalError(
            "공공데이터포털이 요청이 너무 많다고 합니다(HTTP 429). 오늘 쓸 수 있는 호출 횟수를 다 썼을 수 있습니다. "
            "지금까지 받은 자료는 저장되어 있으니, 잠시 뒤나 내일 다시 실행하면 멈춘 곳부터 이어서 받습니다.",
            retryable=True, code="http-429",
        )
    return None


@dataclass
class PortalPage:
    items: list[dict[str, Any]] = field(default_factory=list)
    total_count: int | None = None
    page_no: int | None = None
    num_of_rows: int | None = None


def _to_int(value: Any) -> int | None:
    text = text_of(value).replace(",", "")
    return int(text) if text.isdecimal() else None  # isdigit() also passes "²", which int() refuses


def read_page(doc: dict[str, Any]) -> PortalPage:
    """The items and counters of a normal response (after ``check_envelope``)."""
    response = doc.get("response")
    if not isinstance(response, dict):
        raise PortalError(
            "공공데이터포털에서 예상과 다른 형식의 응답이 왔습니다. "
            "설정의 포털 서버 주소를 확인하고 잠시 후 다시 시도해 주세요.",
            code="shape",
        )
    body = response.get("body")
    if not isinstance(body, dict):
        body = {}
    items_holder = body.get("items")
    raw_items = as_list(items_holder.get("item")) if isinstance(items_holder, dict) else as_list(items_holder)
    items = [item for item in raw_items if isinstance(item, dict)]
    return PortalPage(
        items=items,
        total_count=_to_int(body.get("totalCount")),
        page_no=_to_int(body.get("pageNo")),
        num_of_rows=_to_int(body.get("numOfRows")),
    )


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def precedent_id(accnum: str, court: str, title: str, text: str) -> str:
    """Stable id. Case numbers repeat across courts (2019구합1234 exists at many), so the court is part
    of it; without a case number the id is a hash of the content."""
    number = _squeeze(accnum)
    if number:
        court_part = _squeeze(court)
        return f"portal:{number}@{court_part}" if court_part else f"portal:{number}"
    digest = hashlib.sha256("\x1f".join((_squeeze(title), _squeeze(court), _squeeze(text))).encode("utf-8"))
    return f"portal:h{digest.hexdigest()[:20]}"


def item_to_precedent(item: dict[str, Any], fetched_at: str = "") -> Precedent:
    """One portal item as a record, read by the judgment reader (``kinda`` is kept as ``source_outcome``)."""
    accnum = text_of(item.get("accnum"))
    court = text_of(item.get("courtname"))
    title = text_of(item.get("title"))
    full_text = clean_text(text_of(item.get("noncontent")))
    case_number, case_year = split_case_number(accnum)
    return READER.read(Precedent(
        id=precedent_id(accnum, court, title, full_text),
        source="portal",
        title=title,
        case_number=case_number,
        case_year=case_year,
        court=court,
        outcome=text_of(item.get("kinda")),
        kind_b=text_of(item.get("kindb")),
        kind_c=text_of(item.get("kindc")),
        full_text=full_text,
        fetched_at=fetched_at,
    ))


def read_codes(doc: dict[str, Any], field_name: str) -> list[str]:
    """The code list of a kindA/kindB/kindC operation (``item.kinda`` etc.), blanks dropped, order kept."""
    values: list[str] = []
    for item in read_page(doc).items:
        value = text_of(item.get(field_name))
        if value and value not in values:
            values.append(value)
    return values


def read_count(doc: dict[str, Any]) -> int:
    """``item.cnt`` of the count operation (several items are added up; none → 0)."""
    total = 0
    for item in read_page(doc).items:
        total += _to_int(item.get("cnt")) or 0
    return total
