"""Reading stored JSON (saved analyses, drafts) without trusting its shape: a wrong shape reads as empty."""
from __future__ import annotations

from typing import Any


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def texts(value: Any) -> list[str]:
    """The strings of a stored list (anything else in it is skipped)."""
    return [item for item in as_list(value) if isinstance(item, str)]
