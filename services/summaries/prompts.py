"""Prompts for the AI summaries, and fitting long judgments into a model's input budget.

The same prompt goes to Gemini and Gemma. Everything is in the one user turn (Gemma has no system
role). Changing the wording (or a field description in ``schema``, which is printed in the prompt)
means bumping ``PROMPT_VERSION``, which makes new cache entries.
"""
from __future__ import annotations

import json

from pydantic import BaseModel

from core.records import Precedent
from services.ai.json_output import json_schema_for
from services.judgment.sections import record_parts, split_sections
from services.summaries.schema import PrecedentContent, TextContent

PROMPT_VERSION = "p3"  # p3: asks for the three plain sentences
TEXT_PROMPT_VERSION = "t3"  # t3: keep the numbered placeholders as written (they are put back locally)

_STYLE = """\
당신은 산업재해(산재) 판결을 노동자와 가족에게 쉽게 풀어 주는 도우미입니다.
- 법률 용어 대신 쉬운 우리말을 쓰고, 문장은 짧게 씁니다. 꼭 필요한 용어는 괄호로 풀어 줍니다.
- 판결문에 없는 사실을 지어내지 않습니다. 모르는 것은 "판결문에 나오지 않음"이라고 씁니다.
- 실명, 주민등록번호, 연락처는 쓰지 않습니다.
- 결과를 예측하거나 법률 자문을 하지 않습니다.
- 답은 아래 JSON 스키마에 맞는 JSON 객체 하나만 출력합니다. 다른 말이나 코드 블록 표시는 붙이지 않습니다."""

_PRECEDENT_TASK = """\
다음 판결(또는 재결)을 요약해 주세요. 필드 설명:
- plain: 법을 모르는 사람도 바로 알아듣는 쉬운 문장 딱 세 개 — (1) 무슨 일이 있었는지, (2) 공단이 뭐라고 했는지,
  (3) 법원이 어떻게, 왜 판단했는지
- preview: 한 줄(80자 안팎)로, 어떤 일이었고 누가 이겼는지
- plaintiff / defendant: 원고와 피고가 누구인지 쉬운 말로 (이름 대신 "택배 상하차 노동자" 같은 설명)
- result: 누가 이겼는지, 그것이 노동자에게 무슨 뜻인지 (예: 취소 = 노동자 승소, 공단이 다시 결정해야 함)
- background: 무슨 일이 있었고 공단이 어떤 처분을 했는지
- issues: 법원이 따진 질문들
- reasoning: 법원이 그렇게 판단한 이유
- deciding_facts.recognized: 업무 관련성을 인정하는 쪽으로 작용한 사실들
- deciding_facts.not_recognized: 업무 관련성을 부정하는 쪽으로 작용한 사실들
- statutes: 판결이 든 법 조문 (예: "산업재해보상보험법 제37조 제1항 제2호")"""

_TEXT_TASK = """\
사용자가 붙여 넣은 문서(불승인 결정 통지서, 심사·재심사 결정서, 의사 소견서, 편지 등)를 쉬운 말로 풀어 주세요.
개인정보는 대괄호 표시(이름·전화번호 같은 말 뒤에 번호가 붙은 것)로 가려져 있습니다.
그 표시는 고치지 말고 그대로 쓰세요. 필드 설명:
- doc_type: "불승인 통지", "심사 결정", "재심사 결정", "의학 소견", "기타" 중 하나
- what_it_is: 이 문서가 무엇인지 한두 문장
- key_points: 문서가 말하는 핵심 내용 (3~6개, 쉬운 말로)
- what_it_means: 이 문서가 노동자에게 무슨 뜻인지
- next_steps: 이제 할 수 있는 일 (예: 통지서를 받은 날부터 90일 안에 심사청구, 무료 권리구제 대리인 신청, 자료 모으기)
기한 날짜는 프로그램이 따로 계산하니 날짜를 새로 계산하지 마세요."""

# A pasted document may use a little more of a small (Gemma) context than a judgment: its prompt is shorter.
# Each model's own budget is its ``input_chars``.
TEXT_SMALL_CONTEXT_INPUT_CHARS = 4_500


def _schema_block(model_cls: type[BaseModel]) -> str:
    return "JSON 스키마:\n" + json.dumps(json_schema_for(model_cls), ensure_ascii=False)


def trim_middle(text: str, limit: int, head_share: float = 0.4) -> str:
    """``text`` cut to about ``limit`` characters by dropping its middle, with a visible marker."""
    if len(text) <= limit:
        return text
    head = int(limit * head_share)
    tail = max(0, limit - head)
    dropped = len(text) - head - tail
    return f"{text[:head]}\n…(중략: 판결문 가운데 {dropped:,}자를 줄였습니다)…\n{text[len(text) - tail:]}"


def fit_judgment(record: Precedent, max_chars: int) -> str:
    """주문 + 이유 within ``max_chars``: 주문 whole; the 판단 and 결론 kept first; the middle trimmed."""
    parts = record_parts(record)
    order = f"【주문】\n{parts.order}\n" if parts.order else ""
    reasons = parts.reasons
    budget = max(500, max_chars - len(order) - 20)
    if len(reasons) > budget:
        sections = split_sections(reasons)
        judgment_start = next((s.start for s in sections if s.kind in ("judgment", "doctrine", "container")),
                              None)
        if judgment_start and judgment_start > 0:
            before, decision = reasons[:judgment_start], reasons[judgment_start:]
            decision_budget = min(len(decision), int(budget * 0.7))
            decision = trim_middle(decision, decision_budget, head_share=0.3)
            before = trim_middle(before, max(200, budget - len(decision)), head_share=0.6)
            reasons = before + "\n" + decision
        else:
            reasons = trim_middle(reasons, budget, head_share=0.35)
    return f"{order}【이유】\n{reasons}"


def _header(record: Precedent) -> str:
    facts = [("사건명", record.title), ("법원", record.court), ("사건번호", record.case_number),
             ("선고일", record.decided_on), ("결과 분류", record.outcome), ("사건 유형", record.kind_b),
             ("재해 구분", record.kind_c)]
    return "\n".join(f"{label}: {value}" for label, value in facts if value)


def precedent_prompt(record: Precedent, max_chars: int) -> str:
    return (f"{_STYLE}\n\n{_PRECEDENT_TASK}\n\n{_schema_block(PrecedentContent)}\n\n"
            f"[판결 정보]\n{_header(record)}\n\n[판결문]\n{fit_judgment(record, max_chars)}")


def text_prompt(redacted_text: str, max_chars: int) -> str:
    body = trim_middle(redacted_text.strip(), max_chars, head_share=0.6)
    return f"{_STYLE}\n\n{_TEXT_TASK}\n\n{_schema_block(TextContent)}\n\n[문서]\n{body}"
