"""Per-tab Flet services (SharedPreferences, FilePicker) and a visitor's browser storage as a blob.

The browser storage is async and lives on the page's event loop; ``BrowserBlob`` is therefore used
from worker threads (``ctx.run_background``) and reaches the browser through the page's loop.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

import flet as ft

# Private: Flet 1.0 registers a new service with the page in this context variable and has no public
# way to name another page; a handler of one tab may run while another tab's page is current.
from flet.controls.context import _context_page

from core.errors import StoreError

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


class BrowserBlob:
    """load()/save(text) of one JSON blob in this visitor's browser (SharedPreferences).

    Must be called from a worker thread: the value travels over the page's websocket and the
    answer arrives on the page's event loop.
    """

    def __init__(self, page: Any, prefs: _Prefs, key: str = BROWSER_KEY) -> None:
        self.page = page
        self.prefs = prefs
        self.key = key

    def _call(self, coro_fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
        loop = self.page.session.connection.loop
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

    def load(self) -> str | None:
        value = self._call(self.prefs.get, self.key)
        return value if isinstance(value, str) and value else None

    def save(self, text: str) -> None:
        ok = self._call(self.prefs.set, self.key, text)
        if ok is False:
            raise BrowserStorageError("브라우저 저장소가 가득 찼거나 저장을 막고 있습니다. "
                                      "필요 없는 사건을 내보낸 뒤 지워 주세요.")


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
    """This visitor's case blob in the browser (use it from a worker thread)."""
    return BrowserBlob(ctx.page, tab_service(ctx, PREFS_STORE_KEY, ft.SharedPreferences))
