"""The summaries service as the app wires it, built afresh from the test's environment for each call.

Tests change environment variables and data folders between calls, so each call reads them again; the app
builds one ``Summaries`` at start (app/wiring.py).
"""
from __future__ import annotations

from typing import Any

from core.records import Precedent
from services.settings import Settings
from services.summaries import PrecedentSummary, Summaries, TextSummary
from storage.summary_cache import SummaryCache


def summaries(cache: SummaryCache | None = None) -> Summaries:
    return Summaries(Settings(), cache if cache is not None else SummaryCache())


def summarize(record: Precedent, engine: str | None = None, *, cache: SummaryCache | None = None,
              **kwargs: Any) -> PrecedentSummary:
    return summaries(cache).summarize(record, engine, **kwargs)


def summarize_text(text: str, engine: str | None = None, **kwargs: Any) -> TextSummary:
    return summaries().summarize_text(text, engine, **kwargs)
