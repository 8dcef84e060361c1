"""The screens' side of passphrase protection: which pages wait behind the unlock form, and the calls
the settings page and the unlock form make. The work itself is ``services.user_file.UserFile``
(``services.user_file`` of the composition root); messages are re-exported from there.
"""
from __future__ import annotations

from app.wiring import AppServices
from services.user_file import (
    CHANGED,
    DISABLED,
    EMPTY_PASSPHRASE,
    ENABLED,
    LOCKED_MESSAGE,
    MIN_LENGTH,
    MISMATCH,
    NOT_OPEN,
    PASSPHRASE_ENV,
    SAME_AS_OLD,
    TOO_SHORT,
    UNLOCKED,
    ProtectionError,
)
from storage.crypto_codec import KdfParams

__all__ = [
    "CHANGED", "DISABLED", "EMPTY_PASSPHRASE", "ENABLED", "LOCKED_MESSAGE", "MIN_LENGTH", "MISMATCH", "NOT_OPEN",
    "PASSPHRASE_ENV", "SAME_AS_OLD", "TOO_SHORT", "UNLOCKED", "USER_FILE_ROUTES", "ProtectionError", "change",
    "disable", "enable", "is_locked", "is_protected", "needs_unlock_screen", "unlock",
]

# Pages that read or write the user file; they wait behind the unlock form while it is closed.
USER_FILE_ROUTES = frozenset({"/cases", "/case/<case_id>"})


def is_protected(services: AppServices) -> bool:
    return services.user_file.is_protected()


def is_locked(services: AppServices) -> bool:
    return services.user_file.is_locked()


def needs_unlock_screen(services: AppServices, web_mode: bool, route_pattern: str) -> bool:
    """Whether a page must show the unlock form instead of itself (desktop, locked, a user-file page)."""
    return not web_mode and route_pattern in USER_FILE_ROUTES and services.user_file.is_locked()


def unlock(services: AppServices, passphrase: str) -> str:
    return services.user_file.unlock(passphrase)


def enable(services: AppServices, new: str, confirm: str, params: KdfParams | None = None) -> str:
    return services.user_file.enable(new, confirm, params)


def change(services: AppServices, old: str, new: str, confirm: str, params: KdfParams | None = None) -> str:
    return services.user_file.change(old, new, confirm, params)


def disable(services: AppServices, passphrase: str) -> str:
    return services.user_file.disable(passphrase)
