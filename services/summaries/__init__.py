"""Summaries of precedents and of pasted documents (offline extract, or a model through ``services.ai``).

Public API:
- ``summarize(record, engine=None, *, force=False, on_delta=None, cancel=None, progress=None,
  on_restart=None, settings=None, cache=None) -> PrecedentSummary``
- ``summarize_id(record_id, engine=None, *, store=None, **same) -> PrecedentSummary``
- ``cached_summary(record_id, engine=None, *, settings=None, cache=None) -> PrecedentSummary | None``
- ``summarize_text(text, engine=None, *, on_delta=None, cancel=None, progress=None, on_restart=None,
  settings=None, today=None, model=None) -> TextSummary`` (``summarize`` takes ``model=`` too)
- ``resolve_engine_name(requested, settings)``, ``preview_partial(raw_so_far)``
Both summary types have ``to_dict()``, ``label`` and ``notice``.
"""
from services.ai.names import DEFAULT_GEMINI_MODEL
from services.summaries.engines import resolve_engine_name
from services.summaries.errors import SummaryError
from services.summaries.prompts import PROMPT_VERSION, TEXT_PROMPT_VERSION
from services.summaries.schema import ENGINE_LABELS, NOT_ADVICE, PrecedentSummary, TextSummary, preview_partial
from services.summaries.service import cached_summary, summarize, summarize_id, summarize_text

__all__ = [
    "DEFAULT_GEMINI_MODEL", "ENGINE_LABELS", "NOT_ADVICE", "PROMPT_VERSION", "TEXT_PROMPT_VERSION",
    "PrecedentSummary", "SummaryError", "TextSummary", "cached_summary", "preview_partial",
    "resolve_engine_name", "summarize", "summarize_id", "summarize_text",
]
