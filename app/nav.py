"""One entry of the navigation bar/rail, shared by the router (which finds them) and the page shell."""
from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@dataclass(frozen=True)
class NavEntry:
    label: str
    icon: ft.IconData | str
    order: int
    route: str
