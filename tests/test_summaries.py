"""Offline summaries (자동 발췌), the summary schema, judgment fitting, the cache and the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from core.paths import sample_corpus_path
from core.records import Precedent
from services.ai.errors import AIFormatError
from services.ai.json_output import parse_as
from services.summaries import PrecedentSummary, SummaryError, summarize, summarize_text
from services.summaries.prompts import fit_judgment
from services.summaries.schema import PrecedentContent, preview_partial
from services.summaries.statutes import find_statutes
from services.summaries.text_extract import detect_doc_type, find_dates
from storage.summary_cache import SummaryCache
from tests.fakes.gemini_server import precedent_answer

REPO = Path(__file__).resolve().parent.parent

NOTICE = """근로복지공단 서울지역본부
수신: 홍길동 씨 귀하 (연락처 010-1234-5678)
제목: 요양급여 신청 결과 알림
귀하가 2025. 10. 1. 신청한 요양급여에 대하여 업무상질병판정위원회 심의 결과, 신청 상병(요추 추간판탈출증)은
퇴행성 변화로 업무와의 상당인과관계가 인정되지 않아 2026. 1. 15. 불승인 결정하였음을 알려드립니다.
이 결정에 이의가 있으면 결정이 있음을 안 날부터 90일 이내에 심사청구를 할 수 있습니다.
문의: 고객센터 1588-0075
"""


def sample_records() -> list[Precedent]:
    return [Precedent.from_dict(item) for item in json.loads(sample_corpus_path().read_text("utf-8"))]


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) and v.strip() for v in value)
    return value is not None


def test_offline_extract_fills_every_field_for_every_sample_record():
    records = sample_records()
    assert len(records) >= 6
    cache = SummaryCache()
    for record in records:
        summary = summarize(record, "offline", cache=cache)
        data = summary.to_dict()
        for name in ("preview", "plaintiff", "defendant", "result", "background", "issues", "reasoning",
                     "statutes", "model", "prompt_version", "created_at"):
            assert _filled(data[name]), (record.id, name)
        facts = data["deciding_facts"]
        assert facts["recognized"] or facts["not_recognized"], record.id
        assert "\n" not in summary.preview and len(summary.preview) <= 200
        assert summary.is_extract and summary.engine == "offline"
        assert summary.label == "자동 발췌" and "자동 발췌" in summary.notice
        expected = {"취소": "노동자 승소", "기각": "노동자 패소", "일부취소": "노동자 일부 승소"}.get(record.outcome)
        if expected:
            assert summary.result.startswith(expected), record.id
        # Every statute line names an act and an article.
        assert all(("법" in s and "조" in s) or "고시" in s for s in summary.statutes), record.id


def test_offline_extract_takes_sentences_from_the_right_parts():
    record = next(r for r in sample_records() if r.id == "sample:001")
    summary = summarize(record, "offline", cache=SummaryCache())
    assert "처분" in summary.background or "신청" in summary.background
    assert any("원고" in issue for issue in summary.issues)
    assert "상당인과관계" in summary.reasoning
    assert "산업재해보상보험법 제37조 제1항 제2호" in summary.statutes
    assert any("부담작업" in fact for fact in summary.deciding_facts.recognized)
    assert any("퇴행성" in fact for fact in summary.deciding_facts.not_recognized)


def test_cache_returns_the_same_summary_and_force_makes_a_new_one():
    record = sample_records()[0]
    cache = SummaryCache()
    first = summarize(record, "offline", cache=cache)
    assert not first.from_cache
    again = summarize(record, "offline", cache=cache)
    assert again.from_cache and again.created_at == first.created_at
    forced = summarize(record, "offline", force=True, cache=cache)
    assert not forced.from_cache
    stored = cache.get(record.id, "offline", first.model, first.prompt_version)
    assert stored is not None and PrecedentSummary.from_dict(stored).preview == first.preview


def test_find_statutes_normalises_and_resolves_the_same_act():
    text = ("구 산업재해보상보험법(2020. 1. 7. 법률 제16915호로 개정되기 전의 것) 제 37 조 제1항 제2호, "
            "같은 법 시행령 제34조 제3항, 산재보험법 제5조, 고용노동부 고시 제2022-40호, 적법 제3조")
    assert find_statutes(text) == ["산업재해보상보험법 제37조 제1항 제2호", "산업재해보상보험법 시행령 제34조 제3항",
                                   "산업재해보상보험법 제5조", "고용노동부 고시 제2022-40호"]


def test_model_output_parsing_rejects_truncated_and_invalid_json():
    good = json.dumps(precedent_answer(), ensure_ascii=False)
    assert parse_as("```json\n" + good + "\n```", PrecedentContent).defendant == "근로복지공단"
    with pytest.raises(AIFormatError) as truncated:
        parse_as(good[: len(good) // 2], PrecedentContent)
    assert "끊겨" in truncated.value.reason
    with pytest.raises(AIFormatError) as missing:
        parse_as(json.dumps(precedent_answer(result="", issues=[]), ensure_ascii=False), PrecedentContent)
    assert "result" in missing.value.reason and "issues" in missing.value.reason
    with pytest.raises(AIFormatError):
        parse_as("요약을 쓸 수 없습니다.", PrecedentContent)
    partial = preview_partial('{"preview": "택배 노동자 승소", "result": "노동자가 이')
    assert "한 줄 요약: 택배 노동자 승소" in partial and "결과: 노동자가 이" in partial


def test_fit_judgment_keeps_order_and_decision_and_trims_the_middle():
    record = sample_records()[0]
    filler = "가. 증거 목록\n" + ("증인의 진술 내용이 길게 이어진다. " * 4000)
    reasons = record.reasons.replace("4. 판단", filler + "\n4. 판단", 1)
    long_record = Precedent.from_dict({**record.to_dict(), "reasons": reasons})
    fitted = fit_judgment(long_record, 8000)
    assert len(fitted) < 9000
    assert "중략" in fitted
    assert record.order.splitlines()[0] in fitted
    assert "주문과 같이 판결한다" in fitted  # the 결론 survives
    assert "구체적 판단" in fitted


def test_text_summary_offline_detects_type_dates_and_deadlines():
    summary = summarize_text(NOTICE, "offline", today=date(2026, 1, 20))
    assert summary.doc_type == "불승인 통지"
    assert summary.is_extract and "자동 발췌" in summary.what_it_is
    assert summary.dates_found == {"decided": "2026-01-15"}
    names = [d["name"] for d in summary.deadlines]
    assert "심사청구" in names and "재심사청구" in names  # 질판위 decision: 재심사 may come first
    assert summary.next_steps[0].startswith("심사청구 기한: 2026-04-15")
    assert "받은 날" in summary.deadline_note
    assert summary.redacted_items >= 2
    joined = json.dumps(summary.to_dict(), ensure_ascii=False)
    assert "010-1234-5678" not in joined and "홍길동" not in joined


def test_empty_text_is_refused_in_korean():
    with pytest.raises(SummaryError) as empty:
        summarize_text("   \n ", "offline")
    assert "비어 있습니다" in empty.value.message


def test_text_summary_without_dates_explains_the_90_day_rule():
    summary = summarize_text("주치의 소견서\n진단명: 우측 회전근개 파열\n"
                             "반복적인 어깨 사용이 악화에 기여한 것으로 보임.",
                             "offline")
    assert summary.doc_type == "의학 소견"
    assert summary.deadlines == []
    plain = summarize_text("회사에서 보낸 편지입니다. 내일 면담이 있습니다.", "offline")
    assert plain.doc_type == "기타" and "90일" in plain.deadline_note


def test_doc_type_and_received_date_detection():
    assert detect_doc_type("산업재해보상보험재심사위원회 재결서 주문: 재심사 청구를 기각한다.") == "재심사 결정"
    assert detect_doc_type("심사결정서\n심사청구를 기각한다.") == "심사 결정"
    found = find_dates("결정일: 2026. 2. 3.\n이 통지서는 2026. 2. 9. 받았습니다.")
    assert found.decided == date(2026, 2, 3) and found.received == date(2026, 2, 9)


def _cli(*args: str, stdin: str = "", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, input=stdin.encode("utf-8"),
                          capture_output=True, timeout=120)


def test_cli_summarize_and_summarize_text():
    done = _cli("summarize", "sample:001", "--json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert data["record_id"] == "sample:001" and data["is_extract"] and data["from_cache"] is False
    again = _cli("summarize", "sample:001")
    assert again.returncode == 0 and "(저장된 요약)" in again.stdout.decode()
    assert "결과: 노동자 승소" in again.stdout.decode()

    text = _cli("summarize-text", "--json", stdin=NOTICE)
    assert text.returncode == 0, text.stderr.decode()
    summary = json.loads(text.stdout)
    assert summary["doc_type"] == "불승인 통지" and summary["deadlines"]

    missing = _cli("summarize", "sample:999")
    assert missing.returncode == 2 and "찾을 수 없습니다" in missing.stderr.decode()
