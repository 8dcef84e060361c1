"""``cases create --benefit --denial-reason --branch`` and ``cases appeal CASE_ID OUT``, through the real entry point
with a data folder of its own (real-shaped synced judgments in its cache)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx

from services.appeal import latest_draft
from services.cases.model import Case
from tests.appeal_cases import repository, saved_analysis, synced_store
from tests.conftest import REPO
from tests.fakes.llm_server import FakeLLMServer

PURPOSE = "원처분기관이 2026. 2. 12. 청구인에게 한 요양불승인 처분을 취소한다는 결정을 구합니다."
STORY = ("6년 동안 물류센터에서 하루 10시간씩 20~30kg 상자를 내리고 올렸습니다. 허리를 숙였다 펴는 일을 하루 수백 번 "
         "했습니다. 작년 여름 작업 중 허리 통증이 심해져 요추 추간판탈출증 진단을 받았습니다.")


def _cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    environ["SANJAE_DATA_DIR"] = str(data_dir)
    environ.update(env or {})
    # A new session has no terminal: a question is answered "no", never waited for.
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", env=environ, timeout=180, start_new_session=True)


def _create(data_dir: Path, *extra: str) -> dict:
    made = _cli(data_dir, "cases", "create", "--alias", "김OO 허리", "--learned", "2026-02-17", "--decided",
                "2026-02-12", "--situation", STORY, "--json", *extra)
    assert made.returncode == 0, made.stderr
    data: dict = json.loads(made.stdout)
    return data


def _stored(data_dir: Path, case_id: str) -> Case:
    return repository(data_dir / "user.json").get(case_id)


def test_create_takes_the_benefit_the_reason_and_the_branch(isolated_data_dir: Path) -> None:
    case = _create(isolated_data_dir, "--benefit", "요양", "--denial-reason", "퇴행성 변화로 업무 관련성 낮음",
                   "--branch", "서울관악지사")
    assert (case["benefit"], case["denial_reason"], case["branch"]) == (
        "요양급여", "퇴행성 변화로 업무 관련성 낮음", "근로복지공단 서울관악지사")
    wrong = _cli(isolated_data_dir, "cases", "create", "--alias", "이OO", "--benefit", "연금")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "급여 종류 '연금'을(를) 알 수 없습니다" in wrong.stderr and "요양급여" in wrong.stderr


def test_appeal_writes_each_format_from_the_case_and_local_judgments(isolated_data_dir: Path) -> None:
    store = synced_store(isolated_data_dir / "cache")
    case = _create(isolated_data_dir, "--benefit", "요양급여", "--branch", "서울관악지사",
                   "--denial-reason", "영상 소견상 퇴행성 변화가 뚜렷하여 업무와의 상당인과관계를 인정하기 어려움")
    repository(isolated_data_dir / "user.json").add_analysis(case["id"], saved_analysis(store))

    md = _cli(isolated_data_dir, "cases", "appeal", case["id"][:8], str(isolated_data_dir / "초안.md"))
    assert md.returncode == 0, md.stderr
    assert "심사청구서 초안을" in md.stdout and "사건 기록으로 새로 만든 초안" in md.stdout and "노무사" in md.stdout
    text = (isolated_data_dir / "초안.md").read_text(encoding="utf-8")
    assert PURPOSE in text and "근로복지공단 서울관악지사" in text and "판결 — 노동자 승소" in text
    assert "가상 예시" not in text.split("# 내기 전에 읽어 주세요")[0]

    pdf = _cli(isolated_data_dir, "cases", "appeal", case["id"], str(isolated_data_dir / "초안"), "--format", "pdf",
               "--save")
    assert pdf.returncode == 0, pdf.stderr
    assert "사건에 저장함" in pdf.stdout
    assert (isolated_data_dir / "초안").read_bytes().startswith(b"%PDF")
    saved = latest_draft(_stored(isolated_data_dir, case["id"]), "심사청구")
    assert saved is not None and saved.purpose == PURPOSE

    # A saved draft is what the next export hands out, edits and all.
    repo = repository(isolated_data_dir / "user.json")
    saved.fields["claimant_name"] = "김철수"
    repo.save_appeal_draft(case["id"], saved.to_dict())
    word = _cli(isolated_data_dir, "cases", "appeal", case["id"], str(isolated_data_dir / "초안.docx"))
    assert word.returncode == 0, word.stderr
    assert "저장한 초안" in word.stdout
    form = docx.Document(str(isolated_data_dir / "초안.docx")).tables[0]
    assert form.cell(0, 2).text == "김철수"


def test_appeal_refuses_what_it_cannot_draft_in_plain_korean(isolated_data_dir: Path) -> None:
    case = _create(isolated_data_dir)
    out = str(isolated_data_dir / "초안.pdf")
    later = _cli(isolated_data_dir, "cases", "appeal", case["id"], out, "--stage", "재심사청구")
    assert later.returncode == 2 and "아직 심사청구 전 단계입니다" in later.stderr and "Traceback" not in later.stderr
    engine = _cli(isolated_data_dir, "cases", "appeal", case["id"], out, "--engine", "gemma",
                  env={"SANJAE_LLM_URL": "", "HF_TOKEN": ""})
    assert engine.returncode == 2 and "AI 서버 주소" in engine.stderr and "Traceback" not in engine.stderr
    unknown = _cli(isolated_data_dir, "cases", "appeal", "zzzz", out)
    assert unknown.returncode == 2 and "'zzzz'(으)로 시작하는 사건이 없습니다" in unknown.stderr
    assert not Path(out).exists()


def test_an_overdue_case_is_told_first_and_samples_are_not_cited(isolated_data_dir: Path) -> None:
    made = _cli(isolated_data_dir, "cases", "create", "--alias", "박OO", "--learned", "2025-03-04",
                "--situation", STORY, "--json")
    case_id = json.loads(made.stdout)["id"]
    done = _cli(isolated_data_dir, "cases", "appeal", case_id, str(isolated_data_dir / "초안.md"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("※ 심사청구 기한") and "지났습니다" in lines[0]
    assert any("가상 예시만 있어서" in line for line in lines)  # nothing synced: the samples are refused


def test_appeal_with_gemma_shows_the_masked_text_asks_and_prints_the_changes(isolated_data_dir: Path) -> None:
    synced_store(isolated_data_dir / "cache")
    case = _create(isolated_data_dir, "--benefit", "요양급여", "--branch", "서울관악지사")
    out = str(isolated_data_dir / "초안.md")
    answer = "1. 사건의 경위\n청구인은 오랫동안 무거운 상자를 옮겼습니다.\n2. 결론\n원처분을 취소하여 주시기 바랍니다."
    with FakeLLMServer("vllm", answer=answer) as server:
        env = {"SANJAE_LLM_URL": server.url}
        refused = _cli(isolated_data_dir, "cases", "appeal", case["id"][:8], out, "--engine", "gemma", env=env)
        assert not server.chat_requests and refused.returncode == 2  # no terminal to say yes on: nothing sent
        assert "AI로 보낼 청구 이유" in refused.stderr and "보내지 않았습니다" in refused.stderr
        done = _cli(isolated_data_dir, "cases", "appeal", case["id"][:8], out, "--engine", "gemma", "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert "차이" in done.stdout and "+청구인은 오랫동안 무거운 상자를 옮겼습니다." in done.stdout
    assert "청구인은 오랫동안 무거운 상자를 옮겼습니다." in Path(out).read_text(encoding="utf-8")
