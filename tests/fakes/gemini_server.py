"""Local HTTP servers speaking the Gemini REST API and the OpenAI chat API, for summary tests.

``FakeGemini`` answers the paths google-genai 3.3.0 calls for an API-key client:
``POST /{version}/models/{model}:generateContent`` and
``POST /{version}/models/{model}:streamGenerateContent?alt=sse`` (SSE ``data: {...}`` events).
``FakeOpenAI`` answers ``POST .../v1/chat/completions`` (streamed as SSE ending in ``[DONE]``), and
``GET /info`` with 404 so the client treats it as an OpenAI-style (vLLM) server.

Each server plays a script of replies in order (then repeats the default) and records every call.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    kind: str = "text"          # text | error | block | finish_safety | hang
    text: str = ""
    status: int = 200
    error: dict[str, Any] | None = None
    finish_reason: str = "STOP"
    delay: float = 0.0


def text(value: str, finish_reason: str = "STOP") -> Reply:
    return Reply("text", text=value, finish_reason=finish_reason)


def error(status: int, reason: str = "", message: str = "error", retry_delay: str | None = None) -> Reply:
    status_names = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                    429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
    details: list[dict[str, Any]] = []
    if reason:
        details.append({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                        "domain": "googleapis.com"})
    if retry_delay:
        details.append({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay})
    body = {"error": {"code": status, "message": message, "status": status_names.get(status, "UNKNOWN"),
                      "details": details}}
    return Reply("error", status=status, error=body)


def bad_key() -> Reply:
    return error(400, "API_KEY_INVALID", "API key not valid. Please pass a valid API key.")


def block() -> Reply:
    return Reply("block")


def finish_safety() -> Reply:
    return Reply("finish_safety")


def hang(seconds: float) -> Reply:
    return Reply("hang", delay=seconds)


def _candidate(text_value: str, finish: str | None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text_value}]}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    return candidate


def _usage() -> dict[str, Any]:
    return {"promptTokenCount": 10, "candidatesTokenCount": 10, "totalTokenCount": 20}


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1:0 running in a thread, with a reply script."""

    def __init__(self, default: Reply | None = None) -> None:
        self.script: list[Reply] = []
        self.default = default or Reply("text", text="{}")
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control
    def start(self) -> _Server:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                owner._handle(self, "GET")

            def do_POST(self) -> None:
                owner._handle(self, "POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> _Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def _next(self) -> Reply:
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    # -- plumbing
    def _read(self, handler: BaseHTTPRequestHandler) -> Any:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            return json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _send_json(self, handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _send_sse(self, handler: BaseHTTPRequestHandler, events: list[str]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Connection", "close")
        handler.end_headers()
        for event in events:
            handler.wfile.write(f"data: {event}\r\n\r\n".encode())
            handler.wfile.flush()
        handler.close_connection = True

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raise NotImplementedError


_GEMINI_PATH = re.compile(r"^/(?P<version>v1(?:beta|alpha)?)/models/(?P<model>[^/:]+)"
                          r":(?P<op>generateContent|streamGenerateContent)")


class FakeGemini(_Server):
    """Gemini REST: replies come from ``queue(...)``; ``calls`` holds path, model, op, headers, body."""

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        body = self._read(handler)
        match = _GEMINI_PATH.match(handler.path)
        call = {"method": method, "path": handler.path, "headers": dict(handler.headers), "body": body,
                "model": match["model"] if match else None, "op": match["op"] if match else None,
                "version": match["version"] if match else None}
        with self._lock:
            self.calls.append(call)
        if method != "POST" or not match:
            self._send_json(handler, 404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})
            return
        reply = self._next()
        stream = match["op"] == "streamGenerateContent"
        if reply.kind == "hang":
            time.sleep(reply.delay)
            reply = Reply("text", text="{}")
        if reply.kind == "error":
            self._send_json(handler, reply.status, reply.error)
            return
        if reply.kind == "block":
            bodies = [{"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": _usage()}]
        elif reply.kind == "finish_safety":
            bodies = [{"candidates": [{"finishReason": "SAFETY", "index": 0,
                                       "safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT",
                                                          "probability": "HIGH", "blocked": True}]}],
                       "usageMetadata": _usage()}]
        else:
            pieces = _split(reply.text, 3) if stream else [reply.text]
            bodies = []
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1
                bodies.append({"candidates": [_candidate(piece, reply.finish_reason if last else None)],
                               "usageMetadata": _usage(), "modelVersion": match["model"]})
        if stream:
            self._send_sse(handler, [json.dumps(b, ensure_ascii=False) for b in bodies])
        else:
            self._send_json(handler, 200, bodies[0])


