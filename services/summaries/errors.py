"""Failures of the summary services, each with a plain Korean message."""
from __future__ import annotations

from core.errors import SanjaeError


class SummaryError(SanjaeError):
    """A summary could not be made; ``message`` says why and what to try next.

    AI failures arrive as ``services.ai.AIError`` (also a ``SanjaeError``)."""


# The refusal after a model twice wrote a summary that does not fit its shape (``services.ai.generate_validated``).
FORMAT_REJECTED = ("AI가 만든 요약의 형식이 올바르지 않아 보여 드리지 않았습니다. "
                   "'다시 요약'을 눌러 한 번 더 시도하거나, 요약 방식을 '자동 발췌'로 바꿔 보세요.")
