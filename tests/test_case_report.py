"""The case report (PDF and Markdown) of cases holding real saved analyses.

The analyses are made by the real code path: the worked examples of the situation form, analysed over
the sample precedents (offline, and with a scripted model standing in for the AI server), saved with
``analysis_vm.saved_record`` together with a follow-up chat asked through ``FollowUpChat``.
"""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.viewmodels import analysis_vm as vm
from services.analysis import FollowUpChat, OverlapFinder, analyze
from services.cases import UserFileCaseRepository
from services.cases.blocks import Block, blocks_to_markdown, dotted_day
from services.cases.model import Case, default_checklist
from services.cases.pdf_report import cases_pdf_bytes
from services.cases.report import case_blocks, cases_markdown
from services.judgment import READER
from storage.precedents import PrecedentStore
from storage.user_store import UserStore

TODAY = date(2026, 3, 9)
EXAMPLES = [name for name, _ in vm.worked_examples()]
# Keys of the saved record and of its parts that are machine data: none may reach the page.
MACHINE_WORDS = ("score", "snippet", "is_sample", "raw_end", "answer_invalid", "reminder", "options_if_overdue",
                 "sample:0", "dropped_citations", "sent_text", "engine", "outcome_counts", "deciding_facts",
                 "True", "False", "None", "{", "['", "': ")
_RECORD_ID = re.compile(r"\[(sample:\d+)\]")


class ScriptedModel:
    """A chat model answering from the request it gets: it cites the first two precedents it was sent."""

    name = "gemma"
    model = "gemma-test"
    input_chars = 20_000
    context_tokens = 8192

    def generate(self, messages: list[dict[str, str]], *, schema: dict[str, Any] | None = None,
                 max_tokens: int | None = None, **_: Any) -> str:
        ids = _RECORD_ID.findall(messages[0]["content"])
        if schema is None:  # a follow-up question
            return f"[{ids[0]}] 판례에서도 야간근무가 많았던 점을 중요하게 보았습니다. 근무표를 먼저 모아 두세요."
        return json.dumps({
            "issues": ["기록에 빠진 조기 출근과 잔업을 업무시간으로 볼 수 있는지"],
            "assessment": {"strengths": [f"[{ids[0]}]처럼 야간근무가 많았던 사정"],
                           "weaknesses": ["혈압약을 먹고 있었던 점"]},
            "favourable_facts": ["주야 2교대로 한 달에 2~3일만 쉼", "쓰러지기 1주 전 연속 야간근무"],
            "unfavourable_facts": ["기록상 주 48시간"],
            "evidence_checklist": ["교대 근무표와 출입 기록", "동료·관리자 진술서(하던 일의 내용, 강도, 시간에 대해)"],
            "cited_precedents": [{"id": pid, "why": "교대제 야간근무 뒤 쓰러진 사건"} for pid in ids[:2]],
            "next_steps": ["심사청구서 내기"],
        }, ensure_ascii=False)

    def check(self, cancel: Any = None) -> str:
        return "연결됨"

    def close(self) -> None:
        return None


@pytest.fixture(scope="module")
def finder() -> OverlapFinder:
    return OverlapFinder(list(PrecedentStore(reader=READER).iter_records()))


def saved_analysis(finder: OverlapFinder, example: str, *, ai: bool = False,
                   questions: tuple[str, ...] = ()) -> dict[str, Any]:
    """What "사건에 저장" stores after analysing ``example`` (and asking ``questions`` afterwards)."""
    inp = vm.to_input(vm.example_form(example, today=TODAY))
    model = ScriptedModel() if ai else None
    result = analyze(inp, finder, model=model, today=TODAY).to_dict()
    chat = FollowUpChat.from_request_text(result["sent_text"])
    for question in questions:
        chat.ask(question, model or ScriptedModel())
    record = vm.saved_record(result, chat.history)
    record["saved_at"] = f"{TODAY.isoformat()}T10:00:00+00:00"
    return record


def make_case(tmp_path: Path, analyses: list[dict[str, Any]]) -> Case:
    """A 불승인 case with the default 할 일, the analyses' evidence carried into it (the 소견서 ticked), a saved
    precedent and a note: what the app makes when "사건에 저장" is used."""
    repository = UserFileCaseRepository(UserStore(tmp_path / "user.json"))
    case = repository.create("김OO 허리 디스크", situation="물류센터 상하차 6년, 2026년 2월에 요양 불승인.",
                             learned_on="2026-02-17", decided_on="2026-02-12", contact="010-0000-0000",
                             checklist=default_checklist("불승인"))
    for analysis in analyses:
        case = repository.add_analysis(case.id, analysis, vm.evidence_todo(analysis))
    repository.set_checklist(case.id, [{"text": item.text, "why": item.why, "done": "소견서" in item.text}
                                       for item in case.checklist])
    repository.add_bookmark(case.id, {"id": "sample:001", "title": "요양불승인처분취소", "source": "sample",
                                      "citation": "서울행정법원 2022-06-16 2021구단58217 「요양불승인처분취소」",
                                      "outcome": "취소"}, "업무 기간이 비슷함")
    return repository.update(case.id, notes="다음 주 상담 예정")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")


