"""The Gemini engine: JSON output through ``google-genai`` with streaming, backoff and plain errors.

- Model: a setting (``gemini_model``); the default is the Flash model the installed SDK documents
  as current. URL: ``gemini_url`` points the client at a mirror or a local test server.
- 429 and 5xx are retried a few times with growing pauses (the server's RetryInfo delay when it
  gives one), but only before any text has arrived; the pauses and the stream obey ``cancel``.
- The SDK's own retries stay off, so a cancel never waits behind them.
- Messages are fixed Korean text plus safe values (status code, model name). The key is never
  put in a message: the SDK sends it as the ``x-goog-api-key`` header only.
"""
from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from core.errors import Cancelled
from core.progress import CancelToken, Progress
from services.summaries.engines import DEFAULT_GEMINI_MODEL
from services.summaries.errors import SummaryError  # noqa: I001
from services.summaries.prompts import GEMINI_INPUT_CHARS, GEMINI_MAX_OUTPUT_TOKENS

MSG_NO_KEY = ("Gemini API 키가 설정되어 있지 않습니다. 설정에서 Gemini API 키를 넣거나, "
              "요약 방식을 '자동 발췌'로 바꿔 주세요.")
MSG_BAD_KEY = ("Gemini가 API 키를 받아들이지 않았습니다. 설정의 Gemini API 키가 맞는지 "
               "(Google AI Studio에서 새로 발급받은 키인지) 확인해 주세요.")
MSG_FORBIDDEN = ("Gemini API 키에 이 기능을 쓸 권한이 없습니다(HTTP 403). Google AI Studio에서 키와 "
                 "프로젝트 설정을 확인하거나, 요약 방식을 '자동 발췌'로 바꿔 주세요.")
MSG_RATE = ("Gemini 사용량 한도에 걸렸습니다(잠시 동안 요청이 너무 많음). 1~2분 뒤 다시 시도하거나, "
            "요약 방식을 '자동 발췌'로 바꿔 주세요.")
MSG_SERVER = "Gemini 서버에 일시적인 문제가 있습니다(HTTP {status}). 잠시 후 다시 시도해 주세요."
MSG_TIMEOUT = "Gemini의 응답이 너무 늦어 기다리기를 멈췄습니다. 잠시 후 다시 시도해 주세요."
MSG_CONNECT = "Gemini 서버에 연결할 수 없습니다. 인터넷 연결과 설정의 Gemini 주소를 확인해 주세요."
MSG_MODEL = ("설정한 Gemini 모델 '{model}'을(를) 찾을 수 없습니다. 설정에서 모델 이름을 지우면 "
             "기본 모델({default})을 씁니다.")
MSG_TOO_LONG = "보낸 글이 Gemini가 한 번에 읽을 수 있는 길이를 넘었습니다. 글을 줄여 다시 시도해 주세요."
MSG_REJECTED = "Gemini가 요청을 받아들이지 않았습니다(HTTP {status}). 잠시 후 다시 시도하거나 '자동 발췌'를 써 보세요."
MSG_BLOCKED = ("Gemini가 안전 기준에 걸린다며 이 글의 요약을 거절했습니다. 판결문에 폭력·질병 등에 대한 "
               "묘사가 있으면 이런 일이 생깁니다. 요약 방식을 '자동 발췌'로 바꾸면 요약을 볼 수 있습니다.")
MSG_RECITATION = ("Gemini가 원문을 그대로 옮기는 답이 될 수 있다며 멈췄습니다. '다시 요약'을 누르거나 "
                  "'자동 발췌'를 써 보세요.")

_SAFETY_FINISH = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY"}
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}
_KEY_WORDS = ("API_KEY_INVALID", "API key not valid", "API key expired", "API_KEY_EXPIRED")
_TOO_LONG_WORDS = ("exceeds the maximum number of tokens", "input token count", "too long")

Turn = tuple[str, str]          # (role "user" | "model", text)
ProgressFn = Callable[[Progress], None]


