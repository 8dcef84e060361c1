"""Untrusted content stays inert: links and markdown in model output are kept as plain text and never
fetched; names inside imported case files never become paths."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import huggingface_hub.constants
import pytest

from services.analysis import OverlapFinder, analyze
from services.summaries import summarize
from tests.conftest import REPO
from tests.fakes import gemini_server
from tests.fakes.ai_models import gemini_model, gemma_model
from tests.fakes.faults import BodyServer
from tests.fakes.llm_server import FakeLLMServer
from tests.test_fuzz_models import GOOD_ANALYSIS, RECORDS, SITUATION


@pytest.fixture
def trap():
    """A server the model output points at: any request to it means something followed a link."""
    with BodyServer() as server:
        server.body = b"<html>gotcha</html>"
        yield server


def linky(trap_url: str) -> dict[str, str]:
    return {"link": f"[판례 원문 보기]({trap_url}/link?x=1)", "image": f"![그림]({trap_url}/img.png)",
            "bare": f"{trap_url}/bare", "html": f'<img src="{trap_url}/html.png">'}


def test_links_in_analysis_and_summaries_stay_plain_text_and_are_never_fetched(
        trap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    links = linky(trap.url)
    answer = json.loads(json.dumps(GOOD_ANALYSIS))
    answer["issues"] = [f"자세한 내용은 {links['link']} 참고", links["image"]]
    answer["next_steps"] = [links["bare"], links["html"]]
    summary = gemini_server.precedent_answer(background=f"배경 {links['link']} {links['html']}",
                                             statutes=[links["image"]])

    def reply(body: dict) -> str:
        text = json.dumps(body.get("messages"), ensure_ascii=False)
        return json.dumps(answer if "cited_precedents" in text else summary, ensure_ascii=False)

    with FakeLLMServer("vllm", answer=reply) as llm, gemini_server.FakeGemini() as gemini:
        monkeypatch.setenv("SANJAE_LLM_URL", llm.url)
        monkeypatch.setenv("GEMINI_API_KEY", "AIzaTESTKEY")
        monkeypatch.setenv("SANJAE_GEMINI_URL", gemini.url)
        gemini.queue(gemini_server.text(json.dumps(summary, ensure_ascii=False)))
        result = analyze(SITUATION, OverlapFinder(RECORDS), model=gemma_model(llm.url), k=2)
        by_gemma = summarize(RECORDS[0], "gemma")
        by_gemini = summarize(RECORDS[1], "gemini")
        gemini.queue(gemini_server.text(json.dumps(answer, ensure_ascii=False)))
        on_gemini = analyze(SITUATION, OverlapFinder(RECORDS), model=gemini_model(gemini.url), k=2)
        seen_paths = {r.path for r in llm.requests}
    assert result.answer["issues"][0] == f"자세한 내용은 {links['link']} 참고"  # kept verbatim, as text
    assert result.answer["next_steps"] == [links["bare"], links["html"]]
    assert on_gemini.answer is not None and on_gemini.answer["next_steps"] == [links["bare"], links["html"]]
    for made in (by_gemma, by_gemini):
        assert made.background == f"배경 {links['link']} {links['html']}" and made.statutes == [links["image"]]
    assert trap.requests == []  # nothing followed any link
    assert seen_paths <= {"/info", "/v1/chat/completions"}  # the AI server saw only its own endpoints
    assert all(call["op"] == "streamGenerateContent" for call in gemini.calls)


@pytest.mark.slow
def test_imported_case_names_never_become_paths_through_the_cli(tmp_path: Path, isolated_data_dir: Path) -> None:
    evil = {"format": "sanjae-gemma-cases", "version": 1, "exported_at": "2026-01-01T00:00:00+00:00", "cases": [{
        "id": "../../../escaped-id", "alias": "../../escaped-alias/../../etc/passwd", "situation": "/etc/passwd",
        "copied_from": "../../x", "documents": [{"id": "../../doc", "title": "../../escaped-doc.txt",
                                                 "text": "불승인 통지서"}],
        "bookmarks": [{"precedent_id": "../../../bookmark", "title": "/tmp/escaped-bookmark"}],
    }]}
    incoming = tmp_path / "in" / "cases.json"
    incoming.parent.mkdir()
    incoming.write_text(json.dumps(evil, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    before = {p for p in tmp_path.parent.rglob("*") if isolated_data_dir not in p.parents}
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for args in (["cases", "import", str(incoming), "--json"], ["cases", "export", str(out / "c.md")],
                 ["cases", "export", str(out / "c.json")]):
        done = subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert done.returncode == 0, (args, done.stderr)
    after = {p for p in tmp_path.parent.rglob("*") if isolated_data_dir not in p.parents}
    assert {p.name for p in after - before} == {"c.md", "c.json"}
    assert not list(Path("/").glob("escaped*")) and not list(tmp_path.parent.parent.glob("escaped*"))
    exported = json.loads((out / "c.json").read_text(encoding="utf-8"))["cases"][0]
    assert exported["id"] == "../../../escaped-id"  # kept as data, used as nothing else
