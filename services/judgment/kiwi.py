"""The process's one Kiwi analyser, shared by the sentence splitter, the search tokenizers and the
personal-data masker.

Importing ``kiwipiepy`` takes about 0.2 s; loading its model takes a few seconds and tens of MB, so the
analyser is made once, on first use, behind a lock (two threads asking at once get the same one).
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from kiwipiepy import Kiwi


class KiwiToken(Protocol):
    """The parts of a ``kiwipiepy`` token that are read (kiwipiepy ships no type information)."""

    @property
    def form(self) -> str: ...
    @property
    def tag(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class KiwiSentence(Protocol):
    @property
    def text(self) -> str: ...


class KiwiAnalyser(Protocol):
    def tokenize(self, text: str) -> Sequence[KiwiToken]: ...

    def split_into_sents(self, text: str) -> Sequence[KiwiSentence]: ...


_kiwi: KiwiAnalyser | None = None
_lock = threading.Lock()


def kiwi() -> KiwiAnalyser:
    """The shared analyser, created on first call."""
    global _kiwi
    with _lock:
        if _kiwi is None:
            _kiwi = Kiwi(num_workers=0)
        return _kiwi
