"""Client for the 국가법령정보센터 open API (DRF): 근로복지공단 산재판례 and 재심사위원회 재결."""
from __future__ import annotations

from typing import Any

import httpx

from core.errors import ConfigError
from core.progress import CancelToken
from core.records import Precedent
from services.sources import lawgokr_parse
from services.sources.errors import LawGoKrError
from services.sources.http import RetryPolicy, SourceHttp
from services.sources.lawgokr_parse import ListPage
from services.sources.portal import now_iso

DEFAULT_HOST = "https://www.law.go.kr"
KCOMWEL_SOURCE = "근로복지공단산재판례"  # datSrcNm selecting 근로복지공단's 산재 judgments
MAX_DISPLAY = 100
TARGETS = ("prec", "iaciac")
_DEFAULT_RETRY = RetryPolicy()


class LawGoKrClient:
    """List pages and bodies for ``target=prec`` (근로복지공단산재판례 only) and ``target=iaciac``."""

    def __init__(
        self,
        oc: str,
        *,
        base_url: str | None = None,
        response_type: str = "XML",
        timeout: float = 30.0,
        retry: RetryPolicy = _DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._oc = (oc or "").strip()
        if not self._oc:
            raise ConfigError(lawgokr_parse.MISSING_OC_MESSAGE)
        host = (base_url or DEFAULT_HOST).strip().rstrip("/")
        if host.endswith("/DRF"):  # tolerate a setting that already includes /DRF
            host = host[: -len("/DRF")]
        self.host = host
        self.response_type = response_type.upper()
        accept = "application/json" if self.response_type == "JSON" else "application/xml"
        self._http = SourceHttp(
            label=lawgokr_parse.LABEL,
            error_cls=LawGoKrError,
            headers={"Accept": accept},
            timeout=timeout,
            retry=retry,
            transport=transport,
            http_client=http_client,
        )

    def __repr__(self) -> str:  # never show the OC
        return f"LawGoKrClient(host={self.host!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LawGoKrClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, endpoint: str, params: dict[str, Any], cancel: CancelToken | None) -> dict[str, Any]:
        query = {"OC": self._oc, "type": self.response_type, **params}
        return self._http.get(f"{self.host}/DRF/{endpoint}", query, lawgokr_parse.check_answer, cancel)

    def list_page(self, target: str, page: int, display: int = MAX_DISPLAY,
                  cancel: CancelToken | None = None) -> ListPage:
        """One page of ``lawSearch.do``; for ``prec`` only 근로복지공단's 산재 judgments."""
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}")
        params: dict[str, Any] = {"target": target, "display": display, "page": page}
        if target == "prec":
            params["datSrcNm"] = KCOMWEL_SOURCE
        return lawgokr_parse.read_list(self._get("lawSearch.do", params, cancel), target)

    def body(self, target: str, doc_id: str, cancel: CancelToken | None = None) -> dict[str, Any]:
        """The fields of one ``lawService.do`` document (raises ``NotFoundError`` if it is gone)."""
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}")
        doc = self._get("lawService.do", {"target": target, "ID": doc_id}, cancel)
        return lawgokr_parse.read_body(doc, target)

    def record(self, target: str, doc_id: str, entry: dict[str, Any] | None = None,
               cancel: CancelToken | None = None) -> Precedent:
        """Body fetched and turned into a ``Precedent`` (list fields fill what the body leaves blank)."""
        body = self.body(target, doc_id, cancel)
        if target == "prec":
            return lawgokr_parse.prec_to_precedent(doc_id, body, entry, now_iso())
        return lawgokr_parse.iaciac_to_precedent(doc_id, body, entry, now_iso())
