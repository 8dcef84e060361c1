"""The 청구 이유 rewritten by an AI (a real OpenAI-compatible server on 127.0.0.1 playing Gemma): it gets the masked
draft and its own citations only; a sentence naming any other case number is dropped and said; his details come
back here; the user can compare the two drafts."""
from __future__ import annotations

import json

import pytest

from services.appeal import build_offline_draft
from services.appeal.rewrite import rewrite_reasons
from tests.appeal_cases import lumbar_case, repository, synced_number, synced_store
from tests.fakes.ai_models import gemma_model
from tests.fakes.llm_server import FakeLLMServer

STORY_NAME = "반장 박영수"


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    return synced_store(tmp_path_factory.mktemp("cache"))


def test_the_ai_gets_masked_text_and_only_the_drafts_citations(tmp_path, synced) -> None:
    repo = repository(tmp_path / "user.json")
    saved = f"portal:{synced_number('2021구단58217')}@서울행정법원"
    case = lumbar_case(repo, synced, bookmark=saved, benefit="요양급여")
    told = f" {STORY_NAME}가 하루 물량을 정했고, 제 번호는 010-3333-4444입니다."
    case = repo.update(case.id, situation=case.situation + told)
    offline = build_offline_draft(case, synced)
    cited = offline.citations[0].case_number
    invented = "2099구합99999"

    def answer(body: dict) -> str:
        sent = body["messages"][0]["content"]
        assert "박영수" not in sent and "010-3333-4444" not in sent and "[이름1]" in sent
        assert cited in sent  # the draft's own citation is listed for it
        return ("1. 사건의 경위\n청구인은 반장 [이름1]의 지시에 따라 하루 10시간 중량물을 옮겼습니다. "
                f"{cited} 판결도 비슷한 업무에서 업무 관련성을 인정하였습니다. "
                f"{invented} 판결도 같은 취지입니다.\n2. 결론\n원처분을 취소하여 주시기 바랍니다.")

    with FakeLLMServer("vllm", answer=answer) as server:
        rewrite = rewrite_reasons(offline, gemma_model(server.url))
        sent = json.dumps([r.body for r in server.requests], ensure_ascii=False)
    assert "박영수" not in sent and "010-3333-4444" not in sent
    reasons = rewrite.draft.reasons
    assert "반장 박영수의 지시에 따라" in reasons  # restored on this computer
    assert cited in reasons and invented not in reasons
    assert rewrite.dropped == [f"{invented} 판결도 같은 취지입니다."]
    assert any("사건번호를 쓴 문장 1개를 뺐습니다" in n for n in rewrite.draft.notices)
    assert rewrite.draft.engine != "offline" and offline.reasons != reasons
    changes = rewrite.changes(offline)
    assert any(line.startswith("+") and "박영수" in line for line in changes)
    assert any(line.startswith("-") for line in changes)
