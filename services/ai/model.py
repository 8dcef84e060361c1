"""What every chat model offers the features: the ``ChatModel`` protocol and its message shape.

A message is ``{"role": "user" | "assistant" | "system", "content": str}``. Adapters map it to
their server's form (Gemma has no system role; Gemini calls the assistant "model").
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from core.progress import CancelToken, Progress

Message = dict[str, str]
DeltaFn = Callable[[str], None]
ProgressFn = Callable[[Progress], None]


class ChatModel(Protocol):
    name: str                  # "gemini" | "gemma": which family (labels, cache keys)
    model: str                 # the model id the answers come from
    input_chars: int           # how much source text a prompt may carry
    context_tokens: int | None  # the whole context when it is small enough to budget for (Gemma: 8,192)

    def generate(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                 max_tokens: int | None = None, on_delta: DeltaFn | None = None,
                 cancel: CancelToken | None = None, progress: ProgressFn | None = None) -> str:
        """The whole reply (JSON text when ``schema`` is given), streamed to ``on_delta`` as it comes."""
        ...

    def check(self, cancel: CancelToken | None = None) -> str:
        """A short connection test (settings page): a Korean sentence, or ``AIError``."""
        ...

    def close(self) -> None: ...
