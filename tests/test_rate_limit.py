"""Web visitors' AI calls are limited per session and per address; the desktop app is never limited."""
from __future__ import annotations

import pytest

from app.context import PageContext
from app.wiring import AppServices
from services.rate_limit import Limits, RateLimited, RateLimiter
from tests.fakes.ui_session import make_page


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_gets_its_share_then_a_korean_message_with_the_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(Limits(per_session=3, per_address=100, window_s=600), clock)
    for _ in range(3):
        limiter.take("tab-a", "10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        limiter.take("tab-a", "10.0.0.1")
    assert "10분 뒤" in refused.value.message and "자동 발췌" in refused.value.message
    limiter.take("tab-b", "10.0.0.1")  # another visitor is not held up
    clock.now += 601  # the window slides
    limiter.take("tab-a", "10.0.0.1")


def test_many_tabs_from_one_address_share_the_address_limit() -> None:
    limiter = RateLimiter(Limits(per_session=100, per_address=4, window_s=60), Clock())
    for i in range(4):
        limiter.take(f"tab-{i}", "10.0.0.9")
    with pytest.raises(RateLimited):
        limiter.take("tab-new", "10.0.0.9")
    limiter.take("tab-new", "10.0.0.10")


def test_a_refused_call_is_not_counted() -> None:
    clock = Clock()
    limiter = RateLimiter(Limits(per_session=1, per_address=100, window_s=60), clock)
    limiter.take("a", "x")
    for _ in range(5):
        with pytest.raises(RateLimited):
            limiter.take("a", "x")
    clock.now += 61
    limiter.take("a", "x")


def test_the_operator_sets_the_limits_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANJAE_AI_PER_SESSION", "2")
    monkeypatch.setenv("SANJAE_AI_PER_ADDRESS", "0")  # 0: no address limit
    monkeypatch.setenv("SANJAE_AI_WINDOW_MINUTES", "abc")  # not a number: the default
    assert Limits.from_env() == Limits(per_session=2, per_address=0, window_s=3600.0)


def test_page_context_counts_only_web_visitors(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SANJAE_AI_PER_SESSION", "1")
    services = AppServices.open(tmp_path, web_mode=True)
    page, _ = make_page()
    web = PageContext(page, services, web_mode=True)
    web.charge_ai()
    with pytest.raises(RateLimited):
        web.charge_ai()
    desktop = PageContext(page, services, web_mode=False)
    for _ in range(5):
        desktop.charge_ai()
