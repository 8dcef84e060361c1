"""Korean text piped from a Windows console (CP949) reaches ``redact`` and ``analyze`` intact.
"""
from __future__ import annotations

import json

from services.text_encoding import decode_korean_text
from tests.cli_process import STORY, assert_korean_last_line, run

# ---- 5. Korean text in CP949 on stdin ----------------------------------------------------------------

def test_redact_reads_cp949_stdin() -> None:
    result = run(["redact"], input_bytes=STORY.encode("cp949"))
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert "\ufffd" not in text and "건설현장에서 일하다가 허리를 다쳤습니다" in text
    assert "010-1234-5678" not in text


def test_analyze_reads_cp949_stdin() -> None:
    result = run(["analyze", "--no-index", "--json"], input_bytes=STORY.encode("cp949"))
    assert result.returncode == 0, result.stderr.decode()
    assert "건설현장에서 일하다가 허리를 다쳤습니다" in json.loads(result.stdout)["input"]["story"]


def test_the_decoder_shared_by_the_cli_and_the_summary_page() -> None:
    assert decode_korean_text(STORY.encode("cp949")) == STORY
    assert decode_korean_text(b"\xef\xbb\xbf" + "줄1\r\n줄2".encode()) == "줄1\n줄2"
    assert decode_korean_text(STORY.encode("utf-16")) == STORY
    assert decode_korean_text(b"\xff\xd8\xff") is None  # no encoding fits (utf-16 needs an even length)


def test_stdin_in_no_known_encoding_is_refused_in_korean() -> None:
    result = run(["redact"], input_bytes=b"\xff\xd8\xff")
    assert result.returncode == 2
    assert "UTF-8" in assert_korean_last_line(result.stderr)
