"""``main(page)``: one call per browser tab or desktop window.

Keeps a small stack of views per tab so the back arrow and the browser's back button return to
the previous page with its state (search results stay as they were).
"""
from __future__ import annotations

import asyncio
import logging

import flet as ft

from app import theme
from app.context import PageContext, Services, is_web_mode
from app.platform import browser
from app.router import Router
from app.theme import px
from app.viewmodels import cases_vm, protection_vm
from app.widgets import layout, unlock
from core.errors import SanjaeError

log = logging.getLogger(__name__)

APP_TITLE = "산재 판례 도우미"
MAX_STACK = 8
KOREAN = ft.Locale("ko", "KR")

_router: Router | None = None


def get_router() -> Router:
    global _router
    if _router is None:
        _router = Router.discover()
    return _router


def _route_pattern(router: Router, route: str) -> str:
    match = router.resolve(route)
    return match.spec.route if match else ""


def _message_view(ctx: PageContext, route: str, title: str, message: str) -> ft.View:
    return layout.page_view(ctx, route, title=title, controls=[
        ft.Text(message, theme_style=px(18)),
        ft.Button("처음 화면으로", icon=ft.Icons.HOME, on_click=lambda e: ctx.navigate("/"),
                  tooltip="처음 화면으로 돌아갑니다"),
    ])


