"""Follow-up questions after an analysis, grounded in the same situation and precedents.

The grounded context rides in the first user turn (no system role); the history alternates
user/assistant and the oldest exchanges are dropped when Gemma's 8,192-token context would overflow
(the same messages go to Gemini, which has room to spare).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.progress import CancelToken, Progress
from services.ai.model import ChatModel
from services.analysis.tokens import TokenCounter, estimate_tokens, messages_tokens, prompt_budget
from services.redaction import redact, restore

FOLLOWUP_RULES = ("아래 상황과 판례를 바탕으로 사용자의 질문에 쉬운 한국어로 답해 주세요. 결과를 예측하지 말고, "
                  "판례를 말할 때는 대괄호 안의 판례 ID를 쓰고, 목록에 없는 판례는 만들지 마세요. "
                  "법률 자문이 아닌 정보로 답해 주세요.")


@dataclass
class FollowUpChat:
    context: str                                   # the grounded text (situation + precedents), already redacted
    history: list[dict[str, str]] = field(default_factory=list)   # as sent: masked
    max_tokens: int = 768
    # placeholder → the user's own words; kept on this computer, never part of a request
    mapping: dict[str, str] = field(default_factory=dict)

    def messages(self, question: str, count: TokenCounter = estimate_tokens) -> list[dict[str, str]]:
        history = list(self.history)
        while True:
            turns = history + [{"role": "user", "content": question}]
            first = dict(turns[0])
            first["content"] = f"{FOLLOWUP_RULES}\n\n{self.context}\n\n## 질문\n{first['content']}"
            messages = [first] + turns[1:]
            if messages_tokens(messages, count) <= prompt_budget(self.max_tokens) or not history:
                return messages
            history = history[2:]  # drop the oldest question and its answer

    def ask(self, question: str, model: ChatModel, *, cancel: CancelToken | None = None,
            on_status: Callable[[str], None] | None = None,
            on_delta: Callable[[str], None] | None = None) -> str:
        """The model's plain-text answer (the question is redacted first, whichever model answers)."""
        # Placeholders of the situation and of earlier turns stay theirs: a new name is numbered after them.
        earlier = self.context + "".join(m["content"] for m in self.history)
        masked = redact(question, known=self.mapping, reserve=earlier)
        self.mapping.update(masked.mapping)
        clean = masked.text

        def progress(update: Progress) -> None:
            if on_status is not None and update.message:
                on_status(update.message)

        answer = model.generate(self.messages(clean), max_tokens=self.max_tokens if model.context_tokens else None,
                                on_delta=on_delta, cancel=cancel, progress=progress)
        self.history += [{"role": "user", "content": clean}, {"role": "assistant", "content": answer}]
        return restore(answer, self.mapping)

    def readable_history(self) -> list[dict[str, str]]:
        """The turns with the user's own words put back, for his screen and his case file."""
        return [{**turn, "content": restore(turn["content"], self.mapping)} for turn in self.history]

    def to_dict(self) -> dict[str, Any]:
        return {"context": self.context, "history": [dict(m) for m in self.history], "max_tokens": self.max_tokens}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FollowUpChat:
        return cls(data["context"], [dict(m) for m in data.get("history", [])], int(data.get("max_tokens", 768)))

    @classmethod
    def from_request_text(cls, sent_text: str, answer_summary: str = "",
                          mapping: dict[str, str] | None = None) -> FollowUpChat:
        """Start from the analysis prompt that was sent (its situation and precedents) and the answer;
        ``mapping`` is the analysis' placeholder → original (the answer summary holds the originals)."""
        start = sent_text.find("## 내 상황")
        context = sent_text[start:] if start >= 0 else sent_text
        known = dict(mapping or {})
        if answer_summary:
            masked = redact(answer_summary, known=known, reserve=context)
            known.update(masked.mapping)
            context += f"\n\n## 앞서 정리한 내용\n{masked.text}"
        return cls(context, mapping=known)
