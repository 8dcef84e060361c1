"""The Gemini ``ChatModel``: ``google-genai`` with streaming, backoff and plain Korean errors.

- Model: a setting (``gemini_model``); the default is the Flash model the installed SDK documents
  as current. URL: ``gemini_url`` points the client at a mirror or a local test server.
- 429 and 5xx are retried a few times with growing pauses (``services.retry``; the server's RetryInfo
  delay when it gives one), but only before any text has arrived; the pauses and the stream obey
  ``cancel``.
- With a schema the answer is JSON (``response_json_schema``); without one, plain text. A system
  message becomes the system instruction; "assistant" turns are Gemini's "model" turns.
- The SDK's own retries stay off, so a cancel never waits behind them.
- Messages are fixed Korean text plus safe values (status code, model name). The key is never
  put in a message: the SDK sends it as the ``x-goog-api-key`` header only.
"""
from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Generator, Iterator
from typing import Any

import httpx
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from core.errors import Cancelled
from core.progress import CancelToken, Progress, check
from services.ai import errors as E
from services.ai.errors import AIError
from services.ai.model import DeltaFn, Message, ProgressFn
from services.ai.names import DEFAULT_GEMINI_MODEL
from services.retry import RetryPolicy, pause

# Gemini reads a whole judgment easily.
GEMINI_INPUT_CHARS = 60_000
GEMINI_MAX_OUTPUT_TOKENS = 8_192

# Before any text arrives: 429/5xx retried three times, 2 s, 4 s, 8 s apart (or as the server asks).
GEMINI_RETRY = RetryPolicy(attempts=4, backoff=2.0, max_delay=30.0)
_SAFETY_FINISH = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY"}
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}
_KEY_WORDS = ("API_KEY_INVALID", "API key not valid", "API key expired", "API_KEY_EXPIRED")
_TOO_LONG_WORDS = ("exceeds the maximum number of tokens", "input token count", "too long")


class GeminiModel:
    name = "gemini"
    input_chars = GEMINI_INPUT_CHARS
    context_tokens: int | None = None  # large enough that prompts are not budgeted in tokens

    def __init__(self, api_key: str, model: str | None = None, base_url: str | None = None, *,
                 timeout: float = 120.0, retry: RetryPolicy = GEMINI_RETRY,
                 max_output_tokens: int = GEMINI_MAX_OUTPUT_TOKENS) -> None:
        if not (api_key or "").strip():
            raise AIError(E.GEMINI_NO_KEY, kind="config")
        self.model = (model or "").strip() or DEFAULT_GEMINI_MODEL
        self.base_url = (base_url or "").strip() or None
        self.timeout = timeout
        self.retry = retry
        self.max_output_tokens = max_output_tokens
        options = types.HttpOptions(timeout=int(timeout * 1000), base_url=self.base_url)
        self._client = genai.Client(api_key=api_key.strip(), http_options=options)

    def __repr__(self) -> str:  # the key stays out of reprs and tracebacks
        return f"GeminiModel(model={self.model!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.close()

    # ------------------------------------------------------------------ public
    def generate(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                 max_tokens: int | None = None, on_delta: DeltaFn | None = None,
                 cancel: CancelToken | None = None, progress: ProgressFn | None = None) -> str:
        """``ChatModel.generate``: the whole reply, streamed to ``on_delta`` as it comes."""
        system = "\n\n".join(m["content"] for m in messages if m.get("role") == "system" and m.get("content"))
        contents = [types.Content(role="model" if m.get("role") == "assistant" else "user",
                                  parts=[types.Part(text=m.get("content") or "")])
                    for m in messages if m.get("role") != "system"]
        config = types.GenerateContentConfig(
            system_instruction=system or None,
            response_mime_type="application/json" if schema is not None else None,
            response_json_schema=schema,
            temperature=0.2,
            max_output_tokens=max_tokens or self.max_output_tokens,
        )
        attempt = 0
        while True:
            check(cancel)
            received: list[str] = []
            try:
                for piece in self._stream(contents, config, cancel):
                    received.append(piece)
                    if on_delta is not None:
                        on_delta(piece)
                return "".join(received)
            except genai_errors.APIError as exc:
                status = int(exc.code or 0)
                if status in _RETRY_STATUS and not received and self.retry.allows_retry(attempt):
                    wait = self.retry.delay(attempt, _retry_delay_hint(exc))
                    attempt += 1
                    if progress is not None:
                        progress(Progress(attempt, self.retry.attempts,
                                          f"Gemini가 바빠 {wait:.0f}초 뒤 다시 시도합니다… "
                                          f"({attempt}/{self.retry.attempts - 1})"))
                    pause(wait, cancel)
                    continue
                raise self._translate_api_error(exc) from None

    def check(self, cancel: CancelToken | None = None) -> str:
        """Connection test for the settings page: one short call; a Korean sentence or ``AIError``."""
        schema = {"type": "object", "properties": {"ok": {"type": "string"}}, "required": ["ok"]}
        self.generate([{"role": "user", "content": '연결 확인입니다. {"ok": "네"} 를 그대로 답해 주세요.'}],
                      schema=schema, max_tokens=256, cancel=cancel)
        return f"Gemini와 연결되었습니다 (모델 {self.model})."

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
            raise AIError(E.GEMINI_BLOCKED, kind="blocked")
        if finish_reason == "RECITATION":
            raise AIError(E.GEMINI_RECITATION, kind="blocked")

    def _translate_api_error(self, exc: genai_errors.APIError) -> AIError:
        status = int(exc.code or 0)
        text = f"{exc.status or ''} {exc.message or ''} {_details_text(exc)}"
        if any(word in text for word in _KEY_WORDS) or status == 401:
            return AIError(E.GEMINI_BAD_KEY, kind="auth", status=status)
        if status == 403:
            return AIError(E.GEMINI_FORBIDDEN, kind="auth", status=status)
        if status == 404:
            return AIError(E.GEMINI_MODEL.format(model=self.model, default=DEFAULT_GEMINI_MODEL), kind="not_found",
                           status=status)
        if status == 429:
            return AIError(E.GEMINI_RATE, kind="rate_limit", status=status, retryable=True)
        if status >= 500 or status == 408:
            return AIError(E.GEMINI_SERVER.format(status=status), kind="server", status=status, retryable=True)
        if status == 400 and any(word in text for word in _TOO_LONG_WORDS):
            return AIError(E.GEMINI_TOO_LONG, kind="context", status=status)
        return AIError(E.GEMINI_REJECTED.format(status=status), kind="rejected", status=status)


def _read_chunk(chunk: types.GenerateContentResponse) -> tuple[str, str]:
    """(answer text without thought parts, finish reason) of one streamed chunk; raises on a block."""
    feedback = chunk.prompt_feedback
    if feedback is not None and feedback.block_reason:
        raise AIError(E.GEMINI_BLOCKED, kind="blocked")
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
    if isinstance(exc, (genai_errors.APIError, AIError, Cancelled)):
        return exc
    timeout = AIError(E.GEMINI_TIMEOUT, kind="timeout", retryable=True)
    connect = AIError(E.GEMINI_CONNECT, kind="connection", retryable=True)
    if isinstance(exc, httpx.TimeoutException):
        return timeout
    if isinstance(exc, (httpx.TransportError, ConnectionError)):
        return connect
    if type(exc).__module__.startswith("httpx2"):
        return timeout if "Timeout" in type(exc).__name__ else connect
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
