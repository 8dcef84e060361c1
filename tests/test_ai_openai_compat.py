"""The OpenAI-compatible ChatModel against real HTTP fake servers, through the real huggingface_hub InferenceClient."""
from __future__ import annotations

import json
import threading

import huggingface_hub.constants
import pytest

from core.errors import Cancelled
from core.progress import CancelToken
from services.ai.choice import build_model
from services.ai.errors import AIError
from services.ai.gemma_turns import gemma_messages
from services.ai.openai_compat import OpenAICompatModel
from tests.fakes.ai_models import DictSettings, gemma_model
from tests.fakes.llm_server import FakeLLMServer, Status, Stream

SCHEMA = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}


@pytest.fixture(autouse=True)
def hub_online(monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine may have HF_HUB_OFFLINE=1 (frozen at import); these tests only talk to 127.0.0.1.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)


def fast(url: str, **kwargs) -> OpenAICompatModel:
    token = kwargs.pop("token", None)
    return gemma_model(url, token, **kwargs)


def test_streams_deltas_and_never_sends_a_system_turn() -> None:
    with FakeLLMServer("tgi", answer="허리 디스크 관련 판례를 정리했습니다.") as server:
        client = fast(server.url + "/", token="hf_secret_token")
        pieces = list(client.stream_chat([{"role": "system", "content": "규칙: 한국어로 답하세요."},
                                          {"role": "user", "content": "질문입니다."}], max_tokens=50))
    assert len(pieces) > 1
    assert "".join(pieces) == "허리 디스크 관련 판례를 정리했습니다."
    body = server.chat_requests[0].body
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert body["messages"][0]["content"].startswith("규칙: 한국어로 답하세요.")
    assert body["max_tokens"] == 50 and body["stream"] is True
    assert server.chat_requests[0].headers["authorization"] == "Bearer hf_secret_token"
    assert '"role": "system"' not in server.all_sent_text()


def test_gemma_messages_merge_and_alternate() -> None:
    turns = gemma_messages([{"role": "assistant", "content": "안녕하세요"}, {"role": "system", "content": "지시"},
                            {"role": "user", "content": "a"}, {"role": "user", "content": "b"}])
    assert [t["role"] for t in turns] == ["user", "assistant", "user"]
    assert turns[0]["content"] == "지시"
    assert turns[2]["content"] == "a\n\nb"


def test_pasted_url_with_v1_suffix_reaches_chat_completions() -> None:
    with FakeLLMServer("vllm") as server:
        assert (fast(server.url + "/v1/").generate([{"role": "user", "content": "hi"}], max_tokens=5)
                == "네, 연결되었습니다.")
    assert server.chat_requests[0].path == "/v1/chat/completions"


def test_tgi_detected_by_info_gets_tgi_json_shape() -> None:
    with FakeLLMServer("tgi", answer='{"a": 1}') as server:
        client = fast(server.url)
        out = client.generate([{"role": "user", "content": "json"}], max_tokens=20, schema=SCHEMA)
        client.generate([{"role": "user", "content": "json"}], max_tokens=20, schema=SCHEMA)
    assert json.loads(out) == {"a": 1}
    assert server.chat_requests[0].body["response_format"] == {"type": "json", "value": SCHEMA}
    assert [r.path for r in server.requests].count("/info") == 1  # the choice is remembered


def test_vllm_gets_openai_json_schema_shape() -> None:
    with FakeLLMServer("vllm", answer='{"a": 2}') as server:
        out = fast(server.url).generate([{"role": "user", "content": "json"}], max_tokens=20, schema=SCHEMA)
    assert json.loads(out) == {"a": 2}
    fmt = server.chat_requests[0].body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"] == SCHEMA


@pytest.mark.parametrize("flavor,forced", [("vllm", "tgi"), ("tgi", "openai")])
def test_rejected_json_shape_is_retried_once_with_the_other(flavor: str, forced: str) -> None:
    with FakeLLMServer(flavor, answer='{"a": 3}') as server:
        client = fast(server.url, engine=forced)
        assert json.loads(client.generate([{"role": "user", "content": "x"}], max_tokens=9, schema=SCHEMA)) == {"a": 3}
        client.generate([{"role": "user", "content": "x"}], max_tokens=9, schema=SCHEMA)
    assert len(server.chat_requests) == 3  # rejected, accepted, then the working shape straight away
    assert server.chat_requests[0].body["response_format"] != server.chat_requests[1].body["response_format"]
    assert server.chat_requests[1].body["response_format"] == server.chat_requests[2].body["response_format"]


def test_cold_start_503_twice_then_success_sends_scale_up_header() -> None:
    statuses: list[str] = []
    with FakeLLMServer("tgi", answer="깨어났습니다") as server:
        server.script = [Status(503, "Service Unavailable"), Status(503, "Service Unavailable")]
        out = fast(server.url).generate([{"role": "user", "content": "hi"}], max_tokens=5,
                                        progress=lambda p: statuses.append(p.message))
    assert out == "깨어났습니다"
    headers = [r.headers.get("x-scale-up-timeout") for r in server.chat_requests]
    assert headers[0] is None and headers[1] and headers[2] and int(headers[2]) > 0
    assert statuses and all(s.startswith("AI 서버를 깨우는 중입니다… 약 ") and s.endswith("초") for s in statuses)


def test_cold_start_gives_up_after_max_wait() -> None:
    with FakeLLMServer("tgi") as server:
        server.script = [Status(503, "Service Unavailable") for _ in range(50)]
        with pytest.raises(AIError) as info:
            fast(server.url, max_cold_start_wait=0.05).generate([{"role": "user", "content": "hi"}], max_tokens=5)
    assert info.value.kind == "cold_start" and "깨어나지" in info.value.message


