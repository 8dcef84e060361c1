"""Find the statutes a judgment cites ("산업재해보상보험법 제37조 제1항 제2호" and the like)."""
from __future__ import annotations

import re

# Short names courts use, mapped to the full name shown to users.
_ALIASES = {
    "산재보험법": "산업재해보상보험법",
    "산재법": "산업재해보상보험법",
}
_STATUTE = re.compile(
    r"(?P<law>[가-힣]{2,}(?:법|령|규칙))"
    r"(?P<sub>\s*시행령|\s*시행규칙)?"
    r"\s*(?:\(\s*[^)]{0,40}\)\s*)?"          # "(2020. 1. 1. 법률 제1234호로 개정되기 전의 것)"
    r"\s*제\s*(?P<art>\d+)\s*조(?:\s*의\s*(?P<sub_art>\d+))?"
    r"(?:\s*제\s*(?P<para>\d+)\s*항)?"
    r"(?:\s*제\s*(?P<item>\d+)\s*호)?"
)
_NOTICE = re.compile(r"고용노동부\s*고시\s*(?:제\s*(?P<no>\d{4}\s*-\s*\d+)\s*호)?")
# Words that end in 법/령 but are not statute names.
_NOT_A_LAW = ("방법", "위법", "적법", "불법", "편법", "명령", "연령", "수령", "법령", "지령", "하는법")


def _normalise_law(name: str) -> str:
    return _ALIASES.get(name, name)


def find_statutes(text: str, limit: int = 8) -> list[str]:
    """Statute references in ``text``, normalised ("제 37 조" → "제37조"), first mention first."""
    found: list[str] = []
    last_law = ""
    for match in _STATUTE.finditer(text or ""):
        law = _normalise_law(match.group("law"))
        sub = (match.group("sub") or "").strip()
        if law in ("시행령", "시행규칙"):
            # "같은 법 시행령 제34조": the act named last.
            if not last_law:
                continue
            law, sub = last_law, law
        if law.endswith(_NOT_A_LAW):
            continue
        last_law = law
        ref = law + (f" {sub}" if sub else "")
        ref += f" 제{match.group('art')}조"
        if match.group("sub_art"):
            ref += f"의{match.group('sub_art')}"
        if match.group("para"):
            ref += f" 제{match.group('para')}항"
        if match.group("item"):
            ref += f" 제{match.group('item')}호"
        if ref not in found:
            found.append(ref)
    for match in _NOTICE.finditer(text or ""):
        number = match.group("no")
        ref = "고용노동부 고시" + (f" 제{number.replace(' ', '')}호" if number else "")
        if ref not in found and not any(f.startswith(ref) for f in found):
            found.append(ref)
    return found[:limit]


# What usually applies when a judgment names no article (shown with that caveat).
USUAL_STATUTE_BY_KIND = {
    "장해": "산업재해보상보험법 제57조 (장해급여)",
    "유족": "산업재해보상보험법 제62조 (유족급여)",
    "재요양등": "산업재해보상보험법 제51조 (재요양)",
    "평균임금": "산업재해보상보험법 제36조 (평균임금)",
}
DEFAULT_STATUTE = "산업재해보상보험법 제37조 (업무상의 재해의 인정 기준)"
