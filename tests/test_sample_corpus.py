"""The illustrative sample corpus (가상 예시) shown before any real data is synced."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from core.paths import sample_corpus_path
from core.records import OUTCOMES, Precedent, court_level, split_case_number

REQUIRED_KIND_B = ("요양", "재요양등", "장해", "퇴직후진단", "유족")
# Case-number codes per 심급: 구단/구합 (1심), 누 (2심), 두 (대법원).
CASE_CODES = {1: ("구단", "구합"), 2: ("누",), 3: ("두",)}
# Names must stay placeholders; these would hint at a real person or company.
FORBIDDEN_PATTERNS = (r"\d{6}-\d{7}", r"010-\d{4}-\d{4}", r"김[가-힣]{2}\b", r"이[가-힣]{2}씨")


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return json.loads(sample_corpus_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records(raw: list[dict]) -> list[Precedent]:
    return [Precedent.from_dict(item) for item in raw]


def test_enough_records_with_exact_fields(raw: list[dict]) -> None:
    assert len(raw) >= 36
    # The judgment reader derives these when the samples are loaded; the file does not carry them.
    derived = {"source_outcome", "outcome_note", "reader_version"}
    expected = set(Precedent.__dataclass_fields__) - derived
    for item in raw:
        assert set(item) == expected, item.get("id")


def test_ids_unique_and_numbered(records: list[Precedent]) -> None:
    ids = [r.id for r in records]
    assert len(set(ids)) == len(ids)
    assert ids == [f"sample:{n:03d}" for n in range(1, len(ids) + 1)]


def test_every_record_is_marked_sample(records: list[Precedent]) -> None:
    for r in records:
        assert r.is_sample is True
        assert r.source == "sample"
        assert r.fetched_at == ""
        assert r.title


def test_outcomes_and_kinds_covered(records: list[Precedent]) -> None:
    outcomes = Counter(r.outcome for r in records)
    for outcome in OUTCOMES:
        if outcome == "각하":  # no bundled example of a suit dismissed as inadmissible yet
            continue
        assert outcomes[outcome] >= 3, outcome
    assert set(outcomes) <= set(OUTCOMES)
    kinds = Counter(r.kind_b for r in records)
    for kind in REQUIRED_KIND_B:
        assert kinds[kind] >= 3, kind
    kind_c = Counter(r.kind_c for r in records)
    assert set(kind_c) == {"업무상사고", "업무상질병"}
    assert min(kind_c.values()) >= 10


def test_court_levels_and_case_numbers(records: list[Precedent]) -> None:
    assert {r.court_level for r in records} == {1, 2, 3}
    for r in records:
        assert r.court_level == court_level(r.court), r.id
        number, year = split_case_number(r.case_number)
        assert number == r.case_number and year == r.case_year, r.id
        code = re.sub(r"\d", "", r.case_number)
        assert code in CASE_CODES[r.court_level], r.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.decided_on), r.id
        assert "2008" <= r.decided_on[:4] <= "2023", r.id
        assert int(r.decided_on[:4]) >= r.case_year, r.id


def test_remand_only_at_supreme_court(records: list[Precedent]) -> None:
    for r in records:
        if r.outcome == "파기환송":
            assert r.court_level == 3, r.id
            assert "환송" in r.order


def test_related_chain_is_consistent(records: list[Precedent]) -> None:
    for r in records:
        levels = [e["level"] for e in r.related]
        assert levels == sorted(set(levels)), r.id
        own = {"court": r.court, "case_number": r.case_number, "level": r.court_level}
        assert own in r.related, r.id
        for entry in r.related:
            assert set(entry) == {"court", "case_number", "level"}
            assert court_level(entry["court"]) == entry["level"], r.id
            code = re.sub(r"\d", "", entry["case_number"])
            assert code in CASE_CODES[entry["level"]], r.id
        # A higher court's record always lists the lower judgments it reviewed.
        for lower in range(1, r.court_level):
            assert lower in levels, r.id


def test_full_text_holds_header_order_and_reasons(records: list[Precedent]) -> None:
    for r in records:
        assert r.full_text.startswith("연관판결 : "), r.id
        for entry in r.related:
            assert f"{entry['court']},{entry['case_number']},{entry['level']}심" in r.full_text.splitlines()[0]
        assert r.order and r.order in r.full_text, r.id
        assert r.reasons and r.reasons in r.full_text, r.id
        assert r.full_text.index("주문") < r.full_text.index(r.order) < r.full_text.index("이유")


def test_reasons_are_full_judgments_except_withdrawals(records: list[Precedent]) -> None:
    lengths = []
    for r in records:
        if r.outcome == "취하":
            assert len(r.reasons) < 1000, r.id
            continue
        assert len(r.reasons) >= 1200, r.id
        assert "결론" in r.reasons, r.id
        lengths.append(len(r.reasons))
    assert max(lengths) - min(lengths) > 1000  # lengths vary


def test_no_copy_paste_between_records(records: list[Precedent]) -> None:
    # Formula lines repeat across judgments; long factual sentences must not.
    seen: dict[str, str] = {}
    for r in records:
        for sentence in re.split(r"(?<=다\.)\s", r.reasons):
            sentence = sentence.strip()
            if len(sentence) < 120:
                continue
            assert sentence not in seen, (r.id, seen.get(sentence), sentence[:60])
            seen[sentence] = r.id


def test_names_are_placeholders(records: list[Precedent]) -> None:
    for r in records:
        for pattern in FORBIDDEN_PATTERNS:
            assert not re.search(pattern, r.full_text), (r.id, pattern)


def test_docs_table_lists_every_record(records: list[Precedent]) -> None:
    table = (sample_corpus_path().parent.parent / "docs" / "sample_corpus.md").read_text(encoding="utf-8")
    for r in records:
        assert f"`{r.id}`" in table, r.id
