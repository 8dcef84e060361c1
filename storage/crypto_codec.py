"""Passphrase protection for the user file: AES-256-GCM with a key derived by Argon2id (or scrypt).

File layout (all integers big-endian), the whole header is authenticated as associated data:

    magic "SJGENC" | version u8 | kdf u8 (1 = Argon2id, 2 = scrypt) | p1 u32 | p2 u32 | p3 u32
    | salt (16 bytes) | nonce (12 bytes) | ciphertext + 16-byte tag

Argon2id: p1 = memory in KiB, p2 = iterations, p3 = lanes. scrypt: p1 = log2(n), p2 = r, p3 = p.
A wrong passphrase (or a tampered file) fails the GCM tag check and raises ``StoreError``; nothing is
written. The derived key is cached per salt, so only the first read of a session pays for the KDF.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.errors import StoreError
from storage.atomic import backup_path, broken_copies, remove_stale_temp_files, write_bytes_atomic
from storage.codec import Codec, PlainCodec
from storage.locks import PathLock

MAGIC = b"SJGENC"
VERSION = 1
KDF_ARGON2ID = 1
KDF_SCRYPT = 2
_HEADER = struct.Struct(">6sBBIII16s12s")
HEADER_SIZE = _HEADER.size

WRONG_PASSPHRASE = ("암호가 맞지 않습니다. 대소문자와 띄어쓰기를 확인하고 다시 입력해 주세요. "
                    "파일은 바뀌지 않았습니다.")


@dataclass(frozen=True)
class KdfParams:
    kdf: int = KDF_ARGON2ID
    p1: int = 64 * 1024  # Argon2id: 64 MiB
    p2: int = 3
    p3: int = 4


SCRYPT_DEFAULT = KdfParams(KDF_SCRYPT, 15, 8, 1)

# Costs a header may ask for. A damaged header could otherwise ask for gigabytes of memory or hours
# of work before the tag check could fail; anything outside these ranges is read as damage.
_BOUNDS = {
    KDF_ARGON2ID: ((8, 1 << 20), (1, 16), (1, 16)),   # memory KiB (up to 1 GiB), iterations, lanes
    KDF_SCRYPT: ((10, 20), (1, 16), (1, 4)),            # log2 n, r, p
}


def params_in_bounds(params: KdfParams) -> bool:
    bounds = _BOUNDS.get(params.kdf)
    if bounds is None:
        return True  # an unknown method: derive_key says so in Korean
    return all(lo <= value <= hi for value, (lo, hi) in zip((params.p1, params.p2, params.p3), bounds, strict=True))


def _argon2_available() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"x")
        return True
    except (ImportError, UnsupportedAlgorithm):
        return False


def default_params() -> KdfParams:
    return KdfParams() if _argon2_available() else SCRYPT_DEFAULT


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    secret = passphrase.encode("utf-8")
    if params.kdf == KDF_ARGON2ID:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(salt=salt, length=32, iterations=params.p2, lanes=params.p3,
                        memory_cost=params.p1).derive(secret)
    if params.kdf == KDF_SCRYPT:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=2 ** params.p1, r=params.p2, p=params.p3).derive(secret)
    raise StoreError("이 프로그램이 모르는 방식으로 암호화된 파일입니다. 프로그램을 최신 버전으로 바꿔 주세요.")


def is_encrypted(data: bytes) -> bool:
    """True when ``data`` starts with this codec's header."""
    return data[: len(MAGIC)] == MAGIC


def file_is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return is_encrypted(fh.read(len(MAGIC)))
    except FileNotFoundError:
        return False


class PassphraseCodec:
    """``Codec`` that encrypts the whole file with a passphrase."""

    def __init__(self, passphrase: str, params: KdfParams | None = None) -> None:
        if not passphrase:
            raise StoreError("암호가 비어 있습니다. 한 글자 이상 입력해 주세요.")
        self._passphrase = passphrase
        self._params = params or default_params()
        self._keys: dict[tuple[bytes, KdfParams], bytes] = {}
        self._write_salt: bytes | None = None

    def __repr__(self) -> str:  # never show the passphrase
        return "PassphraseCodec(***)"

    def _key(self, salt: bytes, params: KdfParams) -> bytes:
        cache_key = (salt, params)
        if cache_key not in self._keys:
            self._keys[cache_key] = derive_key(self._passphrase, salt, params)
        return self._keys[cache_key]

    def encode(self, data: bytes) -> bytes:
        # One salt per codec instance (so the KDF runs once); a fresh random nonce for every write.
        if self._write_salt is None:
            self._write_salt = os.urandom(16)
        params = self._params
        nonce = os.urandom(12)
        header = _HEADER.pack(MAGIC, VERSION, params.kdf, params.p1, params.p2, params.p3, self._write_salt, nonce)
        return header + AESGCM(self._key(self._write_salt, params)).encrypt(nonce, data, header)

    def decode(self, data: bytes) -> bytes:
        if not is_encrypted(data):
            if data.lstrip()[:1] in (b"{", b"["):
                raise StoreError("이 파일은 암호로 보호되어 있지 않습니다. 암호 없이 열어 주세요.")
            raise ValueError("not an encrypted user file")  # damaged: let the storage recover from backup
        if len(data) < HEADER_SIZE + 16:
            raise ValueError("encrypted file is truncated")
        _magic, version, kdf, p1, p2, p3, salt, nonce = _HEADER.unpack(data[:HEADER_SIZE])
        if version != VERSION:
            raise StoreError("더 새로운 버전의 프로그램으로 암호화된 파일입니다. 프로그램을 최신 버전으로 바꿔 주세요.")
        params = KdfParams(kdf, p1, p2, p3)
        if not params_in_bounds(params):
            raise ValueError("encrypted file header is damaged")  # the storage recovers from the backup
        try:
            plain = AESGCM(self._key(salt, params)).decrypt(nonce, data[HEADER_SIZE:], data[:HEADER_SIZE])
        except InvalidTag:
            raise StoreError(WRONG_PASSPHRASE) from None
        # Keep writing with the file's salt and settings so later reads hit the cached key.
        if self._write_salt is None:
            self._write_salt, self._params = salt, params
        return plain


