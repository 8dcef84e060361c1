"""Korean font and light/dark themes.

Without a bundled font every Hangul glyph renders as a box, in web and desktop alike, so the
NanumGothic file is copied into ``assets/fonts/`` (served at ``/fonts/...``) before the app starts and
the desktop window registers it (``page.fonts``). A browser does not: the web server names a small cut
of the same font in Flutter's font manifest, which Flutter loads before its first frame, and the rest of
the font comes after the first view (see WEB_REST_FONT), instead of 4.7 MB after the first view. Only the
regular face is used; Flutter synthesises bold from it.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import flet as ft

from core import paths

log = logging.getLogger(__name__)

FONT_FAMILY = "NanumGothic"
# In a browser the font comes in two pieces (app/web/fonts.py): the first (KS X 1001 and every character of
# the app's screens) through Flutter's font manifest, before the first frame; the rest (rarer syllables, Hanja)
# is registered here, fetched while the first view is already on screen, as every text's fallback.
WEB_REST_FAMILY = "NanumGothicRest"
WEB_REST_FONT = "/fonts/sanjae-gothic-extra.woff2"
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


# Every text takes its size from the theme, through the style that stands for that size at 100 %:
# then 글자 크기 scales the whole app (texts, fields, buttons, navigation) by changing one theme.
_STYLE_PX: dict[ft.TextThemeStyle, int] = {
    ft.TextThemeStyle.LABEL_SMALL: 13, ft.TextThemeStyle.LABEL_MEDIUM: 14, ft.TextThemeStyle.BODY_SMALL: 15,
    ft.TextThemeStyle.BODY_MEDIUM: 16, ft.TextThemeStyle.LABEL_LARGE: 16, ft.TextThemeStyle.TITLE_SMALL: 17,
    ft.TextThemeStyle.BODY_LARGE: 18, ft.TextThemeStyle.TITLE_MEDIUM: 18, ft.TextThemeStyle.HEADLINE_SMALL: 20,
    ft.TextThemeStyle.TITLE_LARGE: 22, ft.TextThemeStyle.HEADLINE_MEDIUM: 24, ft.TextThemeStyle.DISPLAY_SMALL: 28,
}
# Buttons (LABEL_LARGE) and Material's own titles (TITLE_MEDIUM) are not offered for plain texts.
_PX_STYLE = {size: style for style, size in _STYLE_PX.items()
             if style not in (ft.TextThemeStyle.LABEL_LARGE, ft.TextThemeStyle.TITLE_MEDIUM)}
_BOLD_STYLES = {ft.TextThemeStyle.TITLE_LARGE, ft.TextThemeStyle.TITLE_MEDIUM}
_PLAIN_WEIGHT_KEEP = {ft.TextThemeStyle.LABEL_LARGE}   # buttons keep Material's medium weight

TEXT_SCALE_KEY = "ui.text_scale"
TEXT_SCALE_PREF = "sanjae.ui.text_scale"   # remembered in this browser / on this computer
TEXT_SCALES: list[tuple[float, str]] = [(1.0, "보통"), (1.25, "크게"), (1.5, "아주 크게")]


def px(size: int) -> ft.TextThemeStyle:
    """The theme style for a text of ``size`` px at normal size: ``ft.Text(x, theme_style=px(16))``."""
    return _PX_STYLE[size]


def scale_name(scale: float) -> str:
    return next((name for value, name in TEXT_SCALES if abs(value - scale) < 0.01), "보통")


def next_scale(scale: float) -> float:
    values = [value for value, _ in TEXT_SCALES]
    later = [value for value in values if value > scale + 0.01]
    return later[0] if later else values[0]


def read_scale(value: object) -> float:
    """A remembered scale, or 1.0 for anything else (an old or damaged value)."""
    try:
        number = float(str(value))
    except ValueError:
        return 1.0
    return number if any(abs(number - v) < 0.01 for v, _ in TEXT_SCALES) else 1.0


def _snake(camel: str) -> str:
    """"bodyLarge" → "body_large" (the TextTheme field for a TextThemeStyle)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


