"""Carrying specific to-do items (e.g. the evidence an analysis says to collect) into a case's 할 일.

Items already there keep their place and their tick; an item that says the same thing again is not
added twice; a generic item from ``DEFAULT_CHECKLIST`` is replaced in place by the specific item that
covers it (keeping its tick); new items follow in the order given.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from services.cases.model import ChecklistItem, checklist_item

# A generic default item → words that show a specific item asks for the same thing.
GENERIC_COVERED_BY: dict[str, tuple[str, ...]] = {
    "진료기록·의사 소견서 모으기": ("소견서",),
    "근무 기록(출퇴근·업무량) 모으기": ("근무시간 기록",),
    "동료 진술서 부탁하기": ("진술서",),
    "업무 내용과 근무 시간 기록 모으기": ("근무시간 기록",),
    "진단서·소견서 받기": ("소견서",),
}


def same_text_key(text: str) -> str:
    """The text with spacing and punctuation differences removed: two items with one key say the same."""
    return re.sub(r"[\s.,·()\[\]]+", "", text or "")


def _covers(specific: str, generic: str) -> bool:
    words = GENERIC_COVERED_BY.get(generic.strip(), ())
    return any(word in specific for word in words)


def carry_over(existing: Iterable[object], incoming: Iterable[object]) -> list[ChecklistItem]:
    """``existing`` with the ``incoming`` items merged in (see the module doc); both may hold
    ``ChecklistItem``s, dicts or strings. An incoming reason fills an existing item that had none."""
    items = [checklist_item(item) for item in existing]
    for new in (checklist_item(item) for item in incoming):
        key = same_text_key(new.text)
        same = next((old for old in items if same_text_key(old.text) == key), None)
        if same is not None:
            same.why = same.why or new.why
            continue
        generic = next((i for i, old in enumerate(items) if _covers(new.text, old.text)), None)
        if generic is not None:
            items[generic] = ChecklistItem(new.text, items[generic].done, new.why)
            continue
        items.append(ChecklistItem(new.text, False, new.why))
    return items


def ticked_keys(items: Iterable[ChecklistItem]) -> set[str]:
    """The ``same_text_key`` of every ticked item: an evidence item matching one of them is done."""
    return {same_text_key(item.text) for item in items if item.done}
