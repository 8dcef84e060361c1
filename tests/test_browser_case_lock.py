"""Cases kept in a browser, locked with a passphrase: the stored text holds no case data, each tab must
be given the passphrase, a wrong one changes nothing, and the lock can be lifted or the cases cleared."""
from __future__ import annotations

import json

import pytest

from core.errors import StoreError
from services.cases.blob_format import CasesLocked, blob_revision, is_locked
from services.cases.repository import JsonBlobCaseRepository
from storage.crypto_codec import KdfParams, PassphraseCodec
from storage.shared_blobs import SharedBlobs

FAST = KdfParams(1, 1024, 1, 1)  # Argon2id with 1 MiB: the scheme is the same, the test is quick


def codec(passphrase: str) -> PassphraseCodec:
    return PassphraseCodec(passphrase, FAST)


@pytest.fixture
def stored() -> dict[str, str | None]:
    return {"text": None}


def repo_on(stored: dict[str, str | None]) -> JsonBlobCaseRepository:
    return JsonBlobCaseRepository(lambda: stored["text"], lambda text: stored.update(text=text))


def test_locked_cases_leave_nothing_readable_in_the_browser(stored: dict[str, str | None]) -> None:
    repo = repo_on(stored)
    repo.create("김OO 허리", contact="010-1234-5678", notes="반장 박영수 진술 받기")
    assert repo.set_passphrase(codec("우리 사무실 암호")) == 1
    text = stored["text"] or ""
    assert is_locked(text) and blob_revision(text) == 2
    for secret in ("김OO", "010-1234-5678", "박영수", "cases"):
        assert secret not in text.replace('"format"', ""), secret
    assert [c.alias for c in repo.all()] == ["김OO 허리"]  # this tab still has the passphrase
    repo.create("새 사건")  # and keeps writing locked
    assert is_locked(stored["text"]) and "새 사건" not in (stored["text"] or "")


def test_another_tab_needs_the_passphrase_and_a_wrong_one_changes_nothing(stored: dict[str, str | None]) -> None:
    first = repo_on(stored)
    first.create("김OO 허리")
    first.set_passphrase(codec("우리 사무실 암호"))
    before = stored["text"]
    other = repo_on(stored)
    with pytest.raises(CasesLocked) as locked:
        other.all()
    assert "암호로 잠겨 있습니다" in locked.value.message
    with pytest.raises(StoreError) as wrong:
        other.open_with(codec("틀린 암호"))
    assert "암호가 맞지 않습니다" in wrong.value.message
    assert other.codec is None and stored["text"] == before
    assert other.open_with(codec("우리 사무실 암호")) == 1
    assert [c.alias for c in other.all()] == ["김OO 허리"]


def test_the_lock_can_be_lifted(stored: dict[str, str | None]) -> None:
    repo = repo_on(stored)
    repo.create("김OO 허리")
    repo.set_passphrase(codec("우리 사무실 암호"))
    repo.set_passphrase(None)
    assert not is_locked(stored["text"])
    assert json.loads(stored["text"] or "")["cases"][0]["alias"] == "김OO 허리"


def test_forgotten_passphrase_the_cases_can_still_be_cleared(stored: dict[str, str | None]) -> None:
    repo = repo_on(stored)
    repo.create("김OO 허리")
    repo.set_passphrase(codec("잊어버린 암호"))
    stranger = repo_on(stored)
    assert stranger.clear() == 0  # it could not count them, but they are gone
    assert not is_locked(stored["text"]) and repo_on(stored).all() == []


def test_tabs_sharing_a_locked_blob_order_their_writes() -> None:
    shared = SharedBlobs(blob_revision)
    blob = shared.join("browser", "A", None)

    def save(text: str) -> None:
        revision = blob_revision(text)
        blob.replace(text, revision, expected=revision - 1)

    tab_a = JsonBlobCaseRepository(lambda: blob.text, save, blob.lock)
    tab_b = JsonBlobCaseRepository(lambda: blob.text, save, blob.lock)
    tab_a.create("첫 사건")
    tab_a.set_passphrase(codec("암호 여섯자"))
    tab_b.open_with(codec("암호 여섯자"))
    tab_b.create("둘째 사건")
    assert sorted(c.alias for c in tab_a.all()) == ["둘째 사건", "첫 사건"]
