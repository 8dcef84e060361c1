"""사건 유형 (kind_b, kind_c) as the sources write them, normalised to the portal's codes."""
from __future__ import annotations

import re

# Order matters: 재요양 before 요양, 유족 before the generic words.
_KIND_B_WORDS = (
    ("재요양", "재요양등"),
    ("퇴직후", "퇴직후진단"),
    ("장해", "장해"),
    ("유족", "유족"),
    ("장의비", "유족"),
    ("평균임금", "평균임금"),
    ("휴업급여", "휴업급여"),
    ("간병", "간병"),
    ("상병보상", "상병보상연금"),
    ("요양", "요양"),
    ("보험료", "보험료"),
    ("징수", "보험급여징수등"),
)


def kind_b_from_title(title: str) -> str:
    """사건 유형 from a title such as '요양불승인처분취소' or '장해급여 부지급 처분 취소' ('' if unknown)."""
    squeezed = re.sub(r"\s+", "", title or "")
    for word, kind in _KIND_B_WORDS:
        if word in squeezed:
            return kind
    return ""


def kind_c_normalized(value: str) -> str:
    """'업무상 사고' → '업무상사고', '업무상 질병' → '업무상질병'; other values unchanged (spaces removed)."""
    squeezed = re.sub(r"\s+", "", value or "")
    if "사고" in squeezed and squeezed.startswith("업무상"):
        return "업무상사고"
    if "질병" in squeezed and squeezed.startswith("업무상"):
        return "업무상질병"
    return squeezed
