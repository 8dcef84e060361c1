"""Shape a conversation the way Gemma-2's chat template accepts it.

Gemma-2 has no system role (its template rejects one with HTTP 400/422) and wants turns that
alternate user → assistant → user … starting with the user. Every request goes through
``gemma_messages`` so no caller can send a system turn by mistake.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def gemma_messages(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    system_parts: list[str] = []
    turns: list[dict[str, str]] = []
    for message in messages:
        role = str(message.get("role", "user"))
        content = message.get("content") or ""
        if not isinstance(content, str):
            content = str(content)
        if role == "system":
            if content.strip():
                system_parts.append(content.strip())
            continue
        role = "assistant" if role == "assistant" else "user"
        if turns and turns[-1]["role"] == role:
            # Two turns in a row from the same side would break the alternation: join them.
            turns[-1]["content"] = f"{turns[-1]['content']}\n\n{content}"
        else:
            turns.append({"role": role, "content": content})
    if turns and turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": ""})
    if system_parts:
        instructions = "\n\n".join(system_parts)
        if not turns:
            turns.append({"role": "user", "content": instructions})
        else:
            first = turns[0]["content"]
            turns[0]["content"] = f"{instructions}\n\n{first}" if first else instructions
    return turns
