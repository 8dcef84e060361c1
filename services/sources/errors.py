"""Errors raised by the data-source clients (all carry a Korean message, never a key)."""
from __future__ import annotations

from core.errors import SanjaeError


class SourceError(SanjaeError):
    """A data source could not be reached or answered with an error."""

    def __init__(self, message: str, *, retryable: bool = False, code: str = "") -> None:
        super().__init__(message, retryable=retryable)
        # A short machine-readable reason ("timeout", "http-503", "portal-30", ...) for tests and logs.
        self.code = code


class PortalError(SourceError):
    """공공데이터포털 answered with an error or could not be reached."""


class PortalQuotaError(PortalError):
    """The daily call quota is used up (reason code 22): stop and resume tomorrow."""


class LawGoKrError(SourceError):
    """국가법령정보센터 answered with an error or could not be reached."""


class NotFoundError(SourceError):
    """The source has no document for the requested id."""
