"""A local stand-in for data.go.kr B490001/sjbPrecedentInfoService, speaking real HTTP on 127.0.0.1.

It answers in JSON or XML by the Accept header, with the envelope shapes the real gateway uses,
checks the decoded ``serviceKey`` (answering the code-30 envelope otherwise), paginates a list of
records and can be told to fail in each way the real service fails.

Failure modes (strings), queued per request with ``queue(...)`` or applied from a page on with
``fail_from_page``:
``code:N`` gateway error envelope with returnReasonCode N; ``result:N`` normal envelope with resultCode N;
``http500``; ``slow`` (sleeps ``slow_seconds`` before answering); ``truncated`` (half a body, consistent
Content-Length); ``dropped`` (Content-Length larger than what is sent, then the connection closes);
``html`` (an HTML page with HTTP 200); ``empty`` (HTTP 200, no body); ``http401``/``http429`` (plain-text
refusals some gateway versions send instead of the envelope).
"""
from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.fakes.loopback import LoopbackServer

SERVICE_PATH = "/B490001/sjbPrecedentInfoService"
# Shaped like a portal key (base64 with + / =); not a real key.
RAW_KEY = "Ab3+TestKey/Zx9q8Pw7Lm6Nn5Oo4Rr3Ss2Tt1Uu0VvWwXxYyZz+AaBbCcDdEeFfGg=="
ENCODED_KEY = RAW_KEY.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")

KIND_A = ["취소", "일부취소", "취하", "기각", "파기환송"]
KIND_B = ["요양", "재요양등", "장해", "퇴직후진단", "유족"]
KIND_C = ["업무상사고", "업무상질병"]


