"""Start-up problems a user can cause: SANJAE_DATA_DIR on a file, a web port already taken.

The CLI and ``python -m app --web`` must say in Korean what to change, never show a traceback.
"""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_process import assert_korean_last_line, env, free_port, run
from tests.conftest import REPO

# ---- 3. SANJAE_DATA_DIR that cannot be a folder --------------------------------------------------------

@pytest.mark.parametrize("where", ["file", "under_a_file", "unwritable"])
def test_data_dir_setting_that_cannot_be_a_folder_names_the_setting(where: str, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    # /proc takes no new folders, not even from root (the tests may run as root, so no chmod here)
    target = {"file": blocker, "under_a_file": blocker / "data", "unwritable": Path("/proc/sanjae-data")}[where]
    result = run(["status", "--json"], environ=env(SANJAE_DATA_DIR=str(target)))
    assert result.returncode == 2, result.stderr.decode()
    assert "SANJAE_DATA_DIR" in assert_korean_last_line(result.stderr)


def start_web(args: list[str], environ: dict[str, str]) -> tuple[int, str]:
    """Start ``python -m app --web``; a web server still running after 60 s is a failed start-up check."""
    proc = subprocess.Popen([sys.executable, "-m", "app", "--web", *args], cwd=REPO, env=environ,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("the web server started although it should have refused to") from None
    return proc.returncode, stderr.decode("utf-8")


def test_web_app_with_the_data_dir_setting_on_a_file_refuses_to_start(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code, stderr = start_web(["--port", str(free_port())], env(SANJAE_DATA_DIR=str(blocker)))
    assert code == 2, stderr
    assert "SANJAE_DATA_DIR" in assert_korean_last_line(stderr.encode())


# ---- 4. a port already in use ------------------------------------------------------------------------

def test_web_app_on_a_busy_port_suggests_another_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, stderr = start_web(["--port", str(port)], env())
    assert code == 2, stderr
    line = assert_korean_last_line(stderr.encode())
    assert f"{port}번" in line and f"--port {port + 1}" in line


