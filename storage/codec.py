"""Byte codecs under the JSON storage: plain by default, encrypted when a passphrase is set."""
from __future__ import annotations

from typing import Protocol


class Codec(Protocol):
    def encode(self, data: bytes) -> bytes: ...

    def decode(self, data: bytes) -> bytes: ...


class PlainCodec:
    def encode(self, data: bytes) -> bytes:
        return data

    def decode(self, data: bytes) -> bytes:
        return data
