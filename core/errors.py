"""Errors that reach users.

Every error the services raise on purpose is a ``SanjaeError`` whose ``message`` is plain Korean:
what happened and what to do next. The UI shows ``message`` as is; the CLI prints it and exits 2.
Messages never contain API keys: build them from fixed text and safe values only.
"""
from __future__ import annotations


class SanjaeError(Exception):
    """A failure with a Korean message meant for the user."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable

    def __str__(self) -> str:
        return self.message


class Cancelled(SanjaeError):
    """The user cancelled a long task."""

    def __init__(self, message: str = "작업을 취소했습니다. 이미 받은 자료는 그대로 남아 있습니다.") -> None:
        super().__init__(message)


class ConfigError(SanjaeError):
    """A setting (key, URL) is missing or unusable."""


class StoreError(SanjaeError):
    """Local data could not be read or written."""
