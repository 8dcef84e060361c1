"""Small helpers shared by CLI commands."""
from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def read_stdin_text() -> str:
    data = sys.stdin.buffer.read()
    return data.decode("utf-8-sig", errors="replace")
