"""``python -m app.cli search`` over the sample corpus, run as a real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"id", "title", "case_number", "court", "court_level", "outcome", "kind_b", "kind_c", "source",
               "is_sample", "score", "snippet"}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "search", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, encoding="utf-8", timeout=240)


def test_json_output_shape_and_filters(isolated_data_dir):
    done = _cli("허리디스크", "--kind-a", "취소", "--limit", "3", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] >= 1 and data["counts"] == {"취소": data["total"]}
    assert 1 <= len(data["results"]) <= 3
    for row in data["results"]:
        assert row.keys() >= RESULT_KEYS
        assert row["outcome"] == "취소" and row["is_sample"] is True and row["source"] == "sample"
        assert isinstance(row["score"], float) and row["snippet"]
    assert "색인" in done.stderr  # first use builds the index and says so
    assert (isolated_data_dir / "index" / "current.json").exists()

    again = _cli("허리디스크", "--kind-a", "취소", "--limit", "3", "--json")
    assert again.returncode == 0 and "색인" not in again.stderr
    assert json.loads(again.stdout)["results"] == data["results"]


def test_human_output_lists_cases_in_korean(isolated_data_dir):
    done = _cli("출근길 교통사고", "--limit", "2", "--court-level", "1")
    assert done.returncode == 0, done.stderr
    assert "검색 결과" in done.stdout and "가상 예시" in done.stdout and "【" in done.stdout
    assert "1. " in done.stdout


def test_browse_with_year_range(isolated_data_dir):
    done = _cli("--year-from", "2021", "--year-to", "2022", "--json", "--limit", "50")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] == len(data["results"]) > 0
    assert sum(data["counts"].values()) == data["total"]
    assert all(2021 <= row["case_year"] <= 2022 for row in data["results"])
