"""A local stand-in for law.go.kr's DRF open API (``lawSearch.do``/``lawService.do``) on 127.0.0.1.

Serves ``target=prec`` (근로복지공단산재판례 rows: blank 사건번호, date 0001.01.01, text in 【】 style)
and ``target=iaciac`` in XML or JSON (``type=``), the HTTP-200 OC failure, 'no such document' for
unknown ids, and the failure modes of ``tests.fakes.portal`` (``http500``, ``slow``, ``html``, …).
With ``iaciac_fixtures`` set, page 1 of the iaciac list and the body of 7213 are the real samples.
"""
from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import LoopbackServer
from tests.fakes.portal import HTML_PAGE, xml_document

OC = "sanjae-test"
OC_FAILED = "사용자 정보 검증에 실패하였습니다."
OC_FAILED_MSG = "OPEN API 호출 시 사용자 검증을 위하여 정확한 서버장비의 IP주소 및 도메인주소를 등록해 주세요."


def make_prec(count: int, *, start: int = 1) -> list[dict[str, str]]:
    """근로복지공단산재판례 bodies as law.go.kr gives them (no 사건번호, 0001.01.01)."""
    rows = []
    for n in range(start, start + count):
        court = "서울행정법원" if n % 2 else "서울고등법원"
        first, second = f"2019구단{3000 + n}", f"2020누{5000 + n}"
        title = "요양불승인처분취소" if n % 3 else "유족급여및장의비부지급처분취소"
        order = ("피고가 2018. 7. 2. 원고에게 한 요양불승인처분을 취소한다.<br/>소송비용은 피고가 부담한다."
                 if n % 2 else "원고의 항소를 기각한다.<br/>항소비용은 원고가 부담한다.")
        text = (f"【연관판결】<br/>서울행정법원,{first},1심-서울고등법원,{second},2심<br/>【주문】<br/>{order}<br/>"
                f"【청구취지】<br/>피고가 원고에게 한 처분을 취소한다.<br/>【이유】<br/>1. 처분의 경위<br/>"
                f"원고는 택배 분류 작업 중 허리를 다쳐 요양급여를 신청하였다.")
        rows.append({"판례정보일련번호": str(900000 + n), "사건명": title, "사건번호": "", "선고일자": "0001.01.01",
                     "선고": "선고", "법원명": court, "법원종류코드": "", "사건종류명": "일반행정",
                     "사건종류코드": "", "판결유형": "판결", "판시사항": "", "판결요지": "", "참조조문": "",
                     "참조판례": "", "판례내용": text})
    return rows


def make_iaciac(count: int, *, start: int = 1) -> list[dict[str, str]]:
    rows = []
    for n in range(start, start + count):
        kind = ("요양 불승인 처분 취소", "장해급여 부지급 처분 취소", "유족급여 및 장례비 부지급 처분 취소")[n % 3]
        order = "청구인의 재심사 청구를 기각한다." if n % 2 else "원처분기관이 청구인에게 한 처분을 취소한다."
        rows.append({"결정문일련번호": str(n), "사건대분류": "업무상 재해여부 관련",
                     "사건중분류": "업무상 질병" if n % 2 else "업무상 사고", "사건소분류": "기타",
                     "쟁점": f"업무와 상병 사이의 상당인과관계 인정 여부 (사례 {n})", "사건번호": f"2022-{n}호",
                     "의결일자": f"2023.{1 + n % 12}.{1 + n % 28}", "사건": f"2022재결 제{n}호 {kind}",
                     "청구인": "김○○(남, 50세)", "원처분기관": "근로복지공단 서울지사장", "주문": order,
                     "청구취지": "원처분을 취소한다는 재결을 구한다.", "이유": "1. 사건 개요\n청구인은 ...",
                     "문서제공구분": "데이터 개방"})
    return rows


_LIST_FIELDS = {"prec": ("판례정보일련번호", "사건명", "사건번호", "선고일자", "법원명", "사건종류명", "판결유형"),
                "iaciac": ("결정문일련번호", "사건", "사건번호", "의결일자")}


@dataclass
class Seen:
    endpoint: str
    params: dict[str, str]


