"""Situation analysis: similar precedents as evidence, and an optional AI reading of them (Gemma or Gemini)."""
from services.analysis.answer import AnalysisAnswer
from services.analysis.examples import EXAMPLES
from services.analysis.followup import FollowUpChat
from services.analysis.grounding import OverlapFinder, SimilarFinder, SimpleHit
from services.analysis.model import InputIssue, SituationInput
from services.analysis.prompt import DISCLAIMER
from services.analysis.service import AnalysisInputError, AnalysisRequest, AnalysisResult, analyze, build_request

__all__ = [
    "EXAMPLES", "FollowUpChat", "OverlapFinder", "SimilarFinder", "SimpleHit", "InputIssue", "SituationInput",
    "AnalysisAnswer", "DISCLAIMER", "AnalysisInputError", "AnalysisRequest", "AnalysisResult", "analyze",
    "build_request",
]
