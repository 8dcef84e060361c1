"""A web visitor who has used up the operator's AI allowance is told in Korean, in a real browser."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, running_app, screenshot, type_into
from tests.fakes.gemini_server import FakeGemini, error

pytestmark = pytest.mark.e2e
LONG = 30_000
NOTICE = ("요양급여 불승인 통지. 귀하가 신청한 요추 추간판탈출증은 퇴행성 변화로 보여 업무와의 상당인과관계를 "
          "인정하기 어려워 불승인합니다. 이 결정에 이의가 있으면 90일 이내에 심사청구를 할 수 있습니다.")


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FakeGemini]]:
    # Gemini answers with an error: the allowance counts a call that reaches the AI service either way.
    with FakeGemini(default=error(400, message="bad request")) as gemini:
        env = {"GEMINI_API_KEY": "fake-gemini-key", "SANJAE_GEMINI_URL": gemini.url,
               "SANJAE_SUMMARY_ENGINE": "gemini", "SANJAE_AI_PER_SESSION": "1"}
        with running_app(tmp_path_factory.mktemp("ai-limit"), env) as url:
            yield url, gemini


@pytest.mark.parametrize("width", [390, 1280])
def test_the_second_ai_summary_is_refused_with_the_wait(browser, limited_app, width: int) -> None:
    url, gemini = limited_app
    context, page = open_app(browser, url + "summarize", width=width)
    try:
        type_into(page, "요약할 글", NOTICE)
        page.get_by_role("button", name="요약하기").click()
        expect(page.get_by_text(re.compile("요약하지 못했|요청"))).not_to_have_count(0, timeout=LONG)
        calls = len(gemini.calls)
        assert calls >= 1  # the first summary went to the AI service
        page.get_by_role("button", name="요약하기").click()
        expect(page.get_by_text(re.compile("AI 요청이 많아 잠시 쉬어 갑니다")).first).to_be_visible(timeout=LONG)
        screenshot(page, f"ai-limit-{width}.png")
        assert len(gemini.calls) == calls  # the refused summary never reached it
    finally:
        context.close()
