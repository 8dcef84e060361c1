"""Test-wide isolation: every test gets its own data folder and no real keys or endpoints."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "fixtures"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

_ENV_TO_CLEAR = [
    "SANJAE_PORTAL_KEY", "SANJAE_LAWGOKR_OC", "GEMINI_API_KEY", "GOOGLE_API_KEY", "SANJAE_GEMINI_MODEL",
    "SANJAE_GEMINI_URL", "SANJAE_LLM_URL", "HF_TOKEN", "SANJAE_LLM_MODEL", "SANJAE_PORTAL_URL",
    "SANJAE_LAWGOKR_URL", "SANJAE_SUMMARY_ENGINE", "SANJAE_ANALYSIS_ENGINE", "SANJAE_PASSPHRASE",
    # huggingface_hub reads this once at import and would then refuse even 127.0.0.1 servers.
    "HF_HUB_OFFLINE",
]


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("SANJAE_DATA_DIR", str(data))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    return data


@pytest.fixture
def shared_fixtures() -> Path:
    return FIXTURES


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many reruns pytest-rerunfailures needed: a rerun that passed hides a flaky test."""
    reruns = terminalreporter.stats.get("rerun", [])
    if reruns or terminalreporter.config.pluginmanager.hasplugin("rerunfailures"):
        names = sorted({r.nodeid for r in reruns})
        terminalreporter.write_line(f"reruns: {len(reruns)}" + (f" ({', '.join(names)})" if names else ""))
