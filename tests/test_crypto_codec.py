"""Passphrase protection of the user file: round trip, wrong passphrase, turning protection on and off."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import StoreError
from storage.atomic import backup_path
from storage.crypto_codec import (
    HEADER_SIZE,
    MAGIC,
    KdfParams,
    PassphraseCodec,
    change_passphrase,
    disable_protection,
    enable_protection,
    file_is_encrypted,
)
from storage.user_store import UserStore

# Small Argon2id settings keep the tests quick; the default codec uses 64 MiB.
FAST = KdfParams(1, 1024, 1, 1)
FAST_SCRYPT = KdfParams(2, 10, 8, 1)


@pytest.mark.parametrize("params", [FAST, FAST_SCRYPT], ids=["argon2id", "scrypt"])
def test_round_trip_and_header(params: KdfParams) -> None:
    codec = PassphraseCodec("올바른 암호", params)
    secret = "사건 내용: 허리 디스크".encode()
    sealed = codec.encode(secret)
    assert sealed.startswith(MAGIC)
    assert secret not in sealed
    assert len(sealed) == HEADER_SIZE + len(secret) + 16
    assert PassphraseCodec("올바른 암호").decode(sealed) == secret
    assert codec.encode(secret) != sealed  # a fresh nonce every write


def test_default_params_are_strong() -> None:
    sealed = PassphraseCodec("암호").encode(b"{}")
    assert sealed[len(MAGIC) + 1] in (1, 2)
    assert PassphraseCodec("암호").decode(sealed) == b"{}"


def test_wrong_passphrase_and_tampering_raise_korean_store_error() -> None:
    sealed = PassphraseCodec("맞는 암호", FAST).encode(b'{"a": 1}')
    with pytest.raises(StoreError) as excinfo:
        PassphraseCodec("틀린 암호").decode(sealed)
    assert excinfo.value.message.startswith("암호가 맞지 않습니다.")
    assert "틀린" not in excinfo.value.message and "맞는" not in excinfo.value.message
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(StoreError):
        PassphraseCodec("맞는 암호").decode(bytes(tampered))
    with pytest.raises(StoreError) as excinfo:
        PassphraseCodec("맞는 암호").decode(b'{"plain": true}')
    assert "암호로 보호되어 있지 않습니다" in excinfo.value.message
    with pytest.raises(StoreError):
        PassphraseCodec("")


def test_user_store_with_passphrase_and_wrong_passphrase_leaves_file_identical(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    store = UserStore(path, codec=PassphraseCodec("맞는 암호", FAST))
    store.table("cases").insert({"id": "1", "alias": "비밀 사건"})
    store.close()
    raw = path.read_bytes()
    assert file_is_encrypted(path) and "비밀 사건".encode() not in raw
    backup_before = backup_path(path).read_bytes() if backup_path(path).exists() else None

    with pytest.raises(StoreError) as excinfo:
        UserStore(path, codec=PassphraseCodec("틀린 암호", FAST))
    assert "암호가 맞지 않습니다" in excinfo.value.message
    assert path.read_bytes() == raw
    assert (backup_path(path).read_bytes() if backup_path(path).exists() else None) == backup_before
    assert sorted(p.name for p in tmp_path.iterdir() if "broken" in p.name) == []

    reopened = UserStore(path, codec=PassphraseCodec("맞는 암호", FAST))
    assert reopened.table("cases").all()[0]["alias"] == "비밀 사건"


def test_turn_protection_on_change_and_off(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    store = UserStore(path)
    store.table("cases").insert({"id": "1", "alias": "평문 사건"})
    store.table("cases").insert({"id": "2", "alias": "둘째 사건"})  # a second write leaves a .bak behind
    store.close()
    assert backup_path(path).exists()

    enable_protection(path, "첫 암호", FAST)
    for file in (path, backup_path(path)):
        assert file_is_encrypted(file)
        assert "평문 사건".encode() not in file.read_bytes()

    protected = path.read_bytes()
    with pytest.raises(StoreError):
        change_passphrase(path, "엉뚱한 암호", "새 암호", FAST)
    assert path.read_bytes() == protected
    with pytest.raises(StoreError):
        disable_protection(path, "엉뚱한 암호")
    assert path.read_bytes() == protected
    with pytest.raises(StoreError):
        enable_protection(path, "또 다른 암호", FAST)

    change_passphrase(path, "첫 암호", "새 암호", FAST)
    assert UserStore(path, codec=PassphraseCodec("새 암호")).table("cases").get(doc_id=1)["alias"] == "평문 사건"

    disable_protection(path, "새 암호")
    assert not file_is_encrypted(path)
    assert UserStore(path).table("cases").get(doc_id=2)["alias"] == "둘째 사건"


def test_a_damaged_header_asking_for_huge_key_costs_is_read_as_damage_not_computed() -> None:
    import struct

    from storage.crypto_codec import HEADER_SIZE, PassphraseCodec

    good = PassphraseCodec("긴 암호 문장", FAST).encode(b'{"a": {}}')
    header = bytearray(good[:HEADER_SIZE])
    struct.pack_into(">I", header, 8, 0xFFFFFFF0)  # Argon2 memory cost: terabytes
    with pytest.raises(ValueError):
        PassphraseCodec("긴 암호 문장", FAST).decode(bytes(header) + good[HEADER_SIZE:])
