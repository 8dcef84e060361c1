"""Failures of the summary services, each with a plain Korean message."""
from __future__ import annotations

from core.errors import SanjaeError


class SummaryError(SanjaeError):
    """A summary could not be made; ``message`` says why and what to try next."""


class SummaryFormatError(ValueError):
    """Model output that is not the JSON we asked for.

    Internal: the service asks the model once more with ``reason`` and turns a second failure
    into a ``SummaryError``. ``reason`` is written for the model, not for the user.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


FORMAT_REJECTED = ("AI가 만든 요약의 형식이 올바르지 않아 보여 드리지 않았습니다. "
                   "'다시 요약'을 눌러 한 번 더 시도하거나, 요약 방식을 '자동 발췌'로 바꿔 보세요.")
