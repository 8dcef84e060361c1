"""The shape of the AI's situation analysis, validated before it is shown (the schema sent is made from it)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Assessment(_Answer):
    strengths: list[str] = Field(description="판례에 비추어 유리하게 작용할 수 있는 점")
    weaknesses: list[str] = Field(description="판례에 비추어 불리하게 작용할 수 있는 점")


class CitedPrecedent(_Answer):
    id: str = Field(description="함께 보낸 판례의 ID (대괄호 안의 것 그대로)")
    why: str = Field(description="이 판례를 참고한 이유")


class AnalysisAnswer(_Answer):
    issues: list[str] = Field(description="쟁점")
    assessment: Assessment = Field(description="판례에 비추어 본 정리 (예측이 아닌 정보)")
    favourable_facts: list[str] = Field(description="내 상황 중 유리한 사실")
    unfavourable_facts: list[str] = Field(description="내 상황 중 불리한 사실")
    evidence_checklist: list[str] = Field(description="모으면 좋은 자료")
    cited_precedents: list[CitedPrecedent] = Field(description="참고한 판례")
    next_steps: list[str] = Field(description="다음에 할 일")
