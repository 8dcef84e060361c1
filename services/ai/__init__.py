"""The AI layer: one ``ChatModel`` protocol, two adapters, validated JSON and the model choice.

- ``ChatModel`` (``services.ai.model``): ``generate(messages, *, schema, max_tokens, on_delta, cancel,
  progress) -> str`` and ``close()``; ``name``, ``model``, ``input_chars``, ``context_tokens``.
- ``GeminiModel`` (``google-genai``) and ``OpenAICompatModel`` (ko-gemma on a Hugging Face endpoint,
  TGI or vLLM, through ``huggingface_hub.InferenceClient``).
- ``generate_validated(model, messages, Schema)``: JSON schema from the pydantic model, one repair,
  then ``AIFormatRejected``.
- ``services.ai.choice``: which engine a summary and the analysis use, and building the model.
- ``AIError``: every failure, with a Korean message.
"""
from services.ai.choice import (
    analysis_engine,
    analysis_model,
    available_summary_engines,
    build_model,
    summary_engine,
)
from services.ai.errors import AIError, AIFormatRejected
from services.ai.gemini import DEFAULT_GEMINI_MODEL, GeminiModel
from services.ai.model import ChatModel, Message
from services.ai.openai_compat import OpenAICompatModel
from services.ai.validated import generate_validated

__all__ = [
    "AIError", "AIFormatRejected", "ChatModel", "DEFAULT_GEMINI_MODEL", "GeminiModel", "Message",
    "OpenAICompatModel", "analysis_engine", "analysis_model", "available_summary_engines", "build_model",
    "generate_validated", "summary_engine",
]
