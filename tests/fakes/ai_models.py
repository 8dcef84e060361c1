"""The real AI adapters pointed at the fake servers, with pauses short enough for tests."""
from __future__ import annotations

from typing import Any

from services.ai.gemini import GeminiModel
from services.ai.openai_compat import OpenAICompatModel
from services.retry import RetryPolicy


def fast_retry(retries: int = 3) -> RetryPolicy:
    """``retries`` further tries after the first, a few milliseconds apart."""
    return RetryPolicy(attempts=retries + 1, backoff=0.01, max_delay=0.05)


def gemma_model(url: str, token: str | None = None, *, retries: int = 3, **options: Any) -> OpenAICompatModel:
    options.setdefault("timeout", 10)
    options.setdefault("cold_start_step", 0.01)
    return OpenAICompatModel(url, token, retry=fast_retry(retries), **options)


def gemini_model(url: str, key: str = "AIzaTESTKEY-0000000000000", *, retries: int = 3,
                 **options: Any) -> GeminiModel:
    options.setdefault("timeout", 10)
    return GeminiModel(key, base_url=url, retry=fast_retry(retries), **options)


class DictSettings(dict[str, str]):
    """Settings with the call shape of ``services.settings.Settings.get``."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name, default)
