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

# What a finding shown on its own must look like (``complete_sentence``).
_LEAD_MARK = re.compile(r"^\s*(?:(?:\d{1,2}|[가-하])\s*[.)]|\(\s*(?:\d{1,2}|[가-하])\s*\)|[①-⑳]|[-–·•*]|"
                        r"[ⅰ-ⅹⅠ-Ⅹ][.)]?)\s*")
_CLOSERS = "\"'”’」』)]"
_ENDING = re.compile(r"(?:다|요|함|음|임)\s*[.!]?[" + re.escape(_CLOSERS) + r"]*\s*$")
_PAIRS = {"「": "」", "『": "』", "(": ")", "[": "]", "“": "”", "‘": "’"}
_CLOSING = {close: open_ for open_, close in _PAIRS.items()}
# A piece that opens with a particle lost its subject to the splitter ("는 반드시 …" after a quoted term).
_PARTICLE_START = re.compile(r"^(?:는|은|을|를|의|에|에서|으로|로|와|과|도|만|이라|라)\s")
MIN_COMPLETE = 16  # shorter pieces are headings or scraps, not findings
# A line with no sentence ending and at most this many characters is a heading ("가. 관련 법리").
_HEADING_CHARS = 40


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


def strip_list_mark(sentence: str) -> str:
    """``sentence`` without leading list markers ("2)", "가.", "(1)", "①", "-"), however many are stacked."""
    previous = None
    while previous != sentence:
        previous, sentence = sentence, _LEAD_MARK.sub("", sentence, count=1)
    return sentence.strip()


def balanced(text: str) -> bool:
    """Whether every quote and bracket in ``text`` is closed, in order (straight quotes pair up)."""
    if text.count('"') % 2 or text.count("'") % 2:
        return False
    stack: list[str] = []
    for char in text:
        if char in _PAIRS:
            stack.append(char)
        elif char in _CLOSING and (not stack or stack.pop() != _CLOSING[char]):
            return False
    return not stack


def complete_sentence(sentence: str) -> str | None:
    """``sentence`` as a finding that can stand alone (list marker removed), or None for a heading, a
    fragment cut inside a quotation, or a scrap without a sentence ending."""
    value = strip_list_mark(" ".join(sentence.split()))
    if len(value) < MIN_COMPLETE or not _ENDING.search(value) or not balanced(value) \
            or _PARTICLE_START.match(value):
        return None
    return value


def complete_sentences(text: str) -> list[str]:
    """The complete sentences of ``text``: headings on their own line are dropped first so they do not
    stick to the sentence after them, then every piece must pass ``complete_sentence``."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in (text or "").splitlines():
        bare = strip_list_mark(line)
        if not bare or (len(bare) <= _HEADING_CHARS and not _ENDING.search(bare)):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(bare)
    if current:
        paragraphs.append(" ".join(current))
    found = []
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            value = complete_sentence(sentence)
            if value:
                found.append(value)
    return found
