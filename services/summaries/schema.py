"""The shape of a summary: what the engines must fill, validated before anything is shown or cached.

Two kinds of summary exist:
- ``PrecedentSummary``: one judgment, in the fields a worker needs (who sued whom, who won, why).
- ``TextSummary``: a document the user pasted (a 불승인 통지서, a decision, a medical opinion).

``PrecedentContent`` and ``TextContent`` are what a model writes; the JSON Schema sent to the models is
made from them (``services.ai.json_output.json_schema_for``), their field descriptions included. The
metadata (engine, model, prompt version, time) is added here, never taken from model output.
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.ai.names import SUMMARY_ENGINES, SummaryEngine, is_summary_engine

# The summary engines are the AI layer's choice; these names are the summaries' own words for them.
ENGINES = SUMMARY_ENGINES
EngineName = SummaryEngine
is_engine_name = is_summary_engine

ENGINE_LABELS = {
    "offline": "자동 발췌",
    "gemini": "AI 요약 (Gemini)",
    "gemma": "AI 요약 (Gemma)",
}
EXTRACT_NOTICE = "자동 발췌: 판결문의 문장을 그대로 골라 모은 것입니다. AI가 새로 쓴 글이 아닙니다."
AI_NOTICE = "AI 요약: 판결문을 바탕으로 AI가 쓴 글이라 틀린 곳이 있을 수 있습니다. 중요한 내용은 원문에서 확인하세요."
TEXT_EXTRACT_NOTICE = ("자동 발췌: 문서의 문장을 그대로 골라 모은 것입니다. 개인정보는 가린 뒤 처리했습니다. "
                       "기한은 문서의 날짜로 계산한 참고용이니 통지서를 받은 날을 꼭 확인하세요.")
TEXT_AI_NOTICE = ("AI 요약: 개인정보를 가린 글을 AI가 읽고 쓴 것이라 틀린 곳이 있을 수 있습니다. "
                  "기한은 AI가 아니라 프로그램이 문서의 날짜로 계산한 참고용입니다.")
NOT_ADVICE = "이 요약은 참고용 정보이며 법률 자문이 아닙니다."

DOC_TYPES = ("불승인 통지", "심사 결정", "재심사 결정", "의학 소견", "기타")

PREVIEW_MAX = 200
FIELD_MAX = 4000
LIST_MAX_ITEMS = 12


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _clean_text(value: Any, *, one_line: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("문자열이어야 합니다")
    text = value.replace("\r\n", "\n").strip()
    if one_line:
        text = re.sub(r"\s+", " ", text)
    else:
        text = re.sub(r"[ \t]+", " ", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text


def _clean_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("문자열 목록이어야 합니다")
    items = []
    for item in value:
        text = _clean_text(item, one_line=True)
        if text and text not in items:
            items.append(text)
    return items[:LIST_MAX_ITEMS]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_max_length=FIELD_MAX)


class DecidingFacts(_Strict):
    recognized: list[str] = Field(default_factory=list, description="인정 요인: 업무와 관련이 있다고 본 사실들")
    not_recognized: list[str] = Field(default_factory=list,
                                      description="불인정 요인: 업무와 관련이 없다고 본 사실들")

    _lists = field_validator("recognized", "not_recognized", mode="before")(_clean_list)

    @model_validator(mode="after")
    def _some_fact(self) -> DecidingFacts:
        if not self.recognized and not self.not_recognized:
            raise ValueError("인정 요인과 불인정 요인이 모두 비어 있습니다")
        return self


class PrecedentContent(_Strict):
    """The part of a precedent summary that an engine writes."""

    preview: str = Field(min_length=1, max_length=PREVIEW_MAX,
                         description="한 줄 미리보기: 어떤 사건이고 누가 이겼는지 쉬운 말로 (80자 안팎)")
    plaintiff: str = Field(min_length=1,
                           description="원고: 누구인지 쉬운 말로 (예: 야간 경비원으로 일하다 쓰러진 노동자의 배우자)")
    defendant: str = Field(min_length=1, description="피고: 보통 근로복지공단")
    result: str = Field(min_length=1, description="결과: 누가 이겼고 노동자에게 무슨 뜻인지 쉬운 말로")
    background: str = Field(min_length=1, description="배경: 무슨 일이 있었고 공단이 어떤 처분을 했는지")
    issues: list[str] = Field(min_length=1, description="쟁점: 법원이 따진 질문들")
    reasoning: str = Field(min_length=1, description="판단 이유: 법원이 그렇게 판단한 까닭을 쉬운 말로")
    deciding_facts: DecidingFacts = Field(description="판단에 영향을 준 사실들")
    statutes: list[str] = Field(min_length=1, description="판결이 든 법 조문 (예: 산업재해보상보험법 제37조)")
    # Optional so that summaries cached before it existed still load.
    plain: list[str] = Field(default_factory=list,
                             description="쉬운 말 세 문장: 무슨 일이 있었는지, 공단이 뭐라고 했는지, "
                                         "법원이 어떻게 왜 판단했는지")

    @field_validator("preview", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> str:
        return _clean_text(value, one_line=True)

    @field_validator("plaintiff", "defendant", "result", "background", "reasoning", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return _clean_text(value)

    @field_validator("issues", "statutes", "plain", mode="before")
    @classmethod
    def _list(cls, value: Any) -> list[str]:
        return _clean_list(value)


class SummaryMeta(_Strict):
    engine: EngineName
    model: str
    prompt_version: str
    created_at: str = Field(default_factory=now_iso)
    is_extract: bool = False

    @property
    def label(self) -> str:
        return ENGINE_LABELS[self.engine]

    @property
    def notice(self) -> str:
        return EXTRACT_NOTICE if self.is_extract else AI_NOTICE

    def to_dict(self) -> dict[str, Any]:
        """The stored/shown form: the fields plus the label and notice the UI prints beside them."""
        data = self.model_dump()
        data["label"] = self.label
        data["notice"] = self.notice
        return data


class PrecedentSummary(PrecedentContent, SummaryMeta):
    """A validated summary of one precedent, ready to show and to cache."""

    record_id: str
    # True when this came from the cache rather than being made just now (not stored).
    from_cache: bool = Field(default=False, exclude=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrecedentSummary:
        return cls.model_validate(data)


class TextContent(_Strict):
    """The part of a pasted-document summary that an engine writes."""

    doc_type: Literal["불승인 통지", "심사 결정", "재심사 결정", "의학 소견", "기타"] = Field(description="문서 종류")
    what_it_is: str = Field(min_length=1, description="이 문서가 무엇인지 한두 문장")
    key_points: list[str] = Field(min_length=1, description="문서가 말하는 핵심 내용, 쉬운 말로")
    what_it_means: str = Field(min_length=1, description="읽는 사람(노동자)에게 이것이 무슨 뜻인지")
    next_steps: list[str] = Field(min_length=1, description="이제 할 수 있는 일, 순서대로")

    @field_validator("what_it_is", "what_it_means", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return _clean_text(value)

    @field_validator("key_points", "next_steps", mode="before")
    @classmethod
    def _list(cls, value: Any) -> list[str]:
        return _clean_list(value)


class TextSummary(TextContent, SummaryMeta):
    """A plain-language summary of a pasted document; the UI stores ``to_dict()`` in a case."""

    deadlines: list[dict[str, Any]] = Field(default_factory=list)
    deadline_note: str = ""
    dates_found: dict[str, str] = Field(default_factory=dict)
    redacted_items: int = 0

    @property
    def notice(self) -> str:
        return TEXT_EXTRACT_NOTICE if self.is_extract else TEXT_AI_NOTICE

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextSummary:
        return cls.model_validate(data)


_STRING_VALUE = re.compile(r'"(\w+)"\s*:\s*"((?:[^"\\]|\\.)*)("?)')


def preview_partial(raw_so_far: str, labels: dict[str, str] | None = None) -> str:
    """Readable text from a JSON reply still being streamed, for showing progress.

    Picks the string values written so far (the last one may be unfinished) and labels them.
    """
    labels = labels or FIELD_LABELS
    lines = []
    for match in _STRING_VALUE.finditer(raw_so_far or ""):
        key, body = match.group(1), match.group(2)
        try:
            value = json.loads(f'"{body}"')
        except json.JSONDecodeError:
            value = body.replace('\\"', '"').replace("\\n", "\n")
        label = labels.get(key)
        lines.append(f"{label}: {value}" if label else f"· {value}")
    return "\n".join(lines)


FIELD_LABELS = {
    "preview": "한 줄 요약",
    "plaintiff": "원고",
    "defendant": "피고",
    "result": "결과",
    "background": "배경",
    "reasoning": "판단 이유",
    "what_it_is": "무슨 문서인가요",
    "what_it_means": "무슨 뜻인가요",
    "doc_type": "문서 종류",
}
