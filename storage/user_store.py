"""The small user file: cases, settings and state, kept apart from the large precedent cache."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query
from tinydb.table import Table

from core.paths import data_dir
from storage.atomic import recovery_notices, remove_stale_temp_files
from storage.codec import Codec
from storage.crypto_codec import PassphraseCodec
from storage.rows_session import RowsSession
from storage.tinydb_safe import SafeTinyDB, check_tinydb_layout, open_db, transaction

SCHEMA_VERSION = 1
_META = "_meta"

# Migrations from version N to N+1, applied in order when an older file is opened.
MIGRATIONS: dict[int, Callable[[SafeTinyDB], None]] = {}


def check_user_file(data: dict[str, Any]) -> None:
    """ValueError for a user file this version can't use (read as damage: the backup is tried)."""
    check_tinydb_layout(data)
    meta = data.get(_META, {}).get("1")
    if meta is not None:
        version = meta.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise ValueError("schema_version is not a whole number")


class UserStore:
    def __init__(self, path: Path | None = None, codec: Codec | None = None, *, empty_on_damage: bool = True) -> None:
        """``empty_on_damage=False`` (the CLI): refuse with ``UnreadableFileError`` rather than start empty
        when the file and its backup are both unreadable; the app starts empty and shows the notice."""
        self.path = Path(path) if path else data_dir() / "user.json"
        self.codec = codec
        if self.path.parent.exists():
            remove_stale_temp_files(self.path.parent)
        self.db: SafeTinyDB = open_db(self.path, codec, empty_on_damage=empty_on_damage,
                                      check_shape=check_user_file)
        self._migrate()

    def table(self, name: str) -> Table:
        return self.db.table(name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with transaction(self.db):
            yield

    @contextmanager
    def rows_session(self, table: str) -> Iterator[RowsSession]:
        """Hold the file lock, read ``table`` once as plain rows, write it back once if it changed.

        Nothing is written when the block raises (a failed import changes nothing).
        """
        storage = self.db.storage
        with self.transaction():
            data = storage.read() or {}
            docs = data.get(table)
            if not isinstance(docs, dict):
                docs = {}  # check_user_file saw to the file's shape when it was opened
            session = RowsSession(docs)
            yield session
            if session.changed:
                data[table] = session.documents()
                storage.write(data)

    def is_protected(self) -> bool:
        """Whether this store reads and writes the file with a passphrase."""
        return isinstance(self.codec, PassphraseCodec)

    def _migrate(self) -> None:
        with self.transaction():
            meta = self.table(_META)
            row = meta.get(doc_id=1)
            version = int(row["schema_version"]) if row else 0  # an int: check_user_file saw to it
            if version == 0:
                meta.insert({"schema_version": SCHEMA_VERSION})
                return
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](self.db)
                version += 1
                meta.update({"schema_version": version}, doc_ids=[1])

    def get_setting(self, name: str, default: Any = None) -> Any:
        row = self.table("settings").get(Query().name == name)
        return row["value"] if row else default

    def set_setting(self, name: str, value: Any) -> None:
        self.table("settings").upsert({"name": name, "value": value}, Query().name == name)

    def delete_setting(self, name: str) -> None:
        self.table("settings").remove(Query().name == name)

    def recovery_notices(self) -> list[str]:
        return [n for n in recovery_notices() if self.path.name in n]

    def close(self) -> None:
        self.db.close()
