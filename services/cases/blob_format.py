"""The text a web visitor's browser keeps for his cases: JSON, in the clear or locked with a passphrase.

    {"format": "sanjae-gemma-case-blob", "version": 1, "revision": 7, "cases": [...]}
    {"format": "sanjae-gemma-case-blob", "version": 1, "revision": 8, "locked": true, "data": "<base64>"}

A locked blob holds the cases encrypted by the server with the scheme of the desktop user file
(``storage.crypto_codec``: AES-256-GCM, key from Argon2id); the browser only ever stores ciphertext
and the passphrase lives in the visitor's session. The revision stays outside, so tabs can order
writes without the passphrase.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from services.cases.model import CaseError
from storage.codec import Codec

BLOB_FORMAT = "sanjae-gemma-case-blob"
UNREADABLE = ("브라우저에 저장된 사건 자료를 읽을 수 없습니다. "
              "내보내 둔 파일이 있다면 가져오기로 되살려 주세요.")
MISSHAPEN = ("브라우저에 저장된 사건 자료의 모양이 맞지 않습니다. "
             "내보내 둔 파일이 있다면 가져오기로 되살려 주세요.")
LOCKED = ("이 브라우저의 사건은 암호로 잠겨 있습니다. 사건 화면에서 암호를 넣어 연 뒤 다시 시도해 주세요.")


class CasesLocked(CaseError):
    """The browser's cases are locked and this tab has not been given the passphrase."""

    def __init__(self) -> None:
        super().__init__(LOCKED)


def _parse(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        raise CaseError(UNREADABLE) from None
    if not isinstance(data, dict):
        raise CaseError(MISSHAPEN)
    return data


def blob_revision(text: str | None) -> int:
    """The revision a stored blob carries (0 for none, or one written before revisions were kept)."""
    try:
        data = _parse(text)
    except CaseError:
        return 0
    revision = data.get("revision") if data else None
    return revision if isinstance(revision, int) and not isinstance(revision, bool) and revision > 0 else 0


def is_locked(text: str | None) -> bool:
    try:
        data = _parse(text)
    except CaseError:
        return False
    return bool(data and data.get("locked") is True)


def read_rows(text: str | None, codec: Codec | None) -> list[Any]:
    """The stored case rows; ``CasesLocked`` for a locked blob without ``codec``, ``StoreError`` for a
    wrong passphrase, ``CaseError`` (Korean) for a damaged blob."""
    data = _parse(text)
    if data is None:
        return []
    if data.get("locked") is True:
        if codec is None:
            raise CasesLocked()
        try:
            sealed = base64.b64decode(str(data.get("data", "")), validate=True)
            data = json.loads(codec.decode(sealed).decode("utf-8"))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise CaseError(UNREADABLE) from None
        if not isinstance(data, dict):
            raise CaseError(MISSHAPEN)
    rows = data.get("cases")
    if not isinstance(rows, list):
        raise CaseError(MISSHAPEN)
    return rows


def write_rows(rows: list[Any], revision: int, codec: Codec | None) -> str:
    """The blob text for ``rows`` at ``revision``, locked with ``codec`` when one is given."""
    head: dict[str, Any] = {"format": BLOB_FORMAT, "version": 1, "revision": revision}
    if codec is None:
        return json.dumps({**head, "cases": rows}, ensure_ascii=False)
    plain = json.dumps({"cases": rows}, ensure_ascii=False).encode("utf-8")
    return json.dumps({**head, "locked": True, "data": base64.b64encode(codec.encode(plain)).decode("ascii")})
