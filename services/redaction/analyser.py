"""What Kiwi says about one short word, asked once per word and remembered.

The masker asks only about short words (a possible name, a road, a place unit), one at a time: that is
a few hundredths of a millisecond each, and a long text repeats most of its words, so the answers are
cached. The analyser itself is the process's shared one (``services.judgment.kiwi``), loaded on the
first call: about 3 s on a busy two-core machine, after which a word costs about 0.04 ms.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from services.judgment.kiwi import kiwi


@dataclass(frozen=True)
class Word:
    tags: tuple[str, ...]        # Kiwi's tags for the word's morphemes, in order
    forms: tuple[str, ...]
    oov: tuple[bool, ...]        # True where Kiwi did not know the morpheme (guessed a noun)

    @property
    def single(self) -> bool:
        return len(self.tags) == 1

    @property
    def known_common(self) -> bool:
        """One morpheme Kiwi knows and that is not a proper noun: 공장장, 최초, 이모, 허리, 당시."""
        return self.single and not self.oov[0] and self.tags[0] != "NNP"

    @property
    def known_proper(self) -> bool:
        """One proper noun from Kiwi's dictionary: 김철수, 이천, 테헤란로, 쿠팡."""
        return self.single and not self.oov[0] and self.tags[0] == "NNP"

    @property
    def unknown(self) -> bool:
        """One morpheme Kiwi had never seen: 서미자, 알리셰르."""
        return self.single and self.oov[0]

    @property
    def has_grammar(self) -> bool:
        """A particle, an ending or a verb among the morphemes: 사고/NNG 를/JKO, 도와주/VV ᆫ/ETM."""
        return any(t[0] in "JE" or t in ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "ETM", "ETN") for t in self.tags)

    @property
    def phrase_like(self) -> bool:
        """Not a name: a verb form or ending (도와주/VV ᆫ/ETM, 이/VCP 라/EC), an ordinary word with a particle
        or a verb suffix (사고/NNG 를/JKO, 지시/NNG 하/XSV), a derivational suffix (정신/NNG 적/XSN,
        선생/NNG 님/XSN) or a prefix (고/XPN 혈압/NNG)."""
        first = self.tags[0]
        if first[:2] in ("VV", "VA", "VX", "VC", "XP", "XS", "MA", "IC") or first[0] in "JE":
            return True
        if self.starts_with_known_word and any(t == "XSN" for t, f in zip(self.tags, self.forms, strict=True)
                                               if f != "이"):
            return True
        return self.starts_with_known_word and any(t[0] in "JE" or t[:2] in ("XS", "VC") for t in self.tags[1:])

    @property
    def starts_with_known_word(self) -> bool:
        """The first morpheme is an ordinary word of two or more letters: 이상/NNG …, 한지/NNG …"""
        return (not self.single and len(self.forms[0]) >= 2 and not self.oov[0]
                and self.tags[0] not in ("NNP", "SL", "SN", "SH"))


@lru_cache(maxsize=65_536)
def word(text: str) -> Word:
    tokens = kiwi().tokenize(text)
    return Word(tuple(t.tag for t in tokens), tuple(t.form for t in tokens),
                tuple(bool(getattr(t, "oov", False)) for t in tokens))


def is_common_word(text: str) -> bool:
    return word(text).known_common


@lru_cache(maxsize=4_096)
def proper_at(window: str, start: int, length: int) -> bool:
    """Whether Kiwi, reading ``window``, makes ``window[start:start + length]`` one proper noun."""
    return any(t.start == start and t.end - t.start == length and t.tag == "NNP" for t in kiwi().tokenize(window))
