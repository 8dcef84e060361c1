"""A small coloured label for a case's nearest appeal deadline (D-14, D-7, D-3, 기한 지남)."""
from __future__ import annotations

import flet as ft

from app.theme import px
from app.viewmodels.case_rows import Badge

# tone → (background, text colour). Overdue uses the error colours and plain words, not only red.
_TONES = {
    "overdue": (ft.Colors.ERROR, ft.Colors.ON_ERROR),
    "urgent": (ft.Colors.ORANGE_800, ft.Colors.WHITE),
    "soon": (ft.Colors.AMBER_300, ft.Colors.BLACK),
    "near": (ft.Colors.TERTIARY_CONTAINER, ft.Colors.ON_TERTIARY_CONTAINER),
    "calm": (ft.Colors.SECONDARY_CONTAINER, ft.Colors.ON_SECONDARY_CONTAINER),
    "none": (ft.Colors.SURFACE_CONTAINER_HIGHEST, ft.Colors.ON_SURFACE_VARIANT),
    "damaged": (ft.Colors.ERROR_CONTAINER, ft.Colors.ON_ERROR_CONTAINER),
}
_ICONS = {"overdue": ft.Icons.ERROR_OUTLINE, "urgent": ft.Icons.ALARM, "soon": ft.Icons.ALARM,
          "near": ft.Icons.EVENT, "calm": ft.Icons.EVENT, "none": ft.Icons.EVENT_BUSY,
          "damaged": ft.Icons.BROKEN_IMAGE_OUTLINED}


def deadline_badge(badge: Badge) -> ft.Control:
    bg, fg = _TONES.get(badge.tone, _TONES["none"])
    return ft.Container(
        content=ft.Row([ft.Icon(_ICONS.get(badge.tone, ft.Icons.EVENT), size=16, color=fg),
                        ft.Text(badge.text, theme_style=px(14), color=fg, weight=ft.FontWeight.BOLD)],
                       spacing=4, tight=True),
        bgcolor=bg, border_radius=12, padding=ft.Padding.symmetric(horizontal=10, vertical=4),
        tooltip=badge.detail,
    )
