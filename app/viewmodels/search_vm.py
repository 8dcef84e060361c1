"""Search page logic: URL ⇄ query, outcome words with counts, result rows, paging."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from core.records import COURT_LEVEL_LABELS, OUTCOME_LABELS, OUTCOMES
from services.judgment.headline import headline
from services.search import SearchFilters

PAGE_SIZE = 20
# Who won: ``Precedent.outcome``, the result for the worker as the 주문 reads (services/judgment).
OUTCOME_WORDS = OUTCOME_LABELS
KIND_C_WORDS = {"업무상사고": "사고", "업무상질병": "질병"}
BENEFIT_WORDS = {"재요양등": "재요양"}
LEVEL_CHOICES = ((None, "모든 심급"), (1, "1심"), (2, "2심"), (3, "대법원"))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class SearchQuery:
    """Everything a search URL says: ``/search?q=..&a=..&b=..&c=..&level=..&from=..&to=..``."""

    text: str = ""
    outcome: str = ""
    kind_b: str = ""
    kind_c: str = ""
    level: int | None = None
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_params(cls, params: dict[str, str]) -> SearchQuery:
        outcome = params.get("a", "")
        level = _int_or_none(params.get("level"))
        return cls(
            text=re.sub(r"\s+", " ", params.get("q", "")).strip()[:200],
            outcome=outcome if outcome in OUTCOMES else "",
            kind_b=params.get("b", "").strip()[:20],
            kind_c=params.get("c", "") if params.get("c", "") in KIND_C_WORDS else "",
            level=level if level in (1, 2, 3) else None,
            year_from=_int_or_none(params.get("from")),
            year_to=_int_or_none(params.get("to")),
        )

    def to_params(self) -> dict[str, str]:
        pairs = {"q": self.text, "a": self.outcome, "b": self.kind_b, "c": self.kind_c,
                 "level": self.level, "from": self.year_from, "to": self.year_to}
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}

    def to_route(self) -> str:
        params = self.to_params()
        return "/search" + ("?" + urlencode(params) if params else "")

    def with_(self, **changes: Any) -> SearchQuery:
        return replace(self, **changes)

    @property
    def filter_count(self) -> int:
        return sum(1 for v in (self.outcome, self.kind_b, self.kind_c, self.level, self.year_from, self.year_to)
                   if v not in (None, ""))

    def to_filters(self) -> Any:
        return SearchFilters(outcome=self.outcome or None, kind_b=self.kind_b or None,
                             kind_c=self.kind_c or None, court_level=self.level,
                             year_from=self.year_from, year_to=self.year_to)


def outcome_chip_label(outcome: str, count: int | None) -> str:
    words = OUTCOME_WORDS.get(outcome, outcome)
    return f"{words} {count:,}건" if count is not None else words


def outcome_counts(counts: Any) -> dict[str, int]:
    """Pull the per-outcome counts out of ``SearchResult.counts`` (nested or flat)."""
    if not isinstance(counts, dict):
        return {}
    nested = counts.get("outcome")
    source = nested if isinstance(nested, dict) else counts
    return {k: int(v) for k, v in source.items() if k in OUTCOMES and isinstance(v, (int, float))}


def court_line(record: Any) -> str:
    level = record.court_level_label if hasattr(record, "court_level_label") else \
        COURT_LEVEL_LABELS.get(getattr(record, "court_level", None) or 0, "")
    court = getattr(record, "court", "")
    if level and level in court:
        level = ""  # "대법원 · 대법원" says nothing new
    parts = [court, level, getattr(record, "decided_on", "")]
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class HitRow:
    """One line of the result list, ready to show."""

    id: str
    title: str  # the 사건명 ("요양불승인처분취소"), shown under the headline
    case_number: str
    court: str
    outcome: str
    outcome_words: str
    is_sample: bool
    preview: str
    kinds: str
    outcome_note: str = ""  # set where the source's code and the 주문 disagree
    headline: str = ""  # the plain title: work · condition · result for the worker

    @property
    def heading(self) -> str:
        """What the card shows as its title: the headline, else the 사건명."""
        return self.headline or self.title

    @property
    def case_line(self) -> str:
        """사건명 · 사건번호 · 법원, the line under the headline."""
        return " · ".join(p for p in (self.title, self.case_number, self.court) if p)

    @property
    def route(self) -> str:
        from urllib.parse import quote

        return "/precedent/" + quote(self.id, safe=":")


_RELATED_HEAD = re.compile(r"【?연관판결】?\s*:?.*?(?=【?주\s*문】?|$)", re.S)


def _one_line(text: str, limit: int = 140) -> str:
    text = _RELATED_HEAD.sub(" ", text or "")  # the list of related cases says nothing about the case
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def hit_row(hit: Any, preview_for: Callable[[str], str | None] | None = None) -> HitRow:
    record = hit.record
    preview = (preview_for(record.id) if preview_for else None) or getattr(hit, "snippet", "") or \
        record.issues_text or record.order or record.reasons
    kinds = " · ".join(p for p in (BENEFIT_WORDS.get(record.kind_b, record.kind_b),
                                   KIND_C_WORDS.get(record.kind_c, record.kind_c)) if p)
    return HitRow(id=record.id, title=record.title or "(제목 없음)", case_number=record.case_number,
                  court=court_line(record), outcome=record.outcome,
                  outcome_words=OUTCOME_WORDS.get(record.outcome, record.outcome or "결과 정보 없음"),
                  is_sample=bool(record.is_sample or record.source == "sample"),
                  preview=_one_line(preview), kinds=kinds, outcome_note=record.outcome_note,
                  headline=headline(record))


def empty_suggestions(query: SearchQuery) -> list[str]:
    """What to try when nothing was found, in plain words."""
    tips = []
    if query.text:
        tips.append("더 쉬운 말로 찾아보세요. 예: '요추 추간판 탈출증' 대신 '허리 디스크', '뇌경색' 대신 '뇌졸중'.")
        if len(query.text.split()) > 2:
            tips.append("낱말 수를 줄여 보세요. 한두 낱말이 가장 잘 찾아집니다.")
    if query.filter_count:
        tips.append("고른 조건을 몇 개 빼 보세요 (결과, 심급, 연도, 급여 종류).")
    if not tips:
        tips.append("찾는 말을 넣거나 결과 종류를 골라 보세요.")
    return tips


@dataclass
class SearchState:
    query: SearchQuery
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # per outcome, ignoring the outcome filter
    rows: list[HitRow] = field(default_factory=list)
    all_total: int = 0  # matches for every outcome (the "모든 결과" chip)

    @property
    def has_more(self) -> bool:
        return len(self.rows) < self.total

    @property
    def summary_line(self) -> str:
        if not self.total:
            return "찾은 판례가 없습니다."
        return f"판례 {self.total:,}건을 찾았습니다." + (f" 그중 {len(self.rows):,}건을 보여 드립니다."
                                                      if self.has_more else "")


class SearchViewModel:
    """Runs searches (blocking; call from a worker thread) and keeps the rows shown so far."""

    def __init__(self, service: Any, *, preview_for: Callable[[str], str | None] | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        self.service = service
        self.preview_for = preview_for
        self.page_size = page_size
        self.state: SearchState | None = None

    def _search(self, query: SearchQuery, offset: int) -> Any:
        return self.service.search(query.text, query.to_filters(), limit=self.page_size, offset=offset)

    def run(self, query: SearchQuery) -> SearchState:
        result = self._search(query, 0)
        counts, all_total = outcome_counts(result.counts), int(result.total)
        if query.outcome:
            # The chips show what each outcome would give, so count without the outcome filter.
            base = self.service.search(query.text, query.with_(outcome="").to_filters(), limit=1, offset=0)
            counts, all_total = outcome_counts(base.counts), int(base.total)
        state = SearchState(query=query, total=int(result.total), counts=counts, all_total=all_total,
                            rows=[hit_row(h, self.preview_for) for h in result.hits])
        self.state = state
        return state

    def more(self) -> SearchState:
        if self.state is None:
            raise RuntimeError("run() first")
        state = self.state
        result = self._search(state.query, len(state.rows))
        seen = {r.id for r in state.rows}
        state.rows.extend(r for r in (hit_row(h, self.preview_for) for h in result.hits) if r.id not in seen)
        state.total = int(result.total)
        return state
