"""Who writes the 청구 이유: the offline draft, or Gemma / Gemini rewriting it in plain, formal Korean.

The AI gets the offline 청구 이유 with his personal details masked (``services.redaction``) and the list of the
draft's own citations, nothing else. What comes back is checked sentence by sentence: a sentence that names a
case number not among those citations is dropped and reported (it could be invented or a sample), and the
user's details are put back here, on this computer. The result is a new draft beside the offline one; the
user compares the two and chooses.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from core.progress import CancelToken
from services.ai.model import ChatModel, DeltaFn
from services.appeal.citations import case_numbers_in, number_key
from services.appeal.draft import AppealDraft
from services.appeal.form import AppealError
from services.cases.model import now_iso
from services.redaction import Redaction, redact, restore

OFFLINE = "offline"
AI_ENGINES = ("gemma", "gemini")
ENGINES = (OFFLINE, *AI_ENGINES)
REWRITE_MAX_TOKENS = 2048

RULES = (
    "아래는 산재 불승인 처분에 대한 심사청구서의 '청구 이유' 초안입니다. 뜻과 사실은 그대로 두고, 공단에 내는 "
    "문서에 맞게 쉽고 정중한 한국어 문장으로 다듬어 주세요.\n"
    "지켜야 할 점:\n"
    "- 초안에 없는 사실을 더하지 마세요. 결과를 예측하거나 약속하지 마세요.\n"
    "- 판례는 아래 '인용할 수 있는 판례'에 있는 것만, 법원·날짜·사건번호를 초안에 쓰인 그대로 쓰세요. "
    "다른 사건번호는 쓰지 마세요.\n"
    "- 개인정보를 가린 대괄호 표시(이름·전화번호 같은 말 뒤에 번호가 붙은 것)는 고치지 말고 그대로 쓰세요.\n"
    "- 번호를 붙인 제목(1. 2. 3.)의 순서는 초안대로 두고, 다듬은 청구 이유만 쓰세요."
)
_SENTENCE_END = re.compile(r"(?<=[.?!。])\s+")


@dataclass(frozen=True)
class Rewrite:
    """The AI's draft, and the sentences left out because they named a case number that was not sent."""

    draft: AppealDraft
    dropped: list[str] = field(default_factory=list)

    def changes(self, offline: AppealDraft) -> list[str]:
        """The 청구 이유 lines that differ, as "- offline" / "+ AI" (for the user to compare)."""
        return [line for line in difflib.unified_diff(offline.reasons.splitlines(), self.draft.reasons.splitlines(),
                                                      lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---")) and line[1:].strip()]


def rewrite_prompt(draft: AppealDraft, masked: Redaction) -> str:
    cites = "\n".join(f"- {c.head} ({c.result})" for c in draft.citations) or "- (없음: 판례를 쓰지 마세요)"
    return f"{RULES}\n\n## 인용할 수 있는 판례\n{cites}\n\n## 다듬을 청구 이유\n{masked.text}"


def rewrite_reasons(draft: AppealDraft, model: ChatModel, *, cancel: CancelToken | None = None,
                    on_delta: DeltaFn | None = None) -> Rewrite:
    """The 청구 이유 rewritten by ``model`` from the masked offline draft, checked and restored here."""
    if not draft.reasons.strip():
        raise AppealError("다듬을 청구 이유가 없습니다. 먼저 초안을 만들어 주세요.")
    masked = redact(draft.reasons)
    raw = model.generate([{"role": "user", "content": rewrite_prompt(draft, masked)}],
                         max_tokens=REWRITE_MAX_TOKENS if model.context_tokens else None,
                         on_delta=on_delta, cancel=cancel)
    allowed = {number_key(c.case_number) for c in draft.citations}
    kept_lines: list[str] = []
    dropped: list[str] = []
    for line in raw.strip().splitlines():
        kept = []
        for sentence in _SENTENCE_END.split(line):
            if any(number_key(n) not in allowed for n in case_numbers_in(sentence)):
                dropped.append(restore(sentence.strip(), masked))
            elif sentence:
                kept.append(sentence)
        if kept or not line.strip():
            kept_lines.append(" ".join(s.strip() for s in kept))
    reasons = restore("\n".join(kept_lines).strip(), masked)
    if not reasons:
        raise AppealError("AI가 쓸 수 있는 청구 이유를 돌려주지 않았습니다. 인터넷 없이 만든 초안을 그대로 쓰거나 "
                          "잠시 뒤 다시 시도해 주세요.")
    notices = list(draft.notices)
    if dropped:
        notices.append(f"AI가 함께 보내지 않은 사건번호를 쓴 문장 {len(dropped)}개를 뺐습니다. 판례는 이 컴퓨터에 "
                       "있는 것만 인용합니다.")
    ai_draft = replace(draft, reasons=reasons, engine=model.name, notices=notices, created_at=now_iso(),
                       saved_at="")
    return Rewrite(ai_draft, dropped)


def draft_for_engine(draft: AppealDraft, engine: str = OFFLINE, model: ChatModel | None = None) -> AppealDraft:
    """The draft ``engine`` writes from the offline ``draft`` (the offline engine returns it as it is)."""
    if engine == OFFLINE:
        return draft
    if engine not in AI_ENGINES or model is None:
        raise AppealError(f"'{engine}'(으)로 청구 이유를 다시 쓰려면 AI 설정이 필요합니다. 설정에서 AI 서버 주소나 "
                          "Gemini API 키를 저장하거나, 인터넷 없이 만드는 초안(offline)을 쓰세요.")
    return rewrite_reasons(draft, model).draft
