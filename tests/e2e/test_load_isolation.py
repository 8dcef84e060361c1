"""Several visitors at once, and one visitor's slow AI summary never holds up another visitor's search.

The app runs with an operator-set Gemma server: a fake OpenAI-compatible server on 127.0.0.1 that,
for the slow case, sends the first piece of its answer and then holds the rest until the test
releases it. The order of events is asserted, never a time budget.
"""
from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROME_ARGS, CHROMIUM, add_loader_hook, running_app
from tests.e2e.diagnostics import watch

pytestmark = pytest.mark.e2e
LONG = 45_000
VISITORS = 4
# Each visitor searches for something different at the same time; the last one is for the slow case.
QUERIES = ["허리 디스크", "과로로 쓰러졌어요", "소음성 난청", "어깨 회전근개", "진폐"]
AI_NOTICE = re.compile("^AI 요약: ")


def precedent_answer() -> dict:
    return {
        "preview": "업무 부담이 인정되어 노동자가 이긴 사건입니다.",
        "plaintiff": "오래 일하다 다친 노동자", "defendant": "근로복지공단",
        "result": "법원이 불승인 처분을 취소했습니다.",
        "background": "노동자가 요양을 신청했으나 공단이 업무 관련성을 인정하지 않았습니다.",
        "issues": ["업무와 질병 사이에 상당인과관계가 있는지"],
        "reasoning": "업무 부담이 질병을 자연적인 진행보다 빠르게 악화시켰다고 보았습니다.",
        "deciding_facts": {"recognized": ["반복된 중량물 취급"], "not_recognized": ["퇴행성 변화"]},
        "statutes": ["산업재해보상보험법 제37조"],
    }


class PatientHold(threading.Event):
    """Holds the fake's answer after its first piece. The fake gives up waiting after 10 s, which a
    busy machine could reach before the other visitor's page has answered; wait up to a minute."""

    def wait(self, timeout=None) -> bool:
        return super().wait(60)


def results_lines(queries: list[str]) -> dict[str, str]:
    """The results line each query must show, worked out here on a private copy of the samples."""
    from app.viewmodels.search_vm import SearchQuery, SearchViewModel
    from services.judgment import READER
    from services.search import SearchService
    from storage.precedents import PrecedentStore

    with tempfile.TemporaryDirectory() as tmp:
        store = PrecedentStore(Path(tmp) / "cache", reader=READER)
        vm = SearchViewModel(SearchService(store, index_dir=Path(tmp) / "index"))
        return {q: vm.run(SearchQuery(text=q)).summary_line for q in ["", *queries]}


@pytest.fixture(scope="module")
def ai_app(tmp_path_factory) -> Iterator[tuple[str, object, Path]]:
    """The app with a (fake) Gemma server set by the operator and Gemma as the summary engine."""
    from tests.fakes.llm_server import FakeLLMServer

    with FakeLLMServer("vllm", answer=json.dumps(precedent_answer(), ensure_ascii=False)) as server:
        data = tmp_path_factory.mktemp("e2e-load-data")
        with running_app(data, {"SANJAE_LLM_URL": server.url, "SANJAE_SUMMARY_ENGINE": "gemma"}) as url:
            yield url, server, data / "app.log"


@pytest.fixture(scope="module")
def lines() -> dict[str, str]:
    return results_lines(QUERIES)


@pytest.fixture(scope="module")
def crowd_browser(playwright_session):
    """One Chromium for the whole crowd: the visitors must share it to run at the same time."""
    b = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture(scope="module")
def crowd(crowd_browser):
    """Four visitors, each in its own browser context (own cookies, storage and app session)."""
    contexts = [crowd_browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
                for _ in range(VISITORS)]
    for context in contexts:
        add_loader_hook(context)
    pages = [c.new_page() for c in contexts]
    for page in pages:
        watch(page)
    errors: list[str] = []
    for n, page in enumerate(pages):
        page.on("pageerror", lambda err, n=n: errors.append(f"visitor {n}: {err}"))
    try:
        yield pages, errors
    finally:
        for context in contexts:
            context.close()


def visible_text(page, text):
    # Only visible matches: a page under the top one may still hold the same words.
    return page.get_by_text(text, exact=True).filter(visible=True).first


