"""The CLI and the app share one composition root: what the settings page saved is what the CLI uses."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.wiring import AppServices
from tests.conftest import REPO
from tests.fakes import gemini_server as fake
from tests.test_summaries_cloud import answer_json

STORY = "물류센터에서 6년 동안 상하차 일을 하다가 허리 디스크 진단을 받았는데 불승인되었습니다."


def _cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SANJAE_LLM", "SANJAE_SUMMARY", "SANJAE_ANALYSIS")) and key != "HF_HUB_OFFLINE"}
    env["SANJAE_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, input=stdin.encode("utf-8"),
                          capture_output=True, timeout=120)


def _save_on_settings_page(data_dir: Path, **values: str) -> None:
    """What the desktop settings page does when the user presses 저장."""
    services = AppServices.open(data_dir, web_mode=False)
    for name, value in values.items():
        services.settings.set(name, value)


def test_summarize_and_analyze_use_the_ai_server_saved_in_the_app(tmp_path: Path) -> None:
    with fake.FakeOpenAI() as server:
        _save_on_settings_page(tmp_path, llm_url=server.url, llm_model="rtzr/ko-gemma-2-9b-it",
                               summary_engine="gemma")
        server.queue(fake.Reply("text", text=answer_json()))
        done = _cli(tmp_path, "summarize", "sample:001", "--json")
        assert done.returncode == 0, done.stderr.decode()
        summary = json.loads(done.stdout)
        assert (summary["engine"], summary["model"]) == ("gemma", "rtzr/ko-gemma-2-9b-it")
        assert len(server.chat_calls) == 1

        analysed = _cli(tmp_path, "analyze", "--engine", "auto", "--no-index", "--json", "--yes", stdin=STORY)
        assert analysed.returncode == 0, analysed.stderr.decode()
        assert len(server.chat_calls) >= 2  # the analysis (and its one repair when the fake answer does not fit)
        sent = json.dumps(server.chat_calls[1]["body"], ensure_ascii=False)
        assert "상하차" in sent and server.chat_calls[1]["body"]["model"] == "rtzr/ko-gemma-2-9b-it"


def test_without_saved_settings_the_cli_stays_offline(tmp_path: Path) -> None:
    done = _cli(tmp_path, "summarize", "sample:001", "--json")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["engine"] == "offline"
    refused = _cli(tmp_path, "analyze", "--engine", "auto", "--no-index", stdin=STORY)
    assert refused.returncode != 0 and "AI 설정이 없습니다" in refused.stderr.decode()
