"""Turning a query into groups of terms, and scoring every document against them.

A *group* is one thing the user asked about ("허리디스크"). It is satisfied by the user's own word
or by any of its legal expansions ("요추 추간판탈출증"). A word counts as present when most of its
tokens are in the document (one bigram may be missing per three, so "추간판 탈출증" written split
still matches "추간판탈출증"). A document matches when it satisfies the informative required groups
(all of them for one or two, 60 % for more); words found in most documents do not decide matching.
Scores are bm25s contributions summed with weights (expansions weigh less), times a bonus for
covering more groups.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from services.search.expansions import EXPANSION_WEIGHT, NON_DECIDING_WORDS, find_expansions, squash
from services.search.index import SearchIndex
from services.search.tokenize import QueryWord, phrase_words, query_words

MAX_QUERY_WORDS = 100  # a search box query; longer texts (a pasted judgment) go through similar()
_COMMON_SHARE = 0.5  # a group satisfied by more than half the corpus does not decide matching
_MIN_DOCS_FOR_COMMON = 20


@dataclass
class Term:
    token_ids: list[int | None]  # None for a token the index has never seen
    weight: float
    surfaces: tuple[str, ...]
    specials: tuple[str, ...] = ()

    @property
    def need(self) -> int:
        n = len(self.token_ids)
        return max(1, n - n // 3)


@dataclass
class Group:
    required: bool
    alternatives: list[list[Term]] = field(default_factory=list)  # any alternative; all terms of it

    def terms(self) -> list[Term]:
        return [term for alt in self.alternatives for term in alt]


@dataclass
class Plan:
    groups: list[Group]
    expanded_phrases: list[str]

    @property
    def empty(self) -> bool:
        return not self.groups

    def highlight_terms(self) -> list[tuple[str, float]]:
        """(surface, weight) pairs for snippets, longest first."""
        best: dict[str, float] = {}
        for group in self.groups:
            for term in group.terms():
                for surface in term.surfaces:
                    best[surface] = max(best.get(surface, 0.0), term.weight)
        return sorted(best.items(), key=lambda kv: -len(kv[0]))

    def specials(self) -> set[str]:
        return {s for group in self.groups for term in group.terms() for s in term.specials}


def _term(word: QueryWord, index: SearchIndex, weight: float) -> Term:
    specials = tuple(t for t in word.tokens if t.startswith("#"))
    return Term([index.token_id(t) for t in word.tokens], weight, word.surfaces, specials)


def cap_query(query: str) -> tuple[str, str | None]:
    """The query cut to ``MAX_QUERY_WORDS`` words, and a Korean note when it was cut."""
    words = query.split()
    if len(words) <= MAX_QUERY_WORDS:
        return query, None
    return " ".join(words[:MAX_QUERY_WORDS]), (
        f"검색어가 너무 길어 앞의 {MAX_QUERY_WORDS}단어만으로 찾았습니다. "
        "긴 글과 비슷한 판례는 '내 상황과 비슷한 판례'로 찾아 보세요.")


class _Occurrences:
    """Where each word's surfaces occur in the squashed query, found once and reused for every expansion.

    Searching the whole query again for every (expansion, word, trigger span) was cubic in the query
    length: a 4,000-word query took over a minute.
    """

    def __init__(self, squashed: str) -> None:
        self.squashed = squashed
        self._starts: dict[str, list[int]] = {}

    def starts(self, surface: str) -> list[int]:
        found = self._starts.get(surface)
        if found is None:
            found = []
            pos = self.squashed.find(surface)
            while pos >= 0:
                found.append(pos)
                pos = self.squashed.find(surface, pos + 1)
            self._starts[surface] = found
        return found

    def covered(self, spans: tuple[tuple[int, int], ...]) -> bytearray:
        """1 at every position of the squashed query inside one of ``spans``."""
        marks = bytearray(len(self.squashed) + 1)
        for start, end in spans:
            marks[start:end] = b"\x01" * (end - start)
        return marks

    def overlaps(self, word: QueryWord, covered: bytearray, seen: dict[str, bool]) -> bool:
        """Whether an occurrence of the word overlaps a trigger span (``covered`` from ``covered()``).

        ``seen`` keeps the answer per surface for one ``covered``: a word repeated 400 times is checked once.
        """
        for surface in word.surfaces:
            hit = seen.get(surface)
            if hit is None:
                hit = seen[surface] = any(covered.find(1, pos, pos + len(surface)) >= 0
                                          for pos in self.starts(surface))
            if hit:
                return True
        return False


def build_plan(query: str, index: SearchIndex, *, salient: int | None = None) -> Plan:
    """Groups for ``query``. With ``salient`` (for long situation texts) keep only the N words with
    the highest tf·idf, and make none of them required."""
    tokenizer = index.tokenizer
    words = query_words(query, tokenizer)
    if salient is not None:
        words = _salient_words(words, index, salient)
    groups = [Group(word.required and salient is None and not _non_deciding(word), [[_term(word, index, 1.0)]])
              for word in words]
    occurrences = _Occurrences(squash(query))
    phrases_used: list[str] = []
    for expansion in find_expansions(query):
        alternatives = []
        for phrase in expansion.phrases:
            terms = [_term(w, index, EXPANSION_WEIGHT) for w in phrase_words(phrase, tokenizer)]
            if terms:
                alternatives.append(terms)
                phrases_used.append(phrase)
        covered, seen = occurrences.covered(expansion.spans), dict[str, bool]()
        owners = [g for g, w in zip(groups, words, strict=False) if occurrences.overlaps(w, covered, seen)]
        if owners:
            for group in owners:
                group.alternatives.extend(alternatives)
        elif alternatives:
            groups.append(Group(False, alternatives))
    return Plan(groups, list(dict.fromkeys(phrases_used)))


def _non_deciding(word: QueryWord) -> bool:
    return any(surface in NON_DECIDING_WORDS for surface in word.surfaces)


def _salient_words(words: list[QueryWord], index: SearchIndex, keep: int) -> list[QueryWord]:
    n_docs = max(1, len(index))
    tf = Counter(words)
    scored = []
    for word, count in tf.items():
        ids = [index.token_id(t) for t in word.tokens]
        dfs = [index.doc_freq(i) for i in ids if i is not None]
        if not dfs:
            continue
        idf = math.log(1 + n_docs / (1 + max(dfs)))
        scored.append(((1 + math.log(count)) * idf * (1.0 if word.required else 0.5), word))
    scored.sort(key=lambda pair: -pair[0])
    return [word for _, word in scored[:keep]]


@dataclass
class Evaluation:
    matched: np.ndarray  # bool per document
    scores: np.ndarray   # float per document


class _Postings:
    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def presence_count(self, term: Term) -> np.ndarray:
        n = len(self.index)
        docs = [self.index.postings(t)[0] for t in term.token_ids if t is not None]
        if not docs:
            return np.zeros(n, dtype=np.int32)
        return np.bincount(np.concatenate(docs), minlength=n)

    def weighted_scores(self, terms: list[Term]) -> np.ndarray:
        n = len(self.index)
        docs, contributions = [], []
        weights: dict[int, float] = {}
        for term in terms:
            per_token = term.weight / math.sqrt(max(1, len(term.token_ids)))
            for t in term.token_ids:
                if t is not None:
                    weights[t] = max(weights.get(t, 0.0), per_token)
        for t, w in weights.items():
            d, s = self.index.postings(t)
            docs.append(d)
            contributions.append(s * w)
        if not docs:
            return np.zeros(n, dtype=np.float64)
        return np.bincount(np.concatenate(docs), weights=np.concatenate(contributions), minlength=n)


def evaluate(plan: Plan, index: SearchIndex, *, allowed: np.ndarray | None = None,
             require: bool = True) -> Evaluation:
    """Match and score every document. When nothing within ``allowed`` satisfies all required
    groups, one fewer is required, and so on: a lay question should still find the closest cases."""
    n = len(index)
    postings = _Postings(index)
    satisfied: list[np.ndarray] = []
    for group in plan.groups:
        sat = np.zeros(n, dtype=bool)
        for alternative in group.alternatives:
            alt_sat = np.ones(n, dtype=bool)
            for term in alternative:
                alt_sat &= postings.presence_count(term) >= term.need
            sat |= alt_sat
        satisfied.append(sat)
    all_terms = [term for group in plan.groups for term in group.terms()]
    scores = postings.weighted_scores(all_terms)
    if not satisfied:
        return Evaluation(np.zeros(n, dtype=bool), scores)
    sat_matrix = np.vstack(satisfied)
    covered = sat_matrix.sum(axis=0)
    scores = scores * (0.5 + 0.5 * covered / len(satisfied))
    if not require:
        return Evaluation(scores > 0, scores)
    informative = [
        i for i, group in enumerate(plan.groups)
        if group.required and not (n >= _MIN_DOCS_FOR_COMMON and satisfied[i].mean() > _COMMON_SHARE)
    ]
    if not informative:
        return Evaluation(covered > 0, scores)
    hits = sat_matrix[informative].sum(axis=0)
    need = len(informative) if len(informative) <= 2 else math.ceil(0.6 * len(informative))
    matched = hits >= need
    while need > 1 and not (matched if allowed is None else matched & allowed).any():
        need -= 1
        matched = hits >= need
    return Evaluation(matched, scores)