def _recode_file(path: Path, old: Codec, new: Codec) -> list[Path]:
    """Re-encode ``path``, its ``.bak`` and the damaged copies recovery set aside, from ``old`` to ``new``.

    Each file is replaced atomically while the file lock is held. The main file and backup are decoded
    first, so a wrong passphrase raises before any byte on disk changes. A damaged copy holds the same
    names and phone numbers as the file, so protection covers it too, byte for byte (nothing in it is
    lost); one already in the new form, or encrypted but unreadable, is left as it is.
    Returns the damaged copies that were re-encoded.
    """
    path = Path(path)
    with PathLock(path):
        remove_stale_temp_files(path.parent)  # a killed writer's temp file is a plain copy too
        if not path.exists():
            raise StoreError("바꿀 사용자 파일이 아직 없습니다. 사건을 하나 저장한 뒤 다시 시도해 주세요.")
        plain = old.decode(path.read_bytes())
        bak = backup_path(path)
        bak_plain: bytes | None = None
        if bak.exists():
            try:
                bak_plain = old.decode(bak.read_bytes())
            except (StoreError, ValueError):
                bak_plain = None  # an unreadable backup is dropped rather than left in the old form
        write_bytes_atomic(path, new.encode(plain))
        if bak_plain is not None:
            write_bytes_atomic(bak, new.encode(bak_plain))
        elif bak.exists():
            bak.unlink()
        covered = []
        for copy in broken_copies(path):
            raw = copy.read_bytes()
            if not is_encrypted(raw):
                if isinstance(new, PlainCodec):
                    continue  # plain already
                plain_copy = raw  # protect it byte for byte, whatever damage it holds
            elif isinstance(old, PlainCodec):
                continue  # protected already
            else:
                try:
                    plain_copy = old.decode(raw)
                except (StoreError, ValueError):
                    continue  # damaged ciphertext: it stays encrypted
            write_bytes_atomic(copy, new.encode(plain_copy))
            covered.append(copy)
        return covered


def enable_protection(path: Path, passphrase: str, params: KdfParams | None = None) -> list[Path]:
    """Encrypt an existing plain user file, its backup and its damaged copies (returned, to tell the user).

    Reopen any ``UserStore`` on it afterwards with the new codec.
    """
    if file_is_encrypted(path):
        raise StoreError("이미 암호로 보호된 파일입니다. 암호를 바꾸려면 '암호 변경'을 사용해 주세요.")
    return _recode_file(path, PlainCodec(), PassphraseCodec(passphrase, params))


def disable_protection(path: Path, passphrase: str) -> list[Path]:
    """Decrypt an encrypted user file back to plain JSON (the passphrase must be right)."""
    if not file_is_encrypted(path):
        raise StoreError("이 파일은 암호로 보호되어 있지 않습니다.")
    return _recode_file(path, PassphraseCodec(passphrase), PlainCodec())


def change_passphrase(path: Path, old_passphrase: str, new_passphrase: str,
                      params: KdfParams | None = None) -> list[Path]:
    if not file_is_encrypted(path):
        raise StoreError("이 파일은 암호로 보호되어 있지 않습니다. 먼저 암호 보호를 켜 주세요.")
    return _recode_file(path, PassphraseCodec(old_passphrase), PassphraseCodec(new_passphrase, params))


def copies_text(copies: list[Path], protected: bool) -> str:
    """One Korean sentence naming the damaged copies that were re-encoded, or ''."""
    if not copies:
        return ""
    names = ", ".join(f"'{copy.name}'" for copy in copies)
    what = "암호로 보호했습니다" if protected else "암호를 풀었습니다"
    return (f"복구 때 따로 옮겨 둔 손상된 사본 {len(copies)}개({names})도 {what}. "
            "필요 없다면 직접 지워도 됩니다.")
