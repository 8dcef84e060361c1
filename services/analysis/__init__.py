"""Situation analysis: similar precedents as evidence, and an optional ko-gemma reading of them."""
from services.analysis.examples import EXAMPLES
from services.analysis.followup import FollowUpChat
from services.analysis.grounding import OverlapFinder, SimilarFinder, SimpleHit
from services.analysis.model import InputIssue, SituationInput
from services.analysis.prompt import ANSWER_SCHEMA, DISCLAIMER
from services.analysis.service import AnalysisInputError, AnalysisRequest, AnalysisResult, analyze, build_request

__all__ = [
    "EXAMPLES", "FollowUpChat", "OverlapFinder", "SimilarFinder", "SimpleHit", "InputIssue", "SituationInput",
    "ANSWER_SCHEMA", "DISCLAIMER", "AnalysisInputError", "AnalysisRequest", "AnalysisResult", "analyze",
    "build_request",
]