class Navigator:
    """Builds views for routes and keeps this tab's view stack in ``page.views``."""

    def __init__(self, page: ft.Page, ctx: PageContext, router: Router) -> None:
        self.page = page
        self.ctx = ctx
        self.router = router

    def build(self, route: str) -> ft.View:
        match = self.router.resolve(route)
        if match is None:
            return _message_view(self.ctx, route, "찾을 수 없는 화면",
                                 "주소에 맞는 화면이 없습니다. 처음 화면에서 다시 시작해 주세요.")
        if protection_vm.needs_unlock_screen(self.ctx.services, self.ctx.web_mode, match.spec.route):
            # The user file is passphrase-protected and still closed: ask for it instead of showing no cases.
            view = unlock.unlock_view(self.ctx, route, match.spec.title or APP_TITLE)
            view.route = route
            return view
        try:
            view = match.spec.build(self.ctx, route, match.params)
        except SanjaeError as exc:
            return _message_view(self.ctx, route, match.spec.title or APP_TITLE, exc.message)
        except Exception:
            log.exception("building %s failed", route)
            return _message_view(self.ctx, route, match.spec.title or APP_TITLE,
                                 "이 화면을 여는 중 문제가 생겼습니다. 처음 화면으로 돌아가 다시 시도해 주세요.")
        view.route = route
        return view

    def show(self, route: str) -> None:
        """Make ``route`` the top view: reuse it if it is already on the stack, else build it."""
        route = route or "/"
        views = self.page.views
        routes = [v.route for v in views]
        if route in routes:
            del views[routes.index(route) + 1:]
        else:
            match = self.router.resolve(route)
            top_level = match is None or match.spec.nav is not None or match.path == "/"
            if top_level or not views:
                # A top-level page starts a fresh stack above the home page.
                home = views[0] if views and views[0].route == "/" else None
                views.clear()
                if route != "/":
                    views.append(home or self.build("/"))
            views.append(self.build(route))
            if len(views) > MAX_STACK:  # keep the home page and the most recent pages
                del views[1:len(views) - MAX_STACK + 1]
        appbar = getattr(views[-1], "appbar", None)
        title = appbar.title.value if isinstance(appbar, ft.AppBar) and isinstance(appbar.title, ft.Text) else ""
        self.page.title = f"{title} - {APP_TITLE}" if title and title != APP_TITLE else APP_TITLE
        for v in views:
            layout.apply_width(v, self.page.width)

    def refresh(self) -> None:
        """Rebuild the top view in place (data changed)."""
        if not self.page.views:
            return
        route = self.page.views[-1].route
        self.page.views[-1] = self.build(route)
        layout.apply_width(self.page.views[-1], self.page.width)
        self.page.update()

    def navigate(self, route: str) -> None:
        """Change the URL (adds a browser history entry); the route handler shows the page."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            # No loop (unit tests with a headless page): show the page directly.
            self.page.route = route
            self.show(route)
            self.page.update()
            return
        self.page.navigate(route)


def main(page: ft.Page) -> None:
    services = Services.shared()
    router = get_router()
    page.title = APP_TITLE
    # Flutter's own words (back button, tabs, counters, date picker) in Korean, for eyes and screen readers.
    page.locale_configuration = ft.LocaleConfiguration(supported_locales=[KOREAN], current_locale=KOREAN)
    fonts = theme.ensure_fonts()
    scale = theme.read_scale(page.session.store.get(theme.TEXT_SCALE_KEY))
    theme.apply_theme(page, fonts, page.session.store.get(theme.THEME_MODE_KEY), scale=scale)

    ctx = PageContext(page, services, web_mode=is_web_mode())
    ctx.nav_entries = router.nav_entries()
    nav = Navigator(page, ctx, router)
    ctx._navigate = nav.navigate
    ctx._refresh = nav.refresh
    ctx._route_pattern = lambda route: _route_pattern(router, route)

    def route_change(e: ft.RouteChangeEvent | None = None) -> None:
        nav.show(page.route)
        page.update()

    async def view_pop(e: ft.ViewPopEvent) -> None:
        if len(page.views) > 1:
            page.views.pop()
            await page.push_route(page.views[-1].route)

    def resize(e: ft.PageResizeEvent | None = None) -> None:
        changed = False
        for v in page.views:
            changed = layout.apply_width(v, page.width) or changed
        if changed:
            page.update()

    def disconnect(e: ft.Event[ft.Page] | None = None) -> None:
        ctx.cancel_all()
        if ctx.web_mode:
            browser.leave_browser_cases(ctx)

    def join_browser_cases() -> None:
        # Every open tab of this browser shares one copy of its cases from the moment it opens (see
        # storage.shared_blobs); a tab without storage (private window) hears about it when it saves.
        try:
            browser.join_browser_cases(ctx)
        except Exception:  # noqa: BLE001
            log.info("browser storage not reachable for this tab", exc_info=True)

    def connect(e: ft.Event[ft.Page] | None = None) -> None:
        if ctx.web_mode:
            page.run_thread(join_browser_cases)

    def lifecycle(e: ft.AppLifecycleStateChangeEvent) -> None:
        if e.state in (ft.AppLifecycleState.SHOW, ft.AppLifecycleState.RESUME):
            cases_vm.pick_up_changes(ctx)  # another tab or window may have saved meanwhile

    page.on_route_change = route_change
    page.on_view_pop = view_pop
    page.on_resize = resize
    page.on_disconnect = disconnect
    page.on_close = disconnect
    page.on_connect = connect
    page.on_app_lifecycle_state_change = lifecycle
    async def remembered_text_size() -> None:
        # The browser (or this computer) keeps the 글자 크기 chosen last time; it arrives after the first page.
        try:
            saved = theme.read_scale(await browser.browser_prefs(ctx).get(theme.TEXT_SCALE_PREF))
        except Exception:  # no storage (private window): normal size
            return
        if saved != theme.read_scale(ctx.store.get(theme.TEXT_SCALE_KEY)):
            ctx.store.set(theme.TEXT_SCALE_KEY, saved)
            theme.apply_scale(page, saved)
            nav.refresh()  # the size button's label

    # A deep link (or reload) is not delivered as a route-change event: show it now.
    page.views.clear()  # drop the empty default view
    route_change()
    if not ctx.web_mode and protection_vm.is_locked(services) and \
            not protection_vm.needs_unlock_screen(services, ctx.web_mode, _route_pattern(router, page.route)):
        unlock.show_unlock_dialog(ctx)  # a page asking for it already fills the screen otherwise
    try:
        page.session.connection.loop  # noqa: B018 - raises without one (a headless page in unit tests)
    except RuntimeError:
        return
    page.run_task(remembered_text_size)
    connect()
