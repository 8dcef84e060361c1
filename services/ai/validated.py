"""``generate_validated``: ask a model for JSON that fits a pydantic model, repair once, else refuse.

The answer is parsed and validated before anyone sees it. An answer that does not fit is sent back
once with the reason; a second failure is refused with a Korean message (``AIFormatRejected``),
never shown half-parsed.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from core.progress import CancelToken, check, report
from services.ai.errors import MSG_FORMAT_REJECTED, AIFormatError, AIFormatRejected
from services.ai.json_output import json_schema_for, parse_as
from services.ai.model import ChatModel, DeltaFn, Message, ProgressFn

_Schema = TypeVar("_Schema", bound=BaseModel)
# (the first request, the unusable answer, why it was unusable) -> the repair request
RepairBuilder = Callable[[list[Message], str, str], list[Message]]

REPAIR_REQUEST = """\
방금 보낸 답은 쓸 수 없었습니다. 이유: {reason}
같은 내용을 스키마에 맞는 완전한 JSON 객체 하나로 다시 써 주세요. 각 필드는 간결하게 쓰세요.
다른 말은 붙이지 마세요."""
# The failed answer echoed back in a repair request is cut to this length (smaller for small contexts).
ECHO_CHARS = 6_000
SMALL_CONTEXT_ECHO_CHARS = 1_200


def conversation_repair(model: ChatModel) -> RepairBuilder:
    """The default repair: the same conversation, the failed answer, and the reason."""
    limit = SMALL_CONTEXT_ECHO_CHARS if model.context_tokens else ECHO_CHARS

    def build(messages: list[Message], raw: str, reason: str) -> list[Message]:
        echo = raw[:limit] + (" …" if len(raw) > limit else "") if raw.strip() else "(빈 답)"
        return [*messages, {"role": "assistant", "content": echo},
                {"role": "user", "content": REPAIR_REQUEST.format(reason=reason)}]

    return build


def generate_validated(model: ChatModel, messages: list[Message], schema_cls: type[_Schema], *,
                       max_tokens: int | None = None, on_delta: DeltaFn | None = None,
                       on_restart: Callable[[], None] | None = None, cancel: CancelToken | None = None,
                       progress: ProgressFn | None = None, repair: RepairBuilder | None = None,
                       refusal: str = MSG_FORMAT_REJECTED) -> _Schema:
    """The model's answer as a valid ``schema_cls``.

    ``on_delta`` receives the raw text as it streams. The repair request streams to it as well only
    when ``on_restart`` is given (called first, so a live view can clear itself).
    """
    schema = json_schema_for(schema_cls)
    raw = model.generate(messages, schema=schema, max_tokens=max_tokens, on_delta=on_delta, cancel=cancel,
                         progress=progress)
    try:
        return parse_as(raw, schema_cls)
    except AIFormatError as first:
        reason = first.reason
    check(cancel)
    report(progress, 1, 2, "AI 답의 형식이 맞지 않아 한 번 더 요청하고 있습니다…")
    if on_restart is not None:
        on_restart()
    turns = (repair or conversation_repair(model))(messages, raw, reason)
    second = model.generate(turns, schema=schema, max_tokens=max_tokens,
                            on_delta=on_delta if on_restart is not None else None, cancel=cancel, progress=progress)
    try:
        return parse_as(second, schema_cls)
    except AIFormatError:
        raise AIFormatRejected(refusal) from None
