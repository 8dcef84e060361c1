"""URL routing for the Flet app: page modules are discovered automatically.

PAGE MODULE CONTRACT (every ``app/pages/*.py`` that is not private, i.e. not ``_*.py``)
-----------------------------------------------------------------------------------
    ROUTE: str                      # URL pattern, e.g. "/search" or "/precedent/<id>" or "/case/<case_id>"
                                    #   "<name>" matches one path segment; its value is passed in ``params``
    TITLE: str                      # window/app-bar title, plain Korean, e.g. "판례 찾기"
    NAV: tuple[str, str, int] | None = None
                                    # optional entry in the navigation bar/rail:
                                    #   (label, icon name, order)  e.g. ("판례 찾기", ft.Icons.SEARCH, 20)
                                    #   order: 10 시작, 20 판례 찾기, 30 상황 분석, 40 요약, 50 사건, 90 설정
    def build(ctx: PageContext, route: str, params: dict[str, str]) -> ft.View

``build`` returns a complete ``ft.View`` whose ``route`` is the route it was built for. Use
``app.widgets.layout.page_view(ctx, route, title=TITLE, controls=[...])`` to get the shared app bar,
responsive navigation (bar on phones, rail on wide screens) and scrolling; it is optional but keeps
pages consistent. ``params`` holds both the ``<name>`` path parameters and the query string
(``/search?q=허리&a=취소`` → ``{"q": "허리", "a": "취소"}``; a repeated key keeps the last value).

``ctx`` (``app.context.PageContext``) offers:
    ctx.page                        # the ft.Page of this browser tab / window
    ctx.services                    # app.wiring.AppServices (one per process, thread-safe):
        .precedents                 #   storage.precedents.PrecedentStore (or None if unavailable)
        .search                     #   services.search.SearchService (or None if unavailable)
        .settings                   #   services.settings.Settings
        .summary_cache              #   storage.summary_cache.SummaryCache (or None if unavailable)
        .cases                      #   services.cases.CaseRepositories (use app.viewmodels.cases_vm.repository_for)
        .user_file                  #   services.user_file.UserFile (locked? unlock, protection on/off)
        .user_store                 #   the user file's open UserStore (None while locked)
    ctx.web_mode: bool              # True when served to browsers (keys are operator-only then)
    ctx.store                       # per-visitor state: page.session.store (get/set)
    ctx.navigate(route)             # go to another URL (adds a history entry)
    ctx.notify(message, error=False)  # snackbar; pass SanjaeError.message for failures
    ctx.run_background(fn, *, on_progress=None, on_done=None, on_error=None, cancel=None)
        # runs ``fn(progress, cancel)`` in a worker thread; the callbacks run on the page's loop and
        # the page is updated after each one. ``on_error`` gets the exception (SanjaeError has
        # ``.message``); without on_error a Korean snackbar is shown. Returns the CancelToken.
    ctx.refresh()                   # rebuild the current view (e.g. after data changed)

A page module must not do slow work in ``build``: start it with ``ctx.run_background`` and fill
the view in ``on_done``. Import errors in one page module are logged and that page is skipped, so
one broken page never takes the whole app down.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlparse

from app.nav import NavEntry

if TYPE_CHECKING:
    import flet as ft

    from app.context import PageContext

    PageBuilder = Callable[[PageContext, str, dict[str, str]], ft.View]

log = logging.getLogger(__name__)

PAGES_PACKAGE = "app.pages"
_PARAM = re.compile(r"<([a-zA-Z_][a-zA-Z0-9_]*)>")


@dataclass
class PageSpec:
    """One discovered page module."""

    module: ModuleType
    route: str
    title: str
    nav: NavEntry | None
    pattern: re.Pattern[str] = field(repr=False)
    static_parts: int = 0  # more literal segments = more specific, tried first

    @property
    def build(self) -> PageBuilder:
        build: PageBuilder = self.module.build  # the page module contract (see the module docstring)
        return build


def compile_route(route: str) -> re.Pattern[str]:
    """'/precedent/<id>' → regex with a named group per parameter (one path segment each)."""
    out = []
    pos = 0
    for m in _PARAM.finditer(route):
        out.append(re.escape(route[pos:m.start()]))
        out.append(f"(?P<{m.group(1)}>[^/]+)")
        pos = m.end()
    out.append(re.escape(route[pos:]))
    body = "".join(out).rstrip("/") or ""
    return re.compile(f"^{body}/?$")


def spec_from_module(module: ModuleType) -> PageSpec | None:
    route = getattr(module, "ROUTE", None)
    build = getattr(module, "build", None)
    if not isinstance(route, str) or not callable(build):
        return None
    title = str(getattr(module, "TITLE", "") or "")
    nav_raw = getattr(module, "NAV", None)
    nav = None
    if nav_raw:
        label, icon, order = nav_raw
        nav = NavEntry(label=str(label), icon=icon, order=int(order), route=route)
    static_parts = len([p for p in route.split("/") if p and not _PARAM.fullmatch(p)])
    return PageSpec(module=module, route=route, title=title, nav=nav,
                    pattern=compile_route(route), static_parts=static_parts)


def discover_pages(package: str = PAGES_PACKAGE) -> list[PageSpec]:
    """Import every public module of ``app/pages`` and keep those that follow the contract."""
    pkg = importlib.import_module(package)
    specs: list[PageSpec] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{package}.{info.name}")
        except Exception:  # one broken page must not take the app down
            log.exception("page module %s could not be imported", info.name)
            continue
        spec = spec_from_module(module)
        if spec is not None:
            specs.append(spec)
    # Literal routes before parameterised ones; longer literal prefixes first.
    specs.sort(key=lambda s: (-s.static_parts, "<" in s.route, s.route))
    return specs


@dataclass(frozen=True)
class Match:
    spec: PageSpec
    path: str
    params: dict[str, str]


class Router:
    def __init__(self, specs: list[PageSpec]) -> None:
        self.specs = specs

    @classmethod
    def discover(cls, package: str = PAGES_PACKAGE) -> Router:
        return cls(discover_pages(package))

    def nav_entries(self) -> list[NavEntry]:
        return sorted((s.nav for s in self.specs if s.nav), key=lambda n: n.order)

    def resolve(self, route: str) -> Match | None:
        """Find the page for a full route (path + optional query)."""
        parsed = urlparse(route or "/")
        path = parsed.path or "/"
        query = dict(parse_qsl(parsed.query, keep_blank_values=False))
        for spec in self.specs:
            m = spec.pattern.match(path)
            if m:
                params = {**query, **{k: unquote(v) for k, v in m.groupdict().items()}}
                return Match(spec=spec, path=path, params=params)
        return None
