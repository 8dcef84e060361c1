"""``analyze --save-to`` stores the analysis in a case as the app's "사건에 저장" does; ``cases show`` prints it."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from services.cases import UserFileCaseRepository
from services.cases.model import Case
from storage.user_store import UserStore
from tests.conftest import REPO
from tests.fakes.llm_server import FakeLLMServer

STORY = "택배 상하차 6년, 허리디스크 추간판탈출증 진단. 불승인 이유: 퇴행성 변화"
INTERNAL_KEYS = ("score", "snippet", "is_sample", "raw_end", "answer_invalid", "sent_text", "outcome_counts",
                 "evidence_checklist", "saved_at")


def _cli(data_dir: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    environ.update({"SANJAE_DATA_DIR": str(data_dir), **(env or {})})
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=environ, timeout=120)


def _create(data_dir: Path, alias: str) -> str:
    made = _cli(data_dir, "cases", "create", "--alias", alias, "--learned", "2026-01-19", "--json")
    assert made.returncode == 0, made.stderr
    case_id: str = json.loads(made.stdout)["id"]
    return case_id


def _stored(data_dir: Path, case_id: str) -> Case:
    return UserFileCaseRepository(UserStore(data_dir / "user.json")).get(case_id)


def _texts(case: Case) -> list[str]:
    return [item.text for item in case.checklist]


def test_analyze_save_to_stores_the_analysis_and_adds_its_evidence_to_the_checklist(isolated_data_dir: Path) -> None:
    case_id = _create(isolated_data_dir, "김OO 허리")
    before = _texts(_stored(isolated_data_dir, case_id))

    saved = _cli(isolated_data_dir, "analyze", "--no-index", "-k", "3", "--save-to", case_id[:6], stdin=STORY)
    assert saved.returncode == 0, saved.stderr
    assert "■ 비슷한 판례" in saved.stdout  # the result is still printed
    assert "분석 결과를 사건 '김OO 허리'에 저장했습니다" in saved.stdout

    case = _stored(isolated_data_dir, case_id)
    assert len(case.analyses) == 1
    analysis = case.analyses[0]
    assert {"input", "evidence", "engine", "title", "kind", "saved_at"} <= set(analysis)
    assert analysis["kind"] == "상황 분석" and analysis["title"].startswith("상황 분석: ")
    assert analysis["input"]["story"] == STORY and analysis["evidence"]["similar"]
    grown = _texts(case)
    # Every item the analysis asks for joins the list once (generic items it makes specific give way).
    assert len(grown) > len(before) and set(analysis["evidence"]["evidence_checklist"]) <= set(grown)
    assert len(grown) == len(set(grown))
    assert any(item.why for item in case.checklist if item.text not in before)

    # Saving again (as JSON this time): a second analysis, and no item twice in the checklist.
    again = _cli(isolated_data_dir, "analyze", "--no-index", "-k", "3", "--json", "--save-to", case_id,
                 stdin=STORY)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["engine"] == "offline"  # stdout stays one JSON document
    assert "저장했습니다" in again.stderr and "새 자료는 없었습니다" in again.stderr
    case = _stored(isolated_data_dir, case_id)
    assert len(case.analyses) == 2 and _texts(case) == grown


def test_analyze_save_to_an_unknown_case_stops_before_the_analysis(isolated_data_dir: Path) -> None:
    _create(isolated_data_dir, "김OO 허리")
    refused = _cli(isolated_data_dir, "analyze", "--no-index", "--save-to", "zzzz", stdin=STORY)
    assert refused.returncode == 2
    assert "'zzzz'(으)로 시작하는 사건이 없습니다" in refused.stderr
    assert refused.stdout == ""


def _cited_answer(body: dict[str, Any]) -> str:
    cited = re.findall(r"\[(sample:\d+)\]", body["messages"][0]["content"])[:1]
    return json.dumps({
        "issues": ["퇴행성 변화와 업무 부담의 관계"],
        "assessment": {"strengths": ["중량물 취급 기간이 깁니다"], "weaknesses": ["영상에 퇴행성 소견이 있습니다"]},
        "favourable_facts": ["6년 동안 하루 수백 개의 상자를 나름"], "unfavourable_facts": ["MRI에 퇴행성 소견"],
        "evidence_checklist": ["물류센터 작업량 기록"],
        "cited_precedents": [{"id": pid, "why": "같은 상하차 업무"} for pid in cited],
        "next_steps": ["심사청구서 준비"],
    }, ensure_ascii=False)


def test_cases_show_prints_a_saved_ai_analysis_under_korean_headings(isolated_data_dir: Path) -> None:
    case_id = _create(isolated_data_dir, "이OO 허리")
    with FakeLLMServer("vllm", answer=_cited_answer) as server:
        saved = _cli(isolated_data_dir, "analyze", "--engine", "gemma", "--no-index", "-k", "2", "--yes",
                     "--save-to", case_id[:8], stdin=STORY, env={"SANJAE_LLM_URL": server.url})
    assert saved.returncode == 0, saved.stderr
    assert "물류센터 작업량 기록" in _texts(_stored(isolated_data_dir, case_id))

    shown = _cli(isolated_data_dir, "cases", "show", case_id[:8])
    assert shown.returncode == 0, shown.stderr
    analysis = shown.stdout.split("## 상황 분석 1", 1)[1]  # the report's section for the saved analysis
    for heading in ("상황", "유리한 사실", "불리한 사실", "모아 둘 증거", "인용한 판례"):
        assert f"### {heading}\n" in analysis, heading
    assert "6년 동안 하루 수백 개의 상자를 나름" in analysis
    assert re.search(r"- .*판결 — 노동자 (승소|패소).*", analysis)  # cited as a citation with the worker's result
    assert "같은 상하차 업무" in analysis  # why it is similar
    assert STORY[:20] in analysis
    for key in INTERNAL_KEYS:
        assert key not in analysis, key
    assert "sample:" not in analysis  # record ids are internal; the citation names the judgment


def test_cases_show_prints_an_offline_analysis_without_a_stale_deadline_count(isolated_data_dir: Path) -> None:
    case_id = _create(isolated_data_dir, "박OO 허리")
    saved = _cli(isolated_data_dir, "analyze", "--no-index", "-k", "2", "--save-to", case_id, stdin=STORY)
    assert saved.returncode == 0, saved.stderr
    shown = _cli(isolated_data_dir, "cases", "show", case_id, "--today", "2026-02-01")
    assert shown.returncode == 0, shown.stderr
    report, analysis = shown.stdout.split("## 상황 분석 1", 1)
    assert re.search(r"\| 심사청구 \| 2026\. 4\. 20\.\(월\) \| D-78 · 78일 남음 \|", report)  # counted for --today
    assert "### 비슷한 판례" in analysis and "### 모아 둘 증거" in analysis and "### 상황" in analysis
    assert "(가상 예시)" in analysis  # sample judgments say so
    assert "### 불복 기한" not in analysis  # the case's deadlines are on the first page, counted for today
    for key in INTERNAL_KEYS:
        assert key not in shown.stdout, key
