"""The OpenAI-compatible ``ChatModel``: ko-gemma on a Hugging Face Inference Endpoint (or TGI / vLLM).

It talks through ``huggingface_hub.InferenceClient`` and adds what that client leaves to us: waking a
scaled-to-zero endpoint, limited retries (``services.retry``), the JSON-output shape of the server
family, Gemma's missing system role, cancellation, and Korean error messages.
"""
from __future__ import annotations

import contextlib
import functools
import json
import math
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
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
from core.progress import CancelToken, Progress
from services.ai import errors as E
from services.ai.errors import AIError
from services.ai.gemma_turns import gemma_messages
from services.ai.model import DeltaFn, Message, ProgressFn
from services.ai.names import DEFAULT_GEMMA_MODEL
from services.ai.openai_formats import ENGINES, looks_like_tgi, other_engine, response_format, server_root
from services.retry import RetryPolicy, pause

StatusCallback = Callable[[str], None]
# Gemma-2 reads 8,192 tokens in all; Korean legal text runs close to one token per character.
GEMMA_CONTEXT_TOKENS = 8_192
GEMMA_INPUT_CHARS = 4_000
GEMMA_MAX_OUTPUT_TOKENS = 1_800
# 429/5xx retried three times, 2 s, 4 s, 8 s apart (or after Retry-After, at most 30 s).
SERVER_RETRY = RetryPolicy(attempts=4, backoff=2.0, max_delay=30.0)
ENGINE_LABELS = {"tgi": "TGI", "openai": "OpenAI 호환(vLLM 등)"}
_TIMEOUTS = (InferenceTimeoutError, httpx2.TimeoutException, httpx.TimeoutException, TimeoutError)
_TRANSPORT = (httpx2.TransportError, httpx.TransportError, ConnectionError)
_CONTEXT_WORDS = ("max_total_tokens", "context length", "maximum context", "must be <=", "too long", "max_model_len")


