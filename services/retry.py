"""The one retry policy: how many tries, how long to wait between them, and waiting that obeys cancel.

Shared by the source clients (``services.sources.http``) and the AI adapters (``services.ai``).
A server's own hint (Retry-After, Gemini's RetryInfo) replaces the backoff step when it gives one,
still capped by ``max_delay``.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.progress import CancelToken


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # total tries, first one included
    backoff: float = 1.0  # first wait in seconds; doubles each time
    max_delay: float = 8.0

    def delay(self, attempt: int, hint: float | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (0 = the first try)."""
        step = hint if hint is not None else self.backoff * 2.0 ** attempt
        return max(0.0, min(self.max_delay, step))

    def allows_retry(self, attempt: int) -> bool:
        """True when failed try number ``attempt`` (0-based) may be followed by another."""
        return attempt + 1 < max(1, self.attempts)


def pause(seconds: float, cancel: CancelToken | None = None, *,
          tick: Callable[[int], None] | None = None) -> None:
    """Sleep ``seconds``; raise ``Cancelled`` as soon as ``cancel`` is set.

    ``tick(seconds_left)`` is called about once a second (for a countdown on screen).
    """
    end = time.monotonic() + max(0.0, seconds)
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        if tick is not None:
            tick(max(1, math.ceil(left)))
        step = min(1.0, left) if tick is not None else left
        if cancel is not None:
            cancel.wait(step)
        else:
            time.sleep(step)
