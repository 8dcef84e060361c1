"""Turn a response body (XML or JSON) into plain nested dicts and lists.

Both sources answer in XML or JSON depending on the request. Converting XML into the same
dict shape JSON gives (``{"root": {"child": "text", "repeated": [...]}}``) lets one parser
handle both. Attributes are dropped: none of the fields we read live in attributes.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html)", re.IGNORECASE)


class BodyError(ValueError):
    """The body is empty, truncated, an HTML page, or otherwise not XML/JSON."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind  # "empty", "html", "invalid"


def _element_to_value(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    result: dict[str, Any] = {}
    for child in children:
        value = _element_to_value(child)
        if child.tag in result:
            existing = result[child.tag]
            if isinstance(existing, list):
                existing.append(value)
            else:
                result[child.tag] = [existing, value]
        else:
            result[child.tag] = value
    return result


def parse_body(raw: bytes) -> dict[str, Any]:
    """Parse XML or JSON into ``{root_name: value}`` (JSON objects are returned as they are)."""
    text = raw.decode("utf-8-sig", errors="replace").strip()
    if not text:
        raise BodyError("empty")
    if _HTML_START.match(text):
        raise BodyError("html")
    if text[0] in "{[":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            raise BodyError("invalid") from exc
        if not isinstance(data, dict):
            raise BodyError("invalid")
        return data
    if text[0] != "<":
        raise BodyError("invalid")
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except (ET.ParseError, LookupError) as exc:  # LookupError: a damaged encoding="…" declaration
        raise BodyError("invalid") from exc
    if root.tag.lower() == "html":
        raise BodyError("html")
    try:
        return {root.tag: _element_to_value(root)}
    except RecursionError as exc:  # thousands of nested elements: no real answer looks like that
        raise BodyError("invalid") from exc


def as_list(value: Any) -> list[Any]:
    """A field that may be missing, blank, one object or a list → always a list."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, list):
        return [v for v in value if v not in (None, "")]
    return [value]


def text_of(value: Any) -> str:
    """A scalar field as stripped text ('' for missing/None/empty objects)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()
