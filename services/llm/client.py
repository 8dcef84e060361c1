"""The one OpenAI-compatible chat client behind every Gemma feature.

It talks to a Hugging Face Inference Endpoint (or any TGI / vLLM server) through
``huggingface_hub.InferenceClient`` and adds what that client leaves to us: waking a
scaled-to-zero endpoint, limited retries, the JSON-output shape of the server family,
Gemma's missing system role, cancellation, and Korean error messages.
"""
from __future__ import annotations

import contextlib
import functools
import json
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

import httpx
import httpx2
from huggingface_hub import ChatCompletionInputGrammarType, ChatCompletionStreamOutput, InferenceClient
from huggingface_hub.errors import (
    HfHubHTTPError,
    InferenceTimeoutError,
    OfflineModeIsEnabled,
    OverloadedError,
    TextGenerationError,
)

from core.errors import Cancelled
from core.progress import CancelToken
from services.llm import errors as E
from services.llm.errors import LLMError
from services.llm.formats import ENGINES, looks_like_tgi, other_engine, response_format, server_root
from services.llm.messages import gemma_messages

StatusCallback = Callable[[str], None]
ENGINE_LABELS = {"tgi": "TGI", "openai": "OpenAI 호환(vLLM 등)"}
_TIMEOUTS = (InferenceTimeoutError, httpx2.TimeoutException, httpx.TimeoutException, TimeoutError)
_TRANSPORT = (httpx2.TransportError, httpx.TransportError, ConnectionError)
_CONTEXT_WORDS = ("max_total_tokens", "context length", "maximum context", "must be <=", "too long", "max_model_len")


