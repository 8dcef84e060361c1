"""Which judgments a 청구서 may cite: only those held on this computer, each checked by its case number.

The candidates are the case's own: its saved precedents (모아 둔 판례), the precedents its situation analyses
found, and optionally precedents found again for its situation. Each is read from the local store by id; one
that is not there, has no court or case number, or is a sample (가상 예시) is not cited. A case number typed
into an edited draft is looked up the same way before the draft is handed out for filing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.records import OUTCOME_LABELS, Precedent, split_case_number
from services.appeal.shapes import as_dict, as_list, texts
from services.cases.blocks import dotted_iso
from services.cases.model import Case

SAMPLES_ONLY = ("이 컴퓨터에는 아직 실제 판례가 없고 가상 예시만 있어서, 제출용 청구서에는 판례를 넣지 않았습니다. "
                "판례 자료를 받은 뒤(설정 화면의 '판례 자료 받기', 또는 운영자가 준 판례 파일 가져오기) 초안을 다시 "
                "만들면 실제 판례가 들어갑니다.")
NO_PRECEDENTS = ("이 사건에 맞는 판례를 찾지 못해 청구 이유에 판례를 넣지 않았습니다. 판례 찾기 화면에서 비슷한 판례를 "
                 "사건에 저장한 뒤 초안을 다시 만들어 보세요.")
ADD_IT_FIRST = "판례 찾기 화면에서 그 판례를 이 사건에 저장(모아 둔 판례)한 뒤 초안을 다시 만들면 확인됩니다."
WON = ("취소", "일부취소", "파기환송")

# '2021구단58217', '2020누21856', '2022두41855': year, a case-type code, a serial. Only court codes of cases an
# appeal cites, so that '10시간씩20' or '6년차3' in a story never reads as a case number.
_CODES = "구단|구합|구|누|두|가단|가합|가소|나|다|재|부|허|후"
CASE_NUMBER_IN_TEXT = re.compile(rf"(?<![\d가-힣])((?:19|20)\d{{2}})\s?({_CODES})\s?(\d{{1,7}})(?!\d)")
# 재심사위원회 재결: '2022-2302호'.
BOARD_NUMBER_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,6})호")


class PrecedentLookup(Protocol):
    """What the citation check needs from ``storage.precedents.PrecedentStore``."""

    def get_many(self, record_ids: Iterable[str]) -> list[Precedent]: ...
    def ids(self) -> set[str]: ...
    def samples(self) -> list[Precedent]: ...


def is_sample(record: Precedent) -> bool:
    return record.is_sample or record.source == "sample"


def number_key(text: str) -> str:
    """A case number as compared: spaces removed ('2021 구단 58217' and '2021구단58217' are one)."""
    return re.sub(r"\s+", "", text or "")


def case_numbers_in(text: str) -> list[str]:
    """The case numbers written in ``text``, in order, each once."""
    found = [f"{m[1]}{m[2]}{m[3]}" for m in CASE_NUMBER_IN_TEXT.finditer(text or "")]
    found += [f"{m[1]}-{m[2]}호" for m in BOARD_NUMBER_IN_TEXT.finditer(text or "")]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Citation:
    """A judgment a draft cites, with the sentences of it the draft quotes."""

    precedent_id: str
    court: str
    case_number: str
    decided_on: str
    outcome: str
    title: str = ""
    sentences: tuple[str, ...] = ()

    @classmethod
    def of(cls, record: Precedent, sentences: Sequence[str] = ()) -> Citation:
        return cls(record.id, record.court, record.case_number, record.decided_on, record.outcome, record.title,
                   tuple(sentences))

    @property
    def head(self) -> str:
        """'서울행정법원 2022. 6. 16. 선고 2021구단58217 판결' (a 재결 for the 재심사위원회)."""
        day = dotted_iso(self.decided_on).split("(")[0]
        if "법원" in self.court:
            return " ".join(p for p in (self.court, day, "선고" if day else "", self.case_number, "판결") if p)
        return " ".join(p for p in (self.court, day, self.case_number, "재결") if p)

    @property
    def result(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "결과 미상")

    def to_dict(self) -> dict[str, Any]:
        return {"precedent_id": self.precedent_id, "court": self.court, "case_number": self.case_number,
                "decided_on": self.decided_on, "outcome": self.outcome, "title": self.title,
                "sentences": list(self.sentences), "citation": f"{self.head} — {self.result}"}

    @classmethod
    def from_dict(cls, data: Any) -> Citation | None:
        if not isinstance(data, dict):
            return None
        values = [data.get(k) for k in ("precedent_id", "court", "case_number", "decided_on", "outcome", "title")]
        if not all(isinstance(v, str) for v in values) or not values[0] or not values[2]:
            return None
        pid, court, number, decided, outcome, title = (str(v) for v in values)
        return cls(pid, court, number, decided, outcome, title, tuple(texts(data.get("sentences"))))


@dataclass
class CitationPool:
    """The candidates read from the store: those that may be cited, in the order they came, and the samples."""

    records: list[Precedent] = field(default_factory=list)
    samples: list[Precedent] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # ids the store does not hold (any more)

    def by_number(self, number: str) -> Precedent | None:
        key = number_key(number)
        return next((r for r in self.records if number_key(r.case_number) == key), None)

    def notices(self) -> list[str]:
        """What the draft should say about the precedents it could not cite."""
        if self.samples and not self.records:
            return [SAMPLES_ONLY]
        notes = []
        if self.samples:
            notes.append(f"가상 예시 판례 {len(self.samples)}건은 제출용 청구서에 쓸 수 없어 뺐습니다.")
        if not self.records:
            notes.append(NO_PRECEDENTS)
        return notes


def case_precedent_ids(case: Case) -> list[str]:
    """The precedents the case itself points at: its saved ones first, then those its analyses found."""
    ids = [b.precedent_id for b in case.bookmarks]
    for analysis in reversed(case.analyses):  # the newest analysis first
        evidence = as_dict(analysis.get("evidence"))
        rows = [*as_list(evidence.get("similar")), *as_list(evidence.get("deciding_facts")),
                *as_list(as_dict(analysis.get("answer")).get("cited_precedents"))]
        ids += [row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), str)]
    return list(dict.fromkeys(ids))


def gather(case: Case, lookup: PrecedentLookup, found: Iterable[Precedent] = ()) -> CitationPool:
    """The case's candidate precedents as read from ``lookup`` (plus ``found``, precedents searched for it)."""
    ids = case_precedent_ids(case)
    held = {r.id: r for r in lookup.get_many(ids)}
    pool = CitationPool(missing=[i for i in ids if i not in held])
    seen: set[str] = set()
    for record in [*(held[i] for i in ids if i in held), *found]:
        if record.id in seen:
            continue
        seen.add(record.id)
        if is_sample(record):
            pool.samples.append(record)
        elif record.court and _citable_number(record.case_number):
            pool.records.append(record)
    return pool


