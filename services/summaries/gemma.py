"""The Gemma engine: the same prompt and schema sent to the OpenAI-compatible ko-gemma endpoint.

``services.llm.LLMClient`` handles the server family (TGI / vLLM JSON shapes), cold starts,
retries and Gemma's missing system role; this adapter only sets the token budget for an
8k context and turns the reply into one string.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.progress import CancelToken, Progress
from services.llm import LLMClient
from services.summaries.errors import SummaryError
from services.summaries.prompts import GEMMA_INPUT_CHARS, GEMMA_MAX_OUTPUT_TOKENS

MSG_NO_SERVER = ("Gemma AI 서버 주소가 설정되어 있지 않습니다. 설정에서 AI 서버 주소(SANJAE_LLM_URL)를 넣거나, "
                 "요약 방식을 '자동 발췌'로 바꿔 주세요.")
# A failed first answer sent back for repair must stay small in an 8k context.
REPAIR_ECHO_CHARS = 1_200

Turn = tuple[str, str]


class GemmaEngine:
    name = "gemma"
    input_chars = GEMMA_INPUT_CHARS

    def __init__(self, client: LLMClient, *, max_tokens: int = GEMMA_MAX_OUTPUT_TOKENS) -> None:
        self.client = client
        self.max_tokens = max_tokens
        self.model = client.model or "gemma"

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> GemmaEngine:
        client = LLMClient.from_settings(settings)
        if client is None:
            raise SummaryError(MSG_NO_SERVER)
        return cls(client, **kwargs)

    def close(self) -> None:
        pass

    def generate(self, turns: list[Turn], schema: dict[str, Any], *,
                 on_delta: Callable[[str], None] | None = None, cancel: CancelToken | None = None,
                 progress: Callable[[Progress], None] | None = None) -> str:
        messages = []
        for role, text in turns:
            if role == "model" and len(text) > REPAIR_ECHO_CHARS:
                text = text[:REPAIR_ECHO_CHARS] + " …"
            messages.append({"role": "assistant" if role == "model" else "user", "content": text})

        def status(message: str) -> None:
            if progress is not None:
                progress(Progress(0, None, message))

        received: list[str] = []
        stream = self.client.stream_chat(messages, max_tokens=self.max_tokens, json_schema=schema,
                                         temperature=0.2, cancel=cancel, on_status=status)
        try:
            for piece in stream:
                received.append(piece)
                if on_delta is not None:
                    on_delta(piece)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        return "".join(received)
