"""Fake chat servers on 127.0.0.1 speaking the protocols a Hugging Face endpoint can run.

- ``flavor="tgi"``: text-generation-inference. Serves ``GET /info``; JSON output only with
  ``response_format={"type": "json" | "json_object", "value": schema}``; anything else → 422.
- ``flavor="vllm"``: OpenAI-compatible. ``GET /info`` is 404; JSON output only with
  ``{"type": "json_schema", "json_schema": {"schema": ...}}``; a TGI grammar → 400.
Both reject a system turn the way Gemma-2's chat template does, stream Server-Sent Events
(``data: {...}`` … ``data: [DONE]``) and record every request for the tests to inspect.
Tests queue replies in ``script``; when it is empty the server answers ``answer(body)``.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class Status:
    """Answer with this HTTP status and body instead of a stream."""
    code: int
    body: dict[str, Any] | str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Stream:
    """Stream ``text`` (or the default answer when None); optionally end with an error event.

    ``hold``: after the first piece, wait for this event (at most 10 s) before sending the rest.
    ``delay_headers``: seconds to wait before answering at all (for timeout tests).
    """
    text: str | None = None
    error: dict[str, Any] | None = None
    hold: threading.Event | None = None
    delay_headers: float = 0.0


Reply = Status | Stream


def _pieces(text: str, size: int = 7) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


class FakeLLMServer(LoopbackServer):
    def __init__(self, flavor: str = "tgi", *, token: str | None = None,
                 answer: str | Callable[[dict[str, Any]], str] = "네, 연결되었습니다.") -> None:
        assert flavor in ("tgi", "vllm")
        self.flavor = flavor
        self.token = token
        self.answer = answer
        self.script: list[Reply] = []
        self.requests: list[Recorded] = []
        self.stream_finished: list[bool] = []
        self._lock = threading.Lock()
        self._serve(self._handler())

    # ---- lifecycle -------------------------------------------------------------------------

    # ---- what tests read -------------------------------------------------------------------
    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/chat/completions")]

    def all_sent_text(self) -> str:
        return "\n".join(json.dumps(r.body, ensure_ascii=False) for r in self.chat_requests)

    # ---- protocol --------------------------------------------------------------------------
    def _validate(self, body: dict[str, Any]) -> Status | None:
        messages = body.get("messages") or []
        roles = [m.get("role") for m in messages]
        bad_code = 422 if self.flavor == "tgi" else 400
        if "system" in roles:
            return Status(bad_code, {"error": "Template error: System role not supported",
                                     "error_type": "template_error"})
        expected = ["user", "assistant"] * len(roles)
        if roles != expected[: len(roles)]:
            return Status(bad_code, {"error": "Conversation roles must alternate user/assistant/user/assistant/...",
                                     "error_type": "template_error"})
        fmt = body.get("response_format")
        if fmt is not None:
            if self.flavor == "tgi":
                if fmt.get("type") not in ("json", "json_object") or not isinstance(fmt.get("value"), dict):
                    return Status(422, "Failed to deserialize the JSON body into the target type: response_format: "
                                       "unknown variant `json_schema`, expected `json` or `regex`")
            else:
                schema = (fmt.get("json_schema") or {}).get("schema")
                if fmt.get("type") != "json_schema" or not isinstance(schema, dict):
                    return Status(400, {"object": "error",
                                        "message": "1 validation error for ResponseFormat: type: "
                                                   "Input should be 'text', 'json_object' or 'json_schema'",
                                        "type": "BadRequestError", "code": 400})
        return None

    def _chunk(self, content: str, finish: str | None = None) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": "rtzr/ko-gemma-2-9b-it",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": content},
                         "logprobs": None, "finish_reason": finish}],
        }
        if self.flavor == "tgi":
            chunk["system_fingerprint"] = "3.0.1-native"
            chunk["usage"] = None
        return chunk

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _record(self, body: dict[str, Any] | None) -> None:
                with fake._lock:
                    fake.requests.append(Recorded(self.command, self.path,
                                                  {k.lower(): v for k, v in self.headers.items()}, body))

            def _send(self, status: Status) -> None:
                payload = status.body if isinstance(status.body, str) else json.dumps(status.body, ensure_ascii=False)
                data = payload.encode("utf-8")
                self.send_response(status.code)
                self.send_header("Content-Type",
                                 "text/plain; charset=utf-8" if isinstance(status.body, str) else "application/json")
                for key, value in status.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._record(None)
                if self.path == "/info" and fake.flavor == "tgi":
                    self._send(Status(200, {"model_id": "rtzr/ko-gemma-2-9b-it", "router": "text-generation-router",
                                            "version": "3.0.1", "max_input_tokens": 7168, "max_total_tokens": 8192}))
                elif self.path == "/v1/models":
                    self._send(Status(200, {"object": "list",
                                            "data": [{"id": "rtzr/ko-gemma-2-9b-it", "object": "model"}]}))
                else:
                    self._send(Status(404, {"detail": "Not Found"}))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = None
                self._record(body)
                if not self.path.endswith("/chat/completions") or not isinstance(body, dict):
                    self._send(Status(404, {"detail": "Not Found"}))
                    return
                if fake.token and self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._send(Status(401, {"error": "Authorization header is correct, but the token seems invalid"}))
                    return
                with fake._lock:
                    head = fake.script[0] if fake.script else None
                    if isinstance(head, Status):
                        fake.script.pop(0)
                if isinstance(head, Status):
                    self._send(head)
                    return
                invalid = fake._validate(body)
                if invalid is not None:
                    self._send(invalid)
                    return
                with fake._lock:
                    reply = fake.script.pop(0) if fake.script else Stream()
                self._stream(reply, body)

            def _stream(self, reply: Stream, body: dict[str, Any]) -> None:
                if reply.delay_headers:
                    time.sleep(reply.delay_headers)
                text = reply.text if reply.text is not None else (
                    fake.answer(body) if callable(fake.answer) else fake.answer)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                finished = False
                try:
                    for index, piece in enumerate(_pieces(text)):
                        self._event(fake._chunk(piece))
                        if index == 0 and reply.hold is not None:
                            reply.hold.wait(10)
                    if reply.error is not None:
                        self._event(reply.error)
                    else:
                        self._event(fake._chunk("", "stop"))
                        self.wfile.write(b"data: [DONE]\n\n")
                        self.wfile.flush()
                    finished = True
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with fake._lock:
                        fake.stream_finished.append(finished)
                    self.close_connection = True

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

        return Handler