def _citable_number(number: str) -> bool:
    """A court case number ('2021구단58217') or a 재결 number ('2022-2302호'): one a reader can look up."""
    key = number_key(number)
    return split_case_number(key)[1] is not None or BOARD_NUMBER_IN_TEXT.fullmatch(key) is not None


@dataclass(frozen=True)
class CitationProblem:
    case_number: str
    message: str


def check_numbers(text: str, pool: CitationPool, lookup: PrecedentLookup) -> list[CitationProblem]:
    """Each case number in ``text`` that may not be cited: a sample, or not held on this computer."""
    sample_numbers = {number_key(r.case_number) for r in [*pool.samples, *lookup.samples()]}
    problems = []
    for number in case_numbers_in(text):
        if pool.by_number(number) is not None or _held_by_number(number, lookup):
            continue
        if number_key(number) in sample_numbers:
            problems.append(CitationProblem(number, f"{number}: 가상 예시 판례라서 제출용 청구서에 쓸 수 없습니다."))
        else:
            problems.append(CitationProblem(number, f"{number}: 이 컴퓨터의 판례에서 찾을 수 없는 사건번호입니다. "
                                                    "번호가 맞는지 확인해 주세요. " + ADD_IT_FIRST))
    return problems


def _held_by_number(number: str, lookup: PrecedentLookup) -> bool:
    """Whether a real judgment with this case number is stored (portal records carry it in their id)."""
    prefix = f"portal:{number_key(number)}@"
    ids = [i for i in lookup.ids() if i.startswith(prefix)]
    return any(not is_sample(r) for r in lookup.get_many(ids))
