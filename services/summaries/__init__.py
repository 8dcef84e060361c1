"""Summaries of precedents and of pasted documents (offline extract, or a model through ``services.ai``).

Public API:
- ``Summaries(settings, cache, store)``: ``summarize(record, engine=None, *, force=False, on_delta=None,
  cancel=None, progress=None, on_restart=None, model=None) -> PrecedentSummary``, ``summarize_id(record_id, …)``,
  ``cached(record_id, engine=None)``, ``preview(record_id)`` and ``summarize_text(text, engine=None, *, …,
  today=None, model=None) -> TextSummary``
- ``resolve_engine_name(requested, settings)``, ``preview_partial(raw_so_far)``
Both summary types have ``to_dict()``, ``label`` and ``notice``.
"""
from services.ai.names import DEFAULT_GEMINI_MODEL
from services.summaries.engines import resolve_engine_name
from services.summaries.errors import SummaryError
from services.summaries.prompts import PROMPT_VERSION, TEXT_PROMPT_VERSION
from services.summaries.schema import ENGINE_LABELS, NOT_ADVICE, PrecedentSummary, TextSummary, preview_partial
from services.summaries.service import Summaries

__all__ = [
    "DEFAULT_GEMINI_MODEL", "ENGINE_LABELS", "NOT_ADVICE", "PROMPT_VERSION", "TEXT_PROMPT_VERSION",
    "PrecedentSummary", "Summaries", "SummaryError", "TextSummary", "preview_partial", "resolve_engine_name",
]
