"""Download the precedent sources into the local ``PrecedentStore``, resumably and incrementally.

Resuming: records are upserted by id page by page, and the sync state (next page, the source's
total, times) is saved in the store right after each page. A run that is cancelled, killed or cut
off by the network starts again at the first page it had not finished; a page fetched twice is
upserted twice, which changes nothing.

Portal (data.go.kr), incremental strategy: the API has no date filter or sort order, only pages.
A first full pass walks every page. Once a pass is complete, a later run asks for page 1 again:
- if page 1 brings records we do not have, new records are listed first: walk forward and stop at
  the first page that brings nothing new;
- otherwise, if ``totalCount`` grew past the total of the completed pass, new records were added at
  the end: start at the page where record number ``old total + 1`` sits and walk to the last page;
- otherwise nothing is new and the run ends after that one request.

law.go.kr (``lawgokr``: 근로복지공단산재판례, ``iaciac``: 재심사위원회 재결): list pages are walked the
same way; for each page only the ids not yet in the store get their body fetched. After a complete
pass, a run walks from page 1 and stops at the first page whose ids are all known.

Quota and key errors stop the run with the client's Korean message (``SanjaeError``); the state
saved so far is kept, so the next run continues where this one stopped.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, overload

from core.errors import ConfigError
from core.progress import CancelToken, ProgressCallback, check, report
from core.records import Precedent, drop_bad_fields
from services.settings import Settings
from services.sources.errors import NotFoundError
from services.sources.lawgokr import LawGoKrClient
from services.sources.lawgokr_parse import MISSING_OC_MESSAGE, entry_id
from services.sources.portal import MISSING_KEY_MESSAGE, PortalClient

SOURCES = ("portal", "lawgokr", "iaciac")
PORTAL_ROWS = 100
LAWGOKR_DISPLAY = 100
BODY_BATCH = 20  # law.go.kr bodies are saved in small batches: one store write per batch
SourceClient = PortalClient | LawGoKrClient

SOURCE_NAMES = {"portal": "공공데이터포털 판례", "lawgokr": "국가법령정보센터 판례", "iaciac": "재심사위원회 재결"}


class _Store(Protocol):
    def upsert_many(self, records: Any) -> Any: ...
    def get_many(self, ids: Any) -> list[Precedent]: ...
    def ids(self) -> set[str]: ...
    def sync_state(self, source: str) -> dict[str, Any]: ...
    def save_sync_state(self, source: str, state: dict[str, Any]) -> None: ...


@dataclass
class SyncReport:
    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # ids the source listed but no longer serves
    pages: int = 0  # list pages requested in this run
    remote_total: int | None = None
    complete: bool = False  # a full pass over the source is done
    stopped_by_limit: bool = False
    dropped_fields: int = 0  # out-of-range years, court levels and dates left blank

    @property
    def fetched(self) -> int:
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        name = SOURCE_NAMES.get(self.source, self.source)
        text = f"{name}: 새로 {self.added:,}건, 바뀐 것 {self.updated:,}건을 저장했습니다."
        if self.stopped_by_limit:
            text += " 정한 개수까지만 받았습니다. 다시 실행하면 이어서 받습니다."
        elif self.complete:
            text += " 모두 받았습니다."
        if self.dropped_fields:
            text += f" 값이 맞지 않는 사건 연도·심급·선고일 {self.dropped_fields:,}개는 비워 두었습니다."
        return text


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _tally(report_: SyncReport, result: Any) -> None:
    report_.added += getattr(result, "added", 0)
    report_.updated += getattr(result, "updated", 0)
    report_.unchanged += getattr(result, "unchanged", 0)


def _checked(report_: SyncReport, records: list[Precedent]) -> list[Precedent]:
    """The records with out-of-range fields blanked (counted in the report), ready to store."""
    report_.dropped_fields += sum(drop_bad_fields(record) for record in records)
    return records


def _keep_fetch_times(store: _Store, records: list[Precedent], known: set[str]) -> list[Precedent]:
    """A record fetched again with the same content keeps its old ``fetched_at``, so the store sees it
    as unchanged and does not bump its version (which would trigger a search-index rebuild)."""
    again = [r.id for r in records if r.id in known]
    if not again:
        return records
    old = {r.id: r for r in store.get_many(again)}
    kept = []
    for record in records:
        previous = old.get(record.id)
        if previous is not None and dict(previous.to_dict(), fetched_at="") == dict(record.to_dict(), fetched_at=""):
            record = Precedent.from_dict(dict(record.to_dict(), fetched_at=previous.fetched_at))
        kept.append(record)
    return kept


@overload
def make_client(source: Literal["portal"], settings: Settings) -> PortalClient: ...
@overload
def make_client(source: Literal["lawgokr", "iaciac"], settings: Settings) -> LawGoKrClient: ...
@overload
def make_client(source: str, settings: Settings) -> SourceClient: ...


def make_client(source: str, settings: Settings) -> SourceClient:
    """The client for ``source`` configured from ``settings`` (env first, then keyring / user file).

    The caller owns the client: close it when done.
    """
    if source == "portal":
        key = settings.get("portal_key")
        if not key:
            raise ConfigError(MISSING_KEY_MESSAGE)
        return PortalClient(key, base_url=settings.get("portal_url"))
    if source in ("lawgokr", "iaciac"):
        oc = settings.get("lawgokr_oc")
        if not oc:
            raise ConfigError(MISSING_OC_MESSAGE)
        return LawGoKrClient(oc, base_url=settings.get("lawgokr_url"))
    raise ConfigError(f"알 수 없는 자료 출처입니다: {source}. portal, lawgokr, iaciac 중 하나를 골라 주세요.")


def sync(
    source: str,
    store: _Store,
    *,
    client: SourceClient,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> SyncReport:
    """Fetch what the store lacks from ``source`` (portal | lawgokr | iaciac) with ``client``
    (``make_client(source, settings)``; the caller closes it); see the module docstring."""
    if source not in SOURCES:
        raise ConfigError(f"알 수 없는 자료 출처입니다: {source}. portal, lawgokr, iaciac 중 하나를 골라 주세요.")
    if limit is not None and limit <= 0:
        raise ConfigError("받을 개수(--limit)는 1 이상이어야 합니다.")
    if source == "portal":
        return _PortalSync(store, client, limit, progress, cancel).run()
    return _LawGoKrSync(source, store, client, limit, progress, cancel).run()


class _PortalSync:
    def __init__(self, store: _Store, client: Any, limit: int | None,
                 progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
        self.store, self.client, self.limit = store, client, limit
        self.progress, self.cancel = progress, cancel
        self.report = SyncReport("portal")
        self.known = {i for i in store.ids() if i.startswith("portal:")}
        self.state = store.sync_state("portal")
        if self.state.get("num_of_rows", PORTAL_ROWS) != PORTAL_ROWS:
            self.state = {}  # page numbers from another page size mean nothing here: start over

    def _save(self, **changes: Any) -> None:
        self.state.update(changes, num_of_rows=PORTAL_ROWS)
        self.store.save_sync_state("portal", self.state)

    def _fetch(self, page_no: int) -> tuple[list[Precedent], Any]:
        check(self.cancel)
        records, page = self.client.precedents(page_no, PORTAL_ROWS, cancel=self.cancel)
        self.report.pages += 1
        if page.total_count is not None:
            self.report.remote_total = page.total_count
        return records, page

    def run(self) -> SyncReport:
        if self.state.get("complete") and not self._plan_update():
            self.report.complete = True
            self._save(last_sync=_now())
            return self.report
        self._walk(int(self.state.get("next_page") or 1))
        return self.report

    def _plan_update(self) -> bool:
        """After a complete pass: decide from page 1 whether and where new records are. True = walk."""
        records, page = self._fetch(1)
        total = page.total_count if page.total_count is not None else 0
        known_total = int(self.state.get("known_total") or 0)
        if any(r.id not in self.known for r in records):
            self._save(complete=False, next_page=1, stop_when_nothing_new=True, total_count=total)
            return True
        if total > known_total:
            start = known_total // PORTAL_ROWS + 1
            self._save(complete=False, next_page=start, stop_when_nothing_new=False, total_count=total)
            return True
        self._save(total_count=total)
        return False

    def _walk(self, page_no: int) -> None:
        stop_when_nothing_new = bool(self.state.get("stop_when_nothing_new"))
        while True:
            records, page = self._fetch(page_no)
            total = page.total_count if page.total_count is not None else self.state.get("total_count")
            if not records:
                self._finish_pass(total)
                return
            room = None if self.limit is None else self.limit - self.report.fetched
            taken = records if room is None else records[:room]
            brought_new = any(r.id not in self.known for r in taken)
            _tally(self.report, self.store.upsert_many(
                _keep_fetch_times(self.store, _checked(self.report, taken), self.known)))
            self.known.update(r.id for r in taken)
            whole_page = len(taken) == len(records)
            # A page only partly stored (because of --limit) is asked for again next time.
            self._save(next_page=page_no + 1 if whole_page else page_no, total_count=total, last_sync=_now())
            done = (page_no - 1) * PORTAL_ROWS + len(taken)
            report(self.progress, done, total, f"판례 {done:,}/{total:,}건" if total else f"판례 {done:,}건")
            if not whole_page or (self.limit is not None and self.report.fetched >= self.limit):
                self.report.stopped_by_limit = True
                return
            at_end = total is not None and page_no * PORTAL_ROWS >= total
            if at_end or (stop_when_nothing_new and not brought_new):
                self._finish_pass(total)
                return
            page_no += 1

    def _finish_pass(self, total: int | None) -> None:
        self.report.complete = True
        self._save(complete=True, next_page=1, stop_when_nothing_new=False, total_count=total,
                   known_total=total or len(self.known), pass_completed_at=_now(), last_sync=_now())


class _LawGoKrSync:
    def __init__(self, source: str, store: _Store, client: Any, limit: int | None,
                 progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
        self.source = source
        self.target = "prec" if source == "lawgokr" else "iaciac"
        self.store, self.client, self.limit = store, client, limit
        self.progress, self.cancel = progress, cancel
        self.report = SyncReport(source)
        self.known = {i for i in store.ids() if i.startswith(f"{source}:")}
        self.state = store.sync_state(source)

    def _save(self, **changes: Any) -> None:
        self.state.update(changes)
        self.store.save_sync_state(self.source, self.state)

    def run(self) -> SyncReport:
        update_run = bool(self.state.get("complete"))
        page_no = 1 if update_run else int(self.state.get("next_page") or 1)
        stop_when_nothing_new = update_run or bool(self.state.get("stop_when_nothing_new"))
        if update_run:
            self._save(complete=False, next_page=1, stop_when_nothing_new=True)
        while True:
            check(self.cancel)
            listing = self.client.list_page(self.target, page_no, LAWGOKR_DISPLAY, cancel=self.cancel)
            self.report.pages += 1
            total = listing.total if listing.total is not None else self.state.get("total_count")
            self.report.remote_total = total
            if not listing.entries:
                self._finish_pass(total)
                return self.report
            new_entries = []
            for entry in listing.entries:
                doc_id = entry_id(self.target, entry)
                if doc_id and f"{self.source}:{doc_id}" not in self.known:
                    new_entries.append((doc_id, entry))
            finished_page = self._fetch_bodies(new_entries, page_no, total)
            self._save(next_page=page_no + 1 if finished_page else page_no, total_count=total,
                       last_sync=_now())
            if not finished_page:
                self.report.stopped_by_limit = True
                return self.report
            at_end = total is not None and page_no * LAWGOKR_DISPLAY >= total
            if at_end or (stop_when_nothing_new and not new_entries):
                self._finish_pass(total)
                return self.report
            page_no += 1

    def _fetch_bodies(self, entries: list[tuple[str, dict[str, Any]]], page_no: int, total: int | None) -> bool:
        """Fetch and save the bodies of one list page. False when --limit stopped it part way."""
        batch: list[Precedent] = []
        base = (page_no - 1) * LAWGOKR_DISPLAY
        try:
            for index, (doc_id, entry) in enumerate(entries):
                if self.limit is not None and self.report.fetched + len(batch) >= self.limit:
                    return False
                check(self.cancel)
                try:
                    batch.append(self.client.record(self.target, doc_id, entry, cancel=self.cancel))
                except NotFoundError:
                    self.report.skipped += 1
                    continue
                if len(batch) >= BODY_BATCH:
                    self._store(batch)
                    batch = []
                done = base + index + 1
                label = SOURCE_NAMES[self.source]
                report(self.progress, done, total, f"{label} {done:,}/{total:,}건" if total else f"{label} {done:,}건")
        finally:
            # Whatever arrived before a stop (error, cancel) is kept.
            self._store(batch)
        return True

    def _store(self, batch: list[Precedent]) -> None:
        if batch:
            _tally(self.report, self.store.upsert_many(
                _keep_fetch_times(self.store, _checked(self.report, batch), self.known)))
            self.known.update(r.id for r in batch)

    def _finish_pass(self, total: int | None) -> None:
        self.report.complete = True
        self._save(complete=True, next_page=1, stop_when_nothing_new=False, total_count=total,
                   pass_completed_at=_now(), last_sync=_now())

