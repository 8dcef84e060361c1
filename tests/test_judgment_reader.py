"""The one judgment reader: 주문 → the result for the worker, parts, polarity, sentences, dates, and the
path of that result through the store, search, the offline summary, the evidence view and the detail page."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.viewmodels.detail_vm import DetailViewModel
from app.viewmodels.search_vm import SearchQuery, SearchViewModel, hit_row
from core.dates import dates_in, iso_date, parse_date
from core.records import OUTCOME_LABELS, OUTCOME_PLAIN, OUTCOMES, Precedent, valid_date
from services.analysis.evidence import evidence_view
from services.analysis.grounding import deciding_sentences
from services.analysis.model import SituationInput
from services.cases.exchange import dumps_json, envelope
from services.cases.report import cases_markdown
from services.cases.repository import UserFileCaseRepository
from services.judgment import READER, READER_VERSION
from services.judgment.kiwi import kiwi
from services.judgment.order import read_order
from services.judgment.polarity import sentence_polarity
from services.judgment.reader import decision_date_from_text, outcome_note
from services.judgment.sections import record_parts, split_judgment, split_sections
from services.judgment.sentences import split_sentences
from services.search import SearchFilters, SearchService
from services.search.tokenize import kiwi as search_kiwi
from services.sources import lawgokr_parse
from services.sources.payload import parse_body
from services.summaries.extract import extract_precedent
from services.summaries.text_extract import find_dates
from storage.precedents import PrecedentStore
from storage.user_store import UserStore
from tests.conftest import FIXTURES

# (주문, expected result for the worker). Real-shaped: 1심, 항소심, 상고심, 재결, partial, procedural.
ORDERS: list[tuple[str, str]] = [
    # 1심
    ("1. 피고가 2020. 11. 9. 원고에 대하여 한 요양불승인처분을 취소한다.\n2. 소송비용은 피고가 부담한다.", "취소"),
    ("1. 원고의 청구를 기각한다.\n2. 소송비용은 원고가 부담한다.", "기각"),
    ("1. 피고가 2019. 11. 25. 원고에 대하여 한 유족급여 및 장의비 부지급 처분을 취소한다.", "취소"),
    ("원고들의 청구를 모두 기각한다.", "기각"),
    ("1. 피고가 2019. 5. 13. 원고에 대하여 한 요양불승인처분 중 '우측 슬관절 내측 반월상연골판 파열'에 관한 부분을 "
     "취소한다.\n2. 원고의 나머지 청구를 기각한다.\n3. 소송비용 중 1/2은 원고가, 나머지는 피고가 각 부담한다.",
     "일부취소"),
    ("1. 피고가 2018. 12. 10. 원고에 대하여 한 휴업급여 부지급 처분 중 2018. 3. 1.부터 2018. 5. 31.까지에 관한 "
     "부분을 취소한다.\n2. 원고의 나머지 청구를 기각한다.", "일부취소"),
    ("1. 이 사건 소를 각하한다.\n2. 소송비용은 원고가 부담한다.", "각하"),
    ("1. 이 사건 소 중 장해급여 청구 부분을 각하한다.\n2. 피고가 원고에게 한 요양불승인처분을 취소한다.", "취소"),
    ("이 사건 소는 2019. 8. 12. 원고의 소 취하로 종료되었다.", "취하"),
    # 항소심
    ("1. 피고의 항소를 기각한다.\n2. 항소비용은 피고가 부담한다.", "취소"),
    ("1. 원고의 항소를 기각한다.\n2. 항소비용은 원고가 부담한다.", "기각"),
    ("피고보조참가인의 항소를 기각한다.", "취소"),
    ("1. 제1심판결을 취소한다.\n2. 원고의 청구를 기각한다.\n3. 소송 총비용은 원고가 부담한다.", "기각"),
    ("1. 제1심판결을 취소한다.\n2. 피고가 2018. 5. 14. 원고에 대하여 한 유족급여 및 장의비 부지급 처분을 취소한다.\n"
     "3. 소송 총비용은 피고가 부담한다.", "취소"),
    ("1. 제1심판결을 취소한다.\n2. 이 사건 소를 각하한다.", "각하"),
    ("1. 원고와 피고의 항소를 모두 기각한다.\n2. 항소비용은 각자 부담한다.", "일부취소"),
    ("원고의 항소와 피고의 부대항소를 모두 기각한다.", "일부취소"),
    ("1. 제1심판결 중 원고 패소 부분을 취소한다.\n2. 피고가 원고에게 한 장해급여 부지급 처분을 취소한다.", "취소"),
    ("1. 제1심판결 중 피고 패소 부분을 취소한다.\n2. 위 취소 부분에 해당하는 원고의 청구를 기각한다.", "기각"),
    ("1. 제1심판결 중 원고 패소 부분 일부를 취소한다.\n2. 피고가 원고에게 한 처분 중 12급을 초과하는 부분을 "
     "취소한다.\n3. 원고의 나머지 항소를 기각한다.", "일부취소"),
    ("원고의 항소를 각하한다.", "각하"),
    # 상고심
    ("상고를 기각한다. 상고비용은 원고가 부담한다.", "기각"),
    ("상고를 기각한다. 상고비용은 피고가 부담한다.", "취소"),
    ("피고의 상고를 기각한다.", "취소"),
    ("원심판결을 파기하고, 사건을 서울고등법원에 환송한다.", "파기환송"),
    ("원심판결을 파기하고, 사건을 수원고등법원에 환송한다.", "파기환송"),
    ("원심판결 중 원고 패소 부분을 파기하고, 이 부분 사건을 대전고등법원에 환송한다.", "파기환송"),
    # 재심사위원회 재결
    ("청구인의 재심사 청구를 기각한다.", "기각"),
    ("이 사건 재심사청구를 기각한다.", "기각"),
    ("원처분을 취소한다.", "취소"),
    ("원처분기관이 2022. 3. 2. 청구인에게 한 요양 불승인 처분을 취소한다.", "취소"),
    ("청구인의 재심사 청구를 각하한다.", "각하"),
    # silent or ambiguous: the source's code decides
    ("소송비용은 각자 부담한다.", ""),
    ("상고를 기각한다.", ""),
    ("", ""),
]


@pytest.mark.parametrize("order,expected", ORDERS)
def test_order_reads_as_the_result_for_the_worker(order: str, expected: str) -> None:
    reading = read_order(order)
    assert reading.outcome == expected
    assert reading.outcome in set(OUTCOMES) | {""}
    assert bool(reading.why) == bool(expected)


def test_the_table_covers_every_result() -> None:
    assert len(ORDERS) >= 30
    assert {expected for _, expected in ORDERS} == set(OUTCOMES) | {""}
    assert "각하" in OUTCOMES and OUTCOME_PLAIN["각하"]


@pytest.mark.parametrize("text", [
    "연관판결 : 서울행정법원,2019구단1234,1심-서울고등법원,2020누5678,2심\n주      문\n피고의 항소를 기각한다.\n"
    "청 구 취 지\n피고가 원고에게 한 처분을 취소한다.\n이      유\n1. 처분의 경위\n원고는 …",
    "【연관판결】<br/>서울행정법원,2019구단1234,1심<br/>【주문】<br/>피고의 항소를 기각한다.<br/>"
    "【청구취지】<br/>피고가 원고에게 한 처분을 취소한다.<br/>【이유】<br/>1. 처분의 경위<br/>원고는 …",
])
def test_plain_and_bracketed_texts_give_the_same_parts(text: str) -> None:
    parts = split_judgment(text)
    assert parts.order == "피고의 항소를 기각한다."
    assert parts.claim == "피고가 원고에게 한 처분을 취소한다."
    assert parts.reasons.startswith("1. 처분의 경위")
    assert parts.related[0] == {"court": "서울행정법원", "case_number": "2019구단1234", "level": 1}
    assert read_order(parts.order).outcome == "취소"


def test_headings_inside_the_reasons() -> None:
    reasons = ("1. 처분의 경위\n가. 원고는 상하차 업무를 하였다.\n2. 원고의 주장\n업무로 발병하였다.\n"
               "3. 관계 법령\n별지 기재\n4. 판단\n가. 인정 사실\n원고는 6년간 일했다.\n나. 구체적 판단\n"
               "상당인과관계가 인정된다.\n5. 결론\n원고의 청구는 이유 있다.")
    kinds = [s.kind for s in split_sections(reasons)]
    assert kinds == ["background", "claims", "law", "judgment", "facts", "judgment", "conclusion"]


def test_polarity_of_sentences() -> None:
    assert sentence_polarity("퇴행성 변화는 경미하여 그것만으로 탈출 소견을 설명하기 어렵다.") == "for"
    assert sentence_polarity("8개월 정도의 진열 업무가 악화를 초래하였다고 보기는 어렵다.") == "against"
    assert sentence_polarity("피고 자문의는 퇴행성 변화에 의한 질환이라는 소견을 밝혔다.") == "against"
    assert sentence_polarity("원고의 업무는 근골격계 부담작업으로 평가되었다.") == "for"
    assert sentence_polarity("퇴행성 소인이 있더라도 업무가 악화에 기여하였으므로 상당인과관계가 인정된다.") == "for"
    assert sentence_polarity("업무와의 상당인과관계를 인정하기 부족하다.") == "against"
    # the conclusion at the end of the sentence decides
    mixed = "업무가 과중하였다고 볼 수 있으나, 그것만으로 상당인과관계를 인정하기는 어렵다."
    assert sentence_polarity(mixed) == "against"
    assert sentence_polarity("원고는 2017년에 입사하였다.") == ""


def test_sentence_split_keeps_dates_whole_and_drops_list_marks() -> None:
    text = "가. 원고는 2025. 10. 1. 요양급여를 신청하였다. 피고는 2025. 11. 3. 불승인하였다.\n[인정 근거] 갑 제1호증"
    assert split_sentences(text) == ["원고는 2025. 10. 1. 요양급여를 신청하였다.", "피고는 2025. 11. 3. 불승인하였다."]
    assert split_sentences("   ") == []


def test_one_kiwi_for_the_process() -> None:
    assert kiwi() is search_kiwi()


@pytest.mark.parametrize("raw,expected", [
    ("2026-01-19", "2026-01-19"), ("2026. 9. 8.", "2026-09-08"), ("2026.9.10", "2026-09-10"),
    ("2026년 9월 10일", "2026-09-10"), ("20260119", "2026-01-19"), ("2026/1/9", "2026-01-09"),
    ("2026-02-30", ""), ("2025. 2. 29.", ""), ("2024. 2. 29.", "2024-02-29"), ("2026-13-01", ""),
    ("0001.01.01", ""), ("00010101", ""), ("", ""), ("2026", ""), ("２０２６-01-19", "2026-01-19"), ("²⁰²⁶-01-19", ""),
])
def test_the_date_parser(raw: str, expected: str) -> None:
    assert iso_date(raw) == expected
    assert (parse_date(raw) is None) == (not expected)
    assert valid_date(expected) == bool(expected)


def test_dates_in_text_skip_impossible_days() -> None:
    text = "2026. 2. 30. 접수, 2026년 3월 2일 결정하였고 2026. 3. 9. 받았습니다."
    assert [d for _, d in dates_in(text)] == [date(2026, 3, 2), date(2026, 3, 9)]
    found = find_dates(text)
    assert found.decided == date(2026, 3, 2) and found.received == date(2026, 3, 9)
    assert decision_date_from_text("사건 2020누1\n판결선고 2020. 5. 12.\n주문") == "2020-05-12"
    assert decision_date_from_text("판결선고 2021. 2. 30.") == ""


def test_the_real_iaciac_decision_is_read_from_its_order() -> None:
    listing = lawgokr_parse.read_list(parse_body((FIXTURES / "lawgokr_iaciac_list.xml").read_bytes()), "iaciac")
    body = lawgokr_parse.read_body(parse_body((FIXTURES / "lawgokr_iaciac_body_7213.xml").read_bytes()), "iaciac")
    record = lawgokr_parse.iaciac_to_precedent("7213", body, listing.entries[0])
    assert (record.outcome, record.source_outcome, record.outcome_note) == ("기각", "", "")
    assert record.decided_on == "2023-01-09" and record.reader_version == READER_VERSION
    assert READER.read(record) == record  # reading is idempotent


# ---- one record from the store to every screen --------------------------------------------------

FULL_TEXT = (
    "연관판결 : 서울행정법원,2019구단1234,1심-서울고등법원,2020누5678,2심\n"
    "사      건  2020누5678 요양불승인처분취소\n판 결 선 고  2020. 11. 5.\n"
    "주      문\n1. 피고의 항소를 기각한다.\n2. 항소비용은 피고가 부담한다.\n"
    "이      유\n1. 처분의 경위\n원고는 물류센터에서 6년간 상하차 업무를 하다가 요추 추간판탈출증 진단을 받았다.\n"
    "2. 판단\n원고의 업무는 중량물을 반복하여 드는 근골격계 부담작업에 해당한다. "
    "퇴행성 변화는 경미하여 그것만으로 원고의 탈출 소견을 설명하기 어렵다. "
    "따라서 원고의 업무와 상병 사이에 상당인과관계가 인정된다.\n"
    "3. 결론\n제1심판결은 정당하고 피고의 항소는 이유 없으므로 이를 기각한다."
)


def _raw_record() -> Precedent:
    """As the source sends it: the portal's code says 기각 (that is, the 공단's appeal was dismissed)."""
    return Precedent(id="portal:2020누5678@서울고등법원", source="portal", title="요양불승인처분취소",
                     case_number="2020누5678", case_year=2020, court="서울고등법원", outcome="기각", kind_b="요양",
                     kind_c="업무상질병", full_text=FULL_TEXT, issues_text="상하차 업무와 허리 디스크")


def _check_read(record: Precedent) -> None:
    assert (record.outcome, record.source_outcome) == ("취소", "기각")
    assert record.outcome_note.startswith("출처 자료에는 '기각(노동자 패소)'로 되어 있으나 주문을 보면")
    assert "노동자가 이긴" in record.outcome_note
    assert (record.court_level, record.decided_on, record.case_year) == (2, "2020-11-05", 2020)
    assert record.order.startswith("1. 피고의 항소를 기각한다.")


def test_a_dismissed_agency_appeal_is_a_worker_win_everywhere(tmp_path: Path) -> None:
    store = PrecedentStore(tmp_path / "cache", sample_path=tmp_path / "none.json", reader=READER)
    assert store.upsert_many([_raw_record()]).added == 1
    stored = store.get(_raw_record().id)
    assert stored is not None
    _check_read(stored)

    # search: label, filter and counts
    service = SearchService(store, index_dir=tmp_path / "index")
    service.ensure_index()
    found = service.search("상하차 디스크", SearchFilters(outcome="취소"), limit=5, offset=0)
    assert [h.record.id for h in found.hits] == [stored.id] and found.counts.get("취소") == 1
    assert not found.counts.get("기각")
    assert service.search("상하차 디스크", SearchFilters(outcome="기각"), limit=5, offset=0).total == 0
    row = hit_row(found.hits[0])
    assert row.outcome == "취소" and "승소" in row.outcome_words and row.outcome_note == stored.outcome_note
    state = SearchViewModel(service).run(SearchQuery(text="상하차 디스크"))
    assert state.counts == {"취소": 1} and state.rows[0].outcome == "취소"

    # offline summary
    content = extract_precedent(stored)
    assert content["result"].startswith("노동자 승소.") and stored.outcome_note in content["result"]
    assert content["preview"].startswith("노동자 승소")
    assert any("부담작업" in fact for fact in content["deciding_facts"]["recognized"])

    # evidence view
    inp = SituationInput(kind_c="업무상질병", diagnoses=["요추 추간판탈출증"], learned_on=date(2026, 1, 19),
                         story="물류센터에서 상하차 일을 6년 하다가 허리 디스크가 생겼습니다.")
    view = evidence_view(inp, found.hits, today=date(2026, 2, 1))
    assert view["outcome_counts"] == {"취소": 1}
    assert view["similar"][0]["outcome"] == "취소" and view["similar"][0]["outcome_note"] == stored.outcome_note
    directions = {f["direction"] for f in deciding_sentences(stored)}
    assert "인정" in directions

    # detail page
    detail = DetailViewModel(stored)
    assert "승소" in detail.outcome_words and detail.outcome_note == stored.outcome_note
    assert ("결과", detail.outcome_words) in detail.facts()

    # saved into a case: the report and the export carry the same result
    cases = UserFileCaseRepository(UserStore(tmp_path / "user.json"))
    case = cases.add_bookmark(cases.create("허리 디스크 상담").id, stored)
    report = cases_markdown([case])
    assert f"{stored.citation()} — {OUTCOME_LABELS['취소']}" in report and "패소" not in report
    assert stored.id not in report  # a record id is machine data, not for the reader
    exported = json.loads(dumps_json(envelope([case])))
    assert exported["cases"][0]["bookmarks"][0]["outcome"] == "취소"


def test_a_record_not_read_yet_is_read_by_the_offline_summary() -> None:
    assert extract_precedent(_raw_record())["result"].startswith("노동자 승소.")


def test_records_stored_before_the_reader_are_read_again_and_saved(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    old = PrecedentStore(root, sample_path=tmp_path / "none.json")  # as an older app stored them
    old.upsert_many([_raw_record()])
    before = old.version()
    assert next(old.iter_records()).outcome == "기각"

    store = PrecedentStore(root, sample_path=tmp_path / "none.json", reader=READER)
    _check_read(store.get_many([_raw_record().id])[0])  # read on the fly before the upgrade pass
    assert store.version() != before  # the upgrade saved and the search index will rebuild
    shard = json.loads((root / "shard-0000.json").read_text(encoding="utf-8"))
    (doc,) = shard["records"].values()
    assert doc["reader_version"] == READER_VERSION and doc["outcome"] == "취소" and doc["source_outcome"] == "기각"
    _check_read(next(store.iter_records()))
    assert store.upgrade() == 0  # nothing left to do


def test_old_documents_without_the_new_fields_still_load() -> None:
    doc = {"id": "portal:1", "source": "portal", "title": "t", "outcome": "기각", "order": "피고의 항소를 기각한다."}
    record = Precedent.from_dict(doc)
    assert (record.source_outcome, record.outcome_note, record.reader_version) == ("", "", 0)
    assert READER.read(record).outcome == "취소"


def test_imports_and_samples_go_through_the_reader(tmp_path: Path) -> None:
    source = PrecedentStore(tmp_path / "a", sample_path=tmp_path / "none.json")
    source.upsert_many([_raw_record()])
    source.export_corpus(tmp_path / "corpus.json.gz")
    target = PrecedentStore(tmp_path / "b", reader=READER)
    assert target.import_corpus(tmp_path / "corpus.json.gz").added == 1
    _check_read(next(target.iter_records()))
    samples = PrecedentStore(tmp_path / "c", reader=READER).samples()
    assert samples and all(s.reader_version == READER_VERSION and s.outcome in OUTCOMES for s in samples)
    assert all(not s.outcome_note for s in samples)  # the bundled samples agree with their 주문


def test_record_parts_fall_back_to_the_full_text() -> None:
    text = "【주문】 원고의 청구를 기각한다. 【이유】 없음"
    parts = record_parts(Precedent(id="x", source="portal", title="t", full_text=text))
    assert parts.order == "원고의 청구를 기각한다." and parts.reasons == "없음"


def test_the_note_uses_the_right_particle() -> None:
    assert outcome_note("파기환송", "기각", "원고의 상고가 기각되었습니다").startswith("출처 자료에는 '파기환송'으로 ")
    assert outcome_note("각하", "취소", "…").startswith("출처 자료에는 '각하'로 ")
    assert outcome_note("취소", "취소", "…") == ""
