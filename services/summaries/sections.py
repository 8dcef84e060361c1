"""Split a Korean judgment (or 재결서) into its parts, and into sentences.

Judgments follow a fixed layout: 주문, (청구취지), 이유 with numbered headings such as
"1. 처분의 경위", "2. 원고의 주장", "3. 관계 법령", "4. 판단" (가. 인정사실, 나. 판단), "5. 결론".
재심사위원회 재결서 use "사건 개요", "청구인 주장", "사실관계", "판단". Sources differ in line breaks,
so headings are found by their words after a number, not by line layout.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

# kind → heading words. Order matters: the first kind whose words match names the heading.
HEADING_KINDS: tuple[tuple[str, str], ...] = (
    ("background", r"처분의\s*경위|사건\s*개요|사건의\s*개요|기초\s*사실|사건의\s*경위|재해\s*경위"),
    ("claims", r"(?:원고|청구인|당사자)(?:의|들의)?\s*주장"),
    ("agency", r"원처분기관\s*처분|심사기관\s*결정|피고의\s*주장|처분\s*사유"),
    ("law", r"관계\s*법령|관련\s*법령"),
    ("facts", r"인정\s*사실|사실\s*관계|의학적\s*소견|인정되는\s*사실"),
    ("container", r"이\s*사건\s*처분의\s*적법\s*여부|본안에\s*관한\s*판단"),
    ("doctrine", r"관련\s*법리|법리"),
    ("judgment", r"(?:구체적\s*)?판단|검토|소결"),
    ("conclusion", r"결론"),
)
_KIND_BY_GROUP = {f"k{i}": kind for i, (kind, _words) in enumerate(HEADING_KINDS)}
_HEADING = re.compile(
    r"(?:^|(?<=\s)|(?<=【))(?:\d{1,2}|[가나다라마바사아자차카타파하])\s*[.)]\s*(?:"
    + "|".join(f"(?P<k{i}>{words})" for i, (_kind, words) in enumerate(HEADING_KINDS))
    # the rest of a heading line ("의학적 소견 및 감정 결과") belongs to the heading
    + r")(?:[^\n.]{0,25}(?=\n))?(?=\s|$|[】:])",
    re.MULTILINE,
)
_BRACKET = re.compile(r"【\s*([^】]{1,20})\s*】")
_ORDER_SPLIT = re.compile(r"(?:^|\s|【)\s*(주\s*문)\s*(?:】|\n|\s)")
_REASONS_SPLIT = re.compile(r"(?:^|\s|【)\s*(이\s*유)\s*(?:】|\n)")
_CLAIM_SPLIT = re.compile(r"(?:^|\s|【)\s*(청\s*구\s*취\s*지)\s*(?:】|\n|\s)")


@dataclass
class Section:
    kind: str        # background, claims, agency, law, facts, container, judgment, conclusion, intro
    title: str
    start: int       # offset of the heading in the reasons text
    text: str        # the body (heading excluded)


def _heading_kind(match: re.Match[str]) -> str:
    for group, kind in _KIND_BY_GROUP.items():
        if match.group(group):
            return kind
    return "other"


def split_sections(reasons: str) -> list[Section]:
    """The numbered parts of the 이유, in order. Text before the first heading is ``intro``."""
    text = reasons or ""
    matches = list(_HEADING.finditer(text))
    sections: list[Section] = []
    first_start = matches[0].start() if matches else len(text)
    if text[:first_start].strip():
        sections.append(Section("intro", "", 0, text[:first_start].strip()))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end():end].strip(" 】:\n\t")
        sections.append(Section(_heading_kind(match), match.group(0).strip(), match.start(), body))
    return sections


@dataclass
class JudgmentParts:
    order: str
    claim: str
    reasons: str


def split_judgment(full_text: str, order: str = "", reasons: str = "") -> JudgmentParts:
    """주문 / 청구취지 / 이유 from a record; fields the source gave win over parsing the full text."""
    text = full_text or ""
    if order and reasons:
        return JudgmentParts(order.strip(), "", reasons.strip())
    reasons_match = _REASONS_SPLIT.search(text)
    order_match = _ORDER_SPLIT.search(text)
    claim_match = _CLAIM_SPLIT.search(text)
    parsed_reasons = text[reasons_match.end():].strip() if reasons_match else ""
    parsed_order = ""
    if order_match:
        stops = [m.start() for m in (claim_match, reasons_match) if m and m.start() > order_match.end()]
        parsed_order = text[order_match.end():min(stops) if stops else len(text)].strip()
    parsed_claim = ""
    if claim_match and reasons_match and claim_match.end() < reasons_match.start():
        parsed_claim = text[claim_match.end():reasons_match.start()].strip()
    if not parsed_reasons and not reasons:
        parsed_reasons = text.strip()
    return JudgmentParts((order or parsed_order).strip(), parsed_claim, (reasons or parsed_reasons).strip())


def clean_markup(text: str) -> str:
    """Drop 【】 brackets and the 연관판결 header line some sources put first."""
    text = re.sub(r"^\s*【?연관판결】?\s*:?[^\n]*\n", "", text or "")
    return _BRACKET.sub(r"\1 ", text)


# ------------------------------------------------------------------ sentences

_kiwi_lock = threading.Lock()


class _Sentence(Protocol):
    @property
    def text(self) -> str: ...


class _SentenceSplitter(Protocol):
    """The part of ``kiwipiepy.Kiwi`` used here (kiwipiepy ships no type information)."""

    def split_into_sents(self, text: str) -> Sequence[_Sentence]: ...


@lru_cache(maxsize=1)
def _kiwi() -> _SentenceSplitter:
    from kiwipiepy import Kiwi  # loading the model takes about a second: only when needed

    splitter: _SentenceSplitter = Kiwi()
    return splitter


_LIST_MARK = re.compile(r"^\s*(?:(?:\d{1,2}|[가나다라마바사아자차카타파하])\s*[.)]|[①-⑳]|"
                        r"\(\d{1,2}\)|\([가나다라마바사아자차카타파하]\))\s+")


_SPACED_DATE = re.compile(r"((?:19|20)\d{2})\.\s+(\d{1,2})\.\s+(\d{1,2})\.")
_PACKED_DATE = re.compile(r"((?:19|20)\d{2})\.(\d{1,2})\.(\d{1,2})\.")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (Korean-aware), list markers like "가." removed, blanks dropped."""
    if not text or not text.strip():
        return []
    # "2025. 10. 1." would be cut after "10."; pack dates for the splitter and unpack afterwards.
    packed = _SPACED_DATE.sub(r"\1.\2.\3.", text)
    with _kiwi_lock:
        found = _kiwi().split_into_sents(packed)
    sentences = []
    for sent in found:
        value = _PACKED_DATE.sub(r"\1. \2. \3.", re.sub(r"\s+", " ", sent.text))
        value = _LIST_MARK.sub("", value).strip()
        if len(value) >= 4:
            sentences.append(value)
    return sentences


def shorten(sentence: str, limit: int = 220) -> str:
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut + " …"