def page_number(text: str) -> list[tuple[int, int]]:
    """The "- 2 / 5 -" footers in extracted text (pdftotext drops the spaces between these narrow glyphs)."""
    return [(int(a), int(b)) for a, b in re.findall(r"-\s*(\d+)\s*/\s*(\d+)\s*-", text)]


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_no_machine_data(text: str) -> None:
    found = [word for word in MACHINE_WORDS if word in text]
    assert not found, f"machine data in the report: {found}"


# ------------------------------------------------------------------------------ tests

def test_dates_are_written_the_korean_way_with_the_weekday() -> None:
    assert dotted_day(date(2026, 12, 9)) == "2026. 12. 9.(수)"
    assert dotted_day(date(2026, 4, 20)) == "2026. 4. 20.(월)"


def test_a_case_without_analysis_opens_with_the_deadline_table(tmp_path: Path) -> None:
    case = make_case(tmp_path, [])
    markdown = cases_markdown([case], TODAY)
    assert "# 사건 기록: 김OO 허리 디스크" in markdown
    assert "| 절차 | 기한 | 남은 날 | 무엇을 하나요 |" in markdown
    # 2026-02-17 + 90 days is Monday 2026-05-18; on 2026-03-09 that is 70 days away.
    assert "| 심사청구 | 2026. 5. 18.(월) | D-70 · 70일 남음 | 근로복지공단에 결정을 다시 살펴 달라고" in markdown
    assert "| 행정소송 | 2026. 5. 18.(월) |" in markdown
    assert "처분일**: 2026. 2. 12.(목)" in markdown and "결정을 안 날**: 2026. 2. 17.(화)" in markdown
    assert "상황 분석" not in markdown
    text = flat(pdf_text(cases_pdf_bytes([case], TODAY), tmp_path))
    assert "심사청구 2026. 5. 18.(월) D-70 · 70일 남음" in text
    assert page_number(text) == [(1, 1)] and "법률 자문이 아닙니다" in text
    assert_no_machine_data(text)


def test_passed_deadlines_say_how_long_ago_and_the_help_is_said_once(tmp_path: Path) -> None:
    case = make_case(tmp_path, [])
    later = date(2026, 6, 1)
    markdown = cases_markdown([case], later)
    assert "| 심사청구 | 2026. 5. 18.(월) | 14일 지남 |" in markdown
    assert markdown.count("늦은 청구가 받아들여지는 경우") == 1
    assert_no_machine_data(markdown)


