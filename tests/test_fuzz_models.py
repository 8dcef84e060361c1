"""Property tests: whatever a model writes (random JSON, truncated or deeply nested JSON, chatter, links),
the analysis and the summaries either show a validated result or say in Korean that they could not;
a half-parsed answer is never shown as complete or cached."""
from __future__ import annotations

import itertools
import json

import huggingface_hub.constants
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import SanjaeError
from core.records import Precedent
from services.ai.errors import AIFormatError, AIFormatRejected
from services.ai.json_output import parse_as
from services.ai.validated import generate_validated
from services.analysis import AnalysisAnswer, OverlapFinder, SituationInput, analyze
from services.analysis.service import ANSWER_REFUSED
from services.summaries import service as summary_service
from services.summaries.schema import PrecedentContent, TextContent
from storage.summary_cache import SummaryCache
from tests.fakes.ai_models import gemma_model
from tests.fakes.faults import JSON_VALUES, KOREANISH, TEXT, assert_korean_failure, mutate, report_counts, tried
from tests.fakes.gemini_server import precedent_answer, text_answer
from tests.fakes.llm_server import FakeLLMServer

FUZZ = dict(deadline=None, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                   HealthCheck.data_too_large, HealthCheck.large_base_example])

GOOD_ANALYSIS = {
    "issues": ["퇴행성 변화와 업무 부담의 관계"],
    "assessment": {"strengths": ["중량물 취급 기간이 깁니다"], "weaknesses": ["퇴행성 소견"]},
    "favourable_facts": ["6년간 상하차"], "unfavourable_facts": ["퇴행성 소견"],
    "evidence_checklist": ["작업량 기록"], "cited_precedents": [{"id": "t:1", "why": "비슷한 업무"}],
    "next_steps": ["심사청구 준비"],
}


@pytest.fixture(scope="module", autouse=True)
def _counts(request):
    yield
    report_counts(request, "models.")


def model_output(data, good: dict) -> str:
    """A model's reply: the good answer mutated, cut, wrapped in chatter or code fences, deeply nested,
    or random text / JSON."""
    kind = data.draw(st.sampled_from(["mutate", "truncate", "fence", "random_json", "text", "deep", "good"]))
    if kind == "mutate":
        text = json.dumps(mutate(data, good), ensure_ascii=False)
    elif kind == "truncate":
        full = json.dumps(good, ensure_ascii=False)
        text = full[: data.draw(st.integers(0, len(full)))]
    elif kind == "fence":
        text = "다음은 답입니다.\n```json\n" + json.dumps(good, ensure_ascii=False) + "\n```\n" + data.draw(TEXT)
    elif kind == "random_json":
        text = json.dumps(data.draw(JSON_VALUES), ensure_ascii=False)
    elif kind == "deep":
        depth = data.draw(st.sampled_from([50, 1200, 5000]))
        opener = data.draw(st.sampled_from(["[", '{"a":', '{"preview": [']))
        text = '{"issues": ' + opener * depth + ("]" * depth if data.draw(st.booleans()) and opener == "[" else "")
    elif kind == "text":
        text = data.draw(st.one_of(TEXT, KOREANISH, st.sampled_from(["{", "}", "{ }", "답: {", "```", "[]", "null"])))
    else:
        text = json.dumps(good, ensure_ascii=False)
    return text


# -- analysis ----------------------------------------------------------------------------------------
@settings(max_examples=200, **FUZZ)
@given(data=st.data())
def test_analysis_answer_parser_returns_a_valid_answer_or_a_reason(data) -> None:
    raw = model_output(data, GOOD_ANALYSIS)
    tried("models.analysis answer parser")
    try:
        answer = parse_as(raw, AnalysisAnswer)
    except AIFormatError as exc:
        assert exc.reason and isinstance(exc.reason, str)
        return
    assert AnalysisAnswer.model_validate(answer.model_dump()) == answer


RECORDS = [Precedent(id=f"t:{n}", source="sample", title="요양불승인처분취소", court="서울행정법원", court_level=1,
                     outcome=outcome, kind_c="업무상질병",
                     order="처분을 취소한다." if outcome == "취소" else "기각한다.",
                     reasons=f"택배 상하차 {n}년 중량물 취급으로 허리디스크 발병. 업무 관련성이 인정된다.",
                     full_text="이유 중량물 취급 허리디스크", is_sample=True)
           for n, outcome in ((1, "취소"), (2, "기각"))]
SITUATION = SituationInput(kind_c="업무상질병", diagnoses=["추간판탈출증"], industry="택배 상하차",
                           denial_reason="퇴행성",
                           story="택배 상하차를 6년 하다가 허리디스크 진단을 받았는데 불승인되었습니다.")