def _text_theme(font_family: str | None, scale: float, fallback: list[str] | None = None) -> ft.TextTheme:
    # Body text at least 16 px: many users read on phones, some with poor eyesight.
    # Each style names the font itself: a custom text style does not inherit Theme.font_family.
    def style(name: ft.TextThemeStyle) -> ft.TextStyle:
        weight = ft.FontWeight.BOLD if name in _BOLD_STYLES else \
            None if name in _PLAIN_WEIGHT_KEEP else ft.FontWeight.NORMAL
        return ft.TextStyle(size=round(_STYLE_PX[name] * scale, 1), font_family=font_family, weight=weight,
                            font_family_fallback=fallback)

    return ft.TextTheme(**{_snake(name.value): style(name) for name in _STYLE_PX})


_TALL_BUTTON = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14))


def make_theme(dark: bool, font_family: str | None, scale: float = 1.0, fallback: list[str] | None = None) -> ft.Theme:
    return ft.Theme(
        color_scheme_seed=SEED_COLOR,
        font_family=font_family,
        text_theme=_text_theme(font_family, scale, fallback),
        visual_density=ft.VisualDensity.COMFORTABLE,
        # Tap targets of at least 48 px on phones (Material's guideline; the default here is 36-40).
        button_theme=ft.ButtonTheme(style=_TALL_BUTTON),
        outlined_button_theme=ft.OutlinedButtonTheme(style=_TALL_BUTTON),
        text_button_theme=ft.TextButtonTheme(style=_TALL_BUTTON),
        filled_button_theme=ft.FilledButtonTheme(style=_TALL_BUTTON),
        icon_button_theme=ft.IconButtonTheme(style=ft.ButtonStyle(padding=ft.Padding.all(12))),
        chip_theme=ft.ChipTheme(padding=ft.Padding.symmetric(horizontal=6, vertical=4),
                                label_padding=ft.Padding.symmetric(horizontal=8, vertical=8)),
        # Six labels share a phone's width: they keep their size (the icons say the rest) so none breaks in two.
        navigation_bar_theme=ft.NavigationBarTheme(label_text_style=ft.TextStyle(
            size=14, font_family=font_family, font_family_fallback=fallback)),
    )


def _fallback(page: ft.Page, family: str | None) -> list[str] | None:
    return [WEB_REST_FAMILY] if page.web and family else None


def apply_theme(page: ft.Page, fonts: dict[str, str], mode: str | None = None, scale: float = 1.0) -> None:
    """Register fonts and the light and dark themes on a page."""
    family = FONT_FAMILY if FONT_FAMILY in fonts else None
    if fonts:
        page.fonts = {WEB_REST_FAMILY: WEB_REST_FONT} if page.web else dict(fonts)
    fallback = _fallback(page, family)
    page.theme = make_theme(dark=False, font_family=family, scale=scale, fallback=fallback)
    page.dark_theme = make_theme(dark=True, font_family=family, scale=scale, fallback=fallback)
    # Flutter eases from its default theme into this one: for those frames texts have a font without
    # Hangul, and a browser then fetches fallback fonts for every syllable on the page.
    page.theme_animation_style = ft.AnimationStyle.no_animation()
    if mode is not None or page.theme_mode is None:
        page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(mode or "", ft.ThemeMode.LIGHT)


def apply_scale(page: ft.Page, scale: float) -> None:
    """Redraw the whole app with texts ``scale`` times their normal size (글자 크기)."""
    family = page.theme.font_family if page.theme else None
    fallback = _fallback(page, family)
    page.theme = make_theme(dark=False, font_family=family, scale=scale, fallback=fallback)
    page.dark_theme = make_theme(dark=True, font_family=family, scale=scale, fallback=fallback)


def toggle_theme_mode(page: ft.Page) -> str:
    """Switch light ↔ dark; return the new mode name."""
    dark = page.theme_mode != ft.ThemeMode.DARK
    page.theme_mode = ft.ThemeMode.DARK if dark else ft.ThemeMode.LIGHT
    return "dark" if dark else "light"
