"""The judgment reader the precedent store applies to every record it writes or loads.

From a record's text it derives the parts (연관판결, 주문, 이유), the case number, the court's own
level, the decision date and the result *for the worker*. The source's own result code is kept in
``source_outcome``; where the 주문 decides otherwise, ``outcome`` follows the 주문 and ``outcome_note``
says so in plain Korean. Reading is idempotent: reading a read record again changes nothing.
"""
from __future__ import annotations

import re
from dataclasses import replace

from core.dates import DATE_IN_TEXT, iso_date
from core.korean import particle
from core.records import Precedent, split_case_number, valid_date
from services.judgment.order import read_order
from services.judgment.sections import case_number_from_text, clean_text, own_level, split_judgment

# Raise when a change here should re-derive records already stored (the store then reads them again).
READER_VERSION = 1
# Sources that give a result code of their own; law.go.kr gives none (its records are read from the 주문 only).
_CODED_SOURCES = ("portal", "sample")

_DECIDED = re.compile(r"(?:판\s*결\s*선\s*고|선\s*고\s*일\s*자?|의\s*결\s*일\s*자?|재\s*결\s*일)\s*[:：]?\s*")
_OUTCOME_WORDS = {"취소": "취소(노동자 승소)", "일부취소": "일부취소(노동자 일부 승소)", "기각": "기각(노동자 패소)",
                  "각하": "각하", "취하": "취하", "파기환송": "파기환송"}


def decision_date_from_text(text: str) -> str:
    """'판결선고 2020. 5. 12.' (or 의결일자 …) in the text → '2020-05-12' ('' when absent or not a real day)."""
    for head in _DECIDED.finditer(text or ""):
        match = DATE_IN_TEXT.match(text, head.end())
        if match:
            return iso_date(match[0])
    return ""


def outcome_note(source_outcome: str, outcome: str, why: str) -> str:
    """The short Korean note shown where the source's code and the 주문 disagree ('' when they agree)."""
    if not source_outcome or not outcome or source_outcome == outcome or not why:
        return ""
    said = _OUTCOME_WORDS.get(source_outcome, source_outcome)
    return f"출처 자료에는 '{said}'{particle(said, '로')} 되어 있으나 주문을 보면 {why}."


class JudgmentReader:
    """Satisfies ``core.records.PrecedentReader``: ``version`` and ``read(record) -> Precedent``."""

    @property
    def version(self) -> int:
        return READER_VERSION

    def read(self, record: Precedent) -> Precedent:
        """A copy of ``record`` with every field that comes from its text derived again."""
        full_text = clean_text(record.full_text)
        parts = split_judgment(full_text)
        order = clean_text(record.order) or parts.order
        reasons = clean_text(record.reasons) or parts.reasons
        related = record.related or parts.related
        case_number, case_year = record.case_number, record.case_year
        if not case_number:
            case_number, case_year = split_case_number(case_number_from_text(full_text, record.court, related))
        level = record.court_level
        if record.source != "iaciac":
            level = own_level(case_number, record.court, related) or level
        decided_on = iso_date(record.decided_on) or decision_date_from_text(full_text)
        if not valid_date(decided_on):
            decided_on = ""
        # A record never read before carries the source's code in ``outcome`` (older stored files too).
        source_outcome = record.source_outcome if record.reader_version else record.outcome
        if record.source not in _CODED_SOURCES:
            source_outcome = ""
        reading = read_order(order)
        outcome = reading.outcome or source_outcome
        return replace(
            record, full_text=full_text, order=order, reasons=reasons, related=related,
            case_number=case_number, case_year=case_year,
            court_level=level, decided_on=decided_on, outcome=outcome, source_outcome=source_outcome,
            outcome_note=outcome_note(source_outcome, outcome, reading.why), reader_version=READER_VERSION,
        )


READER = JudgmentReader()
