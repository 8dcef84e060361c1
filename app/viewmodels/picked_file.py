"""Letting the user pick one file in the app (desktop or web) and reading it through services.picked_files."""
from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from app.platform.browser import file_picker
from services.picked_files import PickedFile, picked_bytes


def trusts_paths(ctx: Any) -> bool:
    """Whether a picked path names a file on this computer: never for a web visitor."""
    return not getattr(ctx, "web_mode", True) and not getattr(ctx.page, "web", True)


async def pick_one(ctx: Any, *, title: str, extensions: list[str], max_bytes: int,
                   hint: str = "") -> PickedFile | None:
    """Let the user pick one file and read it safely; None if the user cancelled."""
    files = await file_picker(ctx).pick_files(dialog_title=title, file_type=ft.FilePickerFileType.CUSTOM,
                                              allowed_extensions=extensions, with_data=True)
    if not files:
        return None
    return await asyncio.to_thread(picked_bytes, files[0], trust_path=trusts_paths(ctx), max_bytes=max_bytes,
                                   hint=hint)
