"""Bring cases from another copy (an export file, a backup, another device) into a repository.

Rules, per incoming case, decided with the content fingerprints in ``Case.history``:
- no local case with that id → add it;
- same content → skip;
- the incoming copy was edited from exactly what we have (our fingerprint is in its history) → replace;
- ours was edited from exactly what comes in (its fingerprint is in our history) → keep ours;
- both were edited → keep ours and add the incoming one as a copy with a new id and the alias suffix
  " (가져온 사본)"; importing the same file again finds that copy and adds nothing.
Nothing is ever deleted, and the whole import happens in one locked session: the cases are merged in
memory and the repository writes its file (or blob) once, at the end.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.progress import CancelToken, ProgressCallback, check, report
from services.cases.model import ALIAS_MAX, HISTORY_MAX, Case, case_from_dict, new_id, now_iso
from services.cases.repository import read_row

COPY_SUFFIX = " (가져온 사본)"


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)      # ids
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)     # ids of the copies made for conflicts

    def to_dict(self) -> dict[str, Any]:
        return {"added": len(self.added), "replaced": len(self.replaced), "skipped": len(self.skipped),
                "conflict_copies": len(self.copies), "copy_ids": list(self.copies)}

    def summary(self) -> str:
        parts = [f"새로 추가 {len(self.added)}건", f"최신 내용으로 바꿈 {len(self.replaced)}건",
                 f"이미 있어 건너뜀 {len(self.skipped)}건"]
        if self.copies:
            parts.append(f"양쪽에서 고친 사건 {len(self.copies)}건은 사본으로 따로 추가")
        return ", ".join(parts) + "."


def _conflict_copy(incoming: Case) -> Case:
    alias = incoming.alias
    if len(alias) + len(COPY_SUFFIX) > ALIAS_MAX:
        alias = alias[: ALIAS_MAX - len(COPY_SUFFIX)]
    data = incoming.to_dict()
    data.update(id=new_id(), alias=alias + COPY_SUFFIX, copied_from=incoming.id, updated_at=now_iso())
    copy = case_from_dict(data)  # its history: the incoming lineage plus the copy's own fingerprint
    return copy


def merge_into(repository: Any, incoming: Iterable[Case], *, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> MergeReport:
    """Merge ``incoming`` cases into ``repository`` (any ``CaseRepository``) following the module rules."""
    items = list(incoming)
    result = MergeReport()
    with repository.session() as session:
        copies = _copies_by_origin(session.all())
        for done, case in enumerate(items):
            check(cancel)
            _merge_one(session, case, result, copies)
            report(progress, done + 1, len(items), "사건 가져오는 중")
    return result


def _copies_by_origin(rows: list[Any]) -> dict[str, list[set[str]]]:
    """Conflict copies already stored: original id -> the history of each copy (looked up per conflict)."""
    found: dict[str, list[set[str]]] = {}
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("copied_from"), str) and row["copied_from"]:
            history = row.get("history")
            prints = {h for h in history if isinstance(h, str)} if isinstance(history, list) else set()
            found.setdefault(row["copied_from"], []).append(prints)
    return found


def _merge_one(session: Any, incoming: Case, result: MergeReport, copies: dict[str, list[set[str]]]) -> None:
    stored = session.get(incoming.id)
    if stored is None:
        session.put(incoming.to_dict())
        result.added.append(incoming.id)
        return
    local = read_row(stored)
    incoming_print = incoming.fingerprint()
    if not isinstance(local, Case):
        pass  # ours can't be read: keep it untouched and add the incoming one as a copy below
    elif local.fingerprint() == incoming_print or incoming_print in local.history:
        result.skipped.append(incoming.id)
        return
    elif local.fingerprint() in incoming.history:
        replacement = case_from_dict(incoming.to_dict())
        replacement.rev = max(replacement.rev, local.rev + 1)
        replacement.history = _joined_history(local.history, replacement.history)
        session.put(replacement.to_dict())
        result.replaced.append(incoming.id)
        return
    # Both sides changed. A copy from an earlier import of this very version may already exist.
    if any(incoming_print in history for history in copies.get(incoming.id, [])):
        result.skipped.append(incoming.id)
        return
    copy = _conflict_copy(incoming)
    session.put(copy.to_dict())
    copies.setdefault(incoming.id, []).append(set(copy.history))
    result.copies.append(copy.id)


def _joined_history(older: list[str], newer: list[str]) -> list[str]:
    seen = set(newer)
    return ([h for h in older if h not in seen] + newer)[-HISTORY_MAX:]
