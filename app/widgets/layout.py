"""The frame around every page: app bar, navigation (bar on phones, rail on wide screens), scrolling."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import flet as ft

from app import theme
from app.platform import browser
from app.theme import px

if TYPE_CHECKING:
    from app.context import PageContext
    from app.nav import NavEntry

WIDE_MIN_WIDTH = 720      # from here on the navigation moves from the bottom bar to a side rail


def is_wide(width: float | None) -> bool:
    return (width or 1280) >= WIDE_MIN_WIDTH


def _selected_index(entries: Sequence[NavEntry], route: str) -> int | None:
    path = route.split("?", 1)[0]
    best, best_len = None, -1
    for i, entry in enumerate(entries):
        r = entry.route.split("<", 1)[0].rstrip("/") or "/"
        hit = path == r if r == "/" else (path == r or path.startswith(r + "/"))
        if hit and len(r) > best_len:
            best, best_len = i, len(r)
    return best


def _theme_button(ctx: PageContext) -> ft.Control:
    def toggle(e: ft.Event[ft.IconButton]) -> None:
        mode = theme.toggle_theme_mode(ctx.page)
        ctx.store.set(theme.THEME_MODE_KEY, mode)

    label = "밝은 화면 / 어두운 화면 바꾸기"
    return ft.Semantics(label=label, button=True, content=ft.IconButton(
        icon=ft.Icons.DARK_MODE_OUTLINED, on_click=toggle))


def text_size_label(scale: float) -> str:
    return f"글자 크기: {theme.scale_name(scale)}. 누르면 {theme.scale_name(theme.next_scale(scale))}"


def _text_size_button(ctx: PageContext) -> ft.Control:
    scale = theme.read_scale(ctx.store.get(theme.TEXT_SCALE_KEY))
    holder = ft.Semantics(label=text_size_label(scale), button=True)

    def bigger(e: ft.Event[ft.IconButton]) -> None:
        now = theme.next_scale(theme.read_scale(ctx.store.get(theme.TEXT_SCALE_KEY)))
        ctx.store.set(theme.TEXT_SCALE_KEY, now)
        theme.apply_scale(ctx.page, now)
        holder.label = text_size_label(now)
        ctx.page.run_task(browser.browser_prefs(ctx).set, theme.TEXT_SCALE_PREF, str(now))  # remembered
        ctx.page.update()  # showing the notice updates only the notice
        ctx.notify(f"글자 크기를 '{theme.scale_name(now)}'로 바꿨습니다. 한 번 더 누르면 "
                   f"'{theme.scale_name(theme.next_scale(now))}'입니다.")

    holder.content = ft.IconButton(icon=ft.Icons.TEXT_INCREASE, on_click=bigger, tooltip="글자 크기 바꾸기")
    return holder


def page_view(ctx: PageContext, route: str, *, title: str, controls: Sequence[ft.Control],
              actions: Sequence[ft.Control] = (), scroll: bool = True,
              floating_action_button: ft.FloatingActionButton | None = None) -> ft.View:
    """A complete ``ft.View`` with the shared frame; ``controls`` form the page body."""
    entries = list(getattr(ctx, "nav_entries", ()) or ())
    selected = _selected_index(entries, route)
    wide = is_wide(ctx.page.width)

    def go(index: int) -> None:
        if 0 <= index < len(entries):
            ctx.navigate(entries[index].route)

    body = ft.Column(
        controls=list(controls), spacing=16, expand=True,
        scroll=ft.ScrollMode.AUTO if scroll else None,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    framed = ft.Container(
        content=body, expand=True, padding=ft.Padding.symmetric(horizontal=16, vertical=12),
        alignment=ft.Alignment.TOP_CENTER,
    )
    rail = ft.NavigationRail(
        destinations=[ft.NavigationRailDestination(icon=e.icon, label=e.label) for e in entries],
        selected_index=selected, label_type=ft.NavigationRailLabelType.ALL,
        on_change=lambda e: go(int(e.control.selected_index)), visible=wide and len(entries) > 1,
        min_width=88,
    )
    bar = ft.NavigationBar(
        destinations=[ft.NavigationBarDestination(icon=e.icon, label=e.label) for e in entries],
        selected_index=selected if selected is not None else 0,
        on_change=lambda e: go(int(e.control.selected_index)), visible=(not wide) and len(entries) > 1,
        label_behavior=ft.NavigationBarLabelBehavior.ALWAYS_SHOW,
        indicator_color=None if selected is not None else ft.Colors.TRANSPARENT,
    )
    divider = ft.VerticalDivider(width=1, visible=rail.visible)
    view = ft.View(
        route=route,
        appbar=ft.AppBar(title=ft.Text(title, theme_style=px(20), weight=ft.FontWeight.BOLD),
                         actions=[*actions, _text_size_button(ctx), _theme_button(ctx)], center_title=False),
        controls=[ft.Row([rail, divider, framed],
                         expand=True, vertical_alignment=ft.CrossAxisAlignment.STRETCH, spacing=0)],
        navigation_bar=bar if entries else None,
        floating_action_button=floating_action_button,
        padding=0,
    )
    view.data = {"rail": rail, "bar": bar, "divider": divider}
    return view


def apply_width(view: ft.View, width: float | None) -> bool:
    """Show the rail or the bottom bar for the new width; True when something changed."""
    parts = view.data if isinstance(view.data, dict) else None
    if not parts or "rail" not in parts:
        return False
    wide = is_wide(width)
    rail, bar, divider = parts["rail"], parts["bar"], parts["divider"]
    many = len(rail.destinations) > 1
    changed: bool = rail.visible != (wide and many)
    rail.visible = divider.visible = wide and many
    bar.visible = (not wide) and many
    return changed


def section_title(text: str) -> ft.Text:
    return ft.Text(text, theme_style=px(20), weight=ft.FontWeight.BOLD, semantics_label=text)


def body_text(text: str, **kwargs: Any) -> ft.Text:
    kwargs.setdefault("size", 16)
    return ft.Text(text, selectable=kwargs.pop("selectable", False), **kwargs)


def muted_text(text: str, **kwargs: Any) -> ft.Text:
    kwargs.setdefault("size", 15)
    return ft.Text(text, color=ft.Colors.ON_SURFACE_VARIANT, **kwargs)


def card(*controls: ft.Control, padding: int = 16, on_click: ft.ControlEventHandler[ft.Container] | None = None,
         tooltip: str | None = None) -> ft.Card:
    return ft.Card(
        content=ft.Container(ft.Column(list(controls), spacing=8, tight=True), padding=padding,
                             on_click=on_click, tooltip=tooltip, border_radius=12),
    )
