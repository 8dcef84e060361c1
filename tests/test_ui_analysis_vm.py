"""Situation-analysis and summary page logic: form, examples, checks, privacy preview, chart data, sections."""
from __future__ import annotations

from datetime import date

import pytest

from app.viewmodels import analysis_vm as vm
from app.viewmodels import summarize_vm
from services.analysis import OverlapFinder, analyze, build_request
from services.cases.analysis_report import analysis_blocks
from services.judgment import READER
from services.redaction import redact
from storage.precedents import PrecedentStore

TODAY = date(2026, 3, 9)


def test_diagnoses_are_added_split_and_deduplicated():
    form = vm.AnalysisForm().with_diagnosis("요추 추간판탈출증, 경추  염좌\n요추 추간판탈출증")
    assert form.diagnoses == ("요추 추간판탈출증", "경추 염좌")
    assert form.without_diagnosis("경추 염좌").diagnoses == ("요추 추간판탈출증",)
    assert form.with_diagnosis("   ").diagnoses == form.diagnoses


def test_every_worked_example_fills_a_valid_form():
    labels = [label for label, _ in vm.worked_examples()]
    assert len(labels) == 3
    for label in labels:
        form = vm.example_form(label, today=TODAY)
        assert form.kind_c in ("업무상사고", "업무상질병") and form.diagnoses and form.story
        assert form.learned_on == "2026-02-17"  # 20 days before "today", so deadlines look real
        check = vm.check_form(form)
        assert check.ok and check.hints == [], (label, check)
    with pytest.raises(KeyError):
        vm.example_form("없는 예시")


def test_check_names_what_is_missing_in_korean():
    check = vm.check_form(vm.AnalysisForm(learned_on="2026-13-40"))
    assert not check.ok
    assert any("2026-13-40" in m for m in check.blocking)
    assert any("두세 문장" in m for m in check.blocking)
    assert set(check.fields) >= {"learned_on", "story", "kind_c", "diagnoses", "industry", "denial_reason"}
    # Non-blocking gaps are hints only: the offline view can still run.
    form = vm.AnalysisForm(story="물류센터에서 6년 동안 매일 무거운 상자를 날랐고 허리가 아파 병원에 갔습니다.")
    check = vm.check_form(form)
    assert check.ok and len(check.hints) >= 4


def _finder():
    return OverlapFinder(list(PrecedentStore(reader=READER).iter_records()))


def test_a_name_found_without_a_cue_is_shown_as_unsure():
    masked = redact("아내 최지우와 반장 박영수가 왔어요. 김민수가 도왔어요")
    lines = vm.preview_of(masked.findings, masked.text).replaced_lines
    assert "이름: 최지우 → [이름1]" in lines and "이름: 박영수 → [이름2]" in lines  # a role word before: sure
    assert "이름: 김민수 → [이름3] (이름인지 확실하지 않지만 가렸습니다)" in lines  # found by its shape alone


def test_privacy_preview_shows_the_masked_request_and_edits_are_masked_again():
    form = vm.example_form(vm.worked_examples()[0][0], today=TODAY)
    form = vm.AnalysisForm(**{**form.to_values(), "diagnoses": form.diagnoses,
                              "story": form.story + " 성명: 홍길동, 연락처 010-1234-5678"})
    request = build_request(vm.to_input(form), _finder())
    preview = vm.request_preview(request)
    assert "010-1234-5678" not in preview.text and "[전화번호1]" in preview.text
    assert "전화번호 1건" in preview.masked and "홍길동" not in preview.text
    assert preview.masked_line.startswith("다음 개인정보를 자동으로 가렸습니다")
    # The box holds only his own words; the instructions, the answer template and the precedents are apart.
    assert preview.text.startswith("- 업종/하던 일")
    assert "JSON" not in preview.text and "## 비슷한 판례" not in preview.text
    assert preview.full_text == request.text and "JSON" in preview.full_text
    assert "전화번호: 010-1234-5678 → [전화번호1]" in preview.replaced_lines  # its kind and original text
    assert "직접 지워 주세요" in preview.caution  # said every time: names may be missed
    assert vm.edited_request(request, preview.text) is request
    edited = vm.edited_request(request, preview.text + "\n추가: 주민번호 900101-1234567")
    assert "900101-1234567" not in edited.text and "[주민등록번호1]" in edited.text
    # The rest of the request is kept as it was, and only his words changed.
    assert edited.text.startswith(request.text.partition("## 내 상황")[0])
    assert edited.text.partition("## 비슷한 판례")[2] == request.text.partition("## 비슷한 판례")[2]
    assert "추가: 주민번호 [주민등록번호1]" in edited.own_words


def test_outcome_bars_order_labels_and_summary():
    bars = vm.outcome_bars({"기각": 2, "취소": 3, "취하": 0, "미상": 1})
    assert [b.key for b in bars] == ["취소", "기각", "미상"]
    assert bars[0].label == "노동자 승소 (취소)" and bars[0].count == 3
    summary = vm.outcome_summary(bars)
    assert summary.startswith("비슷한 사례 6건의 결과: 노동자 승소 (취소) 3건")
    assert "내 사건의 결과를 뜻하지는 않습니다" in summary
    assert vm.outcome_summary([]) == "비슷한 사례가 없습니다."


