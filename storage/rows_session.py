"""One table of the user file held in memory as plain rows, read once and written back once.

TinyDB rewrites (and our storage fsyncs) the whole file on every change; an import of n cases done
change by change would write n growing files. ``UserStore.rows_session(table)`` reads the table once
under the file lock, hands out a ``RowsSession`` of plain dicts keyed by each row's ``"id"``, and
writes the table back, whole, when the block ends without an error and something changed.
"""
from __future__ import annotations

from typing import Any


class RowsSession:
    """Rows of one table by their ``"id"`` text; valid only inside ``UserStore.rows_session``."""

    def __init__(self, docs: dict[str, Any]) -> None:
        self._docs = docs  # the file's layout: document number (text) -> row
        self._keys = {row["id"]: key for key, row in docs.items()
                      if isinstance(row, dict) and isinstance(row.get("id"), str)}
        self._next_key = max((int(key) for key in docs if key.isdigit()), default=0) + 1
        self.changed = False

    def all(self) -> list[dict[str, Any]]:
        """Every stored row, also those without a usable id (copies: changing them changes nothing)."""
        return [dict(row) if isinstance(row, dict) else row for row in self._docs.values()]

    def get(self, row_id: str) -> dict[str, Any] | None:
        key = self._keys.get(row_id)
        return dict(self._docs[key]) if key is not None else None

    def put(self, row: dict[str, Any]) -> None:
        """Store ``row`` under its ``"id"``: replaces the stored row with that id, else adds it."""
        key = self._keys.get(row["id"])
        if key is None:
            key = str(self._next_key)
            self._next_key += 1
            self._keys[row["id"]] = key
        self._docs[key] = row
        self.changed = True

    def remove(self, row_id: str) -> bool:
        key = self._keys.pop(row_id, None)
        if key is None:
            return False
        del self._docs[key]
        self.changed = True
        return True

    def documents(self) -> dict[str, Any]:
        """The table in the file's layout, to write back."""
        return self._docs
