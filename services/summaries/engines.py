"""Which summary engine a request means, and the model id its summaries are cached under.

The choice itself is ``services.ai.choice.summary_engine`` (one order for every page and the CLI).
"""
from __future__ import annotations

from typing import Any

from services.ai.choice import model_id, summary_engine
from services.ai.names import is_summary_engine
from services.summaries.errors import SummaryError
from services.summaries.extract import EXTRACT_MODEL
from services.summaries.schema import EngineName


def resolve_engine_name(requested: str | None, settings: Any) -> EngineName:
    """The engine asked for (``--engine``, a page's radio button), else the settings' choice."""
    name = (requested or "").strip().lower()
    if not name:
        return summary_engine(settings)
    if is_summary_engine(name):
        return name
    raise SummaryError(f"알 수 없는 요약 방식입니다: {name[:20]}. "
                       "offline(자동 발췌), gemini, gemma 중에서 골라 주세요.")


def model_name(engine: EngineName, settings: Any) -> str:
    """The model a summary from ``engine`` would come from (part of the cache key)."""
    return EXTRACT_MODEL if engine == "offline" else model_id(engine, settings)
