"""Which summary engine to use, and building it from the settings."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from core.progress import CancelToken, Progress
from services.summaries.errors import SummaryError
from services.summaries.extract import EXTRACT_MODEL
from services.summaries.schema import EngineName, is_engine_name

Turn = tuple[str, str]

# The current Flash model named in google-genai 3.3.0's own docs and tests (2.5 models retire on
# 2026-12-01). "gemini-flash-latest" is an alias that always follows the newest Flash, at the price
# of answers changing underneath; set it in the settings if preferred.
DEFAULT_GEMINI_MODEL = "gemini-3.8-flash"


class ModelEngine(Protocol):
    name: str
    model: str
    input_chars: int

    def generate(self, turns: list[Turn], schema: dict[str, Any], *,
                 on_delta: Callable[[str], None] | None = None, cancel: CancelToken | None = None,
                 progress: Callable[[Progress], None] | None = None) -> str: ...

    def close(self) -> None: ...


def _settings(settings: Any) -> Any:
    if settings is not None:
        return settings
    from services.settings import Settings  # noqa: PLC0415 - read lazily so tests see their env

    return Settings()


def resolve_engine_name(requested: str | None, settings: Any = None) -> EngineName:
    """The engine to use: the one asked for, else the ``summary_engine`` setting, else a cloud
    engine whose key or address is set (Gemini first), else the offline extract."""
    settings = _settings(settings)
    name = (requested or settings.get("summary_engine") or "").strip().lower()
    if not name:
        if settings.get("gemini_key"):
            name = "gemini"
        elif settings.get("llm_url"):
            name = "gemma"
        else:
            name = "offline"
    if is_engine_name(name):
        return name
    raise SummaryError(f"알 수 없는 요약 방식입니다: {name[:20]}. "
                       "offline(자동 발췌), gemini, gemma 중에서 골라 주세요.")


def model_name(engine: str, settings: Any = None) -> str:
    """The model a summary from ``engine`` would come from (part of the cache key)."""
    settings = _settings(settings)
    if engine == "gemini":
        return (settings.get("gemini_model") or "").strip() or DEFAULT_GEMINI_MODEL
    if engine == "gemma":
        return (settings.get("llm_model") or "").strip() or "gemma"
    return EXTRACT_MODEL


def build_engine(engine: str, settings: Any = None) -> ModelEngine:
    settings = _settings(settings)
    if engine == "gemini":
        from services.summaries.gemini import GeminiEngine  # noqa: PLC0415

        return GeminiEngine.from_settings(settings)
    if engine == "gemma":
        from services.summaries.gemma import GemmaEngine  # noqa: PLC0415

        return GemmaEngine.from_settings(settings)
    raise ValueError(f"no model engine for {engine!r}")
