"""Bad data must never hide good data or reach the user as a traceback: dates, damaged cases, odd text."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.viewmodels import case_rows, cases_vm
from services.cases import Case, CaseValidationError, JsonBlobCaseRepository, UserFileCaseRepository
from services.cases.exchange import (
    ImportFileError,
    backup_workspace,
    export_json,
    import_cases,
    read_cases_file,
    restore_workspace,
)
from services.cases.pdf_report import export_pdf
from services.cases.report import export_markdown
from services.deadlines import (
    EARLIEST_DECISION_DATE,
    MAX_DAYS_AHEAD,
    DeadlineError,
    add_days,
    add_years,
    compute_deadlines,
)
from storage.atomic import ExportTargetError
from storage.user_store import UserStore
from tests.conftest import REPO

TODAY = date(2026, 2, 1)


def _cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SANJAE_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=full_env)


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("learned", ["9999-12-01", "1989-12-31"])
def test_cli_refuses_implausible_learned_date_and_stores_nothing(isolated_data_dir: Path, learned: str) -> None:
    made = _cli(isolated_data_dir, "cases", "create", "--alias", "먼 미래", "--learned", learned)
    assert made.returncode == 2, made.stdout
    _no_traceback(made)
    assert "결정을 안 날" in made.stderr and ("1990" in made.stderr or "1년" in made.stderr)
    listed = _cli(isolated_data_dir, "cases", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []


def test_plausible_range_edges_are_accepted(tmp_path: Path) -> None:
    repo = UserFileCaseRepository(UserStore(tmp_path / "user.json"))
    repo.create("처음", learned_on=EARLIEST_DECISION_DATE.isoformat())
    repo.create("끝", learned_on=(date.today() + timedelta(days=MAX_DAYS_AHEAD)).isoformat())
    with pytest.raises(CaseValidationError):
        repo.create("너무 먼", learned_on=(date.today() + timedelta(days=MAX_DAYS_AHEAD + 1)).isoformat())
    case = repo.create("고칠 사건")
    with pytest.raises(CaseValidationError):
        repo.update(case.id, decided_on="1900-01-01")


@pytest.mark.parametrize("day", [date.max, date.max - timedelta(days=30), date(9999, 12, 1)])
def test_deadline_arithmetic_never_overflows(day: date) -> None:
    with pytest.raises(DeadlineError) as excinfo:
        compute_deadlines(day, stage="불승인", today=TODAY)
    assert "날짜" in excinfo.value.message
    with pytest.raises(DeadlineError):
        add_days(day, 90)
    with pytest.raises(DeadlineError):
        add_years(day, 1)



def test_cli_deadlines_far_future_is_a_korean_message(isolated_data_dir: Path) -> None:
    result = _cli(isolated_data_dir, "deadlines", "--learned", "9999-12-31")
    assert result.returncode == 2
    _no_traceback(result)
    assert "오류:" in result.stderr and "9999-12-31" in result.stderr


# ---------------------------------------------------------------- damaged stored cases

def _plant_bad_rows(store: UserStore) -> None:
    """Rows written by hand or by an older version: no id, an unknown stage, a date past the calendar."""
    table = store.table("cases")
    table.insert({"alias": "번호 없는 사건"})
    table.insert({"id": "bad-stage-1", "alias": "이상한 단계", "stage": "상고"})
    table.insert({"id": "far-future-1", "alias": "먼 날짜", "learned_on": "9999-12-01"})


def test_cli_lists_and_exports_good_cases_beside_damaged_ones(isolated_data_dir: Path, tmp_path: Path) -> None:
    made = _cli(isolated_data_dir, "cases", "create", "--alias", "멀쩡한 사건", "--learned", "2026-01-19", "--json")
    assert made.returncode == 0, made.stderr
    good_id = json.loads(made.stdout)["id"]
    store = UserStore(isolated_data_dir / "user.json")
    _plant_bad_rows(store)
    store.close()

    listed = _cli(isolated_data_dir, "cases", "list", "--today", "2026-02-01")
    _no_traceback(listed)
    assert listed.returncode == 0, listed.stderr
    assert "멀쩡한 사건" in listed.stdout
    assert listed.stdout.count("손상된 사건") == 2, listed.stdout  # no id and unknown stage
    assert "bad-stage-1" in listed.stdout
    assert "먼 날짜" in listed.stdout  # readable; only its deadline can't be computed

    rows = json.loads(_cli(isolated_data_dir, "cases", "list", "--json", "--today", "2026-02-01").stdout)
    assert {row["id"] for row in rows if not row.get("damaged")} == {good_id, "far-future-1"}
    assert sorted(row["id"] for row in rows if row.get("damaged")) == ["", "bad-stage-1"]

    out = tmp_path / "export.json"
    exported = _cli(isolated_data_dir, "cases", "export", str(out))
    _no_traceback(exported)
    assert exported.returncode == 0, exported.stderr
    assert "손상된 사건 2건" in exported.stderr
    assert {c["id"] for c in json.loads(out.read_text("utf-8"))["cases"]} == {good_id, "far-future-1"}
    # The damaged rows are still in the user file, untouched.
    assert len(UserStore(isolated_data_dir / "user.json").table("cases").all()) == 4


def test_blob_repository_keeps_damaged_rows_and_the_view_model_lists_them() -> None:
    box: dict[str, str | None] = {"text": json.dumps({"format": "sanjae-gemma-case-blob", "version": 1, "cases": [
        {"alias": "번호 없는 사건"}, {"id": "bad-stage-1", "alias": "이상한 단계", "stage": "상고"}]})}

    def save(text: str) -> None:
        box["text"] = text

    repo = JsonBlobCaseRepository(lambda: box["text"], save)
    repo.create("새 사건")
    stored = json.loads(box["text"] or "")["cases"]
    assert len(stored) == 3  # saving the new case kept both damaged rows
    listing = repo.scan()
    assert [c.alias for c in listing.cases] == ["새 사건"]
    assert sorted(d.raw_id for d in listing.damaged) == ["", "bad-stage-1"]
    rows = case_rows.list_rows(case_rows.listing_entries(listing), today=TODAY)
    assert [r.alias for r in rows if not r.damaged] == ["새 사건"]
    damaged = [r for r in rows if r.damaged]
    assert len(damaged) == 2 and all(r.alias.startswith("손상된 사건") for r in damaged)
    assert any("bad-stage-1" in r.alias for r in damaged)


def test_import_next_to_a_damaged_local_case_keeps_both(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "user.json")
    store.table("cases").insert({"id": "same-id", "alias": "이상한 단계", "stage": "상고"})
    repo = UserFileCaseRepository(store)
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"format": "sanjae-gemma-cases", "version": 1,
                                  "cases": [{"id": "same-id", "alias": "가져온 사건"}]}), "utf-8")
    report = import_cases(repo, source)
    assert len(report.copies) == 1
    listing = repo.scan()
    assert [c.alias for c in listing.cases] == ["가져온 사건 (가져온 사본)"]
    assert [d.raw_id for d in listing.damaged] == ["same-id"]


# ---------------------------------------------------------------- odd text


def test_cli_alias_with_a_lone_surrogate_is_refused_in_korean(isolated_data_dir: Path) -> None:
    env = {**os.environ, "SANJAE_DATA_DIR": str(isolated_data_dir)}
    # Bytes that are not UTF-8 arrive in sys.argv as lone surrogates (surrogateescape).
    result = subprocess.run([sys.executable, "-m", "app.cli", "cases", "create", "--alias", b"A\xed\xa0\x80"],
                            cwd=REPO, capture_output=True, env=env)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr and "사건 별칭" in stderr


def test_import_file_with_a_lone_surrogate_is_refused_in_korean(tmp_path: Path) -> None:
    repo = UserFileCaseRepository(UserStore(tmp_path / "user.json"))
    source = tmp_path / "in.json"
    source.write_text('{"format": "sanjae-gemma-cases", "version": 1, '
                      '"cases": [{"id": "x1", "alias": "A\\ud800"}]}', "utf-8")
    with pytest.raises(ImportFileError) as excinfo:
        import_cases(repo, source)
    assert "1번째 사건" in excinfo.value.message and "사건 별칭" in excinfo.value.message
    assert repo.all() == []


# ---------------------------------------------------------------- one write per import


class _CountingCodec:
    """A plain codec that counts whole-file writes (``encode`` runs once per write of the user file)."""

    def __init__(self) -> None:
        self.writes = 0

    def encode(self, data: bytes) -> bytes:
        self.writes += 1
        return data

    def decode(self, data: bytes) -> bytes:
        return data


def _export_file(path: Path, count: int) -> Path:
    cases = [Case(alias=f"사건 {n}", situation="허리 통증 " * 20, learned_on="2026-01-19") for n in range(count)]
    return export_json(cases, path)


def test_import_writes_the_user_file_once(tmp_path: Path) -> None:
    codec = _CountingCodec()
    store = UserStore(tmp_path / "user.json", codec=codec)
    repo = UserFileCaseRepository(store)
    existing = repo.create("원래 있던 사건")
    source = _export_file(tmp_path / "in.json", 300)
    before = codec.writes
    report = import_cases(repo, source)
    assert codec.writes - before == 1
    assert len(report.added) == 300
    assert len(UserFileCaseRepository(UserStore(tmp_path / "user.json")).all()) == 301
    # The next single-case change still lands where it should.
    repo.update(existing.id, notes="메모")
    assert repo.get(existing.id).notes == "메모" and len(repo.all()) == 301


def test_restore_and_conflicts_write_once_and_blob_saves_once(tmp_path: Path) -> None:
    codec = _CountingCodec()
    repo = UserFileCaseRepository(UserStore(tmp_path / "user.json", codec=codec))
    source = _export_file(tmp_path / "in.json", 50)
    import_cases(repo, source)
    for case in repo.all()[:20]:
        repo.update(case.id, notes="여기서 고침")
    edited = read_cases_file(source)
    for case in edited[:20]:
        case.notes = "저기서 고침"
        case.touch()
    export_json(edited, tmp_path / "edited.json")
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({**json.loads((tmp_path / "edited.json").read_text("utf-8")),
                                  "format": "sanjae-gemma-workspace", "settings": {}}), "utf-8")
    before = codec.writes
    result = restore_workspace(repo, backup)
    assert result["cases"]["conflict_copies"] == 20 and codec.writes - before == 1
    again = restore_workspace(repo, backup)  # the copies are found again: nothing added, nothing written
    assert again["cases"]["conflict_copies"] == 0 and codec.writes - before == 1

    saves: list[str] = []
    blob = JsonBlobCaseRepository(lambda: saves[-1] if saves else None, saves.append)
    import_cases(blob, tmp_path / "edited.json")
    assert len(saves) == 1 and len(blob.all()) == 50


# ---------------------------------------------------------------- recovery is never silent


def _two_cases(data: Path) -> None:
    for alias in ("첫 사건 홍길동", "둘째 사건"):
        made = _cli(data, "cases", "create", "--alias", alias, "--situation", "연락처 010-1234-5678")
        assert made.returncode == 0, made.stderr


def test_cli_refuses_when_the_user_file_and_its_backup_are_both_damaged(isolated_data_dir: Path) -> None:
    _two_cases(isolated_data_dir)
    (isolated_data_dir / "user.json").write_bytes(b'{"cases": {"1": {"alias": "fi')
    (isolated_data_dir / "user.json.bak").write_bytes(b"\x00garbage")
    listed = _cli(isolated_data_dir, "cases", "list")
    _no_traceback(listed)
    assert listed.returncode == 2, listed.stdout
    assert "사건이 없습니다" not in listed.stdout
    kept = sorted(p.name for p in isolated_data_dir.glob("user.json*broken-*"))
    assert len(kept) == 2, kept  # the file and its backup, both kept aside, byte for byte
    assert "읽을 수 없" in listed.stderr and all(name in listed.stderr for name in kept)
    assert {p.read_bytes() for p in isolated_data_dir.glob("user.json*broken-*")} == {
        b'{"cases": {"1": {"alias": "fi', b"\x00garbage"}


def test_cli_tells_on_stderr_when_it_restored_from_the_backup(isolated_data_dir: Path) -> None:
    _two_cases(isolated_data_dir)
    (isolated_data_dir / "user.json").write_bytes(b"{ torn")
    listed = _cli(isolated_data_dir, "cases", "list")
    assert listed.returncode == 0, listed.stderr
    assert "첫 사건" in listed.stdout
    assert "백업으로 복구" in listed.stderr and "user.json.broken-" in listed.stderr


def test_protect_covers_the_broken_copies_left_by_a_recovery(isolated_data_dir: Path) -> None:
    _two_cases(isolated_data_dir)
    (isolated_data_dir / "user.json").write_bytes((isolated_data_dir / "user.json").read_bytes()[:-3])
    assert _cli(isolated_data_dir, "cases", "list").returncode == 0  # recovers, keeps the torn copy aside
    broken = next(isolated_data_dir.glob("user.json.broken-*"))
    torn = broken.read_bytes()
    assert "홍길동".encode() in torn
    secret = {"SANJAE_PASSPHRASE": "긴 암호 문장"}
    protected = _cli(isolated_data_dir, "cases", "protect", env=secret)
    assert protected.returncode == 0, protected.stderr
    assert broken.name in protected.stdout
    for path in isolated_data_dir.iterdir():
        raw = path.read_bytes()
        assert "홍길동".encode() not in raw and b"010-1234-5678" not in raw, path.name
    assert broken.read_bytes().startswith(b"SJGENC")
    listed = _cli(isolated_data_dir, "cases", "list", env=secret)
    assert listed.returncode == 0 and "첫 사건" in listed.stdout, listed.stderr
    off = _cli(isolated_data_dir, "cases", "protect", "--off", env=secret)
    assert off.returncode == 0, off.stderr
    assert broken.read_bytes() == torn  # nothing lost: the copy reads back as it was


# ---------------------------------------------------------------- a user file of the wrong shape


@pytest.mark.parametrize("content", [
    {"_meta": {"1": {"schema_version": "x"}}, "cases": {}},
    {"_meta": {"1": {"schema_version": 1}}, "cases": []},
    {"_meta": {"1": {"schema_version": 1}}, "cases": {"1": "not a case"}},
])
def test_user_file_of_the_wrong_shape_goes_the_recovery_path(isolated_data_dir: Path, content: dict) -> None:
    _two_cases(isolated_data_dir)
    (isolated_data_dir / "user.json").write_text(json.dumps(content), "utf-8")
    listed = _cli(isolated_data_dir, "cases", "list")
    _no_traceback(listed)
    assert listed.returncode == 0, listed.stderr
    assert "첫 사건" in listed.stdout and "백업으로 복구" in listed.stderr
    assert json.loads(next(isolated_data_dir.glob("user.json.broken-*")).read_text("utf-8")) == content
    # Without a usable backup: a Korean refusal, not a traceback.
    (isolated_data_dir / "user.json").write_text(json.dumps(content), "utf-8")
    (isolated_data_dir / "user.json.bak").write_text(json.dumps(content), "utf-8")
    refused = _cli(isolated_data_dir, "cases", "list")
    _no_traceback(refused)
    assert refused.returncode == 2 and "읽을 수 없" in refused.stderr


# ---------------------------------------------------------------- exports never replace what isn't theirs


def _targets(tmp_path: Path) -> dict[str, Path]:
    victim = tmp_path / "victim.txt"
    victim.write_text("남의 파일", "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    # A FIFO stands in for a device node: just as special, and replacing it (the bug) harms nothing.
    # Never point this at /dev/null: the unfixed code swaps it for a regular file.
    special = tmp_path / "special.json"
    os.mkfifo(special)
    return {"symlink": link, "folder": folder, "device": special,
            "missing folder": tmp_path / "no-such-folder" / "out.json"}


@pytest.mark.parametrize("kind", ["symlink", "folder", "device", "missing folder"])
@pytest.mark.parametrize("fmt", ["json", "md", "pdf", "backup"])
def test_exports_refuse_targets_that_are_not_new_or_regular_files(tmp_path: Path, kind: str, fmt: str) -> None:
    repo = UserFileCaseRepository(UserStore(tmp_path / "data" / "user.json"))
    repo.create("내보낼 사건")
    target = _targets(tmp_path)[kind]
    export = {"json": lambda: export_json(repo.all(), target), "md": lambda: export_markdown(repo.all(), target),
              "pdf": lambda: export_pdf(repo.all(), target), "backup": lambda: backup_workspace(repo, target)}[fmt]
    with pytest.raises(ExportTargetError) as excinfo:
        export()
    assert "저장하지 않았습니다" in excinfo.value.message
    assert (tmp_path / "victim.txt").read_text("utf-8") == "남의 파일"
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "a-folder.json").is_dir()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "special.json").st_mode)
    assert not (tmp_path / "no-such-folder").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_exports_still_replace_a_regular_file(tmp_path: Path) -> None:
    repo = UserFileCaseRepository(UserStore(tmp_path / "data" / "user.json"))
    repo.create("내보낼 사건")
    target = tmp_path / "old.json"
    target.write_text("예전 내보내기", "utf-8")
    export_json(repo.all(), target)
    assert json.loads(target.read_text("utf-8"))["cases"][0]["alias"] == "내보낼 사건"
    cases_vm.write_export(target, b"{}")
    assert target.read_bytes() == b"{}"
    with pytest.raises(ExportTargetError):
        cases_vm.write_export(_targets(tmp_path)["symlink"], b"{}")


@pytest.mark.parametrize("command", [["cases", "export"], ["cases", "backup"], ["export"]])
def test_cli_exports_refuse_a_symlink_or_missing_folder(isolated_data_dir: Path, tmp_path: Path,
                                                         command: list[str]) -> None:
    assert _cli(isolated_data_dir, "cases", "create", "--alias", "사건").returncode == 0
    targets = _targets(tmp_path)
    for kind in ("symlink", "missing folder"):
        result = _cli(isolated_data_dir, *command, str(targets[kind]))
        _no_traceback(result)
        assert result.returncode == 2, (kind, result.stdout)
        assert "저장하지 않았습니다" in result.stderr
    assert (tmp_path / "victim.txt").read_text("utf-8") == "남의 파일"
    assert not (tmp_path / "no-such-folder").exists()
