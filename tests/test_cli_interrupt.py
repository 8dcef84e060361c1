"""Ctrl-C while the CLI is still loading: a Korean line and exit code 130, never a traceback.

The CLI needs about 0.6 s to load its commands. The first few hundredths of a second after the process
starts are Python's own start-up, before any line of ours runs; on a busy machine that can take 50 ms,
so the earliest delay here is 0.15 s.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.cli_process import assert_korean_last_line, env, free_port
from tests.conftest import REPO

# ---- 2. Ctrl-C while the CLI is still starting ------------------------------------------------------

@pytest.mark.parametrize("delay", [0.15, 0.2, 0.3, 0.45, 1.5])
def test_ctrl_c_while_the_cli_loads_prints_one_korean_line_and_exits_130(delay: float) -> None:
    # `redact` waits for stdin, which stays open until after the signal: however fast this machine loads
    # the CLI, Ctrl-C lands while it loads or while the command runs, never after it has finished.
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "redact"], cwd=REPO, env=env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr.decode()
    assert "중단" in assert_korean_last_line(stderr)




@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2])
def test_ctrl_c_while_the_web_app_starts_never_prints_a_traceback(delay: float) -> None:
    """Before the server runs, Ctrl-C is an interruption (130, one Korean line); once it runs, Flet stops
    it cleanly (0). These delays cover both, and the moment in between when Flet's server is half up."""
    proc = subprocess.Popen([sys.executable, "-m", "app", "--web", "--port", str(free_port())], cwd=REPO,
                            env=env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert b"Traceback" not in stderr, stderr.decode()
    assert proc.returncode in (0, 130), stderr.decode()
    if proc.returncode == 130:
        assert "중단" in assert_korean_last_line(stderr)