class LLMClient:
    def __init__(self, base_url: str, token: str | None = None, model: str | None = None, *,
                 engine: str = "auto", timeout: float = 120.0, max_cold_start_wait: float = 600.0,
                 retry_delay: float = 2.0, max_retries: int = 3) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}")
        if not (base_url or "").strip().lower().startswith(("http://", "https://")):
            raise LLMError("AI 서버 주소는 http:// 또는 https:// 로 시작해야 합니다. Hugging Face 엔드포인트 화면의 "
                           "주소를 그대로 붙여 넣어 주세요.", kind="config")
        self.base_url = server_root(base_url)
        self._token = token or None
        self.model = model or None
        self.engine = engine
        self.timeout = timeout
        self.max_cold_start_wait = max_cold_start_wait
        self.retry_delay = retry_delay
        self.max_retries = max_retries
        # The JSON shape that worked (or that /info revealed); kept for the life of the client.
        self._json_engine: str | None = None if engine == "auto" else engine

    def __repr__(self) -> str:  # never show the token
        return f"LLMClient(base_url={self.base_url!r}, model={self.model!r}, engine={self.engine!r})"

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> LLMClient | None:
        """A client for the configured endpoint, or None when no AI server address is set."""
        url = (settings.get("llm_url") or "").strip()
        if not url:
            return None
        return cls(url, settings.get("hf_token") or None, settings.get("llm_model") or None, **kwargs)

    # ---- public API -------------------------------------------------------------------------
    def stream_chat(self, messages: list[dict[str, Any]], *, max_tokens: int, json_schema: dict[str, Any] | None = None,
                    temperature: float = 0.2, cancel: CancelToken | None = None,
                    on_status: StatusCallback | None = None) -> Iterator[str]:
        """Yield the answer's text pieces as they arrive. Close the iterator to stop early."""
        turns = gemma_messages(messages)
        if not turns:
            raise ValueError("messages is empty")
        return self._stream(turns, max_tokens, json_schema, temperature, cancel, on_status)

    def chat(self, messages: list[dict[str, Any]], *, max_tokens: int, json_schema: dict[str, Any] | None = None,
             temperature: float = 0.2, cancel: CancelToken | None = None,
             on_status: StatusCallback | None = None) -> str:
        return "".join(self.stream_chat(messages, max_tokens=max_tokens, json_schema=json_schema,
                                        temperature=temperature, cancel=cancel, on_status=on_status))

    def check(self, cancel: CancelToken | None = None) -> str:
        """Connection test for the settings page; returns a Korean sentence or raises LLMError."""
        engine = self.detect_engine(cancel)
        answer = self.chat([{"role": "user", "content": "연결 확인입니다. '네'라고만 답해 주세요."}],
                           max_tokens=8, cancel=cancel).strip()
        model = f", 모델 {self.model}" if self.model else ""
        heard = f" 시험 답변: “{answer[:30]}”" if answer else ""
        return f"AI 서버와 연결되었습니다 ({ENGINE_LABELS[engine]} 방식{model}).{heard}"

    def detect_engine(self, cancel: CancelToken | None = None) -> str:
        """'tgi' or 'openai'. In auto mode TGI is recognised by its GET /info answer."""
        if self._json_engine:
            return self._json_engine
        if cancel is not None:
            cancel.raise_if_cancelled()
        status, info = _cancellable(self._get_info, cancel)  # up to 10 s against a silent server
        if looks_like_tgi(info):
            self._json_engine = "tgi"
        elif status is not None and status < 500:
            self._json_engine = "openai"  # a definite answer that is not TGI's
        else:
            return "openai"  # server asleep or unreachable: guess, decide later
        return self._json_engine

    # ---- internals --------------------------------------------------------------------------
    def _get_info(self) -> tuple[int | None, dict[str, Any] | None]:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        try:
            response = httpx.get(f"{self.base_url}/info", headers=headers, timeout=min(10.0, self.timeout))
        except Exception:
            return None, None
        try:
            body = response.json() if response.status_code == 200 else None
        except ValueError:
            body = None
        return response.status_code, body if isinstance(body, dict) else None

    def _inference_client(self, scale_up_seconds: int | None) -> InferenceClient:
        headers = {"X-Scale-Up-Timeout": str(scale_up_seconds)} if scale_up_seconds else None
        return InferenceClient(base_url=self.base_url, token=self._token, timeout=self.timeout, headers=headers)

    def _stream(self, turns: list[dict[str, str]], max_tokens: int, json_schema: dict[str, Any] | None,
                temperature: float, cancel: CancelToken | None,
                on_status: StatusCallback | None) -> Iterator[str]:
        engine = self.detect_engine(cancel) if json_schema is not None else None
        switched_format = False
        cold_deadline: float | None = None
        scale_up: int | None = None
        retries = 0
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            client = self._inference_client(scale_up)
            try:
                # A plain dict on purpose (see services.llm.formats): the client sends it as it is.
                fmt = cast(ChatCompletionInputGrammarType | None,
                           response_format(engine, json_schema) if engine and json_schema is not None else None)
                chunks = _cancellable(functools.partial(self._open_stream, client, turns, max_tokens, temperature, fmt),
                                      cancel)
            except HfHubHTTPError as exc:
                _close(client)
                status = exc.response.status_code if exc.response is not None else 0
                body = _body_text(exc).lower()
                if status == 503 and "paus" not in body:
                    now = time.monotonic()
                    cold_deadline = cold_deadline or now + self.max_cold_start_wait
                    left = cold_deadline - now
                    if left <= 0:
                        raise LLMError(E.MSG_COLD, kind="cold_start", status=503, retryable=True) from None
                    # Ask the proxy to hold the next request until a replica is up (below our read timeout).
                    scale_up = max(1, int(min(left, self.timeout * 0.9)))
                    self._pause(min(self.retry_delay, left), cancel, on_status, cold_deadline)
                    continue
                if status in (401, 403):
                    raise LLMError(E.MSG_AUTH, kind="auth", status=status) from None
                if "paus" in body or "invalid state" in body:
                    raise LLMError(E.MSG_PAUSED, kind="paused", status=status) from None
                if status in (400, 413, 422) and any(word in body for word in _CONTEXT_WORDS):
                    raise LLMError(E.MSG_CONTEXT, kind="context", status=status) from None
                if status in (400, 422) and engine and not switched_format:
                    engine, switched_format = other_engine(engine), True  # this server wants the other JSON shape
                    continue
                if status == 404:
                    raise LLMError(E.MSG_NOT_FOUND, kind="not_found", status=404) from None
                if status == 429 or status >= 500:
                    if retries >= self.max_retries:
                        if status == 429:
                            raise LLMError(E.MSG_RATE, kind="rate_limit", status=429, retryable=True) from None
                        raise E.server_error(status) from None
                    wait = _retry_after(exc) or self.retry_delay * (2 ** retries)
                    retries += 1
                    if on_status is not None:
                        on_status(f"AI 서버가 바빠 {math.ceil(wait)}초 뒤 다시 시도합니다… "
                                  f"({retries}/{self.max_retries})")
                    self._pause(wait, cancel, None, None)
                    continue
                raise E.rejected(status) from None
            except BaseException as exc:
                _close(client)
                raise _translate(exc) from None
            try:
                yield from _deltas(chunks, cancel)
            except (Cancelled, GeneratorExit, LLMError):
                raise
            except BaseException as exc:
                raise _translate(exc) from None
            finally:
                _close(client)  # closes the HTTP response, so a stopped stream frees the server at once
            if engine:
                self._json_engine = engine
            return

    def _open_stream(self, client: InferenceClient, turns: list[dict[str, str]], max_tokens: int,
                     temperature: float, fmt: ChatCompletionInputGrammarType | None,
                     ) -> Iterable[ChatCompletionStreamOutput]:
        return client.chat_completion(turns, model=self.model, stream=True, max_tokens=max_tokens,
                                      temperature=temperature, response_format=fmt)

    def _pause(self, seconds: float, cancel: CancelToken | None, on_status: StatusCallback | None,
               cold_deadline: float | None) -> None:
        """Sleep in steps of at most a second, reporting the cold-start countdown and obeying cancel."""
        end = time.monotonic() + max(0.0, seconds)
        while True:
            now = time.monotonic()
            if on_status is not None and cold_deadline is not None:
                on_status(f"AI 서버를 깨우는 중입니다… 약 {max(1, math.ceil(cold_deadline - now))}초")
            left = end - now
            if left <= 0:
                return
            step = min(1.0, left)
            if cancel is not None:
                cancel.wait(step)
            else:
                time.sleep(step)