def test_one_offline_analysis_reads_as_sections_with_citations(tmp_path: Path, finder: OverlapFinder) -> None:
    case = make_case(tmp_path, [saved_analysis(finder, EXAMPLES[0])])
    markdown = cases_markdown([case], TODAY)
    for heading in ("## 상황 분석 1: 요추 제4-5번 추간판탈출증", "### 상황", "### 유리한 사실", "### 불리한 사실",
                    "### 모아 둘 증거", "### 비슷한 판례", "## 할 일", "## 모아 둔 판례", "## 메모"):
        assert heading in markdown, heading
    assert "**적은 사연**: 6년 동안 물류센터에서 하루 10시간씩" in markdown
    assert "- [x] 주치의 소견서(업무 내용과 병의 관계에 대한 의사의 의견)" in markdown  # ticked in 할 일
    assert "- [ ] 근무시간 기록(출퇴근 기록, 근무표" in markdown
    # A proper citation: court, date, 선고, case number, the result for the worker, the sample mark.
    assert "서울행정법원 2022. 6. 16. 선고 2021구단58217 판결 — 노동자 승소 (취소) (가상 예시)" in markdown
    assert "수원지방법원 2020. 5. 21. 선고 2019구단7724 판결 — 노동자 패소 (기각) (가상 예시)" in markdown
    assert "— 서울행정법원 2021구단58217 (가상 예시)" in markdown  # a deciding sentence names its judgment
    assert "이 내용은 법률 자문이 아니며" in markdown
    assert_no_machine_data(markdown)

    text = pdf_text(cases_pdf_bytes([case], TODAY), tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    assert "유리한 사실" not in pages[0] and "상황 분석 1" in pages[1]  # the analysis starts its own page
    assert [page_number(page) for page in pages] == [[(n, len(pages))] for n in range(1, len(pages) + 1)]
    joined = flat(text)
    assert "선고 2021구단58217 판결 — 노동자 승소 (취소) (가상 예시)" in joined
    assert "■ 주치의 소견서" in joined and "□ 근무시간 기록" in joined
    assert_no_machine_data(joined)


def test_three_analyses_with_a_follow_up_chat(tmp_path: Path, finder: OverlapFinder) -> None:
    analyses = [saved_analysis(finder, EXAMPLES[0]),
                saved_analysis(finder, EXAMPLES[1], ai=True, questions=("야간근무는 어떻게 계산하나요?",
                                                                         "근무표가 없으면요?")),
                saved_analysis(finder, EXAMPLES[2], ai=True)]
    case = make_case(tmp_path, analyses)
    markdown = cases_markdown([case], TODAY)
    for number, what in enumerate(("요추 제4-5번 추간판탈출증", "뇌내출혈", "우측 경골 골절"), start=1):
        assert f"## 상황 분석 {number}: {what}" in markdown
    second = markdown.split("## 상황 분석 2")[1].split("## 상황 분석 3")[0]
    for heading in ("### 쟁점", "### 유리한 사실", "### 불리한 사실", "### 모아 둘 증거", "### 다음에 할 일",
                    "### 인용한 판례", "### 추가 질문과 답변"):
        assert heading in second, heading
    assert "- 주야 2교대로 한 달에 2~3일만 쉼" in second and "- 기록상 주 48시간" in second
    assert "- [ ] 교대 근무표와 출입 기록" in second
    assert "AI(Gemma)" in second
    assert "**추가 질문**: 야간근무는 어떻게 계산하나요?" in second
    assert "**추가 질문**: 근무표가 없으면요?" in second
    assert second.count("**답변**: ") == 2
    # The AI names precedents by record id; the report names the court and case number instead.
    cited = second.split("### 인용한 판례")[1].split("###")[0]
    assert re.search(r"법원 \d{4}\. \d{1,2}\. \d{1,2}\. 선고 \S+ 판결 — 노동자 (일부 )?(승소|패소)", cited)
    assert "비슷한 점: 교대제 야간근무 뒤 쓰러진 사건" in cited
    assert re.search(r"\*\*답변\*\*: \S+법원 \S+ \(가상 예시\) 판례에서도", second)
    assert_no_machine_data(markdown)

    text = pdf_text(cases_pdf_bytes([case], TODAY), tmp_path)
    pages = text.split("\f")[:-1]
    joined = flat(text)
    for number in (1, 2, 3):
        assert f"상황 분석 {number}:" in joined
    assert "추가 질문: 야간근무는 어떻게 계산하나요?" in joined and "답변:" in joined
    assert page_number(pages[-1]) == [(len(pages), len(pages))] and len(pages) >= 4
    assert all("사건 기록: 김OO 허리 디스크" in page for page in pages)  # title, then the running header
    assert_no_machine_data(joined)


def test_unknown_keys_of_an_analysis_are_skipped_not_dumped(tmp_path: Path, finder: OverlapFinder) -> None:
    record = saved_analysis(finder, EXAMPLES[0])
    record.update({"secret_engine_state": {"temperature": 0.2}, "trace_id": "abc-123", "answer_invalid": True})
    case = make_case(tmp_path, [record])
    markdown = cases_markdown([case], TODAY)
    assert "temperature" not in markdown and "abc-123" not in markdown and "secret_engine_state" not in markdown
    assert_no_machine_data(markdown)


def test_tables_and_checklists_in_markdown() -> None:
    blocks = [Block("table", rows=(("가", "나|다"), ("1", "2"))), Block("check", "■ 끝낸 일"),
              Block("check", "□ 할 일")]
    text = blocks_to_markdown(blocks)
    assert "| 가 | 나\\|다 |\n|---|---|\n| 1 | 2 |" in text
    assert "- [x] 끝낸 일" in text and "- [ ] 할 일" in text


def test_every_block_of_the_report_has_a_known_kind(tmp_path: Path, finder: OverlapFinder) -> None:
    case = make_case(tmp_path, [saved_analysis(finder, EXAMPLES[1], ai=True, questions=("질문",))])
    kinds = {block.kind for block in case_blocks(case, TODAY)}
    assert kinds <= {"title", "heading", "subheading", "text", "note", "field", "item", "check", "table", "pagebreak"}
    assert {"table", "check", "pagebreak"} <= kinds
