"""Cached AI summaries, keyed by (record, engine, model, prompt version): a summary is never made twice."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb import Query

from core.paths import data_dir
from storage.tinydb_safe import open_db


def _key(record_id: str, engine: str, model: str, prompt_version: str) -> str:
    return f"{record_id}|{engine}|{model}|{prompt_version}"


class SummaryCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else data_dir() / "summaries.json"
        self.db = open_db(self.path)
        self.table = self.db.table("summaries")

    def get(self, record_id: str, engine: str, model: str, prompt_version: str) -> dict[str, Any] | None:
        row = self.table.get(Query().key == _key(record_id, engine, model, prompt_version))
        return dict(row["summary"]) if row else None

    def put(self, record_id: str, engine: str, model: str, prompt_version: str, summary: dict[str, Any]) -> None:
        key = _key(record_id, engine, model, prompt_version)
        self.table.upsert({"key": key, "record_id": record_id, "engine": engine, "summary": summary},
                          Query().key == key)

    def latest(self, record_id: str) -> dict[str, Any] | None:
        """Any cached summary of a record (for list previews), newest write last."""
        rows = self.table.search(Query().record_id == record_id)
        return dict(rows[-1]["summary"]) if rows else None
