"""Whether one sentence of a judgment speaks for the worker (the work link holds) or against.

One classifier for the offline summary's 인정/불인정 요인 and the evidence view's deciding sentences:
1. a point against the worker that the court sets aside ("퇴행성 변화는 경미하여 … 설명하기 어렵다") → for;
2. otherwise the cue found *last* decides, because a Korean sentence puts its conclusion at the end
   ("퇴행성 소인이 있더라도 … 기여하였으므로 상당인과관계가 인정된다" → for);
3. a personal or degenerative cause the 공단 relied on ("퇴행성", "기존 질환") counts as a cue against.
"""
from __future__ import annotations

import re
from typing import Literal

Polarity = Literal["for", "against", ""]
FOR: Polarity = "for"
AGAINST: Polarity = "against"

_COUNTER_FACTOR = (r"(?:퇴행|연령|골극|탈수|자연경과|기존\s*질환|기존질병|기초질병|기왕증|개인적|사적인|자문의|"
                   r"흡연|음주|가족력|고혈압|당뇨)")
_REBUTTAL = re.compile(
    _COUNTER_FACTOR + r"[^.]{0,90}(?:경미|불과|흔히|통상|받아들이기\s*어렵|설명하기\s*어렵|배제할\s*수\s*없|"
    r"있더라도|하더라도|구별|아니라|고려하지\s*아니|만으로(?:는)?\s*[^.]{0,30}(?:부정할\s*것은\s*아니|설명하기))"
)
_AGAINST = re.compile(
    r"보기(?:는|도)?\s*어렵|볼\s*수\s*없|인정되지\s*않|인정하기(?:는)?\s*(?:어렵|부족)|인정할\s*수\s*없|"
    r"인정할\s*증거가\s*없|부족하|관련성이\s*낮|크지\s*않|불과하다|짧아|짧고|뒷받침할[^.]{0,40}(?:없|아니)|"
    r"제출되지\s*아니|배치된|부정하였|미치지\s*못|이유\s*없|" + _COUNTER_FACTOR
)
_FOR = re.compile(
    r"상당인과관계가\s*(?:있|인정)|인정된다|인정할\s*수\s*있|인정함이\s*타당|봄이\s*상당|볼\s*수\s*있|추단|기여|"
    r"악화시|악화되었|부담작업|부담을\s*주|부담의\s*정도|과로|과중|스트레스|초과|가능성이\s*높|확인된다|확인되었|"
    r"보인다|보이고|반복|이유\s*있"
)


def _last(pattern: re.Pattern[str], sentence: str) -> int:
    """Where the last match of ``pattern`` ends (-1 when none)."""
    end = -1
    for match in pattern.finditer(sentence):
        end = match.end()
    return end


def sentence_polarity(sentence: str) -> Polarity:
    """'for' (supports the work link, the worker's side), 'against', or '' (neither) for one sentence."""
    if _REBUTTAL.search(sentence):
        return FOR
    against, in_favour = _last(_AGAINST, sentence), _last(_FOR, sentence)
    if against < 0 and in_favour < 0:
        return ""
    return AGAINST if against > in_favour else FOR
