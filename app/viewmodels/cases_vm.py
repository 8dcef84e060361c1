"""The case screens' viewmodel: which repository this tab uses, change notices, saving into a case,
and case files in and out.

The repository comes from the composition root (``AppServices.cases``): the desktop user file, or in
web mode the visitor's own browser storage (``app.platform.browser``), so one visitor never sees
another's cases. Browser storage is reached from worker threads only (``ctx.run_background``).
How cases look (rows, badges, form checks) is in ``app.viewmodels.case_rows``.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.context import PageContext
from app.platform.browser import browser_blob, file_picker, shared_revision
from app.viewmodels.case_rows import parse_day, with_object_particle
from app.widgets.feature_case_picker import open_case_picker
from core.progress import CancelToken, ProgressCallback
from services.cases.calendar_export import cases_ics_bytes
from services.cases.claimant_checklist import checklist_pdf_bytes
from services.cases.exchange import dumps_json, envelope, parse_envelope
from services.cases.merge import merge_into
from services.cases.model import CaseError, default_checklist
from services.cases.pdf_report import cases_pdf_bytes
from services.cases.report import cases_markdown
from services.cases.repository import CaseRepository, JsonBlobCaseRepository
from storage.atomic import write_export_atomic
from storage.crypto_codec import PassphraseCodec

log = logging.getLogger(__name__)

IMPORT_FILE_MAX_BYTES = 20_000_000  # a case file picked in the app (thousands of cases)
LISTENER_KEY = "cases.on_changed"
REPOSITORY_KEY = "cases.repository"
ELSEWHERE_KEY = "case.on_changed_elsewhere"
SEEN_REVISION_KEY = "cases.seen_revision"


def repository_for(ctx: PageContext) -> CaseRepository:
    """The case repository for this visitor: browser storage in web mode, the user file on desktop.

    One per tab in web mode (its lock is the one the browser's tabs share). Raises ``StoreError``
    (Korean) while the user file is locked or unreadable. The web repository must be used from a
    worker thread (``ctx.run_background``).
    """
    if not ctx.web_mode:
        return ctx.services.cases.desktop()  # a fresh look at the user file: it may have been unlocked
    repository: CaseRepository | None = ctx.store.get(REPOSITORY_KEY)
    if repository is None:
        repository = ctx.services.cases.for_visitor(browser_blob(ctx))
        ctx.store.set(REPOSITORY_KEY, repository)
    return repository


# ---------------------------------------------------------------------------- change notices

def on_cases_changed(ctx: PageContext, callback: Callable[[], None]) -> None:
    """Let the case list (kept on the tab's view stack) reload after a save anywhere in this tab."""
    ctx.store.set(LISTENER_KEY, callback)


def cases_changed(ctx: PageContext) -> None:
    """A save in this tab: the case list reloads."""
    _call_listener(ctx, LISTENER_KEY)


def on_case_changed_elsewhere(ctx: PageContext, callback: Callable[[], None]) -> None:
    """Let the open case page look again when the tab regains focus (another tab may have saved)."""
    ctx.store.set(ELSEWHERE_KEY, callback)


def pick_up_changes(ctx: PageContext) -> None:
    """The tab regained focus: the list and the open case page reload if another tab or window saved.

    In web mode the tabs' shared blob has a revision, so nothing reloads when nothing changed; on
    the desktop another window may have written the user file, so the views simply look again.
    """
    if ctx.web_mode:
        now = shared_revision(ctx)
        if now is None or now == ctx.store.get(SEEN_REVISION_KEY):
            return
        ctx.store.set(SEEN_REVISION_KEY, now)
    _call_listener(ctx, LISTENER_KEY)
    _call_listener(ctx, ELSEWHERE_KEY)


def _call_listener(ctx: PageContext, key: str) -> None:
    callback = ctx.store.get(key)
    if callback is not None:
        try:
            callback()
        except Exception:  # a closed view must not break the save that just succeeded
            log.debug("case view refresh failed", exc_info=True)


# ---------------------------------------------------------------------------- "사건에 저장"

SaveAction = Callable[[CaseRepository, str], Any]   # (repository, case_id) -> saved Case


def save_into_case(ctx: PageContext, save: SaveAction, *, what: str,
                   on_saved: Callable[[str, str], None] | None = None,
                   new_case_fields: dict[str, Any] | None = None) -> None:
    """Ask which case (or a new one), then run ``save(repo, case_id)`` in a worker thread.

    ``what`` names the thing saved, e.g. "분석 결과"; the user gets a notice with the case name.
    ``new_case_fields`` pre-fill a case created in the dialog (``repo.create`` fields).
    """

    def picked(case_id: str, alias: str) -> None:
        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return save(repository_for(ctx), case_id)

        def done(_case: Any) -> None:
            cases_changed(ctx)
            ctx.notify(f"{with_object_particle(what)} '{alias}' 사건에 저장했습니다. 사건 화면에서 볼 수 있습니다.")
            if on_saved is not None:
                on_saved(case_id, alias)

        ctx.run_background(work, on_done=done)

    open_case_picker(ctx, picked, lambda: repository_for(ctx), new_case_fields=new_case_fields)


def new_case_fields_from_situation(values: dict[str, Any]) -> dict[str, Any]:
    """Fields for a case created while saving an analysis: the notice date, the story, a checklist."""
    learned = parse_day(values.get("learned_on"))
    fields: dict[str, Any] = {"stage": "불승인", "checklist": default_checklist("불승인"),
                              "situation": str(values.get("story") or "")[:20_000]}
    if learned is not None and learned <= date.today():
        fields["learned_on"] = learned.isoformat()
    fields["disease_committee"] = False
    return fields


# ---------------------------------------------------------------------------- case files in and out

def export_bytes(cases: list[Any], kind: str) -> bytes:
    """Cases as one file's bytes: ``json`` (re-importable on another device or browser), ``md`` or
    ``pdf`` (to read and print), ``ics`` (their open deadlines, for a calendar), ``checklist`` (one case:
    the page to hand to the claimant)."""
    if kind == "json":
        return dumps_json(envelope(cases))
    if kind == "md":
        return cases_markdown(cases).encode("utf-8")
    if kind == "pdf":
        return cases_pdf_bytes(cases)
    if kind == "ics":
        return cases_ics_bytes(cases)
    if kind == "checklist" and len(cases) == 1:
        return checklist_pdf_bytes(cases[0])
    raise ValueError(kind)


def all_cases_file_name(count: int, extension: str, today: date | None = None) -> str:
    return f"사건-전체-{count}건-{(today or date.today()).isoformat()}.{extension}"


async def deliver_file(ctx: PageContext, name: str, data: bytes, title: str = "사건 내보내기") -> None:
    """Hand a finished export to the user: a download in web mode (and on phones), else a save dialog
    whose path our own writer fills (it refuses links, devices and missing folders, never half-writes)."""
    picker = file_picker(ctx)
    try:
        if ctx.web_mode or (ctx.page.platform is not None and ctx.page.platform.is_mobile()):
            path = await picker.save_file(dialog_title=title, file_name=name, src_bytes=data)
        else:
            path = await picker.save_file(dialog_title=title, file_name=name)
            if path:
                await asyncio.to_thread(write_export, path, data)
    except Exception as exc:  # noqa: BLE001 - shown to the user in plain words
        ctx.notify_error(exc)
        return
    if ctx.web_mode:
        ctx.notify("파일을 내려받았습니다. 브라우저의 다운로드 폴더를 확인하세요.")
    elif path:
        ctx.notify(f"저장했습니다: {path}")


def clear_browser_cases(ctx: PageContext) -> int:
    """Web mode: forget every case this browser keeps (all its tabs); returns how many there were."""
    return _browser_repository(ctx).clear()


# ---------------------------------------------------------------------------- a passphrase on browser cases

def _browser_repository(ctx: PageContext) -> JsonBlobCaseRepository:
    repository = repository_for(ctx)
    if not isinstance(repository, JsonBlobCaseRepository):
        raise CaseError("이 컴퓨터의 사건 파일은 명령줄의 'cases protect'로 잠급니다.")
    return repository


def browser_lock_state(ctx: PageContext) -> str:
    """Web mode: "plain" (not locked), "locked" (this tab lacks the passphrase) or "open" (given)."""
    repository = _browser_repository(ctx)
    if not repository.is_locked():
        return "plain"
    return "open" if repository.codec is not None else "locked"


def open_browser_cases(ctx: PageContext, passphrase: str) -> int:
    """Give this tab the passphrase of the browser's locked cases (held in this tab's session only)."""
    return _browser_repository(ctx).open_with(PassphraseCodec(passphrase))


def lock_browser_cases(ctx: PageContext, passphrase: str) -> int:
    """Lock the cases kept in this browser with ``passphrase``; other tabs must then give it too."""
    return _browser_repository(ctx).set_passphrase(PassphraseCodec(passphrase))


def unlock_browser_cases(ctx: PageContext) -> int:
    """Keep the browser's cases in the clear again (this tab must have opened them)."""
    return _browser_repository(ctx).set_passphrase(None)


def forget_passphrase(ctx: PageContext) -> None:
    """Close the locked cases in this tab: the passphrase is dropped, the cases stay locked."""
    _browser_repository(ctx).codec = None


def write_export(path: str | Path, data: bytes) -> None:
    """Save an export where the user chose on the desktop: refused for a link, folder, device or a
    missing folder (Korean message), and written atomically. Web mode downloads instead."""
    write_export_atomic(Path(path), data)


def import_bytes(repository: CaseRepository, raw: bytes, *, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> str:
    """Merge the cases of an exported JSON file into ``repository``; returns the Korean summary."""
    cases = parse_envelope(raw)["cases"]
    return merge_into(repository, cases, progress=progress, cancel=cancel).summary()
