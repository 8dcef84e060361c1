"""Korean font and light/dark themes.

Without a bundled font every Hangul glyph renders as a box, in web and desktop alike, so the
NanumGothic file is copied into ``assets/fonts/`` (served at ``/fonts/...``) before the app starts.
Only the regular face is registered: every ``page.fonts`` entry is downloaded by every browser,
and Flutter synthesises bold from it.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import flet as ft

from core import paths

log = logging.getLogger(__name__)

FONT_FAMILY = "NanumGothic"
FONT_FILES = {False: "NanumGothic.ttf", True: "NanumGothicBold.ttf"}
SEED_COLOR = ft.Colors.TEAL
THEME_MODE_KEY = "ui.theme_mode"


def ensure_fonts(assets: Path | None = None) -> dict[str, str]:
    """Copy the Korean font into ``assets/fonts`` if missing; return the ``page.fonts`` mapping.

    Returns an empty mapping (the app still runs, with boxes for Hangul) when no font is found.
    """
    target_dir = (assets or paths.assets_dir()) / "fonts"
    fonts: dict[str, str] = {}
    for bold, name in FONT_FILES.items():
        target = target_dir / name
        if not target.exists():
            try:
                source = paths.korean_font_path(bold=bold)
            except FileNotFoundError as exc:
                if not bold:
                    log.warning("%s", exc)
                continue
            if source.resolve() != target.resolve():
                target_dir.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(".tmp")
                shutil.copyfile(source, tmp)
                tmp.replace(target)
        if not bold and target.exists():
            fonts[FONT_FAMILY] = f"/fonts/{name}"
    return fonts


def _text_theme(font_family: str | None) -> ft.TextTheme:
    # Body text at least 16 px: many users read on phones, some with poor eyesight.
    # Each style names the font itself: a custom text style does not inherit Theme.font_family.
    def style(size: int, bold: bool = False) -> ft.TextStyle:
        return ft.TextStyle(size=size, font_family=font_family, weight=ft.FontWeight.BOLD if bold else None)

    return ft.TextTheme(
        body_large=style(18),
        body_medium=style(16),
        body_small=style(15),
        label_large=style(16),
        title_large=style(22, bold=True),
        title_medium=style(18, bold=True),
    )


def make_theme(dark: bool, font_family: str | None) -> ft.Theme:
    return ft.Theme(
        color_scheme_seed=SEED_COLOR,
        font_family=font_family,
        text_theme=_text_theme(font_family),
        visual_density=ft.VisualDensity.COMFORTABLE,
    )


def apply_theme(page: ft.Page, fonts: dict[str, str], mode: str | None = None) -> None:
    """Register fonts and the light and dark themes on a page."""
    family = FONT_FAMILY if FONT_FAMILY in fonts else None
    if fonts:
        page.fonts = dict(fonts)
    page.theme = make_theme(dark=False, font_family=family)
    page.dark_theme = make_theme(dark=True, font_family=family)
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(mode or "", ft.ThemeMode.LIGHT)


def toggle_theme_mode(page: ft.Page) -> str:
    """Switch light ↔ dark; return the new mode name."""
    dark = page.theme_mode != ft.ThemeMode.DARK
    page.theme_mode = ft.ThemeMode.DARK if dark else ft.ThemeMode.LIGHT
    return "dark" if dark else "light"
