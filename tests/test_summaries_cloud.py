"""Cloud summaries against local servers: GeminiModel (google-genai) → FakeGemini, OpenAICompatModel → FakeOpenAI."""
from __future__ import annotations

import json
import threading
from datetime import date

import huggingface_hub.constants
import pytest

from core.errors import Cancelled
from core.progress import CancelToken
from core.records import Precedent
from services.ai import errors as G
from services.ai.choice import build_model
from services.ai.errors import AIError
from services.ai.json_output import json_schema_for
from services.settings import Settings
from services.summaries import DEFAULT_GEMINI_MODEL, PROMPT_VERSION, SummaryError
from services.summaries.errors import FORMAT_REJECTED
from services.summaries.schema import PrecedentContent
from storage.summary_cache import SummaryCache
from tests.fakes import gemini_server as fake
from tests.fakes.ai_models import gemini_model
from tests.summaries_for_tests import summarize, summarize_text
from tests.test_summaries import NOTICE, sample_records

MARKER_KEY = "AIzaMARKER-test-key-7d1f3c"


@pytest.fixture
def gemini(monkeypatch):
    server = fake.FakeGemini().start()
    monkeypatch.setenv("GEMINI_API_KEY", MARKER_KEY)
    monkeypatch.setenv("SANJAE_GEMINI_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def record() -> Precedent:
    return sample_records()[0]


def answer_json(**overrides) -> str:
    return json.dumps(fake.precedent_answer(**overrides), ensure_ascii=False)


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert MARKER_KEY not in text and MARKER_KEY[:12] not in text


def test_gemini_summary_streams_and_is_cached(gemini, record, isolated_data_dir):
    gemini.queue(fake.text(answer_json()))
    pieces: list[str] = []
    summary = summarize(record, "gemini", on_delta=pieces.append)
    assert summary.engine == "gemini" and summary.model == DEFAULT_GEMINI_MODEL and not summary.is_extract
    assert summary.defendant == "근로복지공단" and summary.label == "AI 요약 (Gemini)"
    assert len(pieces) >= 2 and "".join(pieces) == answer_json()
    call = gemini.calls[0]
    assert call["op"] == "streamGenerateContent" and call["model"] == DEFAULT_GEMINI_MODEL
    assert "alt=sse" in call["path"]
    config = call["body"]["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    sent_schema = config["responseJsonSchema"]
    assert sent_schema == json_schema_for(PrecedentContent)  # made from the pydantic model
    assert sent_schema["required"] == ["preview", "plaintiff", "defendant", "result", "background", "issues",
                                       "reasoning", "deciding_facts", "statutes"]
    assert "$ref" not in json.dumps(sent_schema) and "maxLength" not in json.dumps(sent_schema)
    assert sent_schema["properties"]["deciding_facts"]["properties"]["recognized"]["type"] == "array"
    assert "【주문】" in call["body"]["contents"][0]["parts"][0]["text"]
    assert "plain" in sent_schema["properties"]  # the three plain sentences are asked for, in words too
    sent_text = json.dumps(call["body"], ensure_ascii=False)
    assert "- plain: 법을 모르는 사람도" in sent_text
    assert call["headers"].get("x-goog-api-key") == MARKER_KEY  # sent as a header, nowhere else

    again = summarize(record, "gemini")
    assert again.from_cache and len(gemini.calls) == 1  # the cache answered: no second call
    gemini.queue(fake.text(answer_json(preview="다시 쓴 한 줄 요약")))
    forced = summarize(record, "gemini", force=True)
    assert len(gemini.calls) == 2 and forced.preview == "다시 쓴 한 줄 요약"
    assert summarize(record, "gemini").preview == "다시 쓴 한 줄 요약"

    stored = "".join(p.read_text("utf-8", errors="replace") for p in isolated_data_dir.rglob("*") if p.is_file())
    assert "다시 쓴 한 줄 요약" in stored
    assert_no_key(stored)


def test_invalid_output_is_repaired_once(gemini, record):
    gemini.queue(fake.text('{"preview": "끝나지 않은'), fake.text(answer_json()))
    restarts: list[bool] = []
    summary = summarize(record, "gemini", on_restart=lambda: restarts.append(True))
    assert summary.preview.startswith("택배") and restarts == [True]
    assert len(gemini.calls) == 2
    turns = gemini.calls[1]["body"]["contents"]
    assert [t["role"] for t in turns] == ["user", "model", "user"]
    assert "끊겨" in turns[2]["parts"][0]["text"]


def test_output_invalid_twice_is_rejected_and_not_cached(gemini, record):
    gemini.queue(fake.text(answer_json(result="")), fake.text("요약할 수 없습니다"))
    with pytest.raises(AIError) as failure:
        summarize(record, "gemini")
    assert failure.value.message == FORMAT_REJECTED and failure.value.kind == "format"
    assert SummaryCache().get(record.id, "gemini", DEFAULT_GEMINI_MODEL, PROMPT_VERSION) is None


def test_429_then_success_backs_off_and_retries(gemini, record):
    gemini.queue(fake.error(429, message="Resource has been exhausted", retry_delay="0s"), fake.text(answer_json()))
    notes = []
    summary = summarize(record, "gemini", progress=notes.append)
    assert summary.engine == "gemini" and len(gemini.calls) == 2
    assert any("다시 시도" in n.message for n in notes)


def test_persistent_server_errors_and_rate_limits_give_plain_messages(gemini):
    engine = gemini_model(gemini.url, MARKER_KEY, retries=1)
    schema = json_schema_for(PrecedentContent)
    gemini.queue(fake.error(500), fake.error(500))
    with pytest.raises(AIError) as server:
        engine.generate([{"role": "user", "content": "요약"}], schema=schema)
    assert server.value.message == G.GEMINI_SERVER.format(status=500) and len(gemini.calls) == 2
    gemini.queue(fake.error(429, retry_delay="0s"), fake.error(429, retry_delay="0s"))
    with pytest.raises(AIError) as rate:
        engine.generate([{"role": "user", "content": "요약"}], schema=schema)
    assert rate.value.message == G.GEMINI_RATE and len(gemini.calls) == 4
    assert_no_key(server.value.message, rate.value.message, str(server.value), repr(engine))


@pytest.mark.parametrize("reply, message", [
    (fake.block(), G.GEMINI_BLOCKED),
    (fake.finish_safety(), G.GEMINI_BLOCKED),
    (fake.bad_key(), G.GEMINI_BAD_KEY),
    (fake.error(403, message="Permission denied"), G.GEMINI_FORBIDDEN),
    (fake.error(404, message="models/x is not found"), G.GEMINI_MODEL.format(model=DEFAULT_GEMINI_MODEL,
                                                                             default=DEFAULT_GEMINI_MODEL)),
])
def test_gemini_failures_become_korean_messages(gemini, record, reply, message):
    gemini.queue(reply)
    with pytest.raises(AIError) as failure:
        summarize(record, "gemini")
    assert failure.value.message == message
    assert len(gemini.calls) == 1  # none of these is retried
    assert_no_key(failure.value.message, str(failure.value))


def test_no_key_and_timeout(gemini, record, monkeypatch):
    gemini.queue(fake.hang(3))
    engine = gemini_model(gemini.url, MARKER_KEY, retries=0, timeout=0.5)
    with pytest.raises(AIError) as slow:
        engine.generate([{"role": "user", "content": "요약"}])
    assert slow.value.message == G.GEMINI_TIMEOUT
    monkeypatch.delenv("GEMINI_API_KEY")
    with pytest.raises(AIError) as missing:
        summarize(record, "gemini")
    assert missing.value.message == G.GEMINI_NO_KEY


def test_cancel_stops_a_waiting_call_and_caches_nothing(gemini, record):
    gemini.queue(fake.hang(3))
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(Cancelled):
        summarize(record, "gemini", cancel=token)
    assert SummaryCache().get(record.id, "gemini", DEFAULT_GEMINI_MODEL, PROMPT_VERSION) is None


def test_text_summary_sends_only_redacted_text_and_adds_local_deadlines(gemini):
    gemini.queue(fake.text(json.dumps(fake.text_answer(), ensure_ascii=False)))
    summary = summarize_text(NOTICE, "gemini", today=date(2026, 1, 20))
    sent = json.dumps(gemini.calls[0]["body"], ensure_ascii=False)
    assert "010-1234-5678" not in sent and "홍길동" not in sent
    assert "[전화번호1]" in sent
    assert summary.doc_type == "불승인 통지" and not summary.is_extract
    assert summary.deadlines and summary.next_steps[0].startswith("심사청구 기한")
    assert summary.next_steps[-1] == "받은 날부터 90일 안에 심사청구를 하세요."
    assert summary.to_dict()["notice"].startswith("AI 요약")


def test_gemma_summary_through_openai_compatible_server(monkeypatch, record):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)  # frozen at import
    with fake.FakeOpenAI() as server:
        monkeypatch.setenv("SANJAE_LLM_URL", server.url)
        monkeypatch.setenv("HF_TOKEN", "hf_MARKERtoken123456")
        monkeypatch.setenv("SANJAE_LLM_MODEL", "rtzr/ko-gemma-2-9b-it")
        server.queue(fake.Reply("text", text="```json\n" + answer_json() + "\n```"))
        pieces: list[str] = []
        summary = summarize(record, "gemma", on_delta=pieces.append)
        assert summary.engine == "gemma" and summary.model == "rtzr/ko-gemma-2-9b-it"
        assert "".join(pieces).startswith("```json")
        body = server.chat_calls[0]["body"]
        assert [m["role"] for m in body["messages"]] == ["user"]  # Gemma has no system role
        assert body["max_tokens"] <= 2048 and body["response_format"]["type"] == "json_schema"
        assert len(body["messages"][0]["content"]) < 8000  # fits an 8k-token context
        assert summarize(record, "gemma").from_cache and len(server.chat_calls) == 1


def test_engine_choice_follows_settings(monkeypatch):
    from services.summaries import resolve_engine_name

    assert resolve_engine_name(None, Settings()) == "offline"
    monkeypatch.setenv("GEMINI_API_KEY", MARKER_KEY)
    assert resolve_engine_name(None, Settings()) == "gemini"
    monkeypatch.setenv("SANJAE_SUMMARY_ENGINE", "offline")
    assert resolve_engine_name(None, Settings()) == "offline"
    assert resolve_engine_name("gemma", Settings()) == "gemma"  # asked for explicitly: as asked
    with pytest.raises(SummaryError):
        resolve_engine_name("gpt", Settings())


def test_cli_gemini_engine_never_prints_the_key(gemini, isolated_data_dir):
    from tests.test_summaries import _cli

    gemini.queue(fake.text(answer_json()), fake.bad_key())
    env = {"GEMINI_API_KEY": MARKER_KEY, "SANJAE_GEMINI_URL": gemini.url, "SANJAE_DATA_DIR": str(isolated_data_dir)}
    done = _cli("summarize", "sample:001", "--engine", "gemini", "--json", env_extra=env)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["engine"] == "gemini"
    failed = _cli("summarize", "sample:002", "--engine", "gemini", env_extra=env)
    assert failed.returncode == 2 and G.GEMINI_BAD_KEY in failed.stderr.decode()
    assert_no_key(done.stdout.decode(), done.stderr.decode(), failed.stdout.decode(), failed.stderr.decode())


def test_connection_check_for_the_settings_page(gemini):
    from app.viewmodels.settings_vm import check_connection

    gemini.queue(fake.text('{"ok": "네"}'), fake.bad_key())
    assert check_connection("gemini", Settings()) == f"Gemini와 연결되었습니다 (모델 {DEFAULT_GEMINI_MODEL})."
    with pytest.raises(AIError) as failure:
        check_connection("gemini", Settings())
    assert failure.value.message == G.GEMINI_BAD_KEY and len(gemini.calls) == 2


def test_summary_runs_on_a_model_passed_in(gemini, record):
    gemini.queue(fake.text(answer_json(preview="넘겨받은 모델이 쓴 요약")))
    model = gemini_model(gemini.url, MARKER_KEY)
    summary = summarize(record, "gemini", model=model, force=True)
    assert summary.preview == "넘겨받은 모델이 쓴 요약" and summary.model == model.model
    assert isinstance(build_model("gemini", Settings()), type(model))
