"""Faults under the storage layer: SIGKILL mid-save (encrypted case file, corpus import), a full disk
(a real 256 KB tmpfs, or an RLIMIT_FSIZE limit where mounting is not allowed) and damaged user files."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import StoreError
from services.cases.repository import UserFileCaseRepository
from services.sources.http import RetryPolicy
from services.sources.portal import PortalClient
from services.sync import sync
from storage.atomic import recovery_notices
from storage.crypto_codec import KDF_SCRYPT, KdfParams, PassphraseCodec
from storage.precedents import PrecedentStore
from storage.user_store import UserStore
from tests.conftest import REPO
from tests.fakes.faults import assert_korean_failure, fill_disk, small_tmpfs
from tests.fakes.portal import RAW_KEY, FakePortal, make_records, portal_id

FAST_KDF = KdfParams(KDF_SCRYPT, 10, 8, 1)  # the real format, cheap parameters for tests


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# -- SIGKILL ----------------------------------------------------------------------------------------
_CASE_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from services.cases.repository import UserFileCaseRepository
    from storage.crypto_codec import KdfParams, PassphraseCodec
    from storage.user_store import UserStore
    store = UserStore(Path({path!r}), codec=PassphraseCodec("비밀 문장 123", KdfParams(2, 10, 8, 1)))
    repo = UserFileCaseRepository(store)
    i = 0
    while True:
        case = repo.create("사건 {round_no}-" + str(i), situation="상하차 " * 300)
        repo.add_analysis(case.id, {{"engine": "offline", "n": i}})
        print(case.id, flush=True)   # acknowledged only after both saves returned
        i += 1
""")


@pytest.mark.slow
def test_sigkill_during_encrypted_case_saves_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    acked: set[str] = set()
    for round_no in range(4):
        code = _CASE_WRITER.format(repo=str(REPO), path=str(path), round_no=round_no)
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for n, line in enumerate(proc.stdout):
            acked.add(line.strip())
            if n >= 3 + round_no * 3:
                break
        time.sleep(0.004 * round_no)  # a different moment each round, often mid-write
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        acked |= {x for x in rest.split() if x}
        store = UserStore(path, codec=PassphraseCodec("비밀 문장 123", FAST_KDF))  # always opens
        cases = {c.id: c for c in UserFileCaseRepository(store).all()}
        store.close()
        assert acked <= set(cases), f"round {round_no}: lost {sorted(acked - set(cases))[:3]}"
        assert all(c.analyses for cid, c in cases.items() if cid in acked)
    assert path.read_bytes().startswith(b"SJGENC")
    assert len(temp_files(tmp_path)) <= 4  # a killed writer may leave its own temp file (one per kill)


_IMPORTER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from storage.precedents import PrecedentStore
    print("start", flush=True)
    PrecedentStore(Path({root!r})).import_corpus(Path({source!r}))
    print("done", flush=True)
""")


@pytest.mark.slow
def test_sigkill_during_corpus_import_leaves_a_store_that_opens_and_a_rerun_completes(tmp_path: Path) -> None:
    from services.sources.portal_parse import item_to_precedent

    source_store = PrecedentStore(tmp_path / "source")
    source_store.upsert_many(item_to_precedent(item, "2026-01-01T00:00:00+00:00") for item in make_records(800))
    corpus = tmp_path / "corpus.json.gz"
    assert source_store.export_corpus(corpus) == 800
    root = tmp_path / "cache"
    for round_no in range(3):
        code = _IMPORTER.format(repo=str(REPO), root=str(root), source=str(corpus))
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
        time.sleep(0.05 + 0.1 * round_no)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        store = PrecedentStore(root)
        ids = [r.id for r in store.iter_records() if not r.is_sample]
        assert len(ids) == len(set(ids)) and len(ids) <= 800  # a partial import, never a duplicate
    result = PrecedentStore(root).import_corpus(corpus)
    store = PrecedentStore(root)
    ids = [r.id for r in store.iter_records()]
    assert len(ids) == len(set(ids)) == 800 and result.updated == 0
    assert len(temp_files(root)) <= 3  # a killed writer may leave its own temp file (one per kill)


# -- a full disk ------------------------------------------------------------------------------------
@pytest.fixture
def full_disk_dir(tmp_path: Path):
    """A folder on a real 4 MB tmpfs; skipped (with the RLIMIT test still running) where mount is refused."""
    with small_tmpfs(tmp_path / "disk", "4m") as mounted:
        if mounted is None:
            pytest.skip("mounting a tmpfs is not permitted here; the RLIMIT_FSIZE test covers the full disk")
        yield mounted


def test_full_disk_during_case_save_keeps_the_old_file_and_leaves_no_temp_files(full_disk_dir: Path) -> None:
    store = UserStore(full_disk_dir / "user.json")
    repo = UserFileCaseRepository(store)
    first = repo.create("택배 상하차 허리", situation="처음 적은 상황")
    fill_disk(full_disk_dir, leave=8 * 1024)
    with pytest.raises(StoreError) as err:
        repo.update(first.id, situation="길게 고쳐 쓴 상황 " * 3000)
    assert_korean_failure(err.value)
    assert "저장 공간이 부족" in err.value.message and "그대로" in err.value.message
    assert not temp_files(full_disk_dir)
    store.close()
    (full_disk_dir / "filler.bin").unlink()
    reopened = UserFileCaseRepository(UserStore(full_disk_dir / "user.json"))
    assert reopened.get(first.id).situation == "처음 적은 상황"
    assert not [n for n in recovery_notices() if "user.json" in n]  # nothing was broken


def test_full_disk_during_sync_stops_in_korean_and_the_rerun_resumes(full_disk_dir: Path) -> None:
    records = make_records(450, seed=11)
    for item in records:
        item["noncontent"] = (item["noncontent"] or "주문 기각") + " 이유 " * 50
    store = PrecedentStore(full_disk_dir / "cache")
    with FakePortal(records) as fake:
        client = PortalClient(RAW_KEY, base_url=fake.base_url, retry=RetryPolicy(attempts=1))
        fill_disk(full_disk_dir, leave=300 * 1024)  # room for the first page only
        with pytest.raises(StoreError) as err:
            sync("portal", store, client=client)
        assert_korean_failure(err.value)
        assert "저장 공간이 부족" in err.value.message
        assert not temp_files(full_disk_dir)
        saved = PrecedentStore(full_disk_dir / "cache")
        partial = [r.id for r in saved.iter_records() if not r.is_sample]
        assert len(partial) == len(set(partial)) < 450
        (full_disk_dir / "filler.bin").unlink()
        report = sync("portal", PrecedentStore(full_disk_dir / "cache"), client=client)
        client.close()
    assert report.complete
    final = [r.id for r in PrecedentStore(full_disk_dir / "cache").iter_records()]
    assert sorted(final) == sorted(portal_id(item) for item in records)


_FSIZE_WRITER = textwrap.dedent("""
    import resource, signal, sys, json
    sys.path.insert(0, {repo!r})
    from pathlib import Path
    from core.errors import StoreError
    from services.cases.repository import UserFileCaseRepository
    from storage.user_store import UserStore
    repo = UserFileCaseRepository(UserStore(Path({path!r})))
    case = repo.create("야간 경비 뇌출혈", situation="처음 적은 상황")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG
    size = Path({path!r}).stat().st_size
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 2048, size + 2048))
    try:
        repo.update(case.id, situation="길게 " * 20000)
        print(json.dumps({{"ok": True}}))
    except StoreError as exc:
        print(json.dumps({{"ok": False, "message": exc.message, "id": case.id}}, ensure_ascii=False))
