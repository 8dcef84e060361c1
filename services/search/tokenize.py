"""Tokenizers for Korean judgments and queries.

Three ways were compared (see docs/search.md):

- ``bigram`` (default): documents and queries become character bigrams inside each word. No
  dictionary, so a compound written joined or split still shares most bigrams; a word counts as
  present when most of its bigrams are, so particles ("연골을") do not block a match.
- ``kiwi``: documents and queries become Kiwi morphemes (nouns, roots, verb stems, Latin words).
  Precise, but analysing whole judgments takes about 15 s per million characters on this machine.
- ``mixed``: documents are indexed as bigrams (fast), the query is analysed with Kiwi so particles
  and endings are dropped and compound nouns are kept together before taking bigrams.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from services.judgment.kiwi import KiwiAnalyser, KiwiToken
from services.judgment.kiwi import kiwi as shared_kiwi
from services.search.text import special_tokens

TOKENIZERS = ("mixed", "bigram", "kiwi")
DEFAULT_TOKENIZER = "bigram"

_WORD = re.compile(r"[0-9a-z가-힣]+")
_SHIFT = np.uint64(21)  # a code point fits in 21 bits; a bigram is (first << 21) | second
_LOW_MASK = (1 << 21) - 1

# Kiwi tags kept as content: common/proper nouns, Latin and Chinese-character words, roots,
# noun prefixes/suffixes glued inside a compound (소음+성+난청), numbers.
_NOUNISH = {"NNG", "NNP", "SL", "SH", "XR", "XSN", "XPN", "SN"}
_VERBISH = {"VV", "VA", "VV-R", "VA-R", "VV-I", "VA-I", "VX"}
_DOC_TAGS = {"NNG", "NNP", "SL", "SH", "XR"}


@dataclass(frozen=True)
class QueryWord:
    """One thing the user typed: its tokens, what to highlight, and whether it must match."""

    tokens: tuple[str, ...]
    surfaces: tuple[str, ...]
    required: bool = True  # nouns must (mostly) be present; verb stems only add to the score


# --- character bigrams ------------------------------------------------------------------------

def bigram_codes(text: str) -> np.ndarray:
    """Bigram codes of every word in ``text`` (a one-letter word gives its letter), vectorised."""
    if not text:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_word = ((cp >= 0xAC00) & (cp <= 0xD7A3)) | ((cp >= 48) & (cp <= 57)) | ((cp >= 97) & (cp <= 122))
    pair = is_word[:-1] & is_word[1:]
    pairs = (cp[:-1] << _SHIFT) | cp[1:]
    before = np.concatenate(([False], is_word[:-1]))
    after = np.concatenate((is_word[1:], [False]))
    single = is_word & ~before & ~after
    return np.concatenate((pairs[pair], cp[single]))


def code_to_token(code: int) -> str:
    if code >> 21:
        return chr(code >> 21) + chr(code & _LOW_MASK)
    return chr(code)


def word_bigrams(word: str) -> list[str]:
    """Bigrams of one word, the same way ``bigram_codes`` cuts documents."""
    out: list[str] = []
    for part in _WORD.findall(word.lower()):
        if len(part) == 1:
            out.append(part)
        else:
            out.extend(part[i:i + 2] for i in range(len(part) - 1))
    return out


# --- Kiwi -------------------------------------------------------------------------------------

def kiwi() -> KiwiAnalyser:
    """The process's one Kiwi analyser (shared with the judgment sentence splitter)."""
    return shared_kiwi()


def kiwi_doc_tokens(text: str) -> list[str]:
    tokens = [t.form.lower() for t in kiwi().tokenize(text) if t.tag in _DOC_TAGS and len(t.form) > 1]
    return tokens + special_tokens(text)


def _kiwi_runs(text: str) -> list[tuple[list[KiwiToken], bool]]:
    """Contiguous runs of content morphemes inside one word: ([tokens], is_noun_run)."""
    runs: list[tuple[list[KiwiToken], bool]] = []
    current: list[KiwiToken] = []
    for tok in kiwi().tokenize(text):
        if tok.tag in _NOUNISH:
            if current and current[-1].end == tok.start and current[-1].tag in _NOUNISH:
                current.append(tok)
                continue
            if current:
                runs.append((current, current[0].tag in _NOUNISH))
            current = [tok]
        else:
            if current:
                runs.append((current, current[0].tag in _NOUNISH))
                current = []
            if tok.tag in _VERBISH:
                runs.append(([tok], False))
    if current:
        runs.append((current, current[0].tag in _NOUNISH))
    return runs


# --- query analysis per tokenizer ----------------------------------------------------------------

def _special_words(text: str) -> list[QueryWord]:
    return [QueryWord((token,), (), True) for token in dict.fromkeys(special_tokens(text))]


def query_words(text: str, tokenizer: str) -> list[QueryWord]:
    """Split a query into words with tokens for the given tokenizer."""
    words = _special_words(text)
    if tokenizer == "bigram":
        for raw in _WORD.findall(text.lower()):
            if len(raw) > 1:
                words.append(QueryWord(tuple(word_bigrams(raw)), (raw,), True))
        return words
    for run, is_noun in _kiwi_runs(text):
        if is_noun:
            parts = [t.form for t in run if t.tag not in ("SN",)]
            compound = "".join(text[run[0].start:run[-1].end].split()).lower()
            if not re.search(r"[가-힣a-z]", compound) or len(compound) < 2:
                continue
            if tokenizer == "kiwi":
                forms = tuple(p.lower() for p in parts if len(p) > 1 and p.lower() not in ("제",))
                if forms:
                    words.append(QueryWord(forms, forms, True))
            else:
                words.append(QueryWord(tuple(word_bigrams(compound)), (compound,), True))
        else:
            stem = run[0].form
            if len(stem) < 2:
                continue
            if tokenizer == "kiwi":
                words.append(QueryWord((stem,), (stem[:2],), False))
            else:
                words.append(QueryWord((stem[:2],), (stem[:2],), False))
    return words


def phrase_words(phrase: str, tokenizer: str) -> list[QueryWord]:
    """A legal term from the expansion table, cut like a query but always as nouns."""
    if tokenizer == "kiwi":
        forms = tuple(t.form.lower() for t in kiwi().tokenize(phrase) if t.tag in _DOC_TAGS and len(t.form) > 1)
        return [QueryWord(forms, forms, True)] if forms else []
    words = []
    for raw in phrase.lower().split():
        if len(raw) > 1:
            words.append(QueryWord(tuple(word_bigrams(raw)), (raw,), True))
    return words


def is_bigram_based(tokenizer: str | None) -> bool:
    return tokenizer in ("mixed", "bigram")
