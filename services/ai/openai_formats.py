"""JSON-output request shapes for the two server families an endpoint can run.

- TGI: ``{"type": "json", "value": <schema>}`` (the OpenAI shape does not parse there).
- vLLM / SGLang / OpenAI: ``{"type": "json_schema", "json_schema": {"name": ..., "schema": <schema>}}``.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlparse, urlunparse

ENGINES = ("auto", "tgi", "openai")


class _SentAsIs(dict[str, Any]):
    """A response_format that ``InferenceClient`` passes through unchanged.

    huggingface_hub rewrites an OpenAI ``json_schema`` response_format into TGI's
    ``json_object`` grammar before sending. That helps TGI but leaves vLLM without the schema,
    so for OpenAI-style servers the client must not see the ``type`` key when it decides.
    The body on the wire is a plain copy of this dict.
    """

    def get(self, key: Any, default: Any = None) -> Any:
        if key == "type":
            return default
        return super().get(key, default)


def response_format(engine: str, schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    if engine == "tgi":
        return {"type": "json", "value": schema}
    return _SentAsIs({"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}})


def other_engine(engine: str) -> str:
    return "openai" if engine == "tgi" else "tgi"


def server_root(url: str) -> str:
    """The endpoint URL as Hugging Face shows it, with any pasted /v1 or /chat/completions tail removed."""
    parsed = urlparse(url.strip())
    path = parsed.path.rstrip("/")
    for tail in ("/chat/completions", "/v1"):
        if path.endswith(tail):
            path = path[: -len(tail)]
    return urlunparse(parsed._replace(path=path, query="", fragment="")).rstrip("/")


def looks_like_tgi(info: dict[str, Any] | None) -> bool:
    """TGI answers GET /info with its router name, version and token limits."""
    if not isinstance(info, dict):
        return False
    router = str(info.get("router", ""))
    if "text-generation" in router:
        return True
    return "max_total_tokens" in info and "model_id" in info