@pytest.fixture(scope="module")
def llm_server():
    before = huggingface_hub.constants.HF_HUB_OFFLINE
    huggingface_hub.constants.HF_HUB_OFFLINE = False  # only 127.0.0.1 is called here
    replies: list[str] = []
    try:
        with FakeLLMServer("vllm", answer=lambda body: replies.pop(0) if replies else "") as server:
            server.replies = replies
            yield server
    finally:
        huggingface_hub.constants.HF_HUB_OFFLINE = before


@pytest.mark.slow
@settings(max_examples=30, **FUZZ)
@given(data=st.data())
def test_analysis_with_any_model_output_shows_a_checked_answer_or_a_refusal(llm_server, data) -> None:
    first, second = model_output(data, GOOD_ANALYSIS), model_output(data, GOOD_ANALYSIS)
    llm_server.replies[:] = [first, second]
    tried("models.analysis end to end (HTTP)")
    model = gemma_model(llm_server.url, retries=0, timeout=20)
    try:
        result = analyze(SITUATION, OverlapFinder(RECORDS), model=model, k=2)
    except SanjaeError as exc:
        assert_korean_failure(exc)
        return
    if result.answer is None:
        assert result.answer_invalid and result.warnings == [ANSWER_REFUSED] and result.raw_answer == ""
    else:
        assert not result.answer_invalid
        AnalysisAnswer.model_validate(result.answer)
        assert {c["id"] for c in result.answer["cited_precedents"]} <= {"t:1", "t:2"}


# -- summaries ---------------------------------------------------------------------------------------
@settings(max_examples=200, **FUZZ)
@given(data=st.data(), which=st.sampled_from(["precedent", "text"]))
def test_summary_parsers_accept_valid_content_or_give_a_reason(data, which: str) -> None:
    good = precedent_answer() if which == "precedent" else text_answer()
    raw = model_output(data, good)
    tried("models.summary parsers")
    try:
        content = parse_as(raw, PrecedentContent if which == "precedent" else TextContent)
    except AIFormatError as exc:
        assert exc.reason and isinstance(exc.reason, str)
        return
    assert isinstance(content, PrecedentContent if which == "precedent" else TextContent)
    assert content.model_dump()


class ScriptedModel:
    """A ``ChatModel`` that answers from a list: no network."""
    name, model, input_chars, context_tokens = "gemma", "scripted", 8000, 8192

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.calls = 0

    def generate(self, messages, *, schema=None, max_tokens=None, on_delta=None, cancel=None, progress=None) -> str:
        self.calls += 1
        reply = self.replies.pop(0)
        if on_delta is not None:
            on_delta(reply)
        return reply

    def check(self, cancel=None) -> str:
        return "ok"

    def close(self) -> None:
        pass


@settings(max_examples=150, **FUZZ)
@given(data=st.data(), which=st.sampled_from(["precedent", "text"]))
def test_validated_generation_retries_once_then_refuses_in_korean(data, which: str) -> None:
    good = precedent_answer() if which == "precedent" else text_answer()
    engine = ScriptedModel([model_output(data, good), model_output(data, good)])
    schema_cls = PrecedentContent if which == "precedent" else TextContent
    tried("models.summary generate-validate-repair")
    try:
        content = generate_validated(engine, [{"role": "user", "content": "요약해 주세요"}], schema_cls)
    except SanjaeError as exc:
        assert_korean_failure(exc)
        assert isinstance(exc, AIFormatRejected) and engine.calls == 2
        return
    assert isinstance(content, schema_cls) and engine.calls in (1, 2)


_CACHE_NUMBERS = itertools.count()


@pytest.mark.slow
@settings(max_examples=25, **FUZZ)
@given(data=st.data())
def test_gemma_summary_end_to_end_is_cached_only_when_valid(llm_server, data, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SANJAE_LLM_URL", llm_server.url)
    cache = SummaryCache(tmp_path / f"s-{next(_CACHE_NUMBERS)}.json")  # a fresh cache for every input
    llm_server.replies[:] = [model_output(data, precedent_answer()), model_output(data, precedent_answer())]
    tried("models.gemma summary end to end (HTTP)")
    record = RECORDS[0]
    try:
        summary = summary_service.summarize(record, "gemma", force=True, cache=cache)
    except SanjaeError as exc:
        assert_korean_failure(exc)
        assert cache.latest(record.id) is None  # nothing half-made was kept
        return
    assert cache.latest(record.id)["preview"] == summary.preview
