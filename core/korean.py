"""Korean particles chosen by the last sound of the word before them, Hangul, digits or Latin letters.

"Gemma" + 로 → "Gemma로", "Markdown" + 로 → "Markdown으로", "2026-01-05" + 이 → "2026-01-05가" (오 has no final
consonant), "토큰" + 로 → "토큰으로".
"""
from __future__ import annotations

# How a final digit is read: 영 일 이 삼 사 오 육 칠 팔 구 → its final consonant ("" none, "ㄹ" for 로 rules).
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
# A final Latin letter as it is usually read: vowels and letter names that end in a vowel have none.
_LATIN_FINAL = {"l": "ㄹ", "r": "", "m": "ㅁ", "n": "ㄴ", "k": "ㄱ", "g": "ㅇ", "b": "ㅂ", "p": "ㅂ", "t": "ㅅ",
                "d": "ㅅ", "c": "ㄱ"}
_HANGUL_FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ",
                  "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")
# (with a final consonant, without); 로 also goes after ㄹ.
_PAIRS = {"이": ("이", "가"), "가": ("이", "가"), "을": ("을", "를"), "를": ("을", "를"), "은": ("은", "는"),
          "는": ("은", "는"), "로": ("으로", "로"), "으로": ("으로", "로"), "과": ("과", "와"), "와": ("과", "와"),
          "이라": ("이라", "라")}


def final_sound(word: str) -> str:
    """The final consonant of the last sounded character of ``word`` ("" when it ends in a vowel)."""
    for ch in reversed((word or "").strip()):
        if "가" <= ch <= "힣":
            return _HANGUL_FINALS[(ord(ch) - ord("가")) % 28]
        if ch in _DIGIT_FINAL:
            return _DIGIT_FINAL[ch]
        if ch.isascii() and ch.isalpha():
            return _LATIN_FINAL.get(ch.lower(), "")
    return ""


def particle(word: str, which: str) -> str:
    """``which`` ("이", "을", "은", "로", "과", "이라", either form) in the form ``word`` takes."""
    with_final, without = _PAIRS[which]
    final = final_sound(word)
    if which in ("로", "으로"):
        return without if final in ("", "ㄹ") else with_final
    return with_final if final else without


def attach(word: str, which: str) -> str:
    """``word`` followed by its particle: attach("JSON", "로") → "JSON으로"."""
    return word + particle(word, which)
