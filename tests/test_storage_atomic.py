"""The storage layer: atomic writes, backup, recovery with a notice, and cross-process safety."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from storage.atomic import AtomicJSONStorage, backup_path, recovery_notices
from storage.user_store import UserStore

REPO = Path(__file__).resolve().parent.parent


def test_write_is_plain_tinydb_json_and_keeps_a_backup(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "user.json")
    store.table("cases").insert({"alias": "가나다"})
    store.table("cases").insert({"alias": "라마바"})
    # A plain TinyDB can open what we wrote, and Korean is stored readably (not \u escapes).
    raw = (tmp_path / "user.json").read_text(encoding="utf-8")
    assert "라마바" in raw
    plain = TinyDB(tmp_path / "user.json")
    assert sorted(d["alias"] for d in plain.table("cases").all()) == ["가나다", "라마바"]
    plain.close()
    bak = json.loads(backup_path(tmp_path / "user.json").read_text(encoding="utf-8"))
    assert [d["alias"] for d in bak["cases"].values()] == ["가나다"]  # the previous good version
    assert not list(tmp_path.glob(".*.tmp")), "no temp files are left behind"


def test_broken_file_is_set_aside_and_restored_from_backup_with_notice(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    store = UserStore(path)
    store.table("cases").insert({"alias": "first"})
    store.table("cases").insert({"alias": "second"})
    store.close()
    path.write_bytes(b'{"cases": {"1": {"alias": "fi')  # a torn write from some other tool
    recovery_notices(clear=True)
    reopened = UserStore(path)
    aliases = [d["alias"] for d in reopened.table("cases").all()]
    assert aliases == ["first"]  # the backup holds the last good state before the broken one
    notices = reopened.recovery_notices()
    assert notices and "백업" in notices[0]
    broken = list(tmp_path.glob("user.json.broken-*"))
    assert len(broken) == 1 and broken[0].read_bytes().startswith(b'{"cases"')


def test_broken_file_without_backup_starts_empty_but_says_so(tmp_path: Path) -> None:
    path = tmp_path / "summaries.json"
    path.write_text("not json", encoding="utf-8")
    recovery_notices(clear=True)
    storage = AtomicJSONStorage(path)
    assert storage.read() is None
    notices = recovery_notices()
    assert any("빈 상태로 시작" in n and "summaries.json" in n for n in notices)
    assert list(tmp_path.glob("summaries.json.broken-*"))


def test_read_returns_copies_so_callers_cannot_corrupt_the_cache(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "x.json")
    storage.write({"t": {"1": {"list": [1]}}})
    first = storage.read()
    first["t"]["1"]["list"].append(2)
    assert storage.read() == {"t": {"1": {"list": [1]}}}


def test_disk_full_error_becomes_a_korean_message_and_the_old_file_stays(tmp_path: Path) -> None:
    import errno

    from core.errors import StoreError
    from storage import atomic

    path = tmp_path / "user.json"
    storage = AtomicJSONStorage(path)
    storage.write({"a": {"1": {"v": 1}}})
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    atomic.os.fsync = full_disk  # the write reaches the disk's limit when it is flushed
    try:
        with pytest.raises(StoreError) as err:
            storage.write({"a": {"1": {"v": 2}}})
    finally:
        atomic.os.fsync = real_fsync
    assert "저장 공간이 부족" in err.value.message
    assert json.loads(path.read_text())["a"]["1"]["v"] == 1
    assert not list(tmp_path.glob(".*.tmp"))


_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from storage.user_store import UserStore
    store = UserStore(__import__("pathlib").Path({path!r}))
    table = store.table("notes")
    i = 0
    while True:
        table.insert({{"r": {round_no}, "n": i, "text": "메모 " * 200}})
        print(i, flush=True)   # acknowledged only after insert() returned
        i += 1
""")


def test_sigkill_mid_write_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    for round_no in range(6):
        code = _WRITER.format(repo=str(REPO), path=str(path), round_no=round_no)
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        acked: set[tuple[int, int]] = set()
        for line in proc.stdout:
            acked.add((round_no, int(line)))
            if len(acked) >= 5 + round_no * 7:
                break
        time.sleep(0.003 * round_no)  # kill at a different moment each round, often mid-write
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        acked |= {(round_no, int(x)) for x in rest.split() if x.isdigit()}
        store = UserStore(path)  # always opens: never a torn file
        stored = {(d["r"], d["n"]) for d in store.table("notes").all()}
        store.close()
        assert acked <= stored, f"round {round_no}: lost {sorted(acked - stored)[:5]}"
    json.loads(path.read_text(encoding="utf-8"))


_COUNTER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from storage.user_store import UserStore
    store = UserStore(Path({path!r}))
    for i in range(40):
        with store.transaction():            # read-modify-write without a lost update
            table = store.table("counter")
            row = table.get(doc_id=1)
            if row is None:
                table.insert({{"value": 1}})
            else:
                table.update({{"value": row["value"] + 1}}, doc_ids=[1])
        store.table("log").insert({{"who": {who!r}, "i": i}})
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    UserStore(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", _COUNTER.format(repo=str(REPO), path=str(path), who=who)])
             for who in ("A", "B")]
    for p in procs:
        assert p.wait(120) == 0
    store = UserStore(path)
    assert store.table("counter").get(doc_id=1)["value"] == 80
    log = store.table("log").all()
    assert len(log) == 80
    assert {(d["who"], d["i"]) for d in log} == {(w, i) for w in "AB" for i in range(40)}


def test_protected_file_opened_without_passphrase_is_not_treated_as_broken(tmp_path: Path) -> None:
    from core.errors import StoreError
    from storage.crypto_codec import PassphraseCodec

    path = tmp_path / "user.json"
    store = UserStore(path, codec=PassphraseCodec("올바른 암호"))
    store.table("cases").insert({"alias": "비밀"})
    store.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        UserStore(path)
    assert "암호" in err.value.message
    assert path.read_bytes() == before and not list(tmp_path.glob("*.broken-*"))


def test_temp_files_of_killed_writers_are_cleaned_up_on_open(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    dead = tmp_path / f".user.json.{proc.pid}.abcd1234.tmp"
    alive = tmp_path / f".user.json.{os.getppid()}.abcd1234.tmp"
    dead.write_bytes(b"half")
    alive.write_bytes(b"in progress")
    UserStore(tmp_path / "user.json")
    assert not dead.exists()
    assert alive.exists()  # a live writer's temp file is never touched
