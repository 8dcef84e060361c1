"""Export and import of case files: JSON round trips and merging, Markdown, PDF, workspace backup, CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from services.cases import UserFileCaseRepository
from services.cases.exchange import (
    ImportFileError,
    backup_workspace,
    export_json,
    import_cases,
    read_cases_file,
    restore_workspace,
)
from services.cases.merge import COPY_SUFFIX
from services.cases.pdf_report import export_pdf
from services.cases.report import cases_markdown, export_markdown
from storage.user_store import UserStore
from tests.conftest import REPO

TODAY = date(2026, 2, 1)


def _repo(folder: Path) -> UserFileCaseRepository:
    folder.mkdir(parents=True, exist_ok=True)
    return UserFileCaseRepository(UserStore(folder / "user.json"))


# A saved analysis with the keys ``analysis_vm.saved_record`` writes (an AI answer, one follow-up question).
SAVED_ANALYSIS = {
    "input": {"industry": "건설 현장 자재 운반", "kind_c": "업무상질병", "diagnoses": ["요추 추간판탈출증"],
              "benefit": "요양급여", "denial_reason": "퇴행성 변화", "learned_on": "2026-01-19",
              "story": "20년 동안 무거운 자재를 날랐습니다."},
    "engine": "gemini", "model": "gemini-2.5-flash",
    "evidence": {
        "similar": [{"id": "sample:002", "title": "요양급여불승인처분취소", "court": "대전지방법원",
                     "case_number": "2018구단777", "decided_on": "2019-03-14", "outcome": "취소",
                     "outcome_plain": "노동자 승소 (불승인 취소)", "outcome_note": "", "source_outcome": "취소",
                     "is_sample": True, "score": 0.51, "snippet": "건설 현장 자재 운반과 허리 디스크",
                     "citation": "대전지방법원 2019-03-14 2018구단777 「요양급여불승인처분취소」 (출처: 가상 예시)"}],
        "outcome_counts": {"취소": 1}, "deciding_facts": [], "criteria": [],
        "evidence_checklist": ["근무 기록"], "deadlines": [], "deadline_notes": [], "support_steps": [],
        "disclaimer": "이 내용은 법률 자문이 아니며 결과를 예측하지 않습니다.", "has_samples": True},
    "answer": {"issues": ["업무와 질병 사이의 인과관계"],
               "assessment": {"strengths": ["중량물 취급 기간이 깁니다."], "weaknesses": []},
               "favourable_facts": ["20년 동안 자재 운반"], "unfavourable_facts": ["영상의 퇴행성 소견"],
               "evidence_checklist": ["의사 소견서"], "cited_precedents": [{"id": "sample:002", "why": "같은 직종"}],
               "next_steps": ["심사청구서 내기"]},
    "answer_invalid": False, "dropped_citations": [], "warnings": [], "sent_text": "## 내 상황 ...",
    "redactions": [], "input_notes": [], "disclaimer": "이 내용은 법률 자문이 아니며 결과를 예측하지 않습니다.",
    "title": "상황 분석: 요추 추간판탈출증", "kind": "상황 분석",
    "chat": [{"role": "user", "content": "특별진찰은 무엇인가요?"},
             {"role": "assistant", "content": "[sample:002] 판례처럼 공단에 요청하는 진찰입니다."}],
}


def _full_case(repository: UserFileCaseRepository):
    case = repository.create("김OO 허리 디스크", situation="건설 현장에서 20년 동안 무거운 자재를 날랐습니다. " * 12,
                             learned_on="2026-01-19", decided_on="2026-01-15", contact="010-0000-0000")
    repository.add_bookmark(case.id, {"id": "sample:001", "title": "요양불승인처분취소",
                                      "citation": "서울행정법원 2020-05-01 2019구단12345 「요양불승인처분취소」 "
                                                  "(출처: 가상 예시)"},
                            "업무 기간이 비슷함")
    repository.add_analysis(case.id, SAVED_ANALYSIS)
    repository.add_document(case.id, "귀하의 요양급여 신청을 불승인합니다.", {"preview": "불승인 통지"}, title="통지서")
    repository.set_checklist(case.id, ["진단서 받기", {"text": "동료 진술서", "done": True}])
    return repository.update(case.id, notes="다음 주 상담 예정")


def test_json_round_trip_is_identical(tmp_path: Path) -> None:
    source = _repo(tmp_path / "a")
    original = _full_case(source)
    second = source.create("두 번째")
    (tmp_path / "out").mkdir()  # exports never create folders (tests/test_cases_robustness.py)
    export_file = export_json(source.all(), tmp_path / "out" / "cases.json")
    envelope = json.loads(export_file.read_text(encoding="utf-8"))
    assert envelope["format"] == "sanjae-gemma-cases" and envelope["version"] == 1 and envelope["exported_at"]

    target = _repo(tmp_path / "b")
    report = import_cases(target, export_file)
    assert len(report.added) == 2
    assert target.get(original.id).to_dict() == original.to_dict()
    assert target.get(second.id).to_dict() == second.to_dict()

    again = import_cases(target, export_file)
    assert again.added == [] and sorted(again.skipped) == sorted([original.id, second.id])
    assert len(target.all()) == 2


def test_newer_incoming_replaces_unchanged_local(tmp_path: Path) -> None:
    laptop, office = _repo(tmp_path / "laptop"), _repo(tmp_path / "office")
    case = laptop.create("갱신 사건")
    import_cases(office, export_json(laptop.all(), tmp_path / "v1.json"))
    laptop.update(case.id, notes="사무실에서 못 본 새 메모")
    report = import_cases(office, export_json(laptop.all(), tmp_path / "v2.json"))
    assert report.replaced == [case.id]
    assert office.get(case.id).notes == "사무실에서 못 본 새 메모"
    # The older file arriving afterwards does not undo the newer content.
    late = import_cases(office, tmp_path / "v1.json")
    assert late.skipped == [case.id]
    assert office.get(case.id).notes == "사무실에서 못 본 새 메모"


def test_conflict_keeps_both_and_reimport_adds_nothing(tmp_path: Path) -> None:
    laptop, office = _repo(tmp_path / "laptop"), _repo(tmp_path / "office")
    case = laptop.create("충돌 사건")
    import_cases(office, export_json(laptop.all(), tmp_path / "v1.json"))
    laptop.update(case.id, notes="노트북에서 고침")
    office.update(case.id, notes="사무실에서 고침")
    export_file = export_json(laptop.all(), tmp_path / "v2.json")

    report = import_cases(office, export_file)
    assert len(report.copies) == 1 and report.replaced == []
    cases = {c.id: c for c in office.all()}
    assert cases[case.id].notes == "사무실에서 고침"
    copy = cases[report.copies[0]]
    assert copy.notes == "노트북에서 고침"
    assert copy.alias == "충돌 사건" + COPY_SUFFIX and copy.copied_from == case.id

    again = import_cases(office, export_file)
    assert again.copies == [] and again.added == []
    assert len(office.all()) == 2


@pytest.mark.parametrize("content, expected", [
    (b"\x00\x01 not json", "손상"),
    (b'{"format": "something-else", "version": 1, "cases": []}', "내보낸 사건 파일이 아닙니다"),
    (b'{"format": "sanjae-gemma-cases", "version": 9, "cases": []}', "새로운 버전"),
    (b'{"format": "sanjae-gemma-cases", "version": 1, "cases": [{"id": "x", "alias": ""}]}', "1번째 사건"),
    (b'{"format": "sanjae-gemma-cases", "version": 1, "cases": {}}', "사건 목록이 없습니다"),
])
def test_bad_files_are_refused_in_korean_and_change_nothing(tmp_path: Path, content: bytes, expected: str) -> None:
    repository = _repo(tmp_path / "data")
    repository.create("기존 사건")
    before = (tmp_path / "data" / "user.json").read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ImportFileError) as excinfo:
        import_cases(repository, bad)
    assert expected in excinfo.value.message
    assert (tmp_path / "data" / "user.json").read_bytes() == before


def test_imported_names_are_never_used_as_paths(tmp_path: Path) -> None:
    source = _repo(tmp_path / "a")
    case = source.create("../../escape")
    source.add_document(case.id, "내용", title="../../../../tmp/evil.txt")
    export_file = export_json(source.all(), tmp_path / "cases.json")
    target_dir = tmp_path / "b"
    target = _repo(target_dir)
    before = set(p.name for p in tmp_path.rglob("*"))
    import_cases(target, export_file)
    created = set(p.name for p in tmp_path.rglob("*")) - before
    assert "evil.txt" not in created and not Path("/tmp/evil.txt").exists()
    assert read_cases_file(export_file)[0].documents[0].title == "../../../../tmp/evil.txt"


def test_markdown_has_every_section(tmp_path: Path) -> None:
    repository = _repo(tmp_path / "a")
    case = _full_case(repository)
    text = cases_markdown([case], TODAY)
    for expected in ("# 사건 기록: 김OO 허리 디스크", "## 불복 기한",
                     "| 심사청구 | 2026. 4. 20.(월) | D-78 · 78일 남음 |", "2026-04-20(월)까지입니다",
                     "## 상황 분석 1: 요추 추간판탈출증", "### 쟁점",
                     "업무와 질병 사이의 인과관계", "### 인용한 판례",
                     "대전지방법원 2019. 3. 14. 선고 2018구단777 판결 — 노동자 승소 (취소) (가상 예시)",
                     "비슷한 점: 같은 직종", "**추가 질문**: 특별진찰은 무엇인가요?",
                     "**답변**: 대전지방법원 2018구단777 (가상 예시) 판례처럼", "## 모아 둔 판례",
                     "서울행정법원 2020-05-01 2019구단12345", "업무 기간이 비슷함", "- [x] 동료 진술서",
                     "**한 줄 요약**: 불승인 통지", "다음 주 상담 예정", "법률 자문이 아닙니다",
                     "만든 날: 2026. 2. 1.(일)"):
        assert expected in text, expected
    for machine in ("sample:002", "score", "snippet", "is_sample", "answer_invalid", "gemini-2.5-flash", "sent_text"):
        assert machine not in text, machine
    path = export_markdown([case], tmp_path / "case.md", TODAY)
    assert path.read_text(encoding="utf-8") == text


def test_pdf_embeds_korean_font_and_text_extracts_back(tmp_path: Path) -> None:
    repository = _repo(tmp_path / "a")
    case = _full_case(repository)
    path = export_pdf([case], tmp_path / "case.pdf", TODAY)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"NanumGothic" in data
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for expected in ("사건 기록: 김OO 허리 디스크", "심사청구 2026. 4. 20.(월) D-78 · 78일 남음",
                     "업무와 질병 사이의 인과관계",
                     "대전지방법원 2019. 3. 14. 선고 2018구단777 판결", "업무 기간이 비슷함", "■ 동료 진술서",
                     "법률 자문이 아닙니다", "만든 날 2026. 2. 1.(일)"):
        assert expected in flat, expected
    assert "sample:002" not in flat and "score" not in flat
    # The long situation text wraps inside the page instead of running off it.
    assert text.count("무거운 자재를 날랐습니다") == 12 or flat.count("무거운 자재를 날랐습니다") == 12


def test_workspace_backup_and_restore(tmp_path: Path) -> None:
    store_a = UserStore(tmp_path / "a" / "user.json")
    source = UserFileCaseRepository(store_a)
    case = _full_case(source)
    store_a.set_setting("summary_engine", "gemini")
    store_a.set_setting("gemini_key", "AIza-secret-value")
    backup = backup_workspace(source, tmp_path / "backup.json")
    raw = backup.read_text(encoding="utf-8")
    assert "AIza-secret-value" not in raw and "gemini_key" not in raw
    assert json.loads(raw)["format"] == "sanjae-gemma-workspace"

    store_b = UserStore(tmp_path / "b" / "user.json")
    target = UserFileCaseRepository(store_b)
    store_b.set_setting("summary_engine", "local")
    result = restore_workspace(target, backup)
    assert result["cases"]["added"] == 1
    assert target.get(case.id).to_dict() == case.to_dict()
    assert store_b.get_setting("summary_engine") == "local"  # what is set here already wins
    again = restore_workspace(target, backup)
    assert again["cases"]["skipped"] == 1 and len(target.all()) == 1
    with pytest.raises(ImportFileError):
        restore_workspace(target, export_json(source.all(), tmp_path / "plain.json"))


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SANJAE_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", env=env)


def test_cli_create_list_show_export_import(tmp_path: Path, isolated_data_dir: Path) -> None:
    made = _cli(isolated_data_dir, "cases", "create", "--alias", "명령줄 사건", "--learned", "2026-01-19",
                "--situation", "허리 통증", "--json")
    assert made.returncode == 0, made.stderr
    case_id = json.loads(made.stdout)["id"]
    listed = json.loads(_cli(isolated_data_dir, "cases", "list", "--search", "허리", "--today", "2026-02-01",
                             "--json").stdout)
    assert [row["id"] for row in listed] == [case_id]
    assert listed[0]["next_deadline"]["deadline"] == "2026-04-20"
    shown = json.loads(_cli(isolated_data_dir, "cases", "show", case_id[:8], "--json").stdout)
    assert shown["alias"] == "명령줄 사건" and shown["checklist"]
    for fmt in ("json",):
        out = tmp_path / f"export.{fmt}"
        result = _cli(isolated_data_dir, "cases", "export", str(out), "--id", case_id)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    other = tmp_path / "other"
    other.mkdir()
    imported = _cli(other, "cases", "import", str(tmp_path / "export.json"), "--json")
    assert json.loads(imported.stdout)["added"] == 1
    missing = _cli(other, "cases", "show", "zzzz")
    assert missing.returncode == 2 and "사건이 없습니다" in missing.stderr
