"""Client for 공공데이터포털 B490001/sjbPrecedentInfoService (근로복지공단 산재보험 판례 판결문)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import httpx

from core.errors import ConfigError
from core.progress import CancelToken
from core.records import Precedent
from services.sources import portal_parse
from services.sources.errors import PortalError
from services.sources.http import RetryPolicy, SourceHttp
from services.sources.portal_parse import PortalPage

DEFAULT_BASE_URL = "https://apis.data.go.kr/B490001/sjbPrecedentInfoService"
OP_PRECEDENTS = "getSjbPrecedentNaeyongPstate"
OP_KIND_A = "getSjbPrecedentResultYuhyeongPstate"
OP_COUNT = "getSjbYuhyeongByCountPstate"
MAX_ROWS = 100
_DEFAULT_RETRY = RetryPolicy()

MISSING_KEY_MESSAGE = (
    "공공데이터포털 인증키가 없습니다. 앱의 '설정' 화면에 인증키를 넣거나, 환경 변수 SANJAE_PORTAL_KEY에 "
    "넣은 뒤 다시 실행해 주세요. 인증키는 공공데이터포털(data.go.kr)에서 "
    f"'{portal_parse.SERVICE_NAME}'를 활용신청하면 마이페이지에서 볼 수 있습니다."
)


def normalize_key(key: str) -> str:
    """Accept the portal's Encoding key and its Decoding key alike.

    httpx percent-encodes query values itself, so it must be given the decoded key; an Encoding key
    (it holds %2B, %2F, %3D …) is decoded once here. A Decoding key has no '%' and stays as it is.
    """
    key = (key or "").strip().strip("\"'").strip()  # a pasted key sometimes keeps its quotes
    if "%" in key:
        return unquote(key)
    return key


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


class PortalClient:
    """The service's operations the app uses: precedents, 판결 결과 codes and counts.

    Raises ``PortalError`` (``PortalQuotaError`` for code 22).
    """

    def __init__(
        self,
        key: str,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy = _DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._key = normalize_key(key)
        if not self._key:
            raise ConfigError(MISSING_KEY_MESSAGE)
        self.base_url = (base_url or DEFAULT_BASE_URL).strip().rstrip("/")
        self._http = SourceHttp(
            label=portal_parse.LABEL,
            error_cls=PortalError,
            headers={"Accept": "application/json"},
            timeout=timeout,
            retry=retry,
            transport=transport,
            http_client=http_client,
            status_errors=portal_parse.status_error,
        )

    def __repr__(self) -> str:  # never show the key
        return f"PortalClient(base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, operation: str, params: dict[str, Any], cancel: CancelToken | None) -> dict[str, Any]:
        query = {"serviceKey": self._key}
        query.update({k: v for k, v in params.items() if v not in (None, "")})
        return self._http.get(f"{self.base_url}/{operation}", query, portal_parse.check_envelope, cancel)

    @staticmethod
    def _filters(kind_a: str | None, kind_b: str | None, kind_c: str | None) -> dict[str, Any]:
        return {"kindA": kind_a, "kindB": kind_b, "kindC": kind_c}

    def precedents_page(
        self,
        page_no: int,
        num_of_rows: int = MAX_ROWS,
        *,
        kind_a: str | None = None,
        kind_b: str | None = None,
        kind_c: str | None = None,
        cancel: CancelToken | None = None,
    ) -> PortalPage:
        """One page of ``getSjbPrecedentNaeyongPstate``: raw items plus totalCount/pageNo/numOfRows."""
        params = {"pageNo": page_no, "numOfRows": num_of_rows, **self._filters(kind_a, kind_b, kind_c)}
        return portal_parse.read_page(self._call(OP_PRECEDENTS, params, cancel))

    def precedents(self, page_no: int, num_of_rows: int = MAX_ROWS,
                   **kwargs: Any) -> tuple[list[Precedent], PortalPage]:
        """Like ``precedents_page`` but also turns the items into ``Precedent`` records."""
        page = self.precedents_page(page_no, num_of_rows, **kwargs)
        fetched_at = now_iso()
        return [portal_parse.item_to_precedent(item, fetched_at) for item in page.items], page

    def kind_a_codes(self, cancel: CancelToken | None = None) -> list[str]:
        """판결 결과 values (취소, 기각, …)."""
        return portal_parse.read_codes(self._call(OP_KIND_A, {"pageNo": 1, "numOfRows": 100}, cancel), "kinda")

    def count(
        self,
        *,
        kind_a: str | None = None,
        kind_b: str | None = None,
        kind_c: str | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """How many precedents match the filters (``getSjbYuhyeongByCountPstate``, ``item.cnt``)."""
        params = {"pageNo": 1, "numOfRows": 10, **self._filters(kind_a, kind_b, kind_c)}
        return portal_parse.read_count(self._call(OP_COUNT, params, cancel))
