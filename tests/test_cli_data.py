"""`python -m app.cli sync|status|export|import` as a user runs them, against local fake servers."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli.program import main as cli_main
from services.judgment import READER
from storage.precedents import PrecedentStore
from tests.conftest import REPO
from tests.fakes.lawgokr import OC, FakeLawGoKr, make_prec
from tests.fakes.portal import ENCODED_KEY, RAW_KEY, FakePortal, make_records, portal_id


def cli_env(fake: FakePortal | None = None, key: str | None = RAW_KEY) -> dict[str, str]:
    env = dict(os.environ)  # carries this test's own SANJAE_DATA_DIR
    env["PYTHONPATH"] = str(REPO)
    if fake is not None:
        env["SANJAE_PORTAL_URL"] = fake.base_url
    if key:
        env["SANJAE_PORTAL_KEY"] = key
    return env


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came true")
        time.sleep(0.05)


def stored_portal_ids() -> list[str]:
    return [r.id for r in PrecedentStore(reader=READER).iter_records() if r.source == "portal"]


def test_status_json_on_an_empty_store_shows_the_samples() -> None:
    result = run_cli("status", "--json", env=cli_env(key=None))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"portal", "lawgokr", "iaciac", "sample", "total", "last_sync"}
    assert data["sample"] > 0 and data["portal"] == data["lawgokr"] == data["iaciac"] == 0
    assert data["total"] == data["sample"]
    assert data["last_sync"] == {"portal": None, "lawgokr": None, "iaciac": None}


def test_killed_sync_resumes_without_duplicates() -> None:
    with FakePortal(make_records(520)) as fake:
        fake.hold_from_page = 4  # page 4 hangs until released: the process is killed while waiting
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "sync"], cwd=REPO, env=cli_env(fake),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: 4 in fake.page_requests())
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -signal.SIGKILL
        assert len(stored_portal_ids()) == 300
        fake.hold_from_page = None
        fake.release()
        result = run_cli("sync", env=cli_env(fake, ENCODED_KEY))
        assert result.returncode == 0, result.stderr
        assert "%" in result.stderr and "220건" in result.stdout
        assert RAW_KEY not in result.stdout + result.stderr and ENCODED_KEY not in result.stdout + result.stderr
        ids = stored_portal_ids()
        assert len(ids) == len(set(ids)) == 520 and set(ids) == {portal_id(r) for r in fake.records}
        # the rerun started at the page the killed run never finished
        assert fake.page_requests() == [1, 2, 3, 4, 4, 5, 6]
        assert PrecedentStore(reader=READER).last_sync()["portal"]


def test_ctrl_c_stops_between_pages_and_says_how_to_resume() -> None:
    with FakePortal(make_records(450)) as fake:
        fake.hold_from_page = 3
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "sync"], cwd=REPO, env=cli_env(fake),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        try:
            wait_for(lambda: 3 in fake.page_requests())
            proc.send_signal(signal.SIGINT)
            time.sleep(0.3)
            fake.release()
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 130
        assert "다시 실행하면 이어서 받습니다" in stderr and "Traceback" not in stderr
        assert fake.page_requests() == [1, 2, 3]
        assert len(stored_portal_ids()) == 300


def test_quota_error_exits_non_zero_in_korean_and_rerun_resumes() -> None:
    with FakePortal(make_records(250)) as fake:
        fake.fail_from_page = (2, "code:22")
        result = run_cli("sync", env=cli_env(fake))
        assert result.returncode == 2
        assert "내일" in result.stderr and "코드 22" in result.stderr and "Traceback" not in result.stderr
        assert len(stored_portal_ids()) == 100
        fake.fail_from_page = None
        result = run_cli("sync", env=cli_env(fake))
        assert result.returncode == 0, result.stderr
        ids = stored_portal_ids()
        assert len(ids) == len(set(ids)) == 250
        assert fake.page_requests() == [1, 2, 2, 3]


def test_lawgokr_sync_from_cli() -> None:
    with FakeLawGoKr(make_prec(12)) as fake:
        env = cli_env(key=None)
        env.update(SANJAE_LAWGOKR_OC=OC, SANJAE_LAWGOKR_URL=fake.base_url)
        result = run_cli("sync", "--source", "lawgokr", env=env)
        assert result.returncode == 0, result.stderr
        assert PrecedentStore(reader=READER).count_by_source()["lawgokr"] == 12


# The checks below call the same entry point in this process (no new interpreter per check).
def run_main(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_wrong_key_explains_code_30_and_hides_the_key(capsys, monkeypatch) -> None:
    wrong = "NotTheRightKey+abc/def=="
    with FakePortal(make_records(10)) as fake:
        monkeypatch.setenv("SANJAE_PORTAL_URL", fake.base_url)
        monkeypatch.setenv("SANJAE_PORTAL_KEY", wrong)
        code, out, err = run_main(capsys, "sync")
    assert code == 2 and "코드 30" in err and "Encoding" in err and wrong not in out + err


def test_wrong_oc_is_explained(capsys, monkeypatch) -> None:
    with FakeLawGoKr(make_prec(3)) as fake:
        monkeypatch.setenv("SANJAE_LAWGOKR_URL", fake.base_url)
        monkeypatch.setenv("SANJAE_LAWGOKR_OC", "wrong-oc")
        code, out, err = run_main(capsys, "sync", "--source", "iaciac")
    assert code == 2 and "OC" in err and "IP" in err and "wrong-oc" not in out + err


def test_missing_key_says_where_to_set_it(capsys) -> None:
    code, _, err = run_main(capsys, "sync")
    assert code == 2 and "SANJAE_PORTAL_KEY" in err and "설정" in err


def test_bad_limit(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SANJAE_PORTAL_KEY", RAW_KEY)
    code, _, err = run_main(capsys, "sync", "--limit", "0")
    assert code == 2 and "--limit" in err


def test_plain_status_and_export_then_import_elsewhere(capsys, monkeypatch, tmp_path: Path) -> None:
    with FakePortal(make_records(40)) as fake:
        monkeypatch.setenv("SANJAE_PORTAL_URL", fake.base_url)
        monkeypatch.setenv("SANJAE_PORTAL_KEY", RAW_KEY)
        code, out, _ = run_main(capsys, "sync", "--limit", "25")
    assert code == 0 and "25건" in out
    code, out, _ = run_main(capsys, "status")
    assert code == 0 and "모두 25건" in out and "공공데이터포털 판례: 25건" in out
    corpus = tmp_path / "corpus.json.gz"
    code, out, _ = run_main(capsys, "export", str(corpus))
    assert code == 0 and "25건" in out and corpus.exists()
    monkeypatch.setenv("SANJAE_DATA_DIR", str(tmp_path / "elsewhere"))
    code, out, _ = run_main(capsys, "import", str(corpus))
    assert code == 0 and "새로 25건" in out
    code, out, _ = run_main(capsys, "status", "--json")
    status = json.loads(out)
    assert status["portal"] == 25 and status["sample"] == 0 and status["total"] == 25
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not a corpus")
    code, _, err = run_main(capsys, "import", str(broken))
    assert code == 2 and "오류:" in err