class FakeLawGoKr(LoopbackServer):
    def __init__(self, prec: list[dict[str, str]] | None = None, iaciac: list[dict[str, str]] | None = None,
                 *, oc: str = OC, iaciac_fixtures: Path | None = None) -> None:
        self.prec = list(prec or [])
        self.iaciac = list(iaciac or [])
        self.oc = oc
        self.fixtures = iaciac_fixtures
        self.requests: list[Seen] = []
        self.failures: list[str] = []
        self.missing_bodies: set[str] = set()
        self.slow_seconds = 2.0
        self._lock = threading.Lock()
        self._serve(self._handler_class())

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def queue(self, *failures: str) -> None:
        with self._lock:
            self.failures.extend(failures)

    def body_requests(self) -> list[str]:
        return [s.params.get("ID", "") for s in self.requests if s.endpoint == "lawService.do"]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK stalls

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake._answer(self)

        return Handler

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(body)

    def _reply(self, handler: BaseHTTPRequestHandler, root: str, value: Any, use_json: bool) -> None:
        if use_json:
            self._send(handler, 200, json.dumps({root: value}, ensure_ascii=False).encode("utf-8"),
                       "application/json;charset=UTF-8")
        else:
            self._send(handler, 200, xml_document(root, value), "application/xml;charset=UTF-8")

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        endpoint = url.path.rsplit("/", 1)[-1]
        with self._lock:
            self.requests.append(Seen(endpoint, params))
            failure = self.failures.pop(0) if self.failures else None
        use_json = params.get("type", "XML").upper() == "JSON"
        if failure == "http500":
            return self._send(handler, 500, HTML_PAGE, "text/html; charset=utf-8")
        if failure == "html":
            return self._send(handler, 200, HTML_PAGE, "text/html; charset=utf-8")
        if failure == "slow":
            time.sleep(self.slow_seconds)
        if not url.path.startswith("/DRF/") or endpoint not in ("lawSearch.do", "lawService.do"):
            return self._send(handler, 404, HTML_PAGE, "text/html; charset=utf-8")
        if params.get("OC") != self.oc:
            if use_json:
                return self._reply(handler, "Response", {"result": OC_FAILED, "msg": OC_FAILED_MSG}, True)
            return self._reply(handler, "Response", {"result": OC_FAILED, "msg": OC_FAILED_MSG}, False)
        target = params.get("target", "")
        if target not in ("prec", "iaciac"):
            return self._send(handler, 200, "<Law>target 값을 확인해 주세요.</Law>".encode(), "text/xml")
        if endpoint == "lawSearch.do":
            return self._list(handler, target, params, use_json)
        return self._body(handler, target, params.get("ID", ""), use_json)

    def _rows(self, target: str) -> list[dict[str, str]]:
        return self.prec if target == "prec" else self.iaciac

    def _list(self, handler: BaseHTTPRequestHandler, target: str, params: dict[str, str], use_json: bool) -> None:
        page = int(params.get("page", "1") or 1)
        display = int(params.get("display", "20") or 20)
        if target == "iaciac" and self.fixtures is not None and not use_json:
            if page == 1:
                raw = (self.fixtures / "lawgokr_iaciac_list.xml").read_bytes()
            else:
                raw = xml_document("Iaciac", {"target": "iaciac", "totalCnt": "934", "page": str(page)})
            return self._send(handler, 200, raw, "application/xml;charset=UTF-8")
        rows = self._rows(target)
        if target == "prec" and params.get("datSrcNm") != "근로복지공단산재판례":
            rows = []  # this fake holds only 근로복지공단's rows
        chunk = rows[(page - 1) * display: page * display]
        entries = []
        for row in chunk:
            entry = {k: row[k] for k in _LIST_FIELDS[target]}
            if target == "prec":
                entry = {"판례일련번호": row["판례정보일련번호"],
                         **{k: v for k, v in entry.items() if k != "판례정보일련번호"},
                         "데이터출처명": "근로복지공단산재판례",
                         "판례상세링크": f"/DRF/lawService.do?OC={self.oc}&target=prec"
                                         f"&ID={row['판례정보일련번호']}&type=HTML"}
            entries.append(entry)
        root = "PrecSearch" if target == "prec" else "Iaciac"
        value: dict[str, Any] = {"target": target, "키워드": "*", "totalCnt": str(len(rows)), "page": str(page)}
        if entries:
            value[target] = entries[0] if len(entries) == 1 and use_json else entries
        self._reply(handler, root, value, use_json)

    def _body(self, handler: BaseHTTPRequestHandler, target: str, doc_id: str, use_json: bool) -> None:
        if target == "iaciac" and self.fixtures is not None and doc_id == "7213" and not use_json:
            raw = (self.fixtures / "lawgokr_iaciac_body_7213.xml").read_bytes()
            return self._send(handler, 200, raw, "application/xml;charset=UTF-8")
        id_field = "판례정보일련번호" if target == "prec" else "결정문일련번호"
        rows = [r for r in self._rows(target) if r[id_field] == doc_id and doc_id not in self.missing_bodies]
        if not rows:
            missing = "일치하는 판례가 없습니다. 판례명을 확인하여 주십시오."
            if use_json:
                return self._reply(handler, "Law", missing, True)
            return self._send(handler, 200, f"<Law>{missing}</Law>".encode(), "application/xml;charset=UTF-8")
        root = "PrecService" if target == "prec" else "IaciacService"
        self._reply(handler, root, rows[0], use_json)