def _split(value: str, parts: int) -> list[str]:
    if not value:
        return [""]
    size = max(1, -(-len(value) // parts))
    return [value[i:i + size] for i in range(0, len(value), size)]


class FakeOpenAI(_Server):
    """OpenAI-compatible chat server (what vLLM serves): streamed deltas, then ``[DONE]``."""

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        body = self._read(handler)
        call = {"method": method, "path": handler.path, "headers": dict(handler.headers), "body": body}
        with self._lock:
            self.calls.append(call)
        if method == "GET" or not handler.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(handler, 404, {"error": "not found"})
            return
        reply = self._next()
        if reply.kind == "error":
            self._send_json(handler, reply.status, {"error": {"message": "error", "code": reply.status}})
            return
        pieces = _split(reply.text, 4)
        if isinstance(body, dict) and body.get("stream"):
            events = []
            for piece in pieces:
                events.append(json.dumps({"id": "x", "object": "chat.completion.chunk", "created": 0,
                                          "model": "gemma", "choices": [{"index": 0, "delta": {"content": piece},
                                                                        "finish_reason": None}]},
                                         ensure_ascii=False))
            events.append(json.dumps({"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "gemma",
                                      "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
            events.append("[DONE]")
            self._send_sse(handler, events)
        else:
            self._send_json(handler, 200, {"id": "x", "object": "chat.completion", "created": 0, "model": "gemma",
                                           "choices": [{"index": 0, "finish_reason": "stop",
                                                        "message": {"role": "assistant", "content": reply.text}}]})

    @property
    def chat_calls(self) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["path"].rstrip("/").endswith("/chat/completions")]


# ------------------------------------------------------------------ canned model answers

def precedent_answer(**overrides: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "preview": "택배 상하차 노동자의 허리디스크, 법원이 산재로 인정 (노동자 승소)",
        "plaintiff": "물류센터에서 택배 상하차를 하던 노동자",
        "defendant": "근로복지공단",
        "result": "노동자 승소. 공단의 불승인 처분이 취소되어 공단이 다시 결정해야 합니다.",
        "background": "3년 넘게 무거운 상자를 나르다 허리디스크 진단을 받았지만 공단은 퇴행성이라며 불승인했습니다.",
        "issues": ["허리디스크가 업무 때문에 생기거나 악화되었는지"],
        "reasoning": "감정의가 업무 부담이 발병에 기여했다고 보았고, 퇴행성 변화는 경미했습니다.",
        "deciding_facts": {"recognized": ["하루 10시간 중량물 취급", "입사 전 치료 이력 없음"],
                           "not_recognized": ["자문의의 퇴행성 소견"]},
        "statutes": ["산업재해보상보험법 제37조 제1항 제2호"],
    }
    answer.update(overrides)
    return answer


def text_answer(**overrides: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "doc_type": "불승인 통지",
        "what_it_is": "근로복지공단이 요양급여 신청을 받아들이지 않았다는 통지입니다.",
        "key_points": ["허리 질환이 퇴행성이라 업무와 관련이 없다고 보았습니다."],
        "what_it_means": "지금은 산재로 인정되지 않았지만 다시 판단해 달라고 할 수 있습니다.",
        "next_steps": ["받은 날부터 90일 안에 심사청구를 하세요."],
    }
    answer.update(overrides)
    return answer