class OpenAICompatModel:
    """``engine``: the server's JSON-output family, "auto" (TGI is recognised by GET /info), "tgi" or "openai"."""

    name = "gemma"
    input_chars = GEMMA_INPUT_CHARS
    context_tokens: int | None = GEMMA_CONTEXT_TOKENS

    def __init__(self, base_url: str, token: str | None = None, model: str | None = None, *,
                 engine: str = "auto", timeout: float = 120.0, max_cold_start_wait: float = 600.0,
                 retry: RetryPolicy = SERVER_RETRY,
                 cold_start_step: float = 2.0, max_output_tokens: int = GEMMA_MAX_OUTPUT_TOKENS) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}")
        if not (base_url or "").strip().lower().startswith(("http://", "https://")):
            raise AIError(E.MSG_BAD_URL, kind="config")
        self.base_url = server_root(base_url)
        self._token = token or None
        self.model_id = model or None
        self.model = self.model_id or DEFAULT_GEMMA_MODEL
        self.engine = engine
        self.timeout = timeout
        self.max_cold_start_wait = max_cold_start_wait
        self.retry = retry
        self.cold_start_step = cold_start_step
        self.max_output_tokens = max_output_tokens
        # The JSON shape that worked (or that /info revealed); kept for the life of the client.
        self._json_engine: str | None = None if engine == "auto" else engine

    def __repr__(self) -> str:  # never show the token
        return f"OpenAICompatModel(base_url={self.base_url!r}, model={self.model!r}, engine={self.engine!r})"

    def close(self) -> None:
        pass  # every request opens and closes its own HTTP client

    # ---- public API -------------------------------------------------------------------------
    def generate(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                 max_tokens: int | None = None, on_delta: DeltaFn | None = None,
                 cancel: CancelToken | None = None, progress: ProgressFn | None = None) -> str:
        """``ChatModel.generate``: the whole reply, streamed to ``on_delta``; waits and retries are
        reported to ``progress`` in Korean."""
        def status(message: str) -> None:
            if progress is not None:
                progress(Progress(0, None, message))

        received: list[str] = []
        stream = self.stream_chat(messages, max_tokens=max_tokens or self.max_output_tokens, json_schema=schema,
                                  cancel=cancel, on_status=status)
        try:
            for piece in stream:
                received.append(piece)
                if on_delta is not None:
                    on_delta(piece)
        finally:
            stream.close()
        return "".join(received)

    def stream_chat(self, messages: list[Message], *, max_tokens: int, json_schema: dict[str, Any] | None = None,
                    temperature: float = 0.2, cancel: CancelToken | None = None,
                    on_status: StatusCallback | None = None) -> Generator[str, None, None]:
        """Yield the answer's text pieces as they arrive. Close the iterator to stop early."""
        turns = gemma_messages(messages)
        if not turns:
            raise ValueError("messages is empty")
        return self._stream(turns, max_tokens, json_schema, temperature, cancel, on_status)

    def check(self, cancel: CancelToken | None = None) -> str:
        """Connection test for the settings page; returns a Korean sentence or raises AIError."""
        engine = self.detect_engine(cancel)
        answer = self.generate([{"role": "user", "content": "연결 확인입니다. '네'라고만 답해 주세요."}],
                               max_tokens=8, cancel=cancel).strip()
        model = f", 모델 {self.model_id}" if self.model_id else ""
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
                on_status: StatusCallback | None) -> Generator[str, None, None]:
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
                # A plain dict on purpose (see services.ai.openai_formats): the client sends it as it is.
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
                        raise AIError(E.MSG_COLD, kind="cold_start", status=503, retryable=True) from None
                    # Ask the proxy to hold the next request until a replica is up (below our read timeout).
                    scale_up = max(1, int(min(left, self.timeout * 0.9)))
                    self._wake_pause(min(self.cold_start_step, left), cancel, on_status, cold_deadline)
                    continue
                if status in (401, 403):
                    raise AIError(E.MSG_AUTH, kind="auth", status=status) from None
                if "paus" in body or "invalid state" in body:
                    raise AIError(E.MSG_PAUSED, kind="paused", status=status) from None
                if status in (400, 413, 422) and any(word in body for word in _CONTEXT_WORDS):
                    raise AIError(E.MSG_CONTEXT, kind="context", status=status) from None
                if status in (400, 422) and engine and not switched_format:
                    engine, switched_format = other_engine(engine), True  # this server wants the other JSON shape
                    continue
                if status == 404:
                    raise AIError(E.MSG_NOT_FOUND, kind="not_found", status=404) from None
                if status == 429 or status >= 500:
                    if not self.retry.allows_retry(retries):
                        if status == 429:
                            raise AIError(E.MSG_RATE, kind="rate_limit", status=429, retryable=True) from None
                        raise E.server_error(status) from None
                    wait = self.retry.delay(retries, _retry_after(exc))
                    retries += 1
                    if on_status is not None:
                        on_status(f"AI 서버가 바빠 {math.ceil(wait)}초 뒤 다시 시도합니다… "
                                  f"({retries}/{self.retry.attempts - 1})")
                    pause(wait, cancel)
                    continue
                raise E.rejected(status) from None
            except BaseException as exc:
                _close(client)
                raise _translate(exc) from None
            try:
                yield from _deltas(chunks, cancel)
            except (Cancelled, GeneratorExit, AIError):
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
        return client.chat_completion(turns, model=self.model_id, stream=True, max_tokens=max_tokens,
                                      temperature=temperature, response_format=fmt)

    def _wake_pause(self, seconds: float, cancel: CancelToken | None, on_status: StatusCallback | None,
                    cold_deadline: float) -> None:
        """Wait between wake-up tries, reporting the cold-start countdown and obeying cancel."""
        def tick(_left: int) -> None:
            if on_status is not None:
                on_status(f"AI 서버를 깨우는 중입니다… 약 {max(1, math.ceil(cold_deadline - time.monotonic()))}초")

        pause(seconds, cancel, tick=tick)


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
    """Map transport and stream failures to AIError; leave anything else as it is."""
    if isinstance(exc, (Cancelled, AIError, KeyboardInterrupt, GeneratorExit)):
        return exc
    if isinstance(exc, OfflineModeIsEnabled):
        return AIError(E.MSG_OFFLINE, kind="offline")
    if isinstance(exc, _TIMEOUTS):
        return AIError(E.MSG_TIMEOUT, kind="timeout", retryable=True)
    if isinstance(exc, OverloadedError):
        return AIError(E.MSG_OVERLOADED, kind="stream", retryable=True)
    if isinstance(exc, TextGenerationError):
        return AIError(E.MSG_STREAM, kind="stream", retryable=True)
    if isinstance(exc, _TRANSPORT):
        return AIError(E.MSG_CONNECT, kind="connection", retryable=True)
    if isinstance(exc, (json.JSONDecodeError, httpx2.DecodingError)):
        return AIError(E.MSG_BROKEN, kind="broken")
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
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
