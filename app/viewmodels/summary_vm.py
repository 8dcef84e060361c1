"""Detail page summary: which engines can run, and turning a summary into labelled parts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.ai.choice import available_summary_engines, summary_engine

ENGINE_WORDS = {"offline": "자동 발췌 (인터넷 없이)", "gemini": "AI 요약 (Gemini)", "gemma": "AI 요약 (Gemma)"}


def available_engines(settings: Any) -> list[str]:
    """Offline extract always; cloud engines only when configured (``services.ai.choice``)."""
    return list(available_summary_engines(settings))


def default_engine(settings: Any) -> str:
    """The engine the page starts with: the one choice every page and the CLI share."""
    return summary_engine(settings)


def _get(summary: Any, name: str, default: Any = None) -> Any:
    if isinstance(summary, dict):
        return summary.get(name, default)
    return getattr(summary, name, default)


@dataclass(frozen=True)
class SummaryPart:
    title: str
    text: str


def summary_parts(summary: Any) -> list[SummaryPart]:
    """Labelled parts in reading order; empty parts are left out."""
    facts = _get(summary, "deciding_facts") or {}
    recognized = _get(facts, "recognized") or []
    not_recognized = _get(facts, "not_recognized") or []

    def bullets(items: Any) -> str:
        return "\n".join(f"• {i}" for i in (items or []) if i)

    plain = _get(summary, "plain") or []
    parts = [
        SummaryPart("쉽게 말하면", "\n".join(str(line) for line in plain if line)),
        SummaryPart("한 줄 요약", _get(summary, "preview") or ""),
        SummaryPart("원고 (소송을 낸 사람)", _get(summary, "plaintiff") or ""),
        SummaryPart("피고", _get(summary, "defendant") or ""),
        SummaryPart("결과", _get(summary, "result") or ""),
        SummaryPart("사건 배경", _get(summary, "background") or ""),
        SummaryPart("쟁점", bullets(_get(summary, "issues"))),
        SummaryPart("법원의 판단", _get(summary, "reasoning") or ""),
        SummaryPart("인정된 사정", bullets(recognized)),
        SummaryPart("인정되지 않은 사정", bullets(not_recognized)),
        SummaryPart("관련 법령", bullets(_get(summary, "statutes"))),
    ]
    return [p for p in parts if p.text.strip()]


def summary_notice(summary: Any) -> str:
    notice = _get(summary, "notice")
    if callable(notice):
        notice = notice()
    if notice:
        return str(notice)
    if _get(summary, "is_extract") or _get(summary, "engine") == "offline":
        return "자동 발췌: 판결문의 문장을 그대로 골라 모은 것입니다."
    return "AI 요약은 틀린 곳이 있을 수 있습니다. 중요한 내용은 원문에서 확인하세요."
