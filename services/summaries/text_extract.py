"""Pasted documents: what kind they are, their key sentences, their dates and the appeal deadlines.

All of this runs on this computer. The offline engine uses it for the whole summary; the cloud
engines use the dates and deadlines part (the model never computes a date).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.dates import dates_in
from services.deadlines import DeadlineError, compute_deadlines, format_day
from services.judgment.sentences import shorten, split_sentences

# (doc type, pattern) checked in order; a 불승인 notice mentions 심사청구 in its appeal notice, so the
# decision types need the words of a decision, not just the name of the procedure.
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("재심사 결정", re.compile(r"재심사위원회|재결서|재심사\s*청구(?:를|는)\s*(?:기각|인용|각하)|재결\s*주문")),
    ("심사 결정", re.compile(r"심사\s*결정서|심사결정|심사청구(?:를|는|에\s*대하여)\s*(?:기각|인용|각하|결정)|"
                         r"산업재해보상보험심사위원회|심사청구\s*결과")),
    ("불승인 통지", re.compile(r"불승인|부지급|승인하지\s*(?:아니|않)|지급하지\s*(?:아니|않)|인정되지\s*(?:아니|않)|"
                          r"요양급여\s*(?:신청|청구)\s*(?:결과|에\s*대한\s*결정)|결정\s*통지")),
    ("의학 소견", re.compile(r"소견서|진단서|소견|진단명|상병명|주치의|MRI|CT|검사\s*결과|의학적")),
)
STAGE_BY_TYPE = {"불승인 통지": "불승인", "심사 결정": "심사청구", "재심사 결정": "재심사청구"}

WHAT_IT_IS = {
    "불승인 통지": "근로복지공단이 산재 신청(요양·보험급여 등)을 받아들이지 않았다고 알리는 결정 통지로 보입니다.",
    "심사 결정": "근로복지공단의 처분에 낸 심사청구에 대한 결정서로 보입니다.",
    "재심사 결정": "산업재해보상보험재심사위원회가 재심사 청구에 대해 내린 재결서로 보입니다.",
    "의학 소견": "의사가 상병(병명)과 그 원인 등에 대해 쓴 의학적 소견(소견서·진단서)으로 보입니다.",
    "기타": "산재와 관련된 문서로 보이지만 종류를 정확히 알아보지 못했습니다.",
}
WHAT_IT_MEANS = {
    "불승인 통지": ("지금은 산재로 인정받지 못한 상태입니다. 하지만 이 결정은 끝이 아닙니다. 정해진 기한 안에 "
                 "심사청구(또는 재심사청구·행정소송)로 다시 판단해 달라고 할 수 있습니다."),
    "심사 결정": ("심사청구의 결과입니다. 받아들여지지 않았다면 결정서를 받은 날부터 90일 안에 재심사청구나 "
               "행정소송을 할 수 있습니다."),
    "재심사 결정": ("재심사의 결과입니다. 받아들여지지 않았다면 재결서를 받은 날부터 90일 안에 행정소송을 낼 수 "
                "있습니다."),
    "의학 소견": ("업무와 병의 관계를 다툴 때 중요한 자료입니다. 업무가 병의 원인이 되었거나 병을 악화시켰다는 "
               "내용이 있다면 심사청구나 소송에서 근거로 쓸 수 있습니다."),
    "기타": "문서의 내용에 따라 할 일이 달라집니다. 아래 핵심 문장을 확인해 보세요.",
}
NEXT_STEPS = {
    "불승인 통지": [
        "통지서를 받은 날을 확인해 적어 두세요. 기한은 그날부터 셉니다.",
        "불승인 이유(예: 퇴행성, 근무시간 부족, 인과관계 없음)에 맞서는 자료를 모으세요: "
        "근무기록, 동료 진술, 주치의 소견 등.",
        "공단에 사건 기록(재해조사서, 자문의 소견 등) 정보공개를 청구해 불승인 근거를 확인하세요.",
        "소득이 적거나 도움이 필요한 경우 공단의 무료 권리구제 대리인(노무사·변호사) 지원을 "
        "신청할 수 있는지 알아보세요.",
        "기한 안에 근로복지공단에 심사청구서를 내세요 (질판위를 거친 결정이면 바로 재심사청구도 가능합니다).",
    ],
    "심사 결정": [
        "결정서를 받은 날을 확인해 적어 두세요.",
        "기각되었다면 재심사청구나 행정소송 중 무엇을 할지 노무사·변호사와 상의하세요.",
        "결정서에 적힌 기각 이유를 반박할 자료를 더 모으세요.",
    ],
    "재심사 결정": [
        "재결서를 받은 날을 확인해 적어 두세요.",
        "기각되었다면 행정소송을 낼지 변호사·노무사와 상의하세요. 기한이 지나면 다툴 수 없습니다.",
        "비슷한 판례에서 법원이 무엇을 중요하게 봤는지 살펴보세요.",
    ],
    "의학 소견": [
        "이 소견서를 사건 파일에 보관하세요.",
        "업무와의 관련성(원인·악화)에 대한 의견이 분명하지 않다면 주치의에게 그 부분을 적어 달라고 부탁해 보세요.",
        "신청이나 심사청구 때 근거 자료로 함께 내세요.",
    ],
    "기타": [
        "문서를 사건 파일에 보관하세요.",
        "공단의 결정이 담긴 문서라면 받은 날을 확인하세요. "
        "결정에 대한 심사청구는 받은 날부터 90일 안에 할 수 있습니다.",
    ],
}
NINETY_DAY_RULE = ("공단의 결정에 대한 심사청구는 결정을 안 날(보통 통지서를 받은 날)부터 90일 안에 해야 합니다. "
                   "통지서를 받은 날을 꼭 확인해 두세요.")

_KEY_CUES = re.compile(
    r"불승인|부지급|승인|기각|인용|취소|결정|인정|상당인과관계|업무관련성|사유|이유|소견|진단|상병|의견|"
    r"퇴행|기존|근무시간|과로|90일|기한|심사청구|재심사|행정소송|판정위원회"
)
_BOILERPLATE = re.compile(r"문의|콜센터|고객센터|홈페이지|담당자|전화|귀하의\s*건강|감사합니다|안녕하십니까")


def detect_doc_type(text: str) -> str:
    for doc_type, pattern in _TYPE_RULES:
        if pattern.search(text or ""):
            return doc_type
    return "기타"


def key_sentences(text: str, limit: int = 5) -> list[str]:
    """Sentences with the most decision words, in document order (boilerplate left out)."""
    sentences = split_sentences(text)
    scored = []
    for index, sentence in enumerate(sentences):
        if _BOILERPLATE.search(sentence):
            continue
        score = len(_KEY_CUES.findall(sentence))
        if score:
            scored.append((score, index, sentence))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
    picked = [shorten(sentence, 220) for _score, _index, sentence in sorted(best, key=lambda item: item[1])]
    if not picked:
        picked = [shorten(s, 220) for s in sentences[:3]]
    return picked or [shorten(re.sub(r"\s+", " ", text).strip(), 220)]


# ---------------------------------------------------------------------------- dates

_RECEIVED_CUES = re.compile(r"받은|받았|수령|송달|도달|수취|접수한\s*날|받음")
_DECIDED_CUES = re.compile(r"결정일|처분일|결정\s*일자|의결일|재결일|결정하였|처분하였|결정했|"
                           r"시행일|발송일|통지일|작성일|일자")


@dataclass
class FoundDates:
    received: date | None = None
    decided: date | None = None
    all_dates: list[date] = field(default_factory=list)

    def to_dict(self) -> dict[str, str]:
        out = {}
        if self.received:
            out["received"] = self.received.isoformat()
        if self.decided:
            out["decided"] = self.decided.isoformat()
        return out


def find_dates(text: str) -> FoundDates:
    """The date the document was received and the decision's date, where the text says so."""
    found = FoundDates()
    for match, day in dates_in(text or ""):
        found.all_dates.append(day)
        before = text[max(0, match.start() - 30):match.start()]
        after = text[match.end():match.end() + 15]
        if found.received is None and (_RECEIVED_CUES.search(after) or _RECEIVED_CUES.search(before[-12:])):
            found.received = day
        elif found.decided is None and (_DECIDED_CUES.search(before) or _DECIDED_CUES.search(after)):
            found.decided = day
    return found


