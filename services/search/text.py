"""Text pieces shared by indexing, query analysis and snippets.

Spine levels are written many ways in judgments and by users ("요추 제4-5번", "요추 4, 5번", "L4-5",
"L4-L5"). They are turned into one special token (``#l4-5``) on both sides, so any spelling finds any
other. Ordinary words are compared after lower-casing only; particles and compounds are handled by
the tokenizers.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from core.records import Precedent

SPECIAL_PREFIX = "#"

_SPINE_WORD = {"요추": "l", "경추": "c", "흉추": "t"}
_SPINE_KOREAN = re.compile(
    r"(요추|경추|흉추)\s*(?:부\s*)?(?:제\s*)?(\d{1,2})\s*(?:번\s*)?[-~,·및]\s*(?:제\s*)?(\d{1,2})(?:\s*번)?")
# No look-behind here: it made these patterns ten times slower; the letter before is checked by hand.
_SPINE_LATIN = re.compile(r"([LCTlct])\s*(\d{1,2})\s*[-~/]\s*(?:[LCTlct]\s*)?(\d{1,2})")
_SPINE_SACRAL = re.compile(r"[Ll]\s*5\s*[-~/]\s*[Ss]\s*1")


def _starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not text[pos - 1].isascii() or not text[pos - 1].isalpha()


def spine_matches(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, canonical token) for every spine level written in ``text``."""
    for m in _SPINE_KOREAN.finditer(text):
        yield m.start(), m.end(), f"{SPECIAL_PREFIX}{_SPINE_WORD[m[1]]}{int(m[2])}-{int(m[3])}"
    for m in _SPINE_LATIN.finditer(text):
        if _starts_word(text, m.start()):
            yield m.start(), m.end(), f"{SPECIAL_PREFIX}{m[1].lower()}{int(m[2])}-{int(m[3])}"
    for m in _SPINE_SACRAL.finditer(text):
        if _starts_word(text, m.start()):
            yield m.start(), m.end(), f"{SPECIAL_PREFIX}l5-s1"
    pos = text.find("요천추")
    while pos >= 0:
        yield pos, pos + 3, f"{SPECIAL_PREFIX}l5-s1"
        pos = text.find("요천추", pos + 3)


def special_tokens(text: str) -> list[str]:
    return [token for _, _, token in spine_matches(text)]


def searchable_text(record: Precedent) -> str:
    """The text a record is found by: title twice (a title hit matters more), 쟁점, then the body."""
    body = record.full_text or "\n".join(part for part in (record.order, record.reasons) if part)
    return "\n".join(part for part in (record.title, record.title, record.issues_text, body) if part)


def snippet_source(record: Precedent) -> str:
    """The text snippets are cut from (without the repeated title)."""
    body = record.full_text or "\n".join(part for part in (record.order, record.reasons) if part)
    return "\n".join(part for part in (record.issues_text, body) if part) or record.title
