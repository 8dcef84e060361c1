"""Network faults: a portal that hangs up mid-body during a sync, a law.go.kr server too slow to answer,
an AI server that drops the stream half-way, and one that accepts the connection and never answers."""
from __future__ import annotations

import threading

import huggingface_hub.constants
import pytest

from core.errors import Cancelled
from core.progress import CancelToken
from services.ai import errors as E
from services.ai.errors import AIError
from services.analysis import OverlapFinder, analyze
from services.judgment import READER
from services.sources.errors import LawGoKrError, PortalError
from services.sources.http import RetryPolicy
from services.sources.lawgokr import LawGoKrClient
from services.sources.portal import PortalClient
from services.summaries import summarize
from services.sync import sync
from storage.precedents import PrecedentStore
from storage.summary_cache import SummaryCache
from tests.fakes import gemini_server
from tests.fakes.ai_models import gemini_model, gemma_model
from tests.fakes.faults import CutStreamServer, SilentServer, assert_korean_failure
from tests.fakes.lawgokr import OC, FakeLawGoKr, make_iaciac
from tests.fakes.portal import RAW_KEY, FakePortal, make_records, portal_id
from tests.test_fuzz_models import RECORDS, SITUATION

FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01)


@pytest.fixture(autouse=True)
def hub_online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)


def stored_ids(store: PrecedentStore) -> list[str]:
    return [r.id for r in store.iter_records() if not r.is_sample]


# -- sync -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["dropped", "truncated", "empty"])
def test_portal_hanging_up_mid_sync_stops_in_korean_and_the_rerun_stores_every_record_once(fault: str) -> None:
    records = make_records(430, seed=5)
    store = PrecedentStore(reader=READER)
    with FakePortal(records) as fake:
        fake.fail_from_page = (3, fault)  # pages 1-2 arrive, then every answer is cut off mid-body
        with (
            PortalClient(RAW_KEY, base_url=fake.base_url, retry=FAST_RETRY) as client,
            pytest.raises(PortalError) as err,
        ):
            sync("portal", store, client=client)
        assert_korean_failure(err.value)
        assert err.value.retryable and "다시 시도" in err.value.message
        assert sorted(stored_ids(PrecedentStore(reader=READER))) == sorted(portal_id(r) for r in records[:200])
        assert PrecedentStore(reader=READER).sync_state("portal")["next_page"] == 3
        fake.fail_from_page = None
        asked_before = len(fake.page_requests())
        with PortalClient(RAW_KEY, base_url=fake.base_url, retry=FAST_RETRY) as client:
            report = sync("portal", PrecedentStore(reader=READER), client=client)
        assert fake.page_requests()[asked_before:] == [3, 4, 5]  # resumed where it stopped
    ids = stored_ids(PrecedentStore(reader=READER))
    assert report.complete and len(ids) == len(set(ids)) == 430
    assert set(ids) == {portal_id(r) for r in records}


def test_law_go_kr_too_slow_stops_with_a_timeout_message_and_the_rerun_completes() -> None:
    rows = make_iaciac(30)
    store = PrecedentStore(reader=READER)
    with FakeLawGoKr(iaciac=rows) as fake:
        fake.slow_seconds = 1.5
        fake.queue(*(["slow"] * 2))  # the list page and its one retry both time out
        with (
            LawGoKrClient(OC, base_url=fake.base_url, retry=FAST_RETRY, timeout=0.4) as client,
            pytest.raises(LawGoKrError) as err,
        ):
            sync("iaciac", store, client=client)
        assert_korean_failure(err.value)
        assert err.value.code == "timeout" and "제때 응답하지" in err.value.message
        with LawGoKrClient(OC, base_url=fake.base_url, retry=FAST_RETRY, timeout=5) as client:
            report = sync("iaciac", PrecedentStore(reader=READER), client=client)
    ids = stored_ids(PrecedentStore(reader=READER))
    assert report.complete and len(ids) == len(set(ids)) == 30


# -- the AI server ----------------------------------------------------------------------------------
HALF_ANSWER = ['{"issues": ["퇴행성 변화와', ' 업무 부담"], "assessment": {"strengths": ["중량물']


def test_stream_dropped_half_way_is_an_ai_error_and_no_partial_answer_is_shown() -> None:
    deltas: list[str] = []
    with CutStreamServer(HALF_ANSWER) as server:
        model = gemma_model(server.url, retries=0)
        with pytest.raises(AIError) as err:
            analyze(SITUATION, OverlapFinder(RECORDS), model=model, k=2, on_delta=deltas.append,
                    cancel=CancelToken())
    assert_korean_failure(err.value)
    assert err.value.message in (E.MSG_CONNECT, E.MSG_STREAM, E.MSG_BROKEN)
    assert "".join(deltas) == "".join(HALF_ANSWER)  # the live preview saw the text; no result was returned
    assert len([r for r in server.requests if r[0] == "POST"]) == 1  # no repair request on a broken stream


def test_stream_dropped_half_way_in_a_gemma_summary_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    with CutStreamServer(['{"preview": "택배 상하차 노동자의', ' 허리디스크"']) as server:
        monkeypatch.setenv("SANJAE_LLM_URL", server.url)
        cache = SummaryCache()
        with pytest.raises(AIError) as err:
            summarize(RECORDS[0], "gemma", cache=cache, cancel=CancelToken())
    assert_korean_failure(err.value)
    assert cache.latest(RECORDS[0].id) is None


def test_a_server_that_never_answers_times_out_with_a_korean_message() -> None:
    with SilentServer() as server:
        model = gemma_model(server.url, retries=0, timeout=0.5)
        with pytest.raises(AIError) as err:
            model.generate([{"role": "user", "content": "안녕하세요"}], max_tokens=8, cancel=CancelToken())
        assert server.connections  # it did connect; the server just never spoke
    assert_korean_failure(err.value)
    assert err.value.kind == "timeout" and err.value.message == E.MSG_TIMEOUT


def test_cancel_ends_the_wait_for_a_silent_server_before_its_timeout() -> None:
    token = CancelToken()
    outcome: list[BaseException] = []
    with SilentServer() as server:
        model = gemma_model(server.url, retries=0, timeout=60)
        worker = threading.Thread(target=lambda: _capture(outcome, lambda: analyze(
            SITUATION, OverlapFinder(RECORDS), model=model, k=2, cancel=token)))
        worker.start()
        while not server.connections and worker.is_alive():
            worker.join(0.05)
        token.cancel()
        worker.join(20)  # far below the 60 s read timeout
        assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled), outcome
    assert_korean_failure(outcome[0])


def _capture(box: list[BaseException], call) -> None:
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        box.append(exc)


def test_gemini_that_never_answers_times_out_and_cancel_works(monkeypatch: pytest.MonkeyPatch) -> None:
    with gemini_server.FakeGemini() as server:
        server.queue(gemini_server.hang(3.0))
        engine = gemini_model(server.url, "AIzaMARKERGEMINIKEY000", retries=0, timeout=1.0)
        with pytest.raises(AIError) as err:
            engine.generate([{"role": "user", "content": "요약"}], schema={"type": "object"})
        assert err.value.message == E.GEMINI_TIMEOUT
        server.queue(gemini_server.hang(3.0))
        token = CancelToken()
        threading.Timer(0.3, token.cancel).start()
        slow = gemini_model(server.url, "AIzaMARKERGEMINIKEY000", retries=0, timeout=30.0)
        with pytest.raises(Cancelled):
            slow.generate([{"role": "user", "content": "요약"}], schema={"type": "object"}, cancel=token)
        engine.close()
        slow.close()
