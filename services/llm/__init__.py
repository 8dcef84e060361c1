"""Chat with a ko-gemma (or any OpenAI-compatible) server: ``LLMClient`` and ``LLMError``."""
from services.llm.client import ENGINE_LABELS, LLMClient
from services.llm.errors import LLMError
from services.llm.messages import gemma_messages

__all__ = ["LLMClient", "LLMError", "ENGINE_LABELS", "gemma_messages"]