def type_keys(page, label: str, text: str, attempts: int = 3) -> None:
    """Key by key, then check: Flutter may drop a value set on its input before its editor attached."""
    box = page.get_by_label(label)
    for _ in range(attempts):
        box.click()
        box.fill("")
        box.press_sequentially(text, delay=20)
        page.wait_for_timeout(250)
        if box.input_value() == text:
            return
    raise AssertionError(f"could not type {text!r} into {label!r}")


def has_query(query: str):
    return lambda url: parse_qs(urlparse(url).query).get("q") == [query]


def semantics_on(page) -> None:
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=60_000)
    placeholder.evaluate("el => el.click()")


def arrive_searching(pages, url: str, queries: list[str]) -> None:
    """Every visitor follows a search link at the same moment; the app loads and searches for each."""
    for page, query in zip(pages, queries, strict=True):
        page.goto(f"{url}search?q={quote(query)}", wait_until="commit")
    for page in pages:
        semantics_on(page)


def test_four_visitors_searching_at_once_all_get_their_results(crowd, lines, ai_app):
    url, _server, log_path = ai_app
    pages, errors = crowd
    mine = QUERIES[:VISITORS]
    arrive_searching(pages, url, mine)
    for page, query in zip(pages, mine, strict=True):
        expect(visible_text(page, lines[query])).to_be_visible(timeout=LONG)
        expect(page.get_by_role("button", name=re.compile("판례 자세히 보기")).first).to_be_visible()
    # Each visitor still sees their own search, not a neighbour's.
    for page, query in zip(pages, mine, strict=True):
        assert has_query(query)(page.url)
        expect(visible_text(page, lines[query])).to_be_visible()
    assert not errors, errors
    log_text = log_path.read_text(errors="replace")
    assert "Traceback" not in log_text, log_text[-2000:]


def test_a_slow_ai_call_does_not_hold_up_another_visitors_search(crowd, lines, ai_app):
    from tests.fakes.llm_server import Stream

    url, server, log_path = ai_app
    pages, errors = crowd
    waiting, searching = pages[0], pages[1]
    if not (has_query(QUERIES[0])(waiting.url) and has_query(QUERIES[1])(searching.url)):
        arrive_searching([waiting, searching], url, QUERIES[:2])  # this test run on its own
    for page, query in ((waiting, QUERIES[0]), (searching, QUERIES[1])):
        expect(visible_text(page, lines[query])).to_be_visible(timeout=LONG)
    hold = PatientHold()
    server.script.append(Stream(text=json.dumps(precedent_answer(), ensure_ascii=False), hold=hold))
    requests_before = len(server.chat_requests)
    finished_before = len(server.stream_finished)
    try:
        # Visitor A opens a precedent: its Gemma summary starts and the server holds the answer.
        waiting.get_by_role("button", name=re.compile("판례 자세히 보기")).first.click()
        expect(visible_text(waiting, "판결문")).to_be_visible(timeout=LONG)
        expect(visible_text(waiting, "요약하고 있습니다…")).to_be_visible(timeout=LONG)
        for _ in range(300):
            if len(server.chat_requests) > requests_before:
                break
            waiting.wait_for_timeout(100)
        assert len(server.chat_requests) > requests_before, "the summary never reached the AI server"

        # Visitor B searches meanwhile and gets the results.
        query = QUERIES[VISITORS]
        type_keys(searching, "찾을 말", query)
        searching.keyboard.press("Enter")
        searching.wait_for_url(has_query(query), timeout=LONG)
        expect(visible_text(searching, lines[query])).to_be_visible(timeout=LONG)

        # ... while A's answer is still being held by the AI server.
        assert server.stream_finished[finished_before:] == [], "the slow answer finished before B's search"
        expect(visible_text(waiting, "요약하고 있습니다…")).to_be_visible()
    finally:
        hold.set()
    # Released: A's summary arrives in full.
    expect(visible_text(waiting, AI_NOTICE)).to_be_visible(timeout=LONG)
    assert server.stream_finished[finished_before:] == [True]
    assert not errors, errors
    assert "Traceback" not in log_path.read_text(errors="replace")
