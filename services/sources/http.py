"""One HTTP GET with bounded retries, shared by both source clients (policy: ``services.retry``).

Only transient failures are retried (timeouts, dropped connections, HTTP 5xx/429 and whatever the
source-specific ``interpret`` marks ``retryable``), with exponential backoff that wakes early on
cancel. Messages are built from fixed text only: never from httpx exception text, which carries
the request URL and with it the key.
"""
from __future__ import annotations

import functools
import logging
import re
import ssl
from collections.abc import Callable
from typing import Any

import httpx

from core.progress import CancelToken, check
from services.retry import RetryPolicy as RetryPolicy  # re-exported: the source clients take it from here
from services.retry import pause
from services.sources.errors import SourceError
from services.sources.payload import BodyError, parse_body

_SECRET_PARAM = re.compile(r"(?i)((?:service_?key|oc)=)[^&\s\"']+")


def redact(text: str) -> str:
    """Hide key-like query values (serviceKey=…, OC=…) in a URL or log line."""
    return _SECRET_PARAM.sub(r"\1***", text)


class _RedactSecretsFilter(logging.Filter):
    """httpx logs each request URL at INFO level; keep keys out of any log the app configures."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken log call is not ours to fix; let it through unchanged
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).addFilter(_RedactSecretsFilter())


@functools.lru_cache(maxsize=1)
def _shared_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes a noticeable moment; every client can share one context.
    return httpx.create_ssl_context()


_DEFAULT_RETRY = RetryPolicy()
Interpreter = Callable[[dict[str, Any]], None]
ErrorFactory = Callable[..., SourceError]
# Source-specific meaning of an HTTP status (e.g. 401 = key not recognised); None = use the generic text.
StatusInterpreter = Callable[[int], SourceError | None]


class SourceHttp:
    """GET + parse + interpret + retry for one source (``label`` names it in messages)."""

    def __init__(
        self,
        *,
        label: str,
        error_cls: ErrorFactory,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy = _DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        status_errors: StatusInterpreter | None = None,
    ) -> None:
        self.label = label
        self.status_errors = status_errors
        self.error_cls = error_cls
        self.retry = retry
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            transport=transport, timeout=timeout, headers=headers or {}, follow_redirects=True,
            verify=_shared_ssl_context(),
        )
        if http_client is not None and headers:
            self._extra_headers = headers
        else:
            self._extra_headers = {}

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def get(
        self,
        url: str,
        params: dict[str, Any],
        interpret: Interpreter,
        cancel: CancelToken | None = None,
    ) -> dict[str, Any]:
        last_index = max(1, self.retry.attempts) - 1
        for attempt in range(last_index + 1):
            check(cancel)
            try:
                return self._get_once(url, params, interpret)
            except SourceError as exc:
                if not exc.retryable or attempt >= last_index:
                    raise
                pause(self.retry.delay(attempt), cancel)
        raise AssertionError("unreachable")  # the loop either returns or raises

    def _error(self, text: str, *, retryable: bool = False, code: str) -> SourceError:
        return self.error_cls(text, retryable=retryable, code=code)

    def _get_once(self, url: str, params: dict[str, Any], interpret: Interpreter) -> dict[str, Any]:
        label = self.label
        try:
            response = self._client.get(url, params=params, headers=self._extra_headers or None)
        except httpx.TimeoutException:
            raise self._error(
                f"{label} 서버가 제때 응답하지 않았습니다. 인터넷 연결을 확인하고 잠시 후 다시 시도해 주세요.",
                retryable=True, code="timeout",
            ) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise self._error(
                f"{label} 주소 설정이 올바르지 않습니다. "
                "설정 화면에서 서버 주소를 비우거나 올바른 주소(https://…)로 고쳐 주세요.",
                code="bad-url",
            ) from None
        except httpx.RemoteProtocolError:
            raise self._error(
                f"{label} 서버와의 연결이 중간에 끊겼습니다. 잠시 후 다시 시도해 주세요.",
                retryable=True, code="protocol",
            ) from None
        except httpx.TransportError:
            raise self._error(
                f"{label} 서버에 연결할 수 없습니다. 인터넷 연결을 확인하고 잠시 후 다시 시도해 주세요.",
                retryable=True, code="connect",
            ) from None

        doc: dict[str, Any] | None = None
        body_problem: BodyError | None = None
        try:
            doc = parse_body(response.content)
        except BodyError as exc:
            body_problem = exc
        if doc is not None:
            interpret(doc)  # raises the source's own error envelope, whatever the HTTP status

        status = response.status_code
        if status >= 400 and self.status_errors is not None:
            specific = self.status_errors(status)
            if specific is not None:
                raise specific
        if status >= 500 or status == 429:
            raise self._error(
                f"{label} 서버에 일시적인 문제가 있습니다 (HTTP {status}). 잠시 후 다시 시도해 주세요.",
                retryable=True, code=f"http-{status}",
            )
        if status >= 400:
            raise self._error(
                f"{label} 서버가 요청을 받아들이지 않았습니다 (HTTP {status}). "
                "설정의 서버 주소와 인증 정보를 확인해 주세요.",
                code=f"http-{status}",
            )
        if body_problem is not None:
            if body_problem.kind == "html":
                text = (f"{label} 서버가 자료 대신 웹 페이지(HTML)를 보냈습니다. 서버 점검 중일 수 있으니 잠시 후 다시 "
                        "시도하고, 계속되면 설정의 서버 주소를 확인해 주세요.")
            elif body_problem.kind == "empty":
                text = f"{label} 서버에서 빈 응답이 왔습니다. 잠시 후 다시 시도해 주세요."
            else:
                text = f"{label} 서버에서 받은 응답이 깨져 있거나 중간에 잘렸습니다. 잠시 후 다시 시도해 주세요."
            # An empty or cut-off body is usually a dropped connection: worth another try. A web page is not.
            raise self._error(text, retryable=body_problem.kind != "html", code=f"body-{body_problem.kind}")
        assert doc is not None
        return doc
