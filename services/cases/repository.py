"""Where cases are kept: the desktop user file or a JSON blob (e.g. browser storage).

Both implementations share every operation through ``_BaseCaseRepository``; they differ only in how a
"session" reads and writes case dicts while holding the right lock. Every read-modify-write runs in
one session, so two processes editing the same user file never overwrite each other's changes.
"""
from __future__ import annotations

import builtins
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from core.errors import SanjaeError
from core.records import Precedent
from services.cases.blob_format import blob_revision, is_locked, read_rows, write_rows
from services.cases.checklist import carry_over
from services.cases.edit_merge import MergedEdit, keep_replaced, merge_edit, merge_text
from services.cases.model import (
    APPEAL_DRAFTS_MAX,
    DRAFT_FACTS,
    Bookmark,
    Case,
    CaseDocument,
    CaseError,
    CaseNotFound,
    CaseValidationError,
    case_from_dict,
    check_entry_dates,
    checklist_item,
    now_iso,
)
from services.deadlines import STAGES, nearest_open_deadline
from storage.codec import Codec
from storage.rows_session import RowsSession
from storage.user_store import UserStore

TABLE = "cases"

# Fields a caller may change with ``update``; the rest is bookkeeping or has its own method.
EDITABLE = ("alias", "contact", "situation", "decided_on", "learned_on", "stage", "disease_committee", "notes",
            "analyses", "bookmarks", "documents", "checklist", "benefit", "denial_reason", "branch")


DAMAGED_LABEL = "손상된 사건"


@dataclass(frozen=True)
class DamagedCase:
    """A stored case that can't be read (hand-edited, or written by another version); it stays stored as is."""

    raw_id: str      # the stored id when it is usable text, else ""
    problem: str     # why it can't be read, in Korean

    @property
    def label(self) -> str:
        return f"{DAMAGED_LABEL} ({self.raw_id})" if self.raw_id else f"{DAMAGED_LABEL} (번호 없음)"


@dataclass(frozen=True)
class SavedEdit:
    """A saved edit: the case as stored now, and a one-line Korean notice when it had to be merged."""

    case: Case
    notice: str = ""


@dataclass
class CaseListing:
    """Every stored case: the readable ones and, apart, the ones that could not be read."""

    cases: list[Case] = field(default_factory=list)
    damaged: list[DamagedCase] = field(default_factory=list)


def read_row(row: Any) -> Case | DamagedCase:
    """A stored row as a ``Case``, or as a ``DamagedCase`` saying why it can't be read."""
    try:
        return case_from_dict(row)
    except CaseValidationError as exc:
        raw_id = row.get("id") if isinstance(row, dict) else None
        usable = isinstance(raw_id, str) and raw_id.strip() and len(raw_id) <= 100 and raw_id.isprintable()
        return DamagedCase(raw_id=raw_id.strip() if usable and isinstance(raw_id, str) else "",
                           problem=f"저장된 사건 자료를 읽을 수 없습니다: {exc.message}")


def split_rows(rows: Iterable[Any]) -> CaseListing:
    listing = CaseListing()
    for row in rows:
        item = read_row(row)
        if isinstance(item, Case):
            listing.cases.append(item)
        else:
            listing.damaged.append(item)
    return listing


class CaseRepository(Protocol):
    def create(self, alias: str, **fields: Any) -> Case: ...
    def get(self, case_id: str) -> Case: ...
    def list(self, search: str = "", stage: str | None = None, today: date | None = None) -> list[Case]: ...
    def all(self) -> builtins.list[Case]: ...  # ``list`` is the method above in this class
    def scan(self) -> CaseListing: ...
    def update(self, case_id: str, **changes: Any) -> Case: ...
    def delete(self, case_id: str) -> bool: ...
    def add_bookmark(self, case_id: str, precedent: Any, note: str = "") -> Case: ...
    def add_analysis(self, case_id: str, analysis: dict[str, Any],
                     checklist: Sequence[Any] = ()) -> Case: ...
    def add_document(self, case_id: str, text: str, summary: dict[str, Any] | None = None,
                     title: str = "") -> Case: ...
    def set_checklist(self, case_id: str, items: builtins.list[Any], base: Case | None = None) -> Case: ...
    def save_edit(self, case_id: str, base: Case | None, **changes: Any) -> SavedEdit: ...
    def save_appeal_draft(self, case_id: str, draft: dict[str, Any], base: Case | None = None) -> SavedEdit: ...
    def session(self) -> Any: ...