@dataclass
class DeadlineInfo:
    deadlines: list[dict[str, Any]]
    note: str
    steps: list[str]


def deadline_info(doc_type: str, text: str, dates: FoundDates, today: date | None = None) -> DeadlineInfo:
    """Appeal deadlines when the document is a decision and its dates are known; otherwise the rule."""

    stage = STAGE_BY_TYPE.get(doc_type)
    if stage is None:
        note = NINETY_DAY_RULE if doc_type == "기타" else ""
        return DeadlineInfo([], note, [])
    start = dates.received or dates.decided
    if start is None:
        return DeadlineInfo([], "문서에서 결정일이나 받은 날을 찾지 못했습니다. " + NINETY_DAY_RULE, [])
    committee = bool(re.search(r"업무상\s*질병\s*판정\s*위원회|질판위", text))
    try:
        results = compute_deadlines(start, dates.decided, stage=stage, disease_committee=committee, today=today)
    except DeadlineError as exc:
        return DeadlineInfo([], f"{exc.message} {NINETY_DAY_RULE}", [])
    if dates.received:
        note = f"문서에 적힌 받은 날({format_day(dates.received)})을 기준으로 계산했습니다."
    else:
        note = (f"받은 날을 찾지 못해 결정일({format_day(start)})을 기준으로 가장 이른 기한을 계산했습니다. "
                "실제 기한은 통지서를 받은 날부터 90일이라 이보다 늦을 수 있으니, "
                "받은 날을 확인해 사건 파일에 적어 두세요.")
    steps = []
    for item in results:
        state = "이미 지났습니다" if item.overdue else f"{item.days_left}일 남았습니다"
        steps.append(f"{item.name} 기한: {format_day(item.deadline)}까지 ({state}).")
    return DeadlineInfo([item.to_dict() for item in results], note, steps)


def offline_text_content(redacted_text: str, doc_type: str) -> dict[str, Any]:
    """The fields of a ``TextContent`` built without a model (labelled as an extract)."""
    return {
        "doc_type": doc_type,
        "what_it_is": WHAT_IT_IS[doc_type] + (" (자동 발췌: 종류는 문서의 낱말로 짐작했고, "
                                              "아래 핵심 내용은 원문 문장을 그대로 골랐습니다.)"),
        "key_points": key_sentences(redacted_text),
        "what_it_means": WHAT_IT_MEANS[doc_type],
        "next_steps": list(NEXT_STEPS[doc_type]),
    }
