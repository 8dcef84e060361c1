"""Which AI runs each feature (one order for every page and the CLI), the schema made from the pydantic
models, and the shared retry policy."""
from __future__ import annotations

import itertools
import json
import threading
import time

import pytest

from app.viewmodels import settings_vm, summarize_vm, summary_vm
from core.errors import Cancelled, ConfigError
from core.progress import CancelToken
from services.ai.choice import analysis_engine, available_summary_engines, summary_engine
from services.ai.json_output import json_schema_for, parse_json_object
from services.analysis.answer import AnalysisAnswer
from services.retry import RetryPolicy, pause
from services.settings import Settings
from services.summaries import resolve_engine_name
from services.summaries.schema import TextContent
from storage.user_store import UserStore
from tests.fakes.ai_models import DictSettings

KEY, URL = "AIzaTEST-choice", "http://127.0.0.1:9"


@pytest.mark.parametrize("values, expected", [
    ({}, "offline"),
    ({"gemini_key": KEY}, "gemini"),
    ({"llm_url": URL}, "gemma"),
    ({"gemini_key": KEY, "llm_url": URL}, "gemini"),                              # Gemini before Gemma
    ({"gemini_key": KEY, "llm_url": URL, "summary_engine": "gemma"}, "gemma"),    # the setting wins
    ({"gemini_key": KEY, "summary_engine": "offline"}, "offline"),
    ({"llm_url": URL, "summary_engine": "gemini"}, "gemma"),    # chosen but no key: what a saved address allows
    ({"summary_engine": "gemini"}, "offline"),
    ({"gemini_key": KEY, "summary_engine": "local"}, "gemini"),  # an unknown name counts as unset
])
def test_summary_engine_order(values: dict[str, str], expected: str) -> None:
    settings = DictSettings(values)
    assert summary_engine(settings) == expected
    assert resolve_engine_name(None, settings) == expected  # what summarize() and the CLI use
    assert expected in available_summary_engines(settings)


def test_both_summary_pages_choose_the_same_engine_from_the_same_settings() -> None:
    for has_key, has_url in itertools.product([False, True], repeat=2):
        for chosen in ("", "offline", "gemini", "gemma", "GEMMA"):
            values = {"gemini_key": KEY} if has_key else {}
            if has_url:
                values["llm_url"] = URL
            if chosen:
                values["summary_engine"] = chosen
            settings = DictSettings(values)
            assert summary_vm.default_engine(settings) == summarize_vm.default_engine(settings) \
                == summary_engine(settings), values
            assert summary_vm.available_engines(settings) == summarize_vm.available_engines(settings)
            assert summary_vm.default_engine(settings) in summary_vm.available_engines(settings)
    assert summary_vm.default_engine(None) == summarize_vm.default_engine(None) == "offline"


def test_search_and_detail_pages_agree_when_only_a_gemini_key_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    settings = Settings()
    # the search page looks up cached previews by resolve_engine_name(None); the detail page makes them
    assert resolve_engine_name(None, settings) == summary_vm.default_engine(settings) == "gemini"


@pytest.mark.parametrize("values, expected", [
    ({}, None),
    ({"gemini_key": KEY}, "gemini"),                      # only a Gemini key: the analysis still runs
    ({"llm_url": URL}, "gemma"),
    ({"gemini_key": KEY, "llm_url": URL}, "gemma"),       # Gemma is the product's default for the analysis
    ({"gemini_key": KEY, "llm_url": URL, "analysis_engine": "gemini"}, "gemini"),
    ({"llm_url": URL, "analysis_engine": "gemini"}, "gemma"),
    ({"analysis_engine": "gemini"}, None),
])
def test_analysis_engine_order(values: dict[str, str], expected: str | None) -> None:
    assert analysis_engine(DictSettings(values)) == expected


def test_the_settings_page_saves_a_choice_only_when_it_can_run(isolated_data_dir, monkeypatch) -> None:
    settings = Settings(user_store=UserStore())
    field = next(f for f in settings_vm.CHOICE_FIELDS if f.name == "analysis_engine")
    assert "판례 근거만" in settings_vm.choice_effect(settings, field)
    assert "운영자에게 문의" in settings_vm.choice_effect(settings, field, web_mode=True)
    with pytest.raises(ConfigError) as missing:
        settings_vm.save_choice(settings, field, "gemini", web_mode=False)
    assert "키나 주소" in missing.value.message
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.setenv("SANJAE_LLM_URL", URL)
    assert settings_vm.choice_effect(settings, field) == "지금 쓰는 AI: Gemma (설정한 AI 서버)"
    settings_vm.save_choice(settings, field, "gemini", web_mode=False)
    assert settings_vm.choice_value(settings, field) == "gemini" and analysis_engine(settings) == "gemini"
    assert settings_vm.choice_effect(settings, field) == "지금 쓰는 AI: Gemini (Google)"
    with pytest.raises(ConfigError):
        settings_vm.save_choice(settings, field, "gemma", web_mode=True)  # the operator decides on the web
    settings_vm.save_choice(settings, field, "", web_mode=False)
    assert analysis_engine(settings) == "gemma"


def test_schema_is_made_from_the_pydantic_model_in_a_shape_every_server_accepts() -> None:
    schema = json_schema_for(AnalysisAnswer)
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text and "title" not in text
    assert schema["properties"]["assessment"]["required"] == ["strengths", "weaknesses"]
    assert schema["properties"]["issues"] == {"type": "array", "description": "쟁점", "items": {"type": "string"}}
    doc_type = json_schema_for(TextContent)["properties"]["doc_type"]
    assert doc_type["enum"] == ["불승인 통지", "심사 결정", "재심사 결정", "의학 소견", "기타"]
    assert "maxLength" not in json.dumps(json_schema_for(TextContent))
    json_schema_for(AnalysisAnswer)["required"].clear()
    assert json_schema_for(AnalysisAnswer)["required"]  # callers get a copy, never the shared schema


@pytest.mark.parametrize("raw", ['```json\n{"a": 1}\n```', '```\n{"a": 1}\n```', '답입니다: {"a": 1} 끝',
                                 ' {"a": 1}'])
def test_code_fences_and_chatter_are_stripped_in_one_place(raw: str) -> None:
    assert parse_json_object(raw) == {"a": 1}


def test_retry_policy_uses_the_servers_hint_within_the_cap() -> None:
    policy = RetryPolicy(attempts=3, backoff=1.0, max_delay=5.0)
    assert [policy.delay(n) for n in range(4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.delay(0, hint=20.0) == 5.0 and policy.delay(2, hint=0.0) == 0.0
    assert policy.allows_retry(1) and not policy.allows_retry(2)
    assert not RetryPolicy(attempts=1).allows_retry(0)


def test_pause_wakes_at_once_on_cancel_and_counts_down() -> None:
    token = CancelToken()
    threading.Timer(0.2, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        pause(30.0, token)
    assert time.monotonic() - started < 5
    ticks: list[int] = []
    pause(1.5, None, tick=ticks.append)
    assert ticks == [2, 1]
