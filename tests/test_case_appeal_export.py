"""A 심사청구서 draft handed out as PDF (the form's grid, NanumGothic), DOCX (read back with python-docx) and
Markdown: every part there, the 청구 취지 word for word, the guidance page last, and nothing that can't be checked."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest

from services.appeal import AppealError, appeal_file_name, build_offline_draft, export_appeal
from services.appeal.export import appeal_bytes, appeal_markdown
from services.appeal.form import BLANK, FORM_FIELDS
from storage.atomic import ExportTargetError
from tests.appeal_cases import TODAY, lumbar_case, repository, synced_number, synced_store

PURPOSE = "원처분기관이 2026. 2. 12. 청구인에게 한 요양불승인 처분을 취소한다는 결정을 구합니다."


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    root = tmp_path_factory.mktemp("appeal-export")
    store = synced_store(root / "cache")
    repo = repository(root / "user.json")
    case = lumbar_case(repo, store, benefit="요양급여",
                       bookmark=f"portal:{synced_number('2021구단58217')}@서울행정법원")
    draft = build_offline_draft(case, store)
    draft.fields["agent_name"] = "노무사 박OO"
    return store, case, draft


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "draft.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_has_every_part_in_the_forms_order_and_the_guidance_last(drafted, tmp_path) -> None:
    store, case, draft = drafted
    data = appeal_bytes(draft, case, "pdf", store, TODAY)
    assert data.startswith(b"%PDF") and b"NanumGothic" in data  # the Korean font is embedded
    text = pdf_text(data, tmp_path)
    squeezed = flat(text)
    at = 0
    for spec in FORM_FIELDS["심사청구"]:  # the form's parts, in the form's order
        at = squeezed.find(flat(spec.label), at)
        assert at >= 0, spec.label
    assert flat(PURPOSE) in squeezed and flat("근로복지공단 서울관악지사") in squeezed
    assert squeezed.count(flat(BLANK)) >= 9 and "노무사박OO(서명또는인)" in squeezed
    for citation in draft.citations:
        assert flat(f"{citation.head} — {citation.result}") in squeezed
    pages = text.split("\f")
    guide = next(i for i, page in enumerate(pages) if "내기 전에 읽어 주세요" in page)
    assert guide == len([p for p in pages if p.strip()]) - 1  # the last page, after the 청구서
    for line in ("제출 방법", "어디에·어떻게", "언제까지", "2026. 5. 18.(월)까지", "사본·접수증", "접수증",
                 "대한법률구조공단 132", "1588-0075", "인용한 판례"):
        assert flat(line) in flat(pages[guide]), line
    assert "노동권익센터" in pages[guide] and "국선대리인" in pages[guide]


def test_the_docx_reads_back_as_an_editable_form(drafted, tmp_path) -> None:
    store, case, draft = drafted
    path = export_appeal(draft, case, tmp_path / "초안.docx", store, today=TODAY)
    document = docx.Document(str(path))
    form = document.tables[0]
    specs = FORM_FIELDS["심사청구"]
    assert len(form.rows) == len(specs)
    for row, spec in zip(form.rows, specs, strict=True):
        group, label, value = (cell.text for cell in row.cells)
        assert (group, label) == (spec.group, spec.label)
        assert value == (draft.value(spec.key) or spec.blank)
    assert form.cell(0, 0)._tc is form.cell(4, 0)._tc  # the group cell spans its rows, as on paper
    paragraphs = [p.text for p in document.paragraphs]
    assert PURPOSE in paragraphs
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("청구 취지", "청구 이유", "1. 사건의 경위", "3. 원처분이 부당한 이유", "입증 자료 목록",
                    "인용한 판례"):
        assert heading in headings, heading
    assert any("제출 방법" in cell.text for table in document.tables[1:] for cell in table._cells)
    first = document.paragraphs[0].runs[0]
    east_asia = first.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asia == "맑은 고딕"
    assert document.core_properties.title == "심사청구서 초안"


def test_the_markdown_holds_the_same_document(drafted) -> None:
    store, case, draft = drafted
    text = appeal_markdown(draft, case, TODAY)
    assert text.startswith("# 심사청구서\n")
    assert "| 구분 | 항목 | 내용 |" in text and f"| 원처분 | 원처분기관 | {draft.value('branch')} |" in text
    assert f"| 청구인 | 성명 | {BLANK} |" in text.replace("\\", "")
    assert PURPOSE in text and "### 1. 사건의 경위" in text and "# 내기 전에 읽어 주세요" in text
    assert appeal_bytes(draft, case, "md", store, TODAY).decode("utf-8") == text


def test_a_draft_citing_what_is_not_held_here_is_not_written(drafted, tmp_path) -> None:
    store, case, draft = drafted
    edited = build_offline_draft(case, store)
    edited.purpose += " (대법원 2099두1 판결 참조)"
    target = tmp_path / "초안.pdf"
    with pytest.raises(AppealError, match="2099두1: 이 컴퓨터의 판례에서 찾을 수 없는"):
        export_appeal(edited, case, target, store, today=TODAY)
    assert not target.exists()
    with pytest.raises(AppealError, match="형식으로는 만들 수 없습니다"):
        appeal_bytes(draft, case, "hwp", store, TODAY)
    with pytest.raises(ExportTargetError):
        export_appeal(draft, case, tmp_path / "없는 폴더" / "초안.pdf", store, today=TODAY)


def test_file_names_say_what_and_whose(drafted) -> None:
    _, case, draft = drafted
    assert appeal_file_name(case, draft, "docx", TODAY) == "심사청구서-초안-김OO-허리-2026-03-09.docx"
