"""The names of the AI engines and their default models (no SDK imports: cheap to import anywhere)."""
from __future__ import annotations

from typing import Literal, TypeGuard

ModelName = Literal["gemini", "gemma"]
SummaryEngine = Literal["offline", "gemini", "gemma"]
SUMMARY_ENGINES: tuple[SummaryEngine, ...] = ("offline", "gemini", "gemma")
ANALYSIS_ENGINES: tuple[ModelName, ...] = ("gemma", "gemini")

# The current Flash model named in google-genai 3.3.0's own docs and tests (2.5 models retire on
# 2026-12-01). "gemini-flash-latest" is an alias that always follows the newest Flash, at the price
# of answers changing underneath; set it in the settings if preferred.
DEFAULT_GEMINI_MODEL = "gemini-3.8-flash"
# What a Gemma answer is labelled with when the endpoint's model name is not set.
DEFAULT_GEMMA_MODEL = "gemma"


def is_summary_engine(name: str) -> TypeGuard[SummaryEngine]:
    return name in SUMMARY_ENGINES
