"""Small helpers shared by CLI commands."""
from __future__ import annotations

import json
import sys
from typing import Any

from services.errors import SanjaeError
from services.text_encoding import decode_korean_text


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def read_stdin_text() -> str:
    """stdin as text: UTF-8, or CP949 as a Korean Windows console sends it."""
    data = sys.stdin.buffer.read()
    text = decode_korean_text(data)
    if text is None:
        raise SanjaeError("입력한 글의 글자를 읽을 수 없습니다. 글을 UTF-8로 저장한 뒤 다시 넣어 주세요.")
    return text