def test_offline_result_becomes_sections_and_a_saved_record():
    form = vm.example_form(vm.worked_examples()[0][0], today=TODAY)
    result = analyze(vm.to_input(form), _finder(), today=TODAY).to_dict()
    evidence = result["evidence"]
    rows = vm.similar_rows(evidence)
    assert rows and all(r["id"].startswith("sample:") for r in rows)
    assert sum(vm.outcome_counts(evidence).values()) == len(rows)
    titles = [title for title, _ in vm.evidence_sections(evidence)]
    assert "모아 둘 증거" in titles and "불복 기한" in titles and "법령과 인정 기준" in titles
    record = vm.saved_record(result, [{"role": "user", "content": "특별진찰은?"},
                                      {"role": "assistant", "content": "답"}])
    assert record["title"] == "상황 분석: 요추 제4-5번 추간판탈출증"
    # The case page draws a saved analysis from the report's blocks (the same sections as the PDF).
    shown = [(b.kind, b.label, b.text) for b in analysis_blocks(1, record)]
    assert ("subheading", "", "비슷한 판례") in shown and ("subheading", "", "추가 질문과 답변") in shown
    assert ("field", "추가 질문", "특별진찰은?") in shown and ("field", "답변", "답") in shown
    assert vm.cited_precedent_ids(record)[0][0] == rows[0]["id"]


def test_answer_sections_and_citations():
    answer = {"issues": ["퇴행성 여부"], "assessment": {"strengths": ["장기간 중량물"], "weaknesses": ["영상 소견"]},
              "favourable_facts": [], "unfavourable_facts": ["나이"], "evidence_checklist": ["작업 기록"],
              "cited_precedents": [{"id": "sample:001", "why": "비슷한 업무"}], "next_steps": ["심사청구"]}
    sections = dict(vm.answer_sections(answer))
    assert sections["쟁점"] == ["퇴행성 여부"]
    assert sections["판례에 비추어 본 정리 (예측이 아닌 정보)"] == ["도움이 될 수 있는 점: 장기간 중량물",
                                                        "걸림돌이 될 수 있는 점: 영상 소견"]
    assert "내 상황 중 유리한 사실" not in sections
    evidence = {"similar": [{"id": "sample:001", "citation": "서울행정법원 2022구단1"}]}
    assert vm.cited_refs(answer, evidence) == [{"id": "sample:001", "label": "서울행정법원 2022구단1",
                                                "why": "비슷한 업무"}]


def test_stream_preview_turns_partial_json_into_reading_text():
    raw = '{"issues": ["퇴행성 여부", "업무 부담'
    assert vm.stream_preview(raw) == "■ 쟁점\n• 퇴행성 여부\n• 업무 부담"


# ---------------------------------------------------------------- summaries

class _Settings(dict):
    def get(self, name, default=None):
        return super().get(name, default)


def test_summary_engines_follow_configuration():
    assert summarize_vm.available_engines(_Settings()) == ["offline"]
    settings = _Settings(gemini_key="k", llm_url="http://127.0.0.1:1", summary_engine="gemma")
    assert summarize_vm.available_engines(settings) == ["offline", "gemini", "gemma"]
    assert summarize_vm.default_engine(settings) == "gemma"
    assert summarize_vm.default_engine(_Settings(summary_engine="gemini")) == "offline"


def test_text_files_in_korean_encodings_are_read():
    text = "불승인 결정 통지서입니다."
    assert summarize_vm.decode_text_file(text.encode("utf-8")) == text
    assert summarize_vm.decode_text_file(text.encode("cp949")) == text
    assert summarize_vm.decode_text_file(b"\xef\xbb\xbf" + "줄1\r\n줄2".encode()) == "줄1\n줄2"
    with pytest.raises(summarize_vm.FileReadError):
        summarize_vm.decode_text_file(b"\x89PNG\x00\x00\x00")
    with pytest.raises(summarize_vm.FileReadError):
        summarize_vm.decode_text_file(b"")


def test_summary_text_checks_and_preview():
    assert "붙여 넣" in summarize_vm.text_problem("  ")
    assert summarize_vm.text_problem("가" * 40) is None
    preview = summarize_vm.privacy_preview("원고 김철수의 전화 010-2222-3333")
    assert "010-2222-3333" not in preview.text and "전화번호 1건" in preview.masked


def test_summary_sections_include_deadlines():
    summary = {"what_it_is": "불승인 통지", "key_points": ["요양 불승인"], "what_it_means": "인정받지 못함",
               "next_steps": ["심사청구"],
               "deadlines": [{"name": "심사청구", "deadline": "2026-04-20", "days_left": 5}],
               "deadline_note": "통지서를 받은 날을 확인하세요."}
    sections = dict(summarize_vm.summary_sections(summary))
    assert sections["기한"] == ["심사청구: 2026-04-20까지 (5일 남음)", "통지서를 받은 날을 확인하세요."]
    assert list(sections)[:4] == ["무슨 문서인가요", "핵심 내용", "무슨 뜻인가요", "이제 할 수 있는 일"]


def test_the_ai_line_sends_desktop_users_to_settings_and_tells_visitors_plainly():
    assert "설정에서" in vm.ai_mode_line(None)
    visitor = vm.ai_mode_line(None, web_mode=True)
    assert "설정에서" not in visitor and "제공하지 않습니다" in visitor
    assert vm.ai_mode_line("gemini", web_mode=True).startswith("Google Gemini")