def test_429_then_success_backs_off() -> None:
    statuses: list[str] = []
    with FakeLLMServer("vllm", answer="좋습니다") as server:
        server.script = [Status(429, {"error": "rate limited"}, {"Retry-After": "0"})]
        assert fast(server.url).generate([{"role": "user", "content": "hi"}], max_tokens=5,
                                     progress=lambda p: statuses.append(p.message)) == "좋습니다"
    assert len(server.chat_requests) == 2 and statuses


def test_repeated_500_stops_after_limited_retries() -> None:
    with FakeLLMServer("vllm") as server:
        server.script = [Status(500, "boom") for _ in range(10)]
        with pytest.raises(AIError) as info:
            fast(server.url, retries=2).generate([{"role": "user", "content": "hi"}], max_tokens=5)
    assert info.value.kind == "server" and len(server.chat_requests) == 3


def test_401_says_check_the_token_without_showing_it() -> None:
    with FakeLLMServer("tgi", token="hf_right") as server, pytest.raises(AIError) as info:
        fast(server.url, token="hf_wrong_token_value").generate([{"role": "user", "content": "hi"}], max_tokens=5)
    assert info.value.kind == "auth" and "토큰" in info.value.message
    assert "hf_wrong_token_value" not in info.value.message and "hf_wrong" not in repr(info.value)


def test_paused_endpoint_says_resume_in_console() -> None:
    with FakeLLMServer("tgi") as server:
        server.script = [Status(400, {"error": "Invalid state: endpoint is paused"})]
        with pytest.raises(AIError) as info:
            fast(server.url).generate([{"role": "user", "content": "hi"}], max_tokens=5)
    assert info.value.kind == "paused" and "재개" in info.value.message


def test_mid_stream_error_event_raises_ai_error() -> None:
    with FakeLLMServer("tgi", answer="앞부분은 잘 왔습니다") as server:
        server.script = [Stream(error={"error": "CUDA out of memory", "error_type": "generation"})]
        got: list[str] = []
        with pytest.raises(AIError) as info:
            for piece in fast(server.url).stream_chat([{"role": "user", "content": "hi"}], max_tokens=5):
                got.append(piece)
    assert got and info.value.kind == "stream"
    assert "CUDA" not in info.value.message


def test_cancel_stops_the_stream_promptly() -> None:
    release = threading.Event()
    cancel = CancelToken()
    with FakeLLMServer("tgi", answer="첫 조각입니다. 그 다음은 오래 걸립니다.") as server:
        server.script = [Stream(hold=release)]
        got: list[str] = []
        with pytest.raises(Cancelled):
            for piece in fast(server.url).stream_chat([{"role": "user", "content": "hi"}], max_tokens=50,
                                                      cancel=cancel):
                got.append(piece)
                cancel.cancel()
                release.set()
    assert got == ["첫 조각입니다"]


def test_closing_the_iterator_closes_the_response() -> None:
    with FakeLLMServer("tgi", answer="가" * 200) as server:
        stream = fast(server.url).stream_chat([{"role": "user", "content": "hi"}], max_tokens=50)
        assert next(stream)
        stream.close()
        with pytest.raises(StopIteration):
            next(stream)


def test_timeout_becomes_plain_message() -> None:
    with FakeLLMServer("tgi") as server:
        server.script = [Stream(delay_headers=1.5)]
        with pytest.raises(AIError) as info:
            fast(server.url, timeout=0.3).generate([{"role": "user", "content": "hi"}], max_tokens=5)
    assert info.value.kind == "timeout"


def test_connection_refused_becomes_plain_message() -> None:
    with FakeLLMServer("tgi") as server:
        url = server.url
    with pytest.raises(AIError) as info:
        fast(url).generate([{"role": "user", "content": "hi"}], max_tokens=5)
    assert info.value.kind == "connection" and "주소" in info.value.message


def test_check_reports_engine_in_korean() -> None:
    with FakeLLMServer("tgi") as server:
        sentence = fast(server.url).check()
    assert sentence.startswith("AI 서버와 연결되었습니다") and "TGI" in sentence


def test_built_from_settings_strips_a_pasted_path_and_hides_the_token() -> None:
    with pytest.raises(AIError) as info:
        build_model("gemma", DictSettings())
    assert info.value.kind == "config" and "SANJAE_LLM_URL" in info.value.message
    model = build_model("gemma", DictSettings(llm_url="https://x.endpoints.huggingface.cloud/v1/chat/completions",
                                              hf_token="hf_abc", llm_model="rtzr/ko-gemma-2-9b-it"))
    assert isinstance(model, OpenAICompatModel) and model.base_url == "https://x.endpoints.huggingface.cloud"
    assert model.model == "rtzr/ko-gemma-2-9b-it" and "hf_abc" not in repr(model)


def test_generate_streams_to_on_delta_and_reports_waits_as_progress() -> None:
    deltas: list[str] = []
    statuses: list[str] = []
    with FakeLLMServer("vllm", answer="조각조각 나뉘어 도착하는 답입니다") as server:
        server.script = [Status(503, "Service Unavailable")]
        out = fast(server.url).generate([{"role": "system", "content": "규칙"}, {"role": "user", "content": "hi"}],
                                        on_delta=deltas.append, progress=lambda p: statuses.append(p.message))
    assert out == "조각조각 나뉘어 도착하는 답입니다" and len(deltas) > 1 and "".join(deltas) == out
    assert statuses and statuses[0].startswith("AI 서버를 깨우는 중입니다")
    assert server.chat_requests[-1].body["max_tokens"] == 1800  # the model's own output budget
