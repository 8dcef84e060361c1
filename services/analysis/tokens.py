"""Token budgets for an 8,192-token model without downloading its tokenizer.

``estimate_tokens`` is deliberately pessimistic for Gemma's SentencePiece vocabulary: one token per
Hangul syllable (common syllables are often merged, rare ones split into bytes, so this is close to
the upper bound in practice), one per digit (Gemma splits numbers into digits), one per
punctuation mark, one per four Latin letters, two per other character (한자 etc.).
Pass a real counter (``len(tokenizer.encode(text))``) where one is available.
"""
from __future__ import annotations

import math
from collections.abc import Callable

TokenCounter = Callable[[str], int]
CONTEXT_TOKENS = 8192
# Chat-template tokens per turn (<start_of_turn>user\n … <end_of_turn>\n) plus a safety margin.
PER_TURN_OVERHEAD = 8
SAFETY_MARGIN = 64


def estimate_tokens(text: str) -> int:
    hangul = digits = latin = punct = spaces = other = 0
    for char in text:
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3 or 0x3130 <= code <= 0x318F:
            hangul += 1
        elif char.isdigit():
            digits += 1
        elif char.isascii() and char.isalpha():
            latin += 1
        elif char.isspace():
            spaces += 1
        elif char.isascii():
            punct += 1
        else:
            other += 1
    return hangul + digits + punct + math.ceil(latin / 4) + math.ceil(spaces / 8) + 2 * other


def messages_tokens(messages: list[dict[str, str]], count: TokenCounter = estimate_tokens) -> int:
    return sum(count(m.get("content", "")) + PER_TURN_OVERHEAD for m in messages)


def prompt_budget(max_answer_tokens: int, context: int = CONTEXT_TOKENS) -> int:
    """Tokens left for the prompt once the answer and a safety margin are reserved."""
    return context - max_answer_tokens - SAFETY_MARGIN
