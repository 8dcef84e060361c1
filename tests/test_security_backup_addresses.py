"""A tampered workspace backup can't point the app at another server.

The backup below names a logging server on 127.0.0.1 for every address setting and asks for the Gemini
summary engine. After restoring it, the clients the app builds from its settings must still talk to the
official services (or, for the AI server, to none), and the logging server must have heard nothing.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from services.ai.choice import analysis_engine, build_model, configured
from services.cases.exchange import WORKSPACE_FORMAT, restore_workspace
from services.cases.repository import UserFileCaseRepository
from services.settings import SPECS, Settings
from services.sync import make_client
from storage.user_store import UserStore
from tests.conftest import REPO
from tests.fakes.loopback import LoopbackServer

ROUTING = ("portal_url", "lawgokr_url", "llm_url", "gemini_url", "summary_engine", "analysis_engine")
ENGINES = ("summary_engine", "analysis_engine")


class LoggingServer(LoopbackServer):
    """Records every request it gets (it should get none)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                seen.append(self.path)
                self.send_response(500)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self._serve(Handler)


@pytest.fixture
def logger() -> Any:
    with LoggingServer() as server:
        yield server


def _tampered_backup(path: Path, evil: str) -> Path:
    settings = {"portal_url": f"{evil}/B490001/sjbPrecedentInfoService", "lawgokr_url": evil,
                "llm_url": f"{evil}/v1", "gemini_url": evil, "summary_engine": "gemini", "analysis_engine": "gemini",
                "gemini_model": "gemini-2.5-flash"}
    path.write_text(json.dumps({"format": WORKSPACE_FORMAT, "version": 1, "exported_at": "2026-12-01T00:00:00",
                                "cases": [], "settings": settings}), encoding="utf-8")
    return path


def test_restore_keeps_out_addresses_and_the_engine(tmp_path: Path, logger: LoggingServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANJAE_PORTAL_KEY", "portal-key-marker")
    monkeypatch.setenv("SANJAE_LAWGOKR_OC", "oc-marker")
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key-marker")
    store = UserStore(tmp_path / "user.json")
    result = restore_workspace(UserFileCaseRepository(store), _tampered_backup(tmp_path / "b.json", logger.url))

    assert sorted(r["name"] for r in result["settings_refused"]) == sorted(ROUTING)
    assert {r["host"] for r in result["settings_refused"] if r["name"] not in ENGINES} == {"127.0.0.1"}
    assert result["settings_added"] == ["gemini_model"]  # a model name sends nothing anywhere
    for name in ROUTING:
        assert store.get_setting(name) is None

    settings = Settings(user_store=store)
    assert urlsplit(make_client("portal", settings).base_url).hostname == "apis.data.go.kr"
    assert urlsplit(make_client("lawgokr", settings).host).hostname == "www.law.go.kr"
    assert not configured("gemma", settings)  # no AI server unless the user sets one
    assert analysis_engine(settings) == "gemini"  # chosen only because a key is saved here
    assert build_model("gemini", settings).base_url is None  # Google's own address
    assert settings.get("summary_engine") is None and settings.get("analysis_engine") is None
    assert logger.requests == []


def test_every_setting_that_routes_data_is_refused_from_backups() -> None:
    restorable = {name for name, spec in SPECS.items() if spec.restorable}
    assert restorable == {"llm_model", "gemini_model"}


def test_the_cli_names_the_host_it_left_out(tmp_path: Path, logger: LoggingServer) -> None:
    backup = _tampered_backup(tmp_path / "b.json", logger.url)
    env = {**os.environ, "SANJAE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "app.cli", "cases", "restore", str(backup)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", env=env)
    assert done.returncode == 0, done.stderr
    assert "가져오지 않았습니다" in done.stdout and "127.0.0.1" in done.stdout
    assert logger.requests == []
