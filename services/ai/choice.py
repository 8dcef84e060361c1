"""Which AI runs each feature, decided from the settings in one place.

``settings`` is anything with ``get(name) -> str | None`` (``services.settings.Settings``); None means
nothing is configured.

Summaries (precedent and pasted text), ``summary_engine(settings)``:
  1. the ``summary_engine`` setting, when that engine can run (offline always can; gemini needs
     ``gemini_key``; gemma needs ``llm_url``);
  2. else Gemini when a Gemini key is saved;
  3. else Gemma when an AI server address is saved;
  4. else the offline extract.

Situation analysis and its follow-up questions, ``analysis_engine(settings)``:
  1. the ``analysis_engine`` setting, when that model is configured;
  2. else Gemma (the OpenAI-compatible server) when its address is saved: the product's default;
  3. else Gemini when only a Gemini key is saved;
  4. else None: the offline evidence view only.
"""
from __future__ import annotations

from typing import Any

from services.ai.errors import MSG_NO_SERVER, AIError
from services.ai.model import ChatModel
from services.ai.names import (
    ANALYSIS_ENGINES,
    DEFAULT_GEMINI_MODEL,
    DEFAULT_GEMMA_MODEL,
    SUMMARY_ENGINES,
    ModelName,
    SummaryEngine,
    is_summary_engine,
)


def _get(settings: Any, name: str) -> str:
    return str(settings.get(name) or "").strip() if settings is not None else ""


def configured(name: str, settings: Any) -> bool:
    """True when ``name`` ("offline", "gemini", "gemma") can run with these settings."""
    if name == "offline":
        return True
    if name == "gemini":
        return bool(_get(settings, "gemini_key"))
    if name == "gemma":
        return bool(_get(settings, "llm_url"))
    return False


def available_summary_engines(settings: Any) -> list[SummaryEngine]:
    """The offline extract always, then each model whose key or address is saved (in choice order)."""
    return [name for name in SUMMARY_ENGINES if configured(name, settings)]


def summary_engine(settings: Any) -> SummaryEngine:
    """The summary engine to use when none is asked for (order in the module docstring)."""
    chosen = _get(settings, "summary_engine").lower()
    if is_summary_engine(chosen) and configured(chosen, settings):
        return chosen
    for name in ("gemini", "gemma"):
        if configured(name, settings):
            return "gemini" if name == "gemini" else "gemma"
    return "offline"


def analysis_engine(settings: Any) -> ModelName | None:
    """The model the situation analysis uses, or None for the offline evidence view only."""
    chosen = _get(settings, "analysis_engine").lower()
    if chosen in ANALYSIS_ENGINES and configured(chosen, settings):
        return "gemini" if chosen == "gemini" else "gemma"
    for name in ANALYSIS_ENGINES:
        if configured(name, settings):
            return name
    return None


def model_id(name: ModelName, settings: Any) -> str:
    """The model id answers from ``name`` would come from (part of the summary cache key)."""
    if name == "gemini":
        return _get(settings, "gemini_model") or DEFAULT_GEMINI_MODEL
    return _get(settings, "llm_model") or DEFAULT_GEMMA_MODEL


def build_model(name: ModelName, settings: Any, **options: Any) -> ChatModel:
    """The configured ``ChatModel``; ``AIError`` in Korean when its key or address is missing.

    ``options`` go to the adapter (timeouts, retry policy).
    """
    # The SDKs load only when a model is built: google-genai alone takes about half a second to import,
    # and every page that merely asks which engine applies would pay for it.
    if name == "gemini":
        from services.ai.gemini import GeminiModel  # noqa: PLC0415 - see above

        return GeminiModel(_get(settings, "gemini_key"), _get(settings, "gemini_model") or None,
                           _get(settings, "gemini_url") or None, **options)
    url = _get(settings, "llm_url")
    if not url:
        raise AIError(MSG_NO_SERVER, kind="config")
    from services.ai.openai_compat import OpenAICompatModel  # noqa: PLC0415 - see above

    return OpenAICompatModel(url, _get(settings, "hf_token") or None, _get(settings, "llm_model") or None, **options)


def analysis_model(settings: Any, **options: Any) -> ChatModel | None:
    """The model for the situation analysis (``analysis_engine``), or None when none is configured."""
    name = analysis_engine(settings)
    return build_model(name, settings, **options) if name is not None else None
