"""The one sentence splitter for judgments and pasted documents (Kiwi-based, dates kept whole)."""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from services.judgment.kiwi import kiwi

_split_lock = threading.Lock()
_LIST_MARK = re.compile(r"^\s*(?:(?:\d{1,2}|[가나다라마바사아자차카타파하])\s*[.)]|[①-⑳]|"
                        r"\(\d{1,2}\)|\([가나다라마바사아자차카타파하]\))\s+")
_SPACED_DATE = re.compile(r"((?:19|20)\d{2})\.\s+(\d{1,2})\.\s+(\d{1,2})\.")
_PACKED_DATE = re.compile(r"((?:19|20)\d{2})\.(\d{1,2})\.(\d{1,2})\.")
# "[인정 근거] 갑 제1호증 …" lines list exhibits, not findings.
_EXHIBIT_LINE = re.compile(r"\[인정\s*근거\][^\n]*")
MIN_LENGTH = 4


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (Korean-aware), list markers like "가." removed, blanks and scraps dropped."""
    return list(_split_cached(text or ""))


@lru_cache(maxsize=512)
def _split_cached(text: str) -> tuple[str, ...]:
    text = _EXHIBIT_LINE.sub("", text)
    if not text.strip():
        return ()
    # "2025. 10. 1." would be cut after "10."; pack dates for the splitter and unpack afterwards.
    packed = _SPACED_DATE.sub(r"\1.\2.\3.", text)
    with _split_lock:
        found = kiwi().split_into_sents(packed)
    sentences = []
    for sent in found:
        value = _PACKED_DATE.sub(r"\1. \2. \3.", re.sub(r"\s+", " ", sent.text))
        value = _LIST_MARK.sub("", value).strip()
        if len(value) >= MIN_LENGTH:
            sentences.append(value)
    return tuple(sentences)


def shorten(sentence: str, limit: int = 220) -> str:
    """``sentence`` cut at a word boundary to at most about ``limit`` characters, with ' …' when cut."""
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut + " …"