# -- XML writing shared with the law.go.kr fake ----------------------------------------------------
def to_xml(tag: str, value: Any) -> str:
    """dict → nested elements, list → the same tag repeated, None/'' → an empty element."""
    if isinstance(value, list):
        return "".join(to_xml(tag, v) for v in value)
    if isinstance(value, dict):
        inner = "".join(to_xml(k, v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if value is None or value == "":
        return f"<{tag}/>"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def xml_document(tag: str, value: Any) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + to_xml(tag, value)).encode("utf-8")


HTML_PAGE = ("<!DOCTYPE html><html><head><title>서비스 점검</title></head>"
             "<body><h1>시스템 점검 중입니다</h1></body></html>").encode()


def gateway_error(code: int) -> bytes:
    auth = {1: "APPLICATION_ERROR", 4: "HTTP_ERROR", 12: "NO_OPENAPI_SERVICE_ERROR", 20: "SERVICE_ACCESS_DENIED_ERROR",
            22: "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR",
            23: "LIMITED_NUMBER_OF_SERVICE_REQUESTS_PER_SECOND_EXCEEDS_ERROR",
            30: "SERVICE_KEY_IS_NOT_REGISTERED_ERROR", 31: "DEADLINE_HAS_EXPIRED_ERROR",
            32: "UNREGISTERED_IP_ERROR", 99: "UNKNOWN_ERROR"}.get(code, "UNKNOWN_ERROR")
    return (f"<OpenAPI_ServiceResponse>\n\t<cmmMsgHeader>\n\t\t<errMsg>SERVICE ERROR</errMsg>\n"
            f"\t\t<returnAuthMsg>{auth}</returnAuthMsg>\n\t\t<returnReasonCode>{code}</returnReasonCode>\n"
            f"\t</cmmMsgHeader>\n</OpenAPI_ServiceResponse>").encode()


# -- realistic records -----------------------------------------------------------------------------
_COURTS_1 = ["서울행정법원", "수원지방법원", "대전지방법원", "부산지방법원", "광주지방법원", "대구지방법원"]
_HIGH = {"서울행정법원": "서울고등법원", "수원지방법원": "수원고등법원", "대전지방법원": "대전고등법원",
         "부산지방법원": "부산고등법원", "광주지방법원": "광주고등법원", "대구지방법원": "대구고등법원"}
_TITLES = {"요양": "요양불승인처분취소", "재요양등": "재요양불승인처분취소", "장해": "장해등급결정처분취소",
           "퇴직후진단": "장해급여부지급처분취소", "유족": "유족급여및장의비부지급처분취소"}
_ILLNESS = ["요추 추간판탈출증", "우측 회전근개 파열", "뇌경색", "급성 심근경색", "소음성 난청", "좌측 반월상연골 파열"]
_ORDERS = {
    "취소": "1. 피고가 {d} 원고에게 한 {t}을 취소한다.\n2. 소송비용은 피고가 부담한다.",
    "일부취소": "1. 피고가 {d} 원고에게 한 {t} 중 일부를 취소한다.\n2. 원고의 나머지 청구를 기각한다.",
    "기각": "1. 원고의 청구를 기각한다.\n2. 소송비용은 원고가 부담한다.",
    "취하": "이 사건 소는 원고의 소 취하로 종료되었다.",
    "파기환송": "원심판결을 파기하고, 사건을 서울고등법원에 환송한다.",
}


def make_records(count: int, *, seed: int = 7, start: int = 0) -> list[dict[str, str]]:
    """``count`` portal items with unique (court, accnum) and full texts in the portal's plain style;
    every fifth uses the bracketed style and every seventh has a blank text."""
    rng = random.Random(seed)
    records = []
    for i in range(start, start + count):
        kinda, kindb, kindc = rng.choice(KIND_A), rng.choice(KIND_B), rng.choice(KIND_C)
        court = _COURTS_1[i % len(_COURTS_1)]
        year = 2010 + i % 13
        accnum = f"{year}구단{10000 + i}"
        title = _TITLES[kindb]
        decided = f"{year + 1}. {1 + i % 12}. {1 + i % 27}."
        order = _ORDERS[kinda].format(d=f"{year - 1}. 3. 5.", t=title.replace("취소", ""))
        illness = rng.choice(_ILLNESS)
        reasons = (f"1. 처분의 경위\n가. 원고는 {year - 2}. 6. 1.부터 공장에서 근무하던 중 "
                   f"'{illness}'(이하 '이 사건 상병'이라 한다)을 "
                   f"진단받고 피고에게 요양급여를 신청하였다.\n"
                   f"나. 피고는 업무와 이 사건 상병 사이에 상당인과관계를 인정하기 "
                   f"어렵다는 이유로 불승인하였다.\n2. 판단\n업무 내용과 작업 시간, 의학적 소견을 종합하면 ...")
        related = f"{court},{accnum},1심"
        if i % 3 == 0:
            related += f"-{_HIGH[court]},{year + 1}누{20000 + i},2심"
        if i % 7 == 3:
            text = ""
        elif i % 5 == 4:
            text = (f"【연관판결】 {related}\n【주문】\n{order}\n【청구취지】\n피고가 원고에게 한 처분을 취소한다.\n"
                    f"【이유】\n{reasons}")
        else:
            text = (f"연관판결 : {related}\n사      건  {accnum} {title}\n원      고  김○○\n"
                    f"피      고  근로복지공단\n판 결 선 고  {decided}\n주      문\n{order}\n"
                    f"청 구 취 지\n피고가 원고에게 한 처분을 취소한다.\n이      유\n{reasons}")
        records.append({"accnum": accnum, "courtname": court, "kinda": kinda, "kindb": kindb, "kindc": kindc,
                        "title": title, "noncontent": text})
    return records


def portal_id(item: dict[str, str]) -> str:
    """The id the client gives this item (court is part of it: case numbers repeat across courts)."""
    return f"portal:{item['accnum']}@{item['courtname']}"


@dataclass
class Seen:
    path: str
    operation: str
    params: dict[str, str]
    accept: str


class FakePortal(LoopbackServer):
    def __init__(self, records: list[dict[str, str]] | None = None, *, key: str = RAW_KEY,
                 blank_items: str = "empty") -> None:
        self.records = list(records or [])
        self.key = key
        self.blank_items = blank_items  # how "no items" is written: empty | null | missing
        self.requests: list[Seen] = []
        self.failures: list[str] = []
        self.fail_from_page: tuple[int, str] | None = None
        self.hold_from_page: int | None = None  # page requests from this page on wait for release()
        self.slow_seconds = 2.0
        self.force_format: str | None = None  # "xml" or "json" regardless of Accept
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._serve(self._handler_class())

    # -- lifecycle
    def __exit__(self, *exc: object) -> None:
        self.release()
        super().__exit__(*exc)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{SERVICE_PATH}"

    def queue(self, *failures: str) -> None:
        with self._lock:
            self.failures.extend(failures)

    def release(self) -> None:
        self._release.set()

    def page_requests(self) -> list[int]:
        return [int(s.params.get("pageNo", "1")) for s in self.requests
                if s.operation == "getSjbPrecedentNaeyongPstate"]

    # -- answers
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK stalls

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                fake._answer(self)

        return Handler

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
              *, length: int | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.end_headers()
        try:
            handler.wfile.write(body)
            handler.wfile.flush()
        except OSError:
            pass  # the client went away (killed or timed out)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        operation = url.path.rsplit("/", 1)[-1]
        accept = handler.headers.get("Accept", "")
        with self._lock:
            self.requests.append(Seen(url.path, operation, params, accept))
            failure = self.failures.pop(0) if self.failures else None
        page_no = int(params.get("pageNo", "1") or 1)
        is_page = operation == "getSjbPrecedentNaeyongPstate"
        if failure is None and is_page and self.fail_from_page and page_no >= self.fail_from_page[0]:
            failure = self.fail_from_page[1]
        if is_page and self.hold_from_page is not None and page_no >= self.hold_from_page:
            self._release.wait(30)
        if not url.path.startswith(SERVICE_PATH + "/"):
            self._send(handler, 404, HTML_PAGE, "text/html; charset=utf-8")
            return
        key = params.get("serviceKey", params.get("ServiceKey", ""))
        if key != self.key:
            self._send(handler, 200, gateway_error(30), "text/xml;charset=UTF-8")
            return
        use_json = self.force_format == "json" or (self.force_format is None and "json" in accept)
        if failure and self._fail(handler, failure, use_json):
            return
        payload = self._payload(operation, params)
        if payload is None:
            self._send(handler, 200, gateway_error(12), "text/xml;charset=UTF-8")
            return
        self._send_envelope(handler, payload, use_json)

    def _fail(self, handler: BaseHTTPRequestHandler, failure: str, use_json: bool) -> bool:
        kind, _, arg = failure.partition(":")
        if kind == "code":
            self._send(handler, 200, gateway_error(int(arg)), "text/xml;charset=UTF-8")
        elif kind == "result":
            self._send_envelope(handler, {"header": {"resultCode": arg, "resultMsg": "ERROR"}}, use_json)
        elif kind == "http500":
            self._send(handler, 500, HTML_PAGE, "text/html; charset=utf-8")
        elif kind == "html":
            self._send(handler, 200, HTML_PAGE, "text/html; charset=utf-8")
        elif kind == "http401":
            self._send(handler, 401, b"Unauthorized", "text/plain")
        elif kind == "http429":
            self._send(handler, 429, b"API rate limit exceeded", "text/plain")
        elif kind == "empty":
            self._send(handler, 200, b"", "text/xml;charset=UTF-8")
        elif kind == "slow":
            time.sleep(self.slow_seconds)
            return False  # then answer normally (the client has given up by now)
        elif kind in ("truncated", "dropped"):
            body = self._render(self._payload("getSjbPrecedentNaeyongPstate", {"pageNo": "1"}) or {}, use_json)
            half = body[: len(body) // 2]
            self._send(handler, 200, half, "application/json" if use_json else "text/xml",
                       length=len(body) if kind == "dropped" else None)
            if kind == "dropped":
                handler.close_connection = True
        else:
            raise ValueError(f"unknown failure {failure!r}")
        return True

    def _filtered(self, params: dict[str, str]) -> list[dict[str, str]]:
        rows = self.records
        for param, field_name in (("kindA", "kinda"), ("kindB", "kindb"), ("kindC", "kindc")):
            if params.get(param):
                rows = [r for r in rows if r[field_name] == params[param]]
        return rows

    def _payload(self, operation: str, params: dict[str, str]) -> dict[str, Any] | None:
        page_no = int(params.get("pageNo", "1") or 1)
        rows_per_page = int(params.get("numOfRows", "10") or 10)
        if operation == "getSjbPrecedentNaeyongPstate":
            rows = self._filtered(params)
            items = rows[(page_no - 1) * rows_per_page: page_no * rows_per_page]
            total = len(rows)
        elif operation == "getSjbPrecedentResultYuhyeongPstate":
            items, total = [{"kinda": v} for v in KIND_A], len(KIND_A)
        elif operation == "getSjbSageonYuhyeongPstate":
            items, total = [{"kindb": v} for v in KIND_B], len(KIND_B)
        elif operation == "getSjbSagoJilbyeongGubunPstate":
            items, total = [{"kindc": v} for v in KIND_C], len(KIND_C)
        elif operation == "getSjbYuhyeongByCountPstate":
            items, total = [{"cnt": str(len(self._filtered(params)))}], 1
        else:
            return None
        body: dict[str, Any] = {"numOfRows": rows_per_page, "pageNo": page_no, "totalCount": total}
        if items:
            body["items"] = {"item": items[0] if len(items) == 1 else items}
        elif self.blank_items == "empty":
            body["items"] = ""
        elif self.blank_items == "null":
            body["items"] = None
        return {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."}, "body": body}

    @staticmethod
    def _render(payload: dict[str, Any], use_json: bool) -> bytes:
        if use_json:
            return json.dumps({"response": payload}, ensure_ascii=False).encode("utf-8")
        return xml_document("response", payload)

    def _send_envelope(self, handler: BaseHTTPRequestHandler, payload: dict[str, Any], use_json: bool) -> None:
        content_type = "application/json;charset=UTF-8" if use_json else "application/xml;charset=UTF-8"
        self._send(handler, 200, self._render(payload, use_json), content_type)

