"""The Korean prompt and the repair request (the answer's shape is ``answer.AnalysisAnswer``).

All instructions go in the first user turn (Gemma-2 has no system role). The model is asked for
information, never a prediction of the result.
"""
from __future__ import annotations

from services.analysis.model import SituationInput

DISCLAIMER = "이 내용은 법률 자문이 아니며 결과를 예측하지 않습니다. 실제 대응은 노무사·변호사와 상의해 주세요."

INSTRUCTIONS = (
    "당신은 산업재해(산재) 불승인을 받은 노동자에게 정보를 정리해 주는 도우미입니다.\n"
    "아래 '내 상황'과 '비슷한 판례'만 근거로, 쉬운 한국어로 정리해 주세요.\n"
    "지켜야 할 점:\n"
    '- 결과를 예측하지 마세요. "승소할 것", "패소할 것", "인정될 것" 같은 표현을 쓰지 말고, '
    "판례에서 어떤 사실이 판단에 영향을 주었는지를 정보로 알려 주세요.\n"
    "- 판례를 언급할 때는 대괄호 안의 판례 ID(예: sample:001)를 그대로 쓰고, "
    "아래 목록에 없는 판례는 만들어 내지 마세요.\n"
    "- 모르는 것은 모른다고 쓰고, 사실을 지어내지 마세요.\n"
    "- 개인정보를 가린 대괄호 표시(이름·전화번호 같은 말 뒤에 번호가 붙은 것)는 고치지 말고 그대로 쓰세요. "
    "사람을 가리킬 때도 그 표시를 쓰세요.\n"
    '- 답은 아래 JSON 형식 하나만 쓰세요: {"issues": [쟁점], '
    '"assessment": {"strengths": [유리하게 작용할 수 있는 점], "weaknesses": [불리하게 작용할 수 있는 점]}, '
    '"favourable_facts": [내 상황 중 유리한 사실], "unfavourable_facts": [내 상황 중 불리한 사실], '
    '"evidence_checklist": [모으면 좋은 자료: 근무시간 기록, 의사 소견서, 동료 진술서, 특별진찰 등], '
    '"cited_precedents": [{"id": 판례 ID, "why": 참고한 이유}], "next_steps": [다음에 할 일]}'
)


SITUATION_HEADING = "## 내 상황"


def situation_block(inp: SituationInput) -> str:
    lines = [SITUATION_HEADING]
    fields = [("업종/하던 일", inp.industry), ("재해 종류", inp.kind_c), ("상병명", ", ".join(inp.diagnoses)),
              ("청구한 급여", inp.benefit), ("불승인 이유(통지서)", inp.denial_reason)]
    lines += [f"- {name}: {value}" for name, value in fields if value]
    if inp.story.strip():
        lines.append(f"- 사연: {inp.story.strip()}")
    return "\n".join(lines)


PRECEDENTS_HEADING = "## 비슷한 판례"


def first_turn(inp: SituationInput, precedent_blocks: list[str]) -> str:
    parts = [INSTRUCTIONS, situation_block(inp), PRECEDENTS_HEADING]
    parts.append("\n\n".join(precedent_blocks) if precedent_blocks else "(찾은 판례가 없습니다)")
    return "\n\n".join(parts)


REPAIR_REQUEST = ("방금 답은 요청한 JSON 형식에 맞지 않았습니다(이유: {reason}). 같은 내용을 설명 없이 JSON 하나로만 "
                  "다시 써 주세요. 반드시 issues, assessment(strengths, weaknesses), favourable_facts, "
                  "unfavourable_facts, evidence_checklist, cited_precedents(id, why), next_steps 키를 "
                  "모두 넣어 주세요.")