class GeminiEngine:
    name = "gemini"
    input_chars = GEMINI_INPUT_CHARS

    def __init__(self, api_key: str, model: str | None = None, base_url: str | None = None, *,
                 timeout: float = 120.0, max_attempts: int = 4, base_delay: float = 2.0,
                 max_delay: float = 30.0, max_output_tokens: int = GEMINI_MAX_OUTPUT_TOKENS) -> None:
        if not (api_key or "").strip():
            raise SummaryError(MSG_NO_KEY)
        self.model = (model or "").strip() or DEFAULT_GEMINI_MODEL
        self.base_url = (base_url or "").strip() or None
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_output_tokens = max_output_tokens
        options = types.HttpOptions(timeout=int(timeout * 1000), base_url=self.base_url)
        self._client = genai.Client(api_key=api_key.strip(), http_options=options)

    def __repr__(self) -> str:  # the key stays out of reprs and tracebacks
        return f"GeminiEngine(model={self.model!r}, base_url={self.base_url!r})"

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> GeminiEngine:
        return cls(settings.get("gemini_key") or "", settings.get("gemini_model"), settings.get("gemini_url"),
                   **kwargs)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.close()

    # ------------------------------------------------------------------ public
    def generate(self, turns: list[Turn], schema: dict[str, Any], *,
                 on_delta: Callable[[str], None] | None = None, cancel: CancelToken | None = None,
                 progress: ProgressFn | None = None) -> str:
        """The model's whole reply to ``turns`` (JSON text), streamed to ``on_delta`` as it comes."""
        contents = [types.Content(role=role, parts=[types.Part(text=text)]) for role, text in turns]
        config = types.GenerateContentConfig(
            response_mime_type="application/json",
            response_json_schema=schema,
            temperature=0.2,
            max_output_tokens=self.max_output_tokens,
        )
        attempt = 0
        while True:
            attempt += 1
            _check(cancel)
            received: list[str] = []
            try:
                for piece in self._stream(contents, config, cancel):
                    received.append(piece)
                    if on_delta is not None:
                        on_delta(piece)
                return "".join(received)
            except genai_errors.APIError as exc:
                status = int(exc.code or 0)
                if status in _RETRY_STATUS and not received and attempt < self.max_attempts:
                    wait = self._delay(exc, attempt)
                    if progress is not None:
                        progress(Progress(attempt, self.max_attempts,
                                          f"Gemini가 바빠 {wait:.0f}초 뒤 다시 시도합니다… "
                                          f"({attempt}/{self.max_attempts - 1})"))
                    _sleep(wait, cancel)
                    continue
                raise self._translate_api_error(exc) from None

    # ------------------------------------------------------------------ internals
    def _stream(self, contents: list[types.Content], config: types.GenerateContentConfig,
                cancel: CancelToken | None) -> Iterator[str]:
        """Text pieces of one streamed call. The HTTP read runs in a worker thread so that a
        cancel returns at once even while the server is silent."""
        pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def work() -> None:
            stream = None
            try:
                stream = self._client.models.generate_content_stream(model=self.model, contents=contents,
                                                                     config=config)
                for chunk in stream:
                    if stop.is_set():
                        break
                    pieces.put(("chunk", chunk))
                pieces.put(("end", None))
            except BaseException as exc:  # handed to the reading side as is
                pieces.put(("error", exc))
            finally:
                if isinstance(stream, Generator):  # what the client returns; typed as a plain Iterator
                    with contextlib.suppress(Exception):
                        stream.close()

        thread = threading.Thread(target=work, name="gemini-stream", daemon=True)
        thread.start()
        finish_reason = ""
        try:
            while True:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                try:
                    kind, value = pieces.get(timeout=0.1)
                except queue.Empty:
                    continue
                if kind == "end":
                    break
                if kind == "error":
                    raise _translate_transport(value)
                text, finish = _read_chunk(value)
                finish_reason = finish or finish_reason
                if text:
                    yield text
        finally:
            stop.set()
        if finish_reason in _SAFETY_FINISH:
            raise SummaryError(MSG_BLOCKED)
        if finish_reason == "RECITATION":
            raise SummaryError(MSG_RECITATION)

    def _delay(self, exc: genai_errors.APIError, attempt: int) -> float:
        hinted = _retry_delay_hint(exc)
        delay = hinted if hinted is not None else self.base_delay * (2 ** (attempt - 1))
        return max(0.0, min(self.max_delay, delay))

    def _translate_api_error(self, exc: genai_errors.APIError) -> SummaryError:
        status = int(exc.code or 0)
        text = f"{exc.status or ''} {exc.message or ''} {_details_text(exc)}"
        if any(word in text for word in _KEY_WORDS) or status == 401:
            return SummaryError(MSG_BAD_KEY)
        if status == 403:
            return SummaryError(MSG_FORBIDDEN)
        if status == 404:
            return SummaryError(MSG_MODEL.format(model=self.model, default=DEFAULT_GEMINI_MODEL))
        if status == 429:
            return SummaryError(MSG_RATE, retryable=True)
        if status >= 500 or status == 408:
            return SummaryError(MSG_SERVER.format(status=status), retryable=True)
        if status == 400 and any(word in text for word in _TOO_LONG_WORDS):
            return SummaryError(MSG_TOO_LONG)
        return SummaryError(MSG_REJECTED.format(status=status))


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


