"""How often web visitors may use the operator's AI services (Gemini, the Gemma server).

In web mode every AI call is paid by the operator's key or endpoint. Each call a visitor starts is counted
twice: against the visitor's session and against the network address it comes from (several tabs or a
script share one address). Both limits are sliding windows; the operator sets them in the environment.
"""
from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import SanjaeError

PER_SESSION_ENV = "SANJAE_AI_PER_SESSION"
PER_ADDRESS_ENV = "SANJAE_AI_PER_ADDRESS"
WINDOW_ENV = "SANJAE_AI_WINDOW_MINUTES"
DEFAULT_PER_SESSION = 20
DEFAULT_PER_ADDRESS = 60
DEFAULT_WINDOW_MINUTES = 60


class RateLimited(SanjaeError):
    """Too many AI requests in the window; ``retry_after_s`` says when the next one is allowed."""

    def __init__(self, retry_after_s: float) -> None:
        minutes = max(1, math.ceil(retry_after_s / 60))
        super().__init__(f"AI 요청이 많아 잠시 쉬어 갑니다. 약 {minutes}분 뒤에 다시 해 주세요. "
                         "그동안에도 '자동 발췌'(인터넷 없이)와 판례 찾기는 그대로 쓸 수 있습니다.")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Limits:
    per_session: int = DEFAULT_PER_SESSION  # 0: no limit
    per_address: int = DEFAULT_PER_ADDRESS
    window_s: float = DEFAULT_WINDOW_MINUTES * 60.0

    @classmethod
    def from_env(cls) -> Limits:
        """The operator's limits; a value that is not a whole number falls back to its default."""
        return cls(_env_int(PER_SESSION_ENV, DEFAULT_PER_SESSION), _env_int(PER_ADDRESS_ENV, DEFAULT_PER_ADDRESS),
                   _env_int(WINDOW_ENV, DEFAULT_WINDOW_MINUTES, minimum=1) * 60.0)


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw.isascii() or not raw.isdigit():
        return default
    return max(minimum, int(raw))


class RateLimiter:
    """Thread-safe sliding-window counters per session and per address."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], deque[float]] = {}

    def take(self, session: str, address: str) -> None:
        """Count one AI call, or raise ``RateLimited`` (counting nothing) if a limit is reached."""
        now = self._clock()
        keys = [(kind, key, limit) for kind, key, limit in (("session", session, self.limits.per_session),
                                                            ("address", address, self.limits.per_address))
                if limit > 0 and key]
        with self._lock:
            wait = 0.0
            for kind, key, limit in keys:
                calls = self._recent((kind, key), now)
                if len(calls) >= limit:
                    wait = max(wait, calls[0] + self.limits.window_s - now)
            if wait > 0:
                raise RateLimited(wait)
            for kind, key, _ in keys:
                self._calls.setdefault((kind, key), deque()).append(now)
            if len(self._calls) > 10_000:  # forget visitors who went quiet, so memory stays small
                for stale in [k for k in self._calls if not self._recent(k, now)]:
                    del self._calls[stale]

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        calls = self._calls.get(key, deque())
        while calls and calls[0] <= now - self.limits.window_s:
            calls.popleft()
        return calls
