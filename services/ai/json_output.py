"""JSON output: the schema sent to a model (made from a pydantic model) and reading the JSON back.

``json_schema_for(Model)`` adapts ``Model.model_json_schema()`` once for what Gemini's
``response_json_schema`` and the TGI / vLLM grammars all accept: ``$ref`` inlined, and only
type, properties, required, items, enum and description kept (length limits and titles dropped:
lengths are checked by pydantic afterwards, and long limits make grammars slow).
``parse_json_object(raw)`` is the one place code fences and chatter around the JSON are removed.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.ai.errors import AIFormatError

_KEPT = ("type", "description", "enum", "properties", "required", "items")
_Schema = TypeVar("_Schema", bound=BaseModel)


def json_schema_for(model_cls: type[BaseModel]) -> dict[str, Any]:
    """The schema to send for ``model_cls`` (a fresh copy each call; computed once)."""
    return json.loads(_schema_text(model_cls))  # type: ignore[no-any-return]


@functools.cache
def _schema_text(model_cls: type[BaseModel]) -> str:
    full = model_cls.model_json_schema()
    return json.dumps(_simplify(full, full.get("$defs", {})), ensure_ascii=False)


def _simplify(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_simplify(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = defs[str(node["$ref"]).rsplit("/", 1)[-1]]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _simplify(merged, defs)
    if "allOf" in node and len(node["allOf"]) == 1:  # how pydantic wraps a described sub-model
        merged = {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
        return _simplify(merged, defs)
    out: dict[str, Any] = {}
    for key in _KEPT:
        if key not in node:
            continue
        value = node[key]
        if key == "properties":
            out[key] = {name: _simplify(sub, defs) for name, sub in value.items()}
        elif key == "items":
            out[key] = _simplify(value, defs)
        else:
            out[key] = value
    return out


_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def parse_json_object(raw: str) -> dict[str, Any]:
    """The JSON object in a model's reply (code fences and chatter around it tolerated)."""
    text = _FENCE.sub("", (raw or "").strip()).strip()
    start = text.find("{")
    if start < 0:
        raise AIFormatError("응답에 JSON 객체가 없습니다. JSON 객체 하나만 출력하세요.")
    text = text[start:]
    try:
        value, _end = json.JSONDecoder().raw_decode(text)
    except RecursionError:  # a model stuck repeating "[" or "{": not an answer
        raise AIFormatError("JSON이 너무 깊게 겹쳐 있습니다. 스키마에 맞는 평평한 JSON 객체로 다시 쓰세요.") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or text.count("{") > text.count("}"):
            raise AIFormatError("응답이 중간에 끊겨 JSON이 닫히지 않았습니다. "
                                "더 짧게, 완전한 JSON 객체로 다시 쓰세요.") from None
        raise AIFormatError(f"JSON 문법 오류({exc.msg}, {exc.pos}번째 글자). 올바른 JSON 객체로 다시 쓰세요.") from None
    if not isinstance(value, dict):
        raise AIFormatError("JSON 객체가 아닙니다. 스키마에 맞는 객체 하나를 출력하세요.")
    return value


def validate_as(data: dict[str, Any], model_cls: type[_Schema]) -> _Schema:
    """``data`` as ``model_cls``, or ``AIFormatError`` with the reasons written for the model."""
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        parts = []
        for item in exc.errors()[:8]:
            where = ".".join(str(p) for p in item.get("loc", ())) or "(전체)"
            parts.append(f"{where}: {item.get('msg', '')}")
        raise AIFormatError("스키마와 맞지 않습니다 - " + "; ".join(parts)) from None


def parse_as(raw: str, model_cls: type[_Schema]) -> _Schema:
    return validate_as(parse_json_object(raw), model_cls)
