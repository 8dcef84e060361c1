"""Per-tab Flet services (SharedPreferences, FilePicker) and a visitor's browser storage as a blob.

The browser storage is async and lives on the page's event loop; ``BrowserBlob`` is therefore used
from worker threads (``ctx.run_background``) and reaches the browser through the page's loop.
"""
from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

import flet as ft

# Private: Flet 1.0 registers a new service with the page in this context variable and has no public
# way to name another page; a handler of one tab may run while another tab's page is current.
from flet.controls.context import _context_page

from core.errors import StoreError
from services.cases.blob_format import blob_revision
from storage.shared_blobs import SharedBlob, SharedBlobs

BROWSER_KEY = "sanjae.cases.v1"
PREFS_STORE_KEY = "cases.prefs"          # ctx.store slot holding this tab's SharedPreferences
PICKER_STORE_KEY = "cases.file_picker"
BROWSER_TIMEOUT_S = 20.0

T = TypeVar("T")


class BrowserStorageError(StoreError):
    """The browser's storage could not be read or written."""


class _Prefs(Protocol):
    def get(self, key: str) -> Coroutine[Any, Any, Any]: ...
    def set(self, key: str, value: str) -> Coroutine[Any, Any, bool]: ...


class TabContext(Protocol):
    """The part of ``PageContext`` these helpers use."""

    @property
    def page(self) -> Any: ...
    @property
    def store(self) -> Any: ...


def _on_page_loop(page: Any, coro_fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    """Run a browser call on the page's event loop from a worker thread and wait for its answer."""
    loop = page.session.connection.loop
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        raise RuntimeError("browser storage must be used from a worker thread")
    future = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return future.result(timeout=BROWSER_TIMEOUT_S)
    except Exception as exc:
        future.cancel()
        raise BrowserStorageError("브라우저 저장소를 읽거나 쓰지 못했습니다. "
                                  "페이지를 새로 고친 뒤 다시 시도해 주세요. "
                                  "사생활 보호 모드에서는 저장이 되지 않을 수 있습니다.") from exc


class BrowserBlob:
    """load()/save(text) of one JSON blob in this visitor's browser (SharedPreferences).

    Must be called from a worker thread: the value travels over the page's websocket and the
    answer arrives on the page's event loop. With ``shared`` (the blob this browser's open tabs
    share, ``storage.shared_blobs``) reads come from it and writes go to both, under its lock.
    """

    def __init__(self, page: Any, prefs: _Prefs, shared: SharedBlob | None = None, key: str = BROWSER_KEY) -> None:
        self.page = page
        self.prefs = prefs
        self.shared = shared
        self.key = key

    @property
    def lock(self) -> threading.RLock | None:
        """The lock every tab of this browser holds while it reads, changes and writes the blob."""
        return self.shared.lock if self.shared is not None else None

    def load(self) -> str | None:
        if self.shared is not None:
            return self.shared.text
        value = _on_page_loop(self.page, self.prefs.get, self.key)
        return value if isinstance(value, str) and value else None

    def save(self, text: str) -> None:
        ok = _on_page_loop(self.page, self.prefs.set, self.key, text)
        if ok is False:
            raise BrowserStorageError("브라우저 저장소가 가득 찼거나 저장을 막고 있습니다. "
                                      "필요 없는 사건을 내보낸 뒤 지워 주세요.")
        if self.shared is not None:
            revision = blob_revision(text)
            self.shared.replace(text, revision, expected=revision - 1)


_service_lock = threading.Lock()


def tab_service(ctx: TabContext, key: str, factory: Callable[[], T]) -> T:
    """One Flet service (SharedPreferences, FilePicker) per tab, kept in the session store.

    Call it from ``build`` or a handler: the service registers with this tab's page.
    """
    with _service_lock:
        service: T | None = ctx.store.get(key)
        if service is None:
            token = _context_page.set(ctx.page)
            try:
                service = factory()
            finally:
                _context_page.reset(token)
            ctx.store.set(key, service)
    return service


def browser_prefs(ctx: TabContext) -> ft.SharedPreferences:
    """This tab's ``ft.SharedPreferences``."""
    return tab_service(ctx, PREFS_STORE_KEY, ft.SharedPreferences)


def file_picker(ctx: TabContext) -> ft.FilePicker:
    """This tab's ``ft.FilePicker`` (open a file; save a file: a download in web mode)."""
    return tab_service(ctx, PICKER_STORE_KEY, ft.FilePicker)


def browser_blob(ctx: TabContext) -> BrowserBlob:
    """This visitor's case blob in the browser, shared with the browser's other open tabs
    (use it from a worker thread)."""
    return BrowserBlob(ctx.page, browser_prefs(ctx), join_browser_cases(ctx))


# ---------------------------------------------------------------------------- tabs of one browser

SHARED_CASES = SharedBlobs(blob_revision)   # every web tab this server process serves
BROWSER_ID_KEY = "sanjae.browser.id"        # random; the same for all tabs of one browser profile
JOINED_STORE_KEY = "cases.shared"           # ctx.store slot: (browser id, SharedBlob) once joined
_join_lock = threading.Lock()


def join_browser_cases(ctx: TabContext) -> SharedBlob:
    """This tab's share of its browser's case blob (from a worker thread; joined once per tab).

    Called early, when the tab opens, so that every open tab holds the shared blob before any of them
    writes: then none can drop a case another tab saved after it was loaded.
    """
    with _join_lock:
        joined = ctx.store.get(JOINED_STORE_KEY)
        if joined is not None:
            known: SharedBlob = joined[1]
            return known
        prefs = browser_prefs(ctx)
        browser_id = _on_page_loop(ctx.page, prefs.get, BROWSER_ID_KEY)
        if not isinstance(browser_id, str) or not browser_id:
            browser_id = uuid.uuid4().hex
            _on_page_loop(ctx.page, prefs.set, BROWSER_ID_KEY, browser_id)
        seen = BrowserBlob(ctx.page, prefs).load()
        shared = SHARED_CASES.join(browser_id, _tab_id(ctx), seen)
        ctx.store.set(JOINED_STORE_KEY, (browser_id, shared))
        return shared


def leave_browser_cases(ctx: TabContext) -> None:
    """The tab disconnected: let go of the shared blob (a reconnecting tab joins again)."""
    with _join_lock:
        joined = ctx.store.get(JOINED_STORE_KEY)
        if joined is not None:
            ctx.store.set(JOINED_STORE_KEY, None)
            SHARED_CASES.leave(joined[0], _tab_id(ctx))


def shared_revision(ctx: TabContext) -> int | None:
    """The revision of the case blob this tab shares (None before it joined)."""
    joined = ctx.store.get(JOINED_STORE_KEY)
    return joined[1].revision if joined is not None else None


def _tab_id(ctx: TabContext) -> str:
    return str(getattr(ctx.page.session, "id", "") or id(ctx.page))