def _sleep(seconds: float, cancel: CancelToken | None) -> None:
    token = cancel or CancelToken()
    token.wait(seconds)


def _read_chunk(chunk: types.GenerateContentResponse) -> tuple[str, str]:
    """(answer text without thought parts, finish reason) of one streamed chunk; raises on a block."""
    feedback = chunk.prompt_feedback
    if feedback is not None and feedback.block_reason:
        raise SummaryError(MSG_BLOCKED)
    if not chunk.candidates:
        return "", ""
    candidate = chunk.candidates[0]
    finish = candidate.finish_reason
    finish_name = getattr(finish, "value", finish) or ""
    text = ""
    if candidate.content is not None and candidate.content.parts:
        text = "".join(part.text for part in candidate.content.parts
                       if isinstance(part.text, str) and not part.thought)
    return text, str(finish_name)


def _translate_transport(exc: BaseException) -> BaseException:
    if isinstance(exc, (genai_errors.APIError, SummaryError, Cancelled)):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return SummaryError(MSG_TIMEOUT, retryable=True)
    if isinstance(exc, (httpx.TransportError, ConnectionError)):
        return SummaryError(MSG_CONNECT, retryable=True)
    if type(exc).__module__.startswith("httpx2"):
        name = type(exc).__name__
        if "Timeout" in name:
            return SummaryError(MSG_TIMEOUT, retryable=True)
        return SummaryError(MSG_CONNECT, retryable=True)
    return exc


def _details_text(exc: genai_errors.APIError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    error = details.get("error", details) if isinstance(details, dict) else {}
    reasons = []
    for item in (error.get("details") or []) if isinstance(error, dict) else []:
        if isinstance(item, dict) and item.get("reason"):
            reasons.append(str(item["reason"]))
    return " ".join(reasons)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def _retry_delay_hint(exc: genai_errors.APIError) -> float | None:
    """The ``google.rpc.RetryInfo`` delay ("20s") a 429 answer may carry."""
    details = exc.details if isinstance(exc.details, dict) else {}
    error = details.get("error", details) if isinstance(details, dict) else {}
    for item in (error.get("details") or []) if isinstance(error, dict) else []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("RetryInfo"):
            match = _DURATION.match(str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def check(settings: Any, cancel: CancelToken | None = None) -> str:
    """Connection test for the settings page: one short call; a Korean sentence or ``SummaryError``."""
    engine = GeminiEngine.from_settings(settings, max_attempts=1, timeout=30.0, max_output_tokens=256)
    try:
        schema = {"type": "object", "properties": {"ok": {"type": "string"}}, "required": ["ok"]}
        engine.generate([("user", '연결 확인입니다. {"ok": "네"} 를 그대로 답해 주세요.')], schema, cancel=cancel)
    finally:
        engine.close()
    return f"Gemini와 연결되었습니다 (모델 {engine.model})."
