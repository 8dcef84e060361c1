"""The composition root and the user-file manager, on real files in a temporary data folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.wiring import AppServices
from core.errors import StoreError
from services.user_file import LOCKED_MESSAGE, UNLOCKED, UserFile
from storage.crypto_codec import KdfParams, enable_protection
from storage.user_store import UserStore

FAST = KdfParams(1, 1024, 1, 1)
PASSPHRASE = "충분히 긴 암호 문장"


def test_a_case_command_opens_no_precedent_cache(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    services = AppServices.open(folder, web_mode=False)
    services.cases.desktop().create("김OO 허리")
    assert {p.name for p in folder.iterdir() if not p.name.endswith((".lock", ".bak"))} == {"user.json"}
    assert services.precedents is not None and (folder / "cache").is_dir()  # opened on first use
    assert services.search is services.search  # once


def test_settings_follow_the_unlocked_store(tmp_path: Path) -> None:
    UserStore(tmp_path / "user.json").close()
    enable_protection(tmp_path / "user.json", PASSPHRASE, FAST)
    services = AppServices.open(tmp_path, web_mode=False)
    assert services.user_file.is_locked() and services.settings.user_store is None
    with pytest.raises(StoreError) as locked:
        services.cases.desktop()
    assert locked.value.message == LOCKED_MESSAGE
    assert services.user_file.unlock(PASSPHRASE) == UNLOCKED
    assert services.settings.user_store is services.user_store is not None
    services.settings.set("llm_url", "http://127.0.0.1:9/")
    assert b"127.0.0.1" not in (tmp_path / "user.json").read_bytes()  # written through the passphrase codec
    reopened = AppServices.open(tmp_path, web_mode=False, passphrase=PASSPHRASE)
    assert reopened.settings.get("llm_url") == "http://127.0.0.1:9/"


def test_a_data_command_leaves_a_missing_user_file_missing(tmp_path: Path) -> None:
    services = AppServices.open(tmp_path, web_mode=False, create_user_file=False)
    assert services.user_store is None and not (tmp_path / "user.json").exists()


def test_web_visitors_need_their_browser_blob(tmp_path: Path) -> None:
    services = AppServices.open(tmp_path, web_mode=True)
    with pytest.raises(StoreError):
        services.cases.for_visitor(None)

    class Box:
        text: str | None = None
        lock = None  # one writer: the repository's own lock will do

        def load(self) -> str | None:
            return self.text

        def save(self, text: str) -> None:
            self.text = text

    box = Box()
    services.cases.for_visitor(box).create("방문자 사건")
    assert "방문자 사건" in (box.text or "")
    assert services.cases.desktop().all() == []  # nothing reached the server's file


def test_a_wrong_passphrase_at_start_leaves_the_file_locked_and_says_why(tmp_path: Path) -> None:
    UserStore(tmp_path / "user.json").close()
    enable_protection(tmp_path / "user.json", PASSPHRASE, FAST)
    user_file = UserFile.open(tmp_path / "user.json", "틀린 암호입니다")
    assert user_file.is_locked()
    with pytest.raises(StoreError) as problem:
        user_file.require_store()
    assert problem.value.message != LOCKED_MESSAGE  # the codec's own Korean message about the passphrase
    user_file.unlock(PASSPHRASE)
    assert user_file.require_store() is user_file.store


def test_rows_session_writes_once_and_only_on_success(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "user.json")
    with store.rows_session("cases") as rows:
        rows.put({"id": "a", "alias": "첫"})
        rows.put({"id": "b", "alias": "둘"})
    with pytest.raises(RuntimeError), store.rows_session("cases") as rows:
        assert rows.remove("a")
        raise RuntimeError("stop")
    with store.rows_session("cases") as rows:
        assert sorted(r["id"] for r in rows.all()) == ["a", "b"]  # the failed block changed nothing
        assert rows.get("b") == {"id": "b", "alias": "둘"}