_T = TypeVar("_T")


def _close(client: InferenceClient) -> None:
    client.close()  # type: ignore[no-untyped-call]  # huggingface_hub leaves close() unannotated


def _cancellable(call: Callable[[], _T], cancel: CancelToken | None) -> _T:
    """``call()``, but a cancel returns at once even while a silent server keeps the read blocked
    (the HTTP read runs in a worker thread; closing the client afterwards ends it)."""
    if cancel is None:
        return call()
    values: list[_T] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            values.append(call())
        except BaseException as exc:  # handed to the caller as is
            errors.append(exc)
        finally:
            done.set()

    threading.Thread(target=work, name="llm-read", daemon=True).start()
    while not done.wait(0.1):
        if cancel.cancelled:
            raise Cancelled()
    if errors:
        raise errors[0]
    return values[0]


def _deltas(chunks: Iterable[ChatCompletionStreamOutput], cancel: CancelToken | None) -> Iterator[str]:
    iterator = iter(chunks)
    while True:
        chunk = _cancellable(lambda: next(iterator, None), cancel)
        if chunk is None:
            return
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        for choice in chunk.choices or []:
            content = choice.delta.content if choice.delta is not None else None
            if content:
                yield content


def _translate(exc: BaseException) -> BaseException:
    """Map transport and stream failures to LLMError; leave anything else as it is."""
    if isinstance(exc, (Cancelled, LLMError, KeyboardInterrupt, GeneratorExit)):
        return exc
    if isinstance(exc, OfflineModeIsEnabled):
        return LLMError(E.MSG_OFFLINE, kind="offline")
    if isinstance(exc, _TIMEOUTS):
        return LLMError(E.MSG_TIMEOUT, kind="timeout", retryable=True)
    if isinstance(exc, OverloadedError):
        return LLMError(E.MSG_OVERLOADED, kind="stream", retryable=True)
    if isinstance(exc, TextGenerationError):
        return LLMError(E.MSG_STREAM, kind="stream", retryable=True)
    if isinstance(exc, _TRANSPORT):
        return LLMError(E.MSG_CONNECT, kind="connection", retryable=True)
    if isinstance(exc, (json.JSONDecodeError, httpx2.DecodingError)):
        return LLMError(E.MSG_BROKEN, kind="broken")
    return exc


def _body_text(exc: HfHubHTTPError) -> str:
    parts = [str(exc.server_message or "")]
    response = exc.response
    if response is not None:
        try:
            parts.append(response.text)
        except Exception:
            with contextlib.suppress(Exception):
                parts.append(response.read().decode("utf-8", "replace"))
    return " ".join(parts)


def _retry_after(exc: HfHubHTTPError) -> float | None:
    value = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        return min(30.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None