class Session(Protocol):
    """Case dicts by id, valid only inside the repository's ``session()`` block."""

    def all(self) -> list[dict[str, Any]]: ...
    def get(self, case_id: str) -> dict[str, Any] | None: ...
    def put(self, case: dict[str, Any]) -> None: ...
    def remove(self, case_id: str) -> bool: ...


def sort_by_deadline(cases: list[Case], today: date | None = None) -> list[Case]:
    """Nearest open deadline first; cases without one after, most recently edited first."""
    today = today or date.today()

    def key(case: Case) -> tuple[int, str, str]:
        try:
            upcoming = nearest_open_deadline(case.deadlines(today))
        except SanjaeError:  # an odd stored date must not break the whole list
            upcoming = None
        if upcoming is None:
            return (1, "", _descending(case.updated_at))
        return (0, upcoming.deadline.isoformat(), _descending(case.updated_at))

    return sorted(cases, key=key)


def _descending(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


def _matches(case: Case, words: list[str]) -> bool:
    haystack = " ".join((case.alias, case.situation, case.notes)).lower()
    return all(word in haystack for word in words)


def _bookmark_from(precedent: Any, note: str) -> Bookmark:
    """A ``Precedent``, a precedent dict, or a bookmark-shaped dict → ``Bookmark``."""
    if hasattr(precedent, "to_dict") and hasattr(precedent, "citation"):
        citation = precedent.citation() if callable(precedent.citation) else str(precedent.citation)
        return Bookmark(precedent_id=precedent.id, title=precedent.title, citation=citation, note=note,
                        source=precedent.source, outcome=precedent.outcome)
    if isinstance(precedent, dict):
        precedent_id = precedent.get("precedent_id") or precedent.get("id")
        if not precedent_id:
            raise CaseValidationError("북마크할 판례의 번호가 없습니다.")
        citation = str(precedent.get("citation") or "")
        if not citation and precedent.get("id") and precedent.get("source"):
            citation = Precedent.from_dict(precedent).citation()  # a full precedent record as a dict
        return Bookmark(precedent_id=str(precedent_id), title=str(precedent.get("title", "")),
                        citation=citation, note=note or str(precedent.get("note", "")),
                        source=str(precedent.get("source", "")), outcome=str(precedent.get("outcome") or ""))
    raise CaseValidationError("북마크할 판례 정보의 모양이 맞지 않습니다.")


class _BaseCaseRepository:
    @contextmanager
    def session(self) -> Iterator[Session]:  # pragma: no cover - overridden
        raise NotImplementedError
        yield

    # -- reading ------------------------------------------------------------------------
    def get(self, case_id: str) -> Case:
        with self.session() as session:
            data = session.get(case_id)
        if data is None:
            raise CaseNotFound(case_id)
        return case_from_dict(data)

    def scan(self) -> CaseListing:
        """Every stored case; one that can't be read is reported in ``damaged`` instead of hiding the rest."""
        with self.session() as session:
            rows = session.all()
        return split_rows(rows)

    def all(self) -> list[Case]:
        """The readable cases (``scan`` also names the damaged ones)."""
        return self.scan().cases

    def listing(self, search: str = "", stage: str | None = None, today: date | None = None) -> CaseListing:
        """Readable cases matching ``search``/``stage`` sorted by deadline, plus every damaged case."""
        if stage and stage not in STAGES:
            raise CaseValidationError(f"단계는 {', '.join(STAGES)} 중 하나여야 합니다.")
        words = [w for w in (search or "").lower().split() if w]
        found = self.scan()
        cases = [c for c in found.cases if (not stage or c.stage == stage) and _matches(c, words)]
        return CaseListing(sort_by_deadline(cases, today), found.damaged)

    def list(self, search: str = "", stage: str | None = None, today: date | None = None) -> list[Case]:
        return self.listing(search, stage, today).cases

    # -- writing ------------------------------------------------------------------------
    def create(self, alias: str, **fields: Any) -> Case:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise CaseValidationError(f"알 수 없는 사건 항목입니다: {', '.join(sorted(unknown))}")
        # The alias is checked by case_from_dict, before anything hashes it (a lone surrogate can't be hashed).
        draft = Case(alias="")
        case = case_from_dict({**draft.to_dict(), "alias": alias, **_plain(fields), "history": []})
        check_entry_dates(case)
        with self.session() as session:
            session.put(case.to_dict())
        return case

    def modify(self, case_id: str, change: Callable[[Case], None]) -> Case:
        """Read, change and save one case while holding the lock; returns the saved case."""
        with self.session() as session:
            data = session.get(case_id)
            if data is None:
                raise CaseNotFound(case_id)
            case = case_from_dict(data)
            change(case)
            # Re-validate what the change produced before it reaches the disk.
            case = case_from_dict({**case.to_dict(), "history": case.history})
            case.touch()
            session.put(case.to_dict())
        return case

    def update(self, case_id: str, **changes: Any) -> Case:
        return self.save_edit(case_id, None, **changes).case

    def save_edit(self, case_id: str, base: Case | None, **changes: Any) -> SavedEdit:
        """Save fields edited on ``base`` (the case as the page loaded it), as a compare-and-set on its
        revision: when the stored case has moved on since (another tab or window saved), the edit is
        merged field by field (``services.cases.edit_merge``) instead of overwriting, and ``notice``
        says so in one line. Without ``base`` the fields are simply set."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise CaseValidationError(f"바꿀 수 없는 사건 항목입니다: {', '.join(sorted(unknown))}")
        plain = _plain(changes)
        notice = [""]

        def apply(case: Case) -> None:
            values = plain
            if base is not None and (case.rev != base.rev or case.fingerprint() != base.fingerprint()):
                ours = case_from_dict({**base.to_dict(), **plain})
                merged = merge_edit(base, case, {name: getattr(ours, name) for name in changes})
                values = _plain(merged.changes)
                keep_replaced(case, merged.replaced)
                notice[0] = merged.notice()
            checked = case_from_dict({**case.to_dict(), **values})
            check_entry_dates(checked, tuple(name for name in values if name in ("decided_on", "learned_on")))
            for name in values:
                setattr(case, name, getattr(checked, name))

        return SavedEdit(self.modify(case_id, apply), notice[0])

    def delete(self, case_id: str) -> bool:
        with self.session() as session:
            return session.remove(case_id)

    def add_bookmark(self, case_id: str, precedent: Any, note: str = "") -> Case:
        bookmark = _bookmark_from(precedent, note)

        def apply(case: Case) -> None:
            for index, existing in enumerate(case.bookmarks):
                if existing.precedent_id == bookmark.precedent_id:
                    # Same precedent again: keep one bookmark, refresh its details, keep the older note if none given.
                    bookmark.note = bookmark.note or existing.note
                    bookmark.citation = bookmark.citation or existing.citation
                    bookmark.outcome = bookmark.outcome or existing.outcome
                    bookmark.added_at = existing.added_at
                    case.bookmarks[index] = bookmark
                    return
            case.bookmarks.append(bookmark)

        return self.modify(case_id, apply)

    def set_bookmark_note(self, case_id: str, precedent_id: str, note: str, base_note: str | None = None) -> SavedEdit:
        """A bookmark's 메모, typed over ``base_note``; if another tab changed it meanwhile both texts stay."""
        notice = [""]

        def apply(case: Case) -> None:
            for bookmark in case.bookmarks:
                if bookmark.precedent_id == precedent_id:
                    if base_note is not None and bookmark.note not in (base_note, note):
                        bookmark.note = merge_text(base_note, note, bookmark.note)
                        notice[0] = MergedEdit({}, merged_labels=["판례 메모는 둘 다 남김"]).notice()
                    else:
                        bookmark.note = note
                    return
            raise CaseValidationError("이 판례는 이미 사건에서 빠졌습니다. 사건 화면을 새로 불러와 주세요.")

        return SavedEdit(self.modify(case_id, apply), notice[0])

    def remove_bookmark(self, case_id: str, precedent_id: str) -> Case:
        return self.modify(case_id, lambda case: setattr(
            case, "bookmarks", [b for b in case.bookmarks if b.precedent_id != precedent_id]))

    def add_analysis(self, case_id: str, analysis: dict[str, Any], checklist: Sequence[Any] = ()) -> Case:
        """Save an analysis in the case; ``checklist`` (its evidence to collect) joins the case's 할 일
        without repeats, replacing generic items it makes specific (``services.cases.checklist``)."""
        if not isinstance(analysis, dict):
            raise CaseValidationError("저장할 분석 결과의 모양이 맞지 않습니다.")
        saved = json.loads(json.dumps(analysis, ensure_ascii=False, default=str))  # JSON-safe copy
        saved.setdefault("saved_at", now_iso())
        incoming = [checklist_item(item) for item in checklist]

        def apply(case: Case) -> None:
            case.analyses.append(saved)
            case.checklist = carry_over(case.checklist, incoming)

        return self.modify(case_id, apply)

    def add_document(self, case_id: str, text: str, summary: dict[str, Any] | None = None,
                     title: str = "") -> Case:
        if not isinstance(text, str) or not text.strip():
            raise CaseValidationError("붙여 넣은 문서 내용이 비어 있습니다.")
        document = CaseDocument(text=text, title=title, summary=dict(summary) if summary else None)
        return self.modify(case_id, lambda case: case.documents.append(document))

    def set_checklist(self, case_id: str, items: builtins.list[Any], base: Case | None = None) -> Case:
        """The whole 할 일 list; with ``base`` (the case the list was edited on) merged like ``save_edit``."""
        checklist = [checklist_item(item) for item in items]
        return self.save_edit(case_id, base, checklist=checklist).case

    def save_appeal_draft(self, case_id: str, draft: dict[str, Any], base: Case | None = None) -> SavedEdit:
        """Keep ``draft`` (a 심사청구서 draft as a dict) as the case's newest version: drafts are only ever added,
        so two tabs saving drafts both keep theirs. The facts the draft shares with the case (원처분기관, 급여,
        처분 이유; ``DRAFT_FACTS``) are written back where the draft changed them from ``base`` (the case as
        the page loaded it); a fact that another tab changed meanwhile gives way, kept in ``replaced``."""
        if not isinstance(draft, dict):
            raise CaseValidationError("저장할 심사청구서 초안의 모양이 맞지 않습니다.")
        saved = json.loads(json.dumps(draft, ensure_ascii=False, default=str))  # JSON-safe copy
        saved["saved_at"] = now_iso()
        fields = saved.get("fields") if isinstance(saved.get("fields"), dict) else {}
        typed = {name: str(fields.get(name) or "").strip() for name in DRAFT_FACTS}
        notice = [""]

        def apply(case: Case) -> None:
            case.appeal_drafts = (case.appeal_drafts + [saved])[-APPEAL_DRAFTS_MAX:]
            changes: dict[str, Any] = {}
            for name, value in typed.items():
                was = getattr(base if base is not None else case, name)
                if value and value != was:
                    changes[name] = value
            if base is not None and changes:
                merged = merge_edit(base, case, changes)
                keep_replaced(case, merged.replaced)
                notice[0] = merged.notice()
                changes = merged.changes
            checked = case_from_dict({**case.to_dict(), **changes})
            for name in changes:
                setattr(case, name, getattr(checked, name))

        return SavedEdit(self.modify(case_id, apply), notice[0])


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """Dataclass values (bookmarks, checklist items, dates) → the dict form ``case_from_dict`` reads."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif value is None and name in ("decided_on", "learned_on", "contact", "situation", "notes", "benefit",
                                        "denial_reason", "branch"):
            value = ""
        elif isinstance(value, list):
            value = [item.__dict__.copy() if hasattr(item, "__dataclass_fields__") else item for item in value]
        out[name] = value
    return out


# ------------------------------------------------------------------------------ the user file


class UserFileCaseRepository(_BaseCaseRepository):
    """Cases in the ``cases`` table of the user file (``storage.user_store.UserStore``)."""

    def __init__(self, store: UserStore) -> None:
        self.store = store

    @contextmanager
    def session(self) -> Iterator[RowsSession]:
        with self.store.rows_session(TABLE) as rows:
            yield rows




# ------------------------------------------------------------------------------ JSON blob


class _BlobSession:
    def __init__(self, cases: dict[str, dict[str, Any]], unkeyed: list[Any]) -> None:
        self.cases = cases
        self.unkeyed = unkeyed  # damaged rows without an id: kept and written back, never dropped
        self.changed = False

    def all(self) -> list[dict[str, Any]]:
        return [json.loads(json.dumps(c)) for c in [*self.cases.values(), *self.unkeyed]]

    def rows(self) -> list[Any]:
        return [*self.cases.values(), *self.unkeyed]

    def get(self, case_id: str) -> dict[str, Any] | None:
        found = self.cases.get(case_id)
        return json.loads(json.dumps(found)) if found is not None else None

    def put(self, case: dict[str, Any]) -> None:
        self.cases[case["id"]] = json.loads(json.dumps(case))
        self.changed = True

    def remove(self, case_id: str) -> bool:
        if self.cases.pop(case_id, None) is None:
            return False
        self.changed = True
        return True


class JsonBlobCaseRepository(_BaseCaseRepository):
    """Cases kept as one JSON string somewhere else (e.g. a browser's local storage).

    ``load()`` returns the stored string (or None when nothing is stored yet); ``save(text)`` stores it.
    Each write carries the next ``revision``, so a store shared by several writers can refuse a write
    made from an older read (``storage.shared_blobs``). ``lock`` is held for every read-modify-write:
    pass the one lock all writers of that store share. With ``codec`` (a passphrase) the cases are
    stored locked (``services.cases.blob_format``).
    """

    def __init__(self, load: Callable[[], str | None], save: Callable[[str], None],
                 lock: threading.RLock | None = None, codec: Codec | None = None) -> None:
        self._load = load
        self._save = save
        self._lock = lock or threading.RLock()
        self.codec = codec

    def _read(self, text: str | None) -> tuple[dict[str, dict[str, Any]], list[Any]]:
        keyed: dict[str, dict[str, Any]] = {}
        unkeyed: list[Any] = []
        for row in read_rows(text, self.codec):
            if isinstance(row, dict) and isinstance(row.get("id"), str) and row["id"] not in keyed:
                keyed[row["id"]] = row
            else:
                unkeyed.append(row)
        return keyed, unkeyed

    @contextmanager
    def session(self) -> Iterator[_BlobSession]:
        with self._lock:
            text = self._load()
            session = _BlobSession(*self._read(text))
            yield session
            if session.changed:
                self._save(write_rows(session.rows(), blob_revision(text) + 1, self.codec))

    def clear(self) -> int:
        """Forget every case kept in this blob, damaged or locked ones too; returns how many there were."""
        with self._lock:
            text = self._load()
            try:
                count = len(read_rows(text, self.codec))
            except CaseError:
                count = 0  # locked with a passphrase this tab doesn't know, or damaged: still cleared
            self._save(write_rows([], blob_revision(text) + 1, None))
            self.codec = None
        return count

    def is_locked(self) -> bool:
        """Whether the stored cases are locked with a passphrase."""
        return is_locked(self._load())

    def set_passphrase(self, codec: Codec | None) -> int:
        """Lock the stored cases with ``codec`` (None: store them in the clear again); returns how many.

        The cases must be readable first (the current passphrase given), so nothing is locked twice over.
        """
        with self._lock:
            text = self._load()
            rows = read_rows(text, self.codec)
            self._save(write_rows(rows, blob_revision(text) + 1, codec))
            self.codec = codec
        return len(rows)

    def open_with(self, codec: Codec) -> int:
        """Give this repository the passphrase of locked cases; ``StoreError`` (Korean) when it is wrong."""
        with self._lock:
            rows = read_rows(self._load(), codec)
            self.codec = codec
        return len(rows)
