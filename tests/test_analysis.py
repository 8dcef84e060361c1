"""Situation analysis end to end: offline evidence view, Gemma through a fake TGI/vLLM server, and Gemini
through a fake Gemini REST server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import huggingface_hub.constants
import pytest

from core.errors import Cancelled
from core.progress import CancelToken
from core.records import Precedent
from services.ai.choice import analysis_engine, analysis_model
from services.ai.gemini import GeminiModel
from services.ai.openai_compat import OpenAICompatModel
from services.analysis import (
    EXAMPLES,
    AnalysisInputError,
    FollowUpChat,
    OverlapFinder,
    SituationInput,
    analyze,
    build_request,
)
from services.analysis.grounding import sentence_direction
from services.analysis.service import ANSWER_REFUSED
from services.analysis.tokens import CONTEXT_TOKENS, estimate_tokens
from services.redaction import mapping_of
from tests.fakes import gemini_server as fake_gemini
from tests.fakes.ai_models import DictSettings, gemini_model, gemma_model
from tests.fakes.llm_server import FakeLLMServer, Stream
from tests.test_redaction import PERSONAL

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 2, 1)


def _record(n: int, outcome: str, issue: str, judgment: str) -> Precedent:
    return Precedent(id=f"t:{n}", source="sample", title="요양불승인처분취소", case_number=f"2020구단{n}",
                     court="서울행정법원", outcome=outcome, kind_c="업무상질병", decided_on="2021-01-01",
                     order="피고의 처분을 취소한다." if outcome == "취소" else "원고의 청구를 기각한다.",
                     issues_text=issue,
                     reasons=f"1. 처분의 경위\n원고는 일했다.\n\n2. 판단\n{judgment}\n\n3. 결론\n끝.",
                     is_sample=True)


RECORDS = [
    _record(1, "취소", "택배 상하차와 요추 추간판탈출증",
            "원고는 매일 20kg 상자를 수백 번 들었다. "
            "퇴행성 소인이 있더라도 업무 부담이 악화에 기여하였으므로 상당인과관계가 인정된다."),
    _record(2, "기각", "마트 진열과 요추 추간판탈출증 퇴행성",
            "영상 소견은 다분절 퇴행성 변화이다. 업무와 상병 사이의 상당인과관계를 인정하기 부족하다."),
    _record(3, "취소", "장시간 노동과 뇌출혈",
            "발병 전 12주 평균 업무시간이 58시간이고 야간근무가 잦았다. "
            "업무상 과로로 뇌출혈이 발생하였다고 볼 수 있다."),
    _record(4, "기각", "출퇴근 경로 일탈과 교통사고",
            "사고 당시 통상 경로를 벗어나 사적 용무 중이었으므로 출퇴근 재해로 보기 어렵다."),
]


class TinyFinder:
    """A real (if small) SimilarFinder: the bigram ranking used when no search index exists."""

    def __init__(self) -> None:
        self.inner = OverlapFinder(RECORDS)
        self.queries: list[str] = []

    def similar(self, text: str, k: int = 8):
        self.queries.append(text)
        return self.inner.similar(text, k)


@pytest.fixture(autouse=True)
def hub_online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)


def disc_case(**changes) -> SituationInput:
    data = EXAMPLES["허리디스크 (퇴행성 이유로 불승인)"].to_dict()
    data.update(learned_on="2026-01-19", **changes)
    return SituationInput.from_dict(data)


def good_answer(ids: list[str]) -> str:
    return json.dumps({
        "issues": ["퇴행성 변화와 업무 부담의 관계"],
        "assessment": {"strengths": ["중량물 취급 기간이 깁니다"], "weaknesses": ["영상에 퇴행성 소견이 있습니다"]},
        "favourable_facts": ["6년간 상하차"], "unfavourable_facts": ["퇴행성 소견"],
        "evidence_checklist": ["작업량 기록", "특별진찰"],
        "cited_precedents": [{"id": i, "why": "비슷한 업무"} for i in ids],
        "next_steps": ["심사청구 준비"],
    }, ensure_ascii=False)


def retrieved_ids(body: dict) -> list[str]:
    text = body["messages"][0]["content"]
    return [r.id for r in RECORDS if f"[{r.id}]" in text]


# ---- input form -------------------------------------------------------------------------------
def test_validation_messages_are_korean_and_blocking_only_for_missing_story() -> None:
    empty = SituationInput()
    assert empty.blocking_messages() and all(any("가" <= c <= "힣" for c in m) for m in empty.missing_messages())
    with pytest.raises(AnalysisInputError):
        analyze(empty, TinyFinder())
    assert disc_case().blocking_messages() == []
    assert {i.field for i in SituationInput(story="가" * 30).issues()} >= {"kind_c", "diagnoses", "learned_on"}


def test_examples_are_complete_and_round_trip() -> None:
    assert len(EXAMPLES) == 3
    for example in EXAMPLES.values():
        assert example.blocking_messages() == []
        assert SituationInput.from_dict(example.to_dict()) == example


def test_from_story_picks_kind_diagnosis_and_notice_date() -> None:
    inp = SituationInput.from_story("택배 상하차를 하다 추간판탈출증 진단. 2026년 1월 19일 불승인 통지를 받았습니다.")
    assert inp.kind_c == "업무상질병" and "추간판탈출증" in inp.diagnoses and inp.learned_on == date(2026, 1, 19)


# ---- offline evidence view --------------------------------------------------------------------
def test_offline_view_has_outcomes_facts_criteria_checklist_and_deadlines() -> None:
    result = analyze(disc_case(), TinyFinder(), model=None, k=3, today=TODAY)
    ev = result.to_dict()["evidence"]
    assert result.engine == "offline" and result.answer is None
    assert ev["similar"][0]["id"] == "t:1"
    assert sum(ev["outcome_counts"].values()) == len(ev["similar"])
    assert {f["direction"] for f in ev["deciding_facts"]} == {"인정", "부정"}
    assert any("근골격계" in c["title"] for c in ev["criteria"])
    assert any("특별진찰" in item for item in ev["evidence_checklist"])
    assert ev["deadlines"][0]["name"] == "심사청구" and ev["deadlines"][0]["deadline"] == "2026-04-20"
    steps = " ".join(ev["support_steps"])
    assert "대한법률구조공단(132)" in steps and "1588-0075" in steps and "노무사" in steps
    assert "126조의2" not in steps  # no article we could not confirm
    assert "법률 자문이 아니며 결과를 예측하지 않습니다" in result.disclaimer


def test_brain_case_gets_working_hour_thresholds() -> None:
    inp = EXAMPLES["뇌출혈 (주 52시간 미만이라 불승인)"]
    criteria = analyze(inp, TinyFinder(), today=TODAY).evidence["criteria"]
    text = json.dumps(criteria, ensure_ascii=False)
    assert "60시간" in text and "64시간" in text and "52시간" in text and "30%" in text


def test_sentence_direction_reads_the_conclusion_at_the_end() -> None:
    assert sentence_direction("퇴행성 소인이 있더라도 업무가 악화에 기여하였으므로 상당인과관계가 인정된다.") == "인정"
    assert sentence_direction("업무와의 상당인과관계를 인정하기 부족하다.") == "부정"
    assert sentence_direction("원고는 2017년에 입사하였다.") is None


# ---- the request that is sent -----------------------------------------------------------------
def test_request_is_one_redacted_user_turn_within_the_context() -> None:
    story = " ".join(text for text, _, _ in PERSONAL)
    inp = disc_case(story=disc_case().story + " " + story)
    request = build_request(inp, TinyFinder(), k=4, max_tokens=1500)
    assert [m["role"] for m in request.messages] == ["user"]
    for _, secret, _ in PERSONAL:
        assert secret not in request.text
    assert request.findings
    assert estimate_tokens(request.text) + 1500 <= CONTEXT_TOKENS
    assert "승소할 것" in request.text  # only inside the instruction that forbids it
    assert "[t:1]" in request.text


def test_low_ranked_precedents_are_dropped_when_over_budget() -> None:
    inp = disc_case()
    roomy = build_request(inp, TinyFinder(), k=4, max_tokens=1500)
    tight = build_request(inp, TinyFinder(), k=4, max_tokens=CONTEXT_TOKENS - estimate_tokens(roomy.text) + 200)
    assert len(tight.hits) < len(roomy.hits)
    assert [h.record.id for h in tight.hits] == [h.record.id for h in roomy.hits][: len(tight.hits)]


def test_edited_preview_is_redacted_again() -> None:
    request = build_request(disc_case(), TinyFinder(), k=2)
    edited = request.with_text(request.text + "\n제 번호는 010-9999-8888입니다")
    assert "010-9999-8888" not in edited.text and "[전화번호1]" in edited.text


# ---- with ko-gemma (fake servers) -------------------------------------------------------------
@pytest.mark.parametrize("flavor", ["tgi", "vllm"])
def test_gemma_analysis_validates_json_and_citations(flavor: str) -> None:
    deltas: list[str] = []
    with FakeLLMServer(flavor, answer=lambda body: good_answer(retrieved_ids(body))) as server:
        model = gemma_model(server.url, "hf_tok")
        result = analyze(disc_case(), TinyFinder(), model=model, k=3, today=TODAY, on_delta=deltas.append)
    assert result.engine == "gemma" and not result.answer_invalid and result.model == "gemma"
    assert json.loads("".join(deltas))["issues"] == result.answer["issues"]  # streamed as it was written
    assert server.chat_requests[0].body["max_tokens"] == 1536  # budgeted for the 8k context
    assert {c["id"] for c in result.answer["cited_precedents"]} <= {h["id"] for h in result.evidence["similar"]}
    assert result.answer["cited_precedents"] and not result.dropped_citations
    assert result.sent_text == server.chat_requests[0].body["messages"][0]["content"]
    assert '"role": "system"' not in server.all_sent_text()


def test_citation_of_a_non_retrieved_id_is_dropped_and_flagged() -> None:
    with FakeLLMServer("tgi", answer=lambda body: good_answer(retrieved_ids(body) + ["lawgokr:999999"])) as server:
        result = analyze(disc_case(), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY)
    assert result.dropped_citations == ["lawgokr:999999"]
    assert all(c["id"] != "lawgokr:999999" for c in result.answer["cited_precedents"])
    assert any("lawgokr:999999" in w for w in result.warnings)


def test_invalid_json_is_repaired_once() -> None:
    replies = iter(["이것은 JSON이 아닙니다", None])

    def answer(body: dict) -> str:
        reply = next(replies)
        return reply if reply is not None else good_answer(["t:1"])

    with FakeLLMServer("vllm", answer=answer) as server:
        result = analyze(disc_case(), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY)
    assert not result.answer_invalid and result.answer["issues"]
    assert len(server.chat_requests) == 2
    repair = server.chat_requests[1].body["messages"]
    assert len(repair) == 1 and "JSON 형식에 맞지 않았습니다" in repair[0]["content"]
    assert "JSON 객체가 없습니다" in repair[0]["content"]  # the reason is sent along
    assert "이것은 JSON이 아닙니다" in repair[0]["content"]


def test_still_invalid_after_repair_is_refused_in_korean_never_shown_half_parsed() -> None:
    half = good_answer(["t:1"])[:-40]  # cut off: must not be shown in parts
    with FakeLLMServer("tgi", answer=half) as server:
        result = analyze(disc_case(), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY)
    assert len(server.chat_requests) == 2  # one repair, then no more
    assert result.answer_invalid and result.answer is None and result.raw_answer == ""
    assert result.warnings == [ANSWER_REFUSED]
    assert "퇴행성" not in json.dumps(result.to_dict()["answer"], ensure_ascii=False)
    assert result.evidence["similar"]  # the evidence view is still there


def test_schema_sent_to_the_server_is_made_from_the_answer_model() -> None:
    with FakeLLMServer("tgi", answer=lambda body: good_answer([])) as server:
        analyze(disc_case(), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY)
    schema = server.chat_requests[0].body["response_format"]["value"]
    assert schema["required"] == ["issues", "assessment", "favourable_facts", "unfavourable_facts",
                                  "evidence_checklist", "cited_precedents", "next_steps"]
    assert schema["properties"]["cited_precedents"]["items"]["required"] == ["id", "why"]
    assert "$defs" not in json.dumps(schema)


def test_cancel_during_the_stream_stops_the_analysis() -> None:
    release = threading.Event()
    cancel = CancelToken()
    with FakeLLMServer("vllm", answer=good_answer([])) as server:
        server.script = [Stream(hold=release)]
        with pytest.raises(Cancelled):
            analyze(disc_case(), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY, cancel=cancel,
                    on_delta=lambda _piece: cancel.cancel())
        release.set()
    assert len(server.chat_requests) == 1  # no repair request after a cancel


# ---- with Gemini (fake Gemini REST server) ------------------------------------------------------
def test_analysis_runs_on_gemini_with_the_same_redacted_request() -> None:
    story = disc_case().story + " " + " ".join(text for text, _, _ in PERSONAL)
    inp = disc_case(story=story)
    request = build_request(inp, TinyFinder(), k=3)
    ids = [h.record.id for h in request.hits]
    with fake_gemini.FakeGemini() as server:
        server.queue(fake_gemini.text(good_answer(ids + ["lawgokr:999999"])))
        deltas: list[str] = []
        result = analyze(inp, TinyFinder(), model=gemini_model(server.url), request=request, today=TODAY,
                         on_delta=deltas.append)
    assert result.engine == "gemini" and result.model == gemini_model(server.url).model
    assert {c["id"] for c in result.answer["cited_precedents"]} == set(ids)
    assert result.dropped_citations == ["lawgokr:999999"] and deltas
    body = server.calls[0]["body"]
    assert body["contents"][0]["parts"][0]["text"] == request.text == result.sent_text
    assert body["generationConfig"]["responseMimeType"] == "application/json"
    assert body["generationConfig"]["responseJsonSchema"]["required"][0] == "issues"
    sent = json.dumps(body, ensure_ascii=False)
    for _, secret, _ in PERSONAL:
        assert secret not in sent


def test_gemini_analysis_repairs_once_then_refuses() -> None:
    with fake_gemini.FakeGemini() as server:
        server.queue(fake_gemini.text("```json\n" + good_answer([]) + "\n```"))
        fenced = analyze(disc_case(), TinyFinder(), model=gemini_model(server.url), k=2, today=TODAY)
        assert fenced.answer is not None and len(server.calls) == 1  # code fences are no format error
        server.queue(fake_gemini.text("정리할 수 없습니다"), fake_gemini.text('{"issues": []}'))
        refused = analyze(disc_case(), TinyFinder(), model=gemini_model(server.url), k=2, today=TODAY)
    assert len(server.calls) == 3 and refused.answer_invalid and refused.warnings == [ANSWER_REFUSED]
    assert "고칠 답" in server.calls[2]["body"]["contents"][0]["parts"][0]["text"]


def test_follow_up_questions_run_on_gemini_redacted() -> None:
    with fake_gemini.FakeGemini(fake_gemini.text("작업량 기록이 중요했습니다.")) as server:
        chat = FollowUpChat("## 내 상황\n- 사연: 상하차")
        answer = chat.ask("홍길동 씨 번호 010-1234-5678로 연락해도 되나요?", gemini_model(server.url))
        chat.ask("특별진찰은 무엇인가요?", gemini_model(server.url))
    assert answer == "작업량 기록이 중요했습니다."
    last = server.calls[-1]["body"]
    assert [c["role"] for c in last["contents"]] == ["user", "model", "user"]
    assert "responseMimeType" not in last.get("generationConfig", {})  # plain text, no schema
    sent = json.dumps([c["body"] for c in server.calls], ensure_ascii=False)
    assert "010-1234-5678" not in sent and "홍길동" not in sent


# ---- which model the analysis uses ------------------------------------------------------------
def test_analysis_model_choice_prefers_gemma_and_falls_back_to_gemini() -> None:
    assert analysis_engine(DictSettings()) is None and analysis_model(DictSettings()) is None
    only_gemini = DictSettings(gemini_key="AIzaTEST")
    assert analysis_engine(only_gemini) == "gemini"
    assert isinstance(analysis_model(only_gemini), GeminiModel)
    both = DictSettings(gemini_key="AIzaTEST", llm_url="http://127.0.0.1:9")
    assert analysis_engine(both) == "gemma" and isinstance(analysis_model(both), OpenAICompatModel)
    assert analysis_engine(DictSettings(both, analysis_engine="gemini")) == "gemini"
    # a chosen model without its key or address is not used
    assert analysis_engine(DictSettings(llm_url="http://127.0.0.1:9", analysis_engine="gemini")) == "gemma"
    assert analysis_engine(DictSettings(analysis_engine="gemma")) is None


def test_no_personal_data_reaches_the_server() -> None:
    story = disc_case().story + " " + " ".join(text for text, _, _ in PERSONAL)
    with FakeLLMServer("tgi", answer=lambda body: good_answer([])) as server:
        analyze(disc_case(story=story), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY)
        chat = FollowUpChat.from_request_text(server.chat_requests[0].body["messages"][0]["content"])
        chat.ask("홍길동 씨 번호 010-1234-5678로 연락해도 되나요?", gemma_model(server.url))
    sent = server.all_sent_text()
    for _, secret, _ in PERSONAL:
        assert secret not in sent


def test_the_answer_comes_back_with_his_own_words_and_the_server_saw_placeholders() -> None:
    story = disc_case().story + " 저는 김철수입니다. 반장 박영수가 무거운 상자를 맡겼습니다."

    def answer(body: dict) -> str:
        sent = body["messages"][0]["content"]
        assert "[이름1]" in sent and "[이름2]" in sent  # the AI can still tell the two people apart
        return json.dumps({**json.loads(good_answer([])),
                           "favourable_facts": ["[이름1]는 반장 [이름2]의 지시로 중량물을 날랐습니다"]},
                          ensure_ascii=False)

    with FakeLLMServer("vllm", answer=answer) as server:
        result = analyze(disc_case(story=story), TinyFinder(), model=gemma_model(server.url), k=2, today=TODAY)
        chat = FollowUpChat.from_request_text(result.sent_text, "", mapping_of(result.redactions))
        reply = chat.ask("박영수 반장님 진술서도 받아야 하나요?", gemma_model(server.url))
        sent = server.all_sent_text()
    assert "김철수" not in sent and "박영수" not in sent
    assert result.answer["favourable_facts"] == ["김철수는 반장 박영수의 지시로 중량물을 날랐습니다"]
    assert "[이름2] 반장님" in chat.history[0]["content"]  # the same person keeps his placeholder
    assert isinstance(reply, str)
    assert chat.readable_history()[0]["content"] == "박영수 반장님 진술서도 받아야 하나요?"


# ---- follow-up chat ---------------------------------------------------------------------------
def test_follow_up_chat_alternates_trims_and_serialises() -> None:
    with FakeLLMServer("tgi", answer="판례 t:1을 보면 작업량 기록이 중요했습니다.") as server:
        model = gemma_model(server.url)
        chat = FollowUpChat("## 내 상황\n- 사연: 상하차", max_tokens=7000)
        chat.ask("어떤 자료가 중요했나요?", model)
        chat.ask("특별진찰은 무엇인가요?", model)
        roles = [m["role"] for m in server.chat_requests[-1].body["messages"]]
    assert roles == ["user", "assistant", "user"]
    assert server.chat_requests[-1].body["messages"][0]["content"].count("## 내 상황") == 1
    restored = FollowUpChat.from_dict(json.loads(json.dumps(chat.to_dict(), ensure_ascii=False)))
    assert restored.history == chat.history and len(restored.history) == 4
    long_question = "가" * 1200
    assert len(restored.messages(long_question)) == 1  # 8,192 - 7,000 left no room for the history


# ---- CLI --------------------------------------------------------------------------------------
def _cli(args: list[str], stdin: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    env.update(extra_env or {})
    # A new session has no terminal: a question the command asks is answered "no", never waited for.
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, input=stdin.encode("utf-8"),
                          capture_output=True, timeout=120, start_new_session=True)


def test_cli_redact_prints_masked_text() -> None:
    out = _cli(["redact"], "홍길동 씨 010-1234-5678, 2019구단12345")
    assert out.returncode == 0
    assert out.stdout.decode("utf-8") == "[이름1] 씨 [전화번호1], 2019구단12345"


def test_cli_analyze_offline_json_uses_the_sample_corpus() -> None:
    out = _cli(["analyze", "--json", "--no-index", "-k", "3"],
               "택배 상하차 6년, 허리디스크 추간판탈출증 진단. 불승인 이유: 퇴행성 변화")
    assert out.returncode == 0, out.stderr.decode()
    data = json.loads(out.stdout)
    assert data["engine"] == "offline" and 0 < len(data["evidence"]["similar"]) <= 3


def test_cli_analyze_gemma_without_url_explains_and_exits_2() -> None:
    out = _cli(["analyze", "--engine", "gemma"], "택배 상하차 6년, 허리디스크 진단을 받았는데 불승인")
    assert out.returncode == 2 and "SANJAE_LLM_URL" in out.stderr.decode("utf-8")


def test_cli_analyze_gemma_talks_to_the_endpoint() -> None:
    with FakeLLMServer("vllm", answer=lambda body: good_answer([])) as server:
        out = _cli(["analyze", "--engine", "gemma", "--json", "--no-index", "-k", "2", "--yes"],
                   "택배 상하차 6년, 허리디스크 추간판탈출증 진단. 제 번호 010-2222-3333",
                   {"SANJAE_LLM_URL": server.url, "HF_TOKEN": "hf_cli_token"})
    assert out.returncode == 0, out.stderr.decode()
    assert json.loads(out.stdout)["answer"]["issues"]
    assert server.chat_requests[0].headers["authorization"] == "Bearer hf_cli_token"
    assert "010-2222-3333" not in server.all_sent_text()


def test_cli_analyze_shows_what_would_be_sent_and_sends_nothing_unconfirmed() -> None:
    with FakeLLMServer("vllm", answer=lambda body: good_answer([])) as server:
        out = _cli(["analyze", "--engine", "gemma", "--no-index", "-k", "2"],
                   "택배 상하차 6년, 허리디스크 추간판탈출증 진단. 제 번호 010-2222-3333",
                   {"SANJAE_LLM_URL": server.url})
        assert not server.chat_requests  # nothing left this computer
    err = out.stderr.decode("utf-8")
    assert out.returncode == 1 and "보내지 않았습니다" in err and "--yes" in err
    assert "AI 서버로 보낼 내 상황" in err and "허리디스크 추간판탈출증" in err
    preview = err.split("가린 것", 1)[0]
    assert "010-2222-3333" not in preview and "[전화번호1]" in preview
    assert "- 전화번호: 010-2222-3333 → [전화번호1]" in err  # each masked item, with what it was


def test_cli_analyze_auto_uses_gemini_when_only_its_key_is_set() -> None:
    with fake_gemini.FakeGemini(fake_gemini.text(good_answer([]))) as server:
        out = _cli(["analyze", "--engine", "auto", "--json", "--no-index", "-k", "2", "--yes"],
                   "택배 상하차 6년, 허리디스크 추간판탈출증 진단.",
                   {"GEMINI_API_KEY": "AIzaCLI-test-key-000", "SANJAE_GEMINI_URL": server.url, "SANJAE_LLM_URL": ""})
    assert out.returncode == 0, out.stderr.decode()
    data = json.loads(out.stdout)
    assert data["engine"] == "gemini" and data["answer"]["issues"]
    assert "AIzaCLI" not in out.stdout.decode() + out.stderr.decode()
