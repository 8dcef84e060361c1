"""The CLI with closed or full standard streams: a Korean line and a failure code, never a traceback.

Each command runs as the real program with its stdin, stdout or stderr closed, on ``/dev/full``, or piped
into a reader that already left.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_process import STORY, assert_korean_last_line, env, run
from tests.conftest import REPO

COMMANDS = {
    "status": ["status", "--json"],
    "search": ["search", "허리디스크", "--json"],
    "deadlines": ["deadlines", "--learned", "2026-01-19", "--json"],
    "cases": ["cases", "list"],
    "redact": ["redact"],
    "export": ["export", "EXPORT"],
}


def command(name: str, tmp_path: Path) -> list[str]:
    return [str(tmp_path / "corpus.json.gz") if part == "EXPORT" else part for part in COMMANDS[name]]


# ---- 1. closed or full output streams ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["status", "search", "redact", "export"])
def test_closed_stdout_ends_with_one_korean_line_and_a_failure_code(name: str, tmp_path: Path) -> None:
    result = run(command(name, tmp_path), input_bytes=STORY.encode(), close=(1,))
    assert result.returncode == 2, result.stderr.decode()
    assert "출력" in assert_korean_last_line(result.stderr)


@pytest.mark.parametrize("name", ["status", "search", "deadlines", "cases", "redact", "export"])
def test_stdout_on_a_full_device_ends_with_one_korean_line_and_a_failure_code(name: str, tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = run(command(name, tmp_path), input_bytes=STORY.encode(), stdout=full)
    assert result.returncode == 2, result.stderr.decode()
    assert "출력" in assert_korean_last_line(result.stderr)


def test_a_reader_that_left_before_the_output_gets_a_failure_code_not_a_traceback() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", *COMMANDS["search"]], cwd=REPO, env=env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the CLI writes anything
    stderr = proc.stderr.read()
    proc.wait(120)
    assert proc.returncode == 2, stderr.decode()
    assert_korean_last_line(stderr)


@pytest.mark.parametrize("name", ["redact", "analyze"])
def test_closed_stdin_is_explained_for_the_commands_that_read_it(name: str) -> None:
    args = ["analyze", "--no-index"] if name == "analyze" else ["redact"]
    result = run(args, close=(0,))
    assert result.returncode == 2, result.stderr.decode()
    assert "입력" in assert_korean_last_line(result.stderr)


def test_a_command_that_reads_no_stdin_still_works_with_it_closed() -> None:
    result = run(COMMANDS["status"], close=(0,))
    assert result.returncode == 0, result.stderr.decode()
    assert "total" in json.loads(result.stdout)


def test_closed_stderr_and_a_full_stdout_end_quietly_with_a_failure_code(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = run(COMMANDS["status"], stdout=full, close=(2,))
    assert result.returncode == 2


def test_closed_stderr_keeps_progress_lines_out_of_the_json_on_stdout() -> None:
    # With stderr gone, print(..., file=sys.stderr) would fall back to stdout and break the JSON.
    result = run(COMMANDS["search"], close=(2,))
    assert result.returncode == 0
    assert json.loads(result.stdout)


def test_stderr_on_a_full_device_does_not_stop_the_command() -> None:
    with open("/dev/full", "wb") as full:
        result = run(COMMANDS["search"], stderr=full)
    assert result.returncode == 0
    assert json.loads(result.stdout)