""")


def test_file_size_limit_during_save_gives_a_korean_message_and_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    done = subprocess.run([sys.executable, "-c", _FSIZE_WRITER.format(repo=str(REPO), path=str(path))],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["ok"] is False and "저장하지 못했습니다" in answer["message"] and "그대로" in answer["message"]
    assert not temp_files(tmp_path)
    repo = UserFileCaseRepository(UserStore(path))
    assert repo.get(answer["id"]).situation == "처음 적은 상황"


# -- damaged user files -----------------------------------------------------------------------------
FUZZ = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=24, **FUZZ)
@given(damage=st.sampled_from(["truncate", "random", "flip"]), data=st.data(), encrypted=st.booleans())
def test_a_damaged_user_file_is_restored_from_the_backup_with_a_notice(tmp_path_factory, damage, data,
                                                                        encrypted) -> None:
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "user.json"

    def open_store() -> UserStore:
        return UserStore(path, codec=PassphraseCodec("비밀 문장", FAST_KDF) if encrypted else None)

    store = open_store()
    repo = UserFileCaseRepository(store)
    first = repo.create("첫 사건")
    second = repo.create("둘째 사건")  # the backup now holds the file with the first case
    store.close()
    raw = path.read_bytes()
    if damage == "truncate":
        broken = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif damage == "random":
        broken = data.draw(st.binary(min_size=1, max_size=200))
    else:
        buf = bytearray(raw)
        spot = data.draw(st.integers(0, len(raw) - 1))
        buf[spot] ^= data.draw(st.integers(1, 255))
        broken = bytes(buf)
    path.write_bytes(broken)
    recovery_notices(clear=True)
    cases = {c.id for c in UserFileCaseRepository(open_store()).all()}
    if cases >= {first.id, second.id} or (not encrypted and _still_json(broken)):
        return  # the damage hit bytes that do not matter, or left valid JSON (no checksum in a plain file)
    assert first.id in cases  # restored from the backup
    notices = recovery_notices()
    assert any("user.json" in n and "백업" in n for n in notices), notices
    assert list(folder.glob("user.json.broken-*"))


def test_a_damaged_encrypted_file_is_restored_but_a_wrong_passphrase_is_still_refused(tmp_path: Path) -> None:
    from storage.crypto_codec import WRONG_PASSPHRASE

    path = tmp_path / "user.json"
    store = UserStore(path, codec=PassphraseCodec("맞는 암호", FAST_KDF))
    repo = UserFileCaseRepository(store)
    kept = repo.create("첫 사건")
    repo.create("둘째 사건")
    store.close()
    intact = path.read_bytes()
    with pytest.raises(StoreError) as err:  # the right file, the wrong passphrase: refused, nothing moved
        UserStore(path, codec=PassphraseCodec("틀린 암호", FAST_KDF))
    assert err.value.message == WRONG_PASSPHRASE and path.read_bytes() == intact
    damaged = bytearray(intact)
    damaged[-5] ^= 0x40  # one flipped bit in the ciphertext fails the GCM tag like a wrong passphrase would
    path.write_bytes(bytes(damaged))
    recovery_notices(clear=True)
    cases = UserFileCaseRepository(UserStore(path, codec=PassphraseCodec("맞는 암호", FAST_KDF))).all()
    assert kept.id in {c.id for c in cases}
    assert any("user.json" in n and "백업으로 복구" in n for n in recovery_notices())


def _still_json(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError):
        return False
