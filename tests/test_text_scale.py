"""글자 크기: one theme carries every text size, so scaling it scales the app; literal sizes would escape it."""
from __future__ import annotations

import re
from pathlib import Path

import flet as ft

from app import theme

APP = Path(__file__).resolve().parent.parent / "app"


def test_each_normal_size_has_its_style_and_scales():
    assert theme.px(16) == ft.TextThemeStyle.BODY_MEDIUM and theme.px(28) == ft.TextThemeStyle.DISPLAY_SMALL
    normal = theme.make_theme(dark=False, font_family="NanumGothic").text_theme
    large = theme.make_theme(dark=False, font_family="NanumGothic", scale=1.25).text_theme
    assert normal is not None and large is not None
    assert normal.body_medium is not None and normal.body_medium.size == 16
    assert large.body_medium is not None and large.body_medium.size == 20
    assert large.label_large is not None and large.label_large.size == 20  # buttons grow too


def test_the_scale_cycles_and_a_damaged_value_means_normal():
    assert [theme.next_scale(s) for s, _ in theme.TEXT_SCALES] == [1.25, 1.5, 1.0]
    assert theme.read_scale("1.25") == 1.25
    assert theme.read_scale("7") == 1.0 and theme.read_scale(None) == 1.0 and theme.read_scale("abc") == 1.0
    assert theme.scale_name(1.5) == "아주 크게"


def test_no_text_in_the_app_has_a_size_of_its_own():
    literal = re.compile(r"ft\.Text\([^)]*\bsize=\d|text_size=\d")
    found = [f"{p.relative_to(APP)}:{n}" for p in APP.rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert not found, found
