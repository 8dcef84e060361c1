"""What every page gets: the page, shared services, navigation, notices and background work."""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

import flet as ft
from flet.messaging.session_store import SessionStore

from app import visitor_words
from app.nav import NavEntry
from app.theme import px
from app.wiring import AppServices, open_from_environment
from core.errors import Cancelled, SanjaeError
from core.progress import CancelToken, Progress

log = logging.getLogger(__name__)

WEB_MODE_ENV = "SANJAE_WEB_MODE"  # set by ``python -m app --web``: keys are operator-only then
GENERIC_ERROR = "예상하지 못한 문제가 생겼습니다. 잠시 뒤 다시 시도해 주세요. 계속되면 앱을 다시 시작해 주세요."
PROGRESS_INTERVAL_S = 0.2  # at most ~5 progress repaints a second per task


def is_web_mode() -> bool:
    return os.environ.get(WEB_MODE_ENV, "") == "1"


class Services:
    """The process-wide ``AppServices`` of the Flet app: opened once, shared by every window and tab."""

    _shared: ClassVar[AppServices | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def shared(cls) -> AppServices:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls.create()
            return cls._shared

    @classmethod
    def reset_shared(cls) -> None:
        """Forget the shared instance (tests switch data folders between runs)."""
        with cls._lock:
            cls._shared = None

    @classmethod
    def create(cls) -> AppServices:
        """Open the parts under ``data_dir()``; a protected user file opens with SANJAE_PASSPHRASE, else
        it waits for the unlock form. A data file that can't be read leaves its part ``None``."""
        return open_from_environment(web_mode=is_web_mode())


class PageContext:
    """Per-tab helper handed to every page's ``build``; see the contract in ``app/router.py``."""

    def __init__(self, page: ft.Page, services: AppServices, *, web_mode: bool,
                 navigate: Callable[[str], None] | None = None,
                 refresh: Callable[[], None] | None = None,
                 route_pattern: Callable[[str], str] | None = None) -> None:
        self.page = page
        self.services = services
        self.web_mode = web_mode
        self._navigate = navigate
        self._refresh = refresh
        self._route_pattern = route_pattern
        self._tasks: set[CancelToken] = set()
        self.nav_entries: list[NavEntry] = []  # set by app.main

    # ---- state -----------------------------------------------------------------------------
    @property
    def store(self) -> SessionStore:
        """Per-visitor state kept on the server for this tab (``get``/``set``)."""
        return self.page.session.store

    @property
    def width(self) -> float:
        """Current window width in logical pixels (desktop size when not yet known)."""
        return float(self.page.width or 1280)

    def charge_ai(self) -> None:
        """Count one AI call a web visitor starts; raises ``RateLimited`` (Korean) over the operator's limit.

        The desktop app spends the user's own key, so nothing is counted there.
        """
        if self.web_mode:
            session = getattr(self.page, "session", None)
            self.services.ai_limit.take(str(getattr(session, "id", "") or ""), str(self.page.client_ip or ""))

    # ---- navigation ------------------------------------------------------------------------
    def navigate(self, route: str) -> None:
        if self._navigate is not None:
            self._navigate(route)
            return
        self.page.navigate(route)

    def refresh(self) -> None:
        if self._refresh is not None:
            self._refresh()

    def route_pattern(self, route: str) -> str:
        """The page pattern ``route`` resolves to (``/case/<case_id>``), "" when none (set by app.main)."""
        return self._route_pattern(route) if self._route_pattern is not None else ""

    # ---- notices ---------------------------------------------------------------------------
    def notify(self, message: str, error: bool = False,
               action: tuple[str, Callable[[], None]] | None = None) -> None:
        """Show a short message at the bottom; errors stay longer and use the error colour.
        ``action`` (label, callback) adds a button such as 되돌리기; the message then stays longer too."""
        bar = ft.SnackBar(
            content=ft.Text(message, theme_style=px(16),
                            color=ft.Colors.ON_ERROR_CONTAINER if error else None),
            bgcolor=ft.Colors.ERROR_CONTAINER if error else None,
            duration=ft.Duration(milliseconds=8000 if error or action else 4000),
            show_close_icon=True,
            behavior=ft.SnackBarBehavior.FLOATING,
            action=ft.SnackBarAction(label=action[0], on_click=lambda e: action[1]()) if action else None,
        )
        try:
            self.page.show_dialog(bar)
        except Exception:  # never let a notice break the handler that raised it
            log.exception("could not show notice")

    def notify_error(self, exc: BaseException) -> None:
        if isinstance(exc, SanjaeError):
            self.notify(visitor_words.shown(exc.message, self.web_mode), error=not isinstance(exc, Cancelled))
        else:
            log.error("unexpected error", exc_info=exc)
            self.notify(GENERIC_ERROR, error=True)

    # ---- background work -------------------------------------------------------------------
    def call_soon(self, callback: Callable[[], Any], *, refresh: bool = True) -> None:
        """Run ``callback`` on this page's event loop, then push the changes to the screen.

        ``refresh=False`` when the callback updates its own controls (cheaper than a page update).
        """

        def run() -> None:
            try:
                callback()
            except Exception as exc:  # a failing UI callback must not kill the loop
                self.notify_error(exc)
                refresh_now = True
            else:
                refresh_now = refresh
            if not refresh_now:
                return
            try:
                self.page.update()
            except Exception:
                log.debug("page update failed (tab closed?)", exc_info=True)

        loop = self._loop()
        if loop is not None and loop.is_running():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                run()
            else:
                loop.call_soon_threadsafe(run)
        else:
            run()

    def _loop(self) -> asyncio.AbstractEventLoop | None:
        try:
            return self.page.session.connection.loop
        except Exception:
            return None

    def run_background(self, fn: Callable[[Callable[[Progress], None], CancelToken], Any], *,
                       on_progress: Callable[[Progress], None] | None = None,
                       on_done: Callable[[Any], None] | None = None,
                       on_error: Callable[[BaseException], None] | None = None,
                       cancel: CancelToken | None = None) -> CancelToken:
        """Run ``fn(progress, cancel)`` in its own thread, so no tab ever waits for another.

        Callbacks run on the page's loop and the page is repainted after each one. Progress
        reports are thinned out (the last one always arrives before ``on_done``).
        """
        token = cancel or CancelToken()
        self._tasks.add(token)
        last_sent = [0.0]

        def progress(p: Progress) -> None:
            if on_progress is None:
                return
            now = time.monotonic()
            final = p.total is not None and p.done >= p.total
            if final or now - last_sent[0] >= PROGRESS_INTERVAL_S:
                last_sent[0] = now
                self.call_soon(lambda: on_progress(p))

        def worker() -> None:
            try:
                result = fn(progress, token)
            except BaseException as exc:  # noqa: BLE001 - reported to the user below
                error = exc
                self.call_soon(lambda: (on_error or self.notify_error)(error))
            else:
                if on_done is not None:
                    self.call_soon(lambda: on_done(result))
            finally:
                self._tasks.discard(token)

        threading.Thread(target=worker, name="sanjae-ui-task", daemon=True).start()
        return token

    def cancel_all(self) -> None:
        """Cancel this tab's running tasks (the tab was closed)."""
        for token in list(self._tasks):
            token.cancel()
