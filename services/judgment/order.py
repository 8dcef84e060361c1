"""The 주문 read as the result *for the worker*: 취소, 일부취소, 기각, 각하, 취하, 파기환송 (or '' when silent).

The worker is the 원고 (재심사: 청구인) and the 근로복지공단 the 피고 (원처분기관) in nearly every case, so:
- an appeal dismissed decides by whose it was: "피고의 항소를 기각한다" leaves the worker's win standing
  (취소); "원고의 항소를 기각한다" leaves the loss (기각); both dismissed means the 1심 split the claim
  (일부취소); with no party named, the party ordered to bear the appeal costs is the one that lost it;
- "제1심판결을 취소한다" is followed by the new decision, which is what counts: "원고의 청구를 기각한다"
  (기각), "피고가 원고에게 한 … 처분을 취소한다" (취소), "이 사건 소를 각하한다" (각하);
- 일부 취소 with the rest dismissed is 일부취소; 파기 … 환송 is 파기환송; 소 취하 / 소송종료 is 취하;
- 재심사위원회: "재심사청구를 기각한다" → 기각, "원처분을 취소한다" → 취소.
An employer suing over an approval (원고 회사) reads the other way round; such cases are rare in the
sources and are not told apart here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_WS = re.compile(r"\s+")
# Dates ("2018.3.1.") and amounts ("1.5") would break the "within one item" spans below; they say nothing.
_DATE_OR_NUMBER = re.compile(r"\d{2,4}\.\d{1,2}\.\d{1,2}\.?|\d+\.\d+")
# A 주문 item ends with "다." ("기각한다."); dates inside an item ("2020. 1. 1.") do not end one.
_ITEM_END = re.compile(r"(?<=다)\.")
_APPEAL_DISMISSED = re.compile(r"(?:항소|상고)(?:를|을)?(?:모두|각)?(기각|각하)")
_PARTY = re.compile(r"원고|피고|청구인")
_COST_BEARER = re.compile(r"(?:항소|상고|소송)(?:비용|총비용)은(?:[^.]{0,20}?)?(원고|피고)(?:들)?(?:가|이)부담")
_FIRST_SET_ASIDE = re.compile(r"(?:제1심|원심|1심)판결(?:을|를)?(?:모두)?취소(?:한다)?\.?")
_FIRST_PARTLY_SET_ASIDE = re.compile(
    r"(?:제1심|원심|1심)판결중[^.]{0,200}?부분(?:중)?(?:일부)?(?:을|를)?취소(?:한다)?\.?")
_REMANDED = re.compile(r"파기[^.]{0,80}?(?:환송|이송)")
_WITHDRAWN = re.compile(r"취하(?:로|되어|하였|함)|소송(?:은|이)?[^.]{0,30}종료|소송종료")
_DISMISSED_SUIT = re.compile(r"소(?:를|는|을)?(?:모두)?각하|청구(?:를|는)?(?:모두)?각하|각하한다")
_CLAIM_DENIED = re.compile(r"청구(?:를|을|는)?(?:모두)?기각")
_DECISION_SET_ASIDE = re.compile(r"처분(?:을|를|은|중)?[^.]{0,120}?취소|원처분(?:을|를)?취소|결정(?:을|를)?취소")
_PARTIAL = re.compile(r"일부(?:를)?취소|나머지(?:청구|항소|상고|소)|처분중[^.]{0,120}?부분(?:을|를)?취소")


@dataclass(frozen=True)
class OrderReading:
    outcome: str  # '' when the 주문 does not decide
    why: str      # plain Korean: what in the 주문 decided it ('' when silent)


_SILENT = OrderReading("", "")


def _new_decision(text: str) -> OrderReading:
    """A first-instance style decision (1심, 재결, or what a 항소심 puts in place of the set-aside 1심)."""
    set_aside = bool(_DECISION_SET_ASIDE.search(text))
    if set_aside and _PARTIAL.search(text):
        return OrderReading("일부취소", "처분의 일부만 취소되고 나머지 청구는 받아들여지지 않아 노동자가 일부 이긴 "
                                      "사건입니다")
    if set_aside:
        return OrderReading("취소", "공단의 처분을 취소하라고 하여 노동자가 이긴 사건입니다")
    if _DISMISSED_SUIT.search(text):
        return OrderReading("각하", "소(청구)가 요건을 갖추지 못해 각하된 사건입니다")
    if _CLAIM_DENIED.search(text):
        return OrderReading("기각", "노동자의 청구가 기각되어 노동자가 진 사건입니다")
    return _SILENT


def _appeal_parties(text: str) -> tuple[set[str], bool] | None:
    """Whose appeals (상고) the 주문 dismisses, and whether one was dismissed as inadmissible (각하).

    None when no appeal is dismissed; an empty set when the 주문 names nobody ("상고를 기각한다").
    """
    parties: set[str] = set()
    inadmissible = found = False
    for item in _ITEM_END.split(text):
        match = _APPEAL_DISMISSED.search(item)
        if match is None:
            continue
        found = True
        inadmissible = inadmissible or match[1] == "각하"
        parties |= {("원고" if p == "청구인" else p) for p in _PARTY.findall(item[:match.start()])}
    return (parties, inadmissible) if found else None


def _after_partial_set_aside(text: str, rest: str) -> OrderReading:
    """'제1심판결 중 … 부분을 취소한다' and the new decision on that part."""
    whose = _FIRST_PARTLY_SET_ASIDE.search(text)
    loser = "원고" if whose and "원고패소" in whose[0] else "피고" if whose and "피고패소" in whose[0] else ""
    if "나머지" in rest:
        return OrderReading("일부취소", "제1심판결의 일부만 바뀌어 노동자가 일부 이긴 사건입니다")
    if _DECISION_SET_ASIDE.search(rest) and loser != "피고":
        return OrderReading("취소", "제1심판결 중 노동자가 진 부분이 취소되고 처분이 취소되어 노동자가 이긴 사건입니다")
    if _CLAIM_DENIED.search(rest) and loser != "원고":
        return OrderReading("기각", "제1심판결 중 노동자가 이긴 부분이 취소되고 청구가 기각되어 노동자가 진 사건입니다")
    return _SILENT


def read_order(order: str) -> OrderReading:
    """What the 주문 says for the worker; ``OrderReading('', '')`` when it is silent or ambiguous."""
    text = _DATE_OR_NUMBER.sub("#", _WS.sub("", order or ""))
    if not text:
        return _SILENT
    if _REMANDED.search(text):
        return OrderReading("파기환송", "대법원이 원심판결을 깨고 다시 재판하라고 돌려보낸 사건입니다")
    if _WITHDRAWN.search(text) and not _DECISION_SET_ASIDE.search(text):
        return OrderReading("취하", "소송이 취하되어 판단 없이 끝난 사건입니다")
    if _FIRST_PARTLY_SET_ASIDE.search(text):
        return _after_partial_set_aside(text, _FIRST_PARTLY_SET_ASIDE.sub("", text, count=1))
    if _FIRST_SET_ASIDE.search(text):
        # The 항소심 decided anew: what follows the set-aside is the result.
        reading = _new_decision(_FIRST_SET_ASIDE.sub("", text, count=1))
        return OrderReading(reading.outcome, "제1심판결이 취소되고 " + reading.why) if reading.outcome else _SILENT
    appeal = _appeal_parties(text)
    if appeal is None:
        return _new_decision(text)
    parties, inadmissible = appeal
    if parties == {"피고"}:
        return OrderReading("취소", "공단(피고)의 항소(상고)가 기각되어 노동자가 이긴 사건입니다")
    if parties == {"원고"} and inadmissible:
        return OrderReading("각하", "노동자(원고)의 항소(상고)가 각하되어 노동자가 진 사건입니다")
    if parties == {"원고"}:
        return OrderReading("기각", "노동자(원고)의 항소(상고)가 기각되어 노동자가 진 사건입니다")
    if parties == {"원고", "피고"}:
        return OrderReading("일부취소", "원고와 피고의 항소(상고)가 모두 기각되어, 노동자가 일부 이긴 앞선 판결이 "
                                      "유지된 사건입니다")
    bearer = {m[1] for m in _COST_BEARER.finditer(text)}
    if bearer == {"피고"}:
        return OrderReading("취소", "항소(상고)가 기각되고 그 비용을 공단(피고)이 부담하므로 노동자가 이긴 사건입니다")
    if bearer == {"원고"}:
        return OrderReading("기각", "항소(상고)가 기각되고 그 비용을 노동자(원고)가 부담하므로 노동자가 진 사건입니다")
    return _SILENT
