"""TinyDB wired to ``AtomicJSONStorage`` so that every read-modify-write holds the file lock.

TinyDB's Table reads, changes and writes the whole file; between those steps another process may
write. ``LockedTable`` holds the storage lock across each operation, forgets its cached next id
(another process may have inserted) and disables the query cache (it can't see other processes).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from storage.atomic import AtomicJSONStorage
from storage.codec import Codec


def _atomic(storage: Storage) -> AtomicJSONStorage:
    """The storage of a database opened with ``open_db``."""
    if not isinstance(storage, AtomicJSONStorage):
        raise TypeError(f"expected an AtomicJSONStorage, not {type(storage).__name__}")
    return storage


class LockedTable(Table):
    def __init__(self, storage: Storage, name: str, cache_size: int = 0, persist_empty: bool = False) -> None:
        super().__init__(storage, name, cache_size=0, persist_empty=persist_empty)
        self._lock = _atomic(storage).lock

    def _update_table(self, updater: Any) -> None:
        with self._lock:
            self._next_id = None
            super()._update_table(updater)

    def insert(self, document: Any) -> int:
        with self._lock:
            self._next_id = None
            return super().insert(document)

    def insert_multiple(self, documents: Any) -> list[int]:
        with self._lock:
            self._next_id = None
            return super().insert_multiple(documents)

    def upsert(self, document: Any, cond: Any = None) -> list[int]:
        with self._lock:
            self._next_id = None
            return super().upsert(document, cond)


class SafeTinyDB(TinyDB):
    table_class = LockedTable


def open_db(path: Path, codec: Codec | None = None, **options: Any) -> SafeTinyDB:
    """``options`` go to ``AtomicJSONStorage`` (``empty_on_damage``, ``check_shape``)."""
    return SafeTinyDB(str(path), storage=AtomicJSONStorage, codec=codec, **options)


def check_tinydb_layout(data: dict[str, Any]) -> None:
    """ValueError unless ``data`` is laid out as TinyDB expects: tables of documents keyed by number."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not an object")
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise ValueError(f"table {name!r} has a malformed document")


@contextmanager
def transaction(db: TinyDB) -> Iterator[None]:
    """Hold the file lock across several operations (e.g. get, change, update)."""
    with _atomic(db.storage).lock:
        yield
