"""Everyday words → the terms judgments use, for common 산재 situations.

A query containing a trigger (compared without spaces, so "허리 디스크" = "허리디스크") also searches
the legal terms, with a lower weight than the user's own words. Each legal term is a phrase whose
words must all appear for the phrase to count as a match. Edit the table freely: it is plain data.
"""
from __future__ import annotations

from dataclasses import dataclass

EXPANSION_WEIGHT = 0.5

# (triggers, legal phrases)
EXPANSION_TABLE: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("허리디스크", "허리협착"), ("요추 추간판탈출증", "추간판탈출증", "요추 추간판", "척추관협착증")),
    (("허리",), ("요추", "요추부")),
    (("목디스크",), ("경추 추간판탈출증", "추간판탈출증", "경추 추간판")),
    (("디스크",), ("추간판탈출증", "추간판")),
    (("쓰러", "과로"), ("과로", "뇌출혈", "뇌경색", "심근경색", "뇌혈관", "지주막하출혈", "뇌심혈관")),
    (("심장마비", "심정지", "심장이멈"), ("급성 심근경색", "심근경색", "심정지", "심장질환", "부정맥")),
    (("중풍", "뇌졸중"), ("뇌경색", "뇌졸중", "뇌출혈")),
    (("출근길", "퇴근길", "출근하다", "퇴근하다", "출퇴근", "통근"),
     ("출퇴근 재해", "출퇴근", "통근", "통상적인 경로")),
    (("교통사고", "차사고", "오토바이사고"), ("교통사고",)),
    (("귀가안들", "귀가잘안들", "안들려", "안들림", "청력", "귀먹"), ("소음성 난청", "난청", "청력")),
    (("소음",), ("소음성 난청", "소음")),
    (("진폐", "탄광", "광부", "분진", "돌가루"), ("진폐증", "진폐", "분진")),
    (("우울", "자살", "극단적선택", "스스로목숨", "정신", "공황", "불안장애", "트라우마"),
     ("정신질환", "적응장애", "우울병", "우울증", "자해", "자살", "외상후 스트레스장애")),
    (("어깨",), ("회전근개 파열", "회전근개", "견관절")),
    (("인대", "힘줄"), ("회전근개", "인대", "건 파열")),
    (("끊어", "찢어", "터졌", "파열"), ("파열",)),
    (("공사장", "공사현장", "건설현장", "노가다", "현장일"), ("건설현장", "신축현장", "공사현장", "건설")),
    (("연골",), ("반월상연골판", "연골판", "연골")),
    (("무릎",), ("반월상연골판", "반월상 연골판", "슬관절", "연골판")),
    (("손목", "손저림", "저림", "저려"), ("수근관 증후군", "손목터널 증후군", "수근관증후군")),
    (("떨어", "추락", "낙하"), ("추락", "낙상")),
    (("넘어", "미끄러", "자빠"), ("넘어져", "미끄러져", "전도")),
    (("괴롭힘", "갑질", "폭언", "따돌림", "왕따"), ("직장 내 괴롭힘", "괴롭힘", "폭언", "따돌림")),
    (("회식", "술자리", "음주"), ("회식", "사업주의 지배", "음주")),
    (("출장",), ("출장", "사업주의 지배")),
    (("잘림", "잘렸", "끼임", "끼었", "끼여", "절단"), ("절단", "끼임", "협착")),
    (("부러", "뼈"), ("골절",)),
    (("삐끗", "삐었", "접질"), ("염좌",)),
    (("백혈병", "직업성암", "폐암", "석면"), ("백혈병", "직업성 암", "폐암", "석면", "악성중피종")),
    (("사망", "돌아가", "숨졌", "숨진", "유족", "죽었", "죽음"), ("유족급여", "사망", "망인")),
    (("야근", "밤샘", "장시간", "초과근무", "특근", "주말근무", "휴일근무"),
     ("장시간 근로", "과로", "야간근무", "업무시간", "휴일근무")),
    (("프리랜서", "특고", "특수고용", "근로자가아니", "근로자아니", "사장이아니"),
     ("근로자성", "특수형태근로종사자", "근로자에 해당")),
    (("후유증", "장애등급", "장해"), ("장해등급", "장해급여")),
    (("퇴행성", "노화", "나이탓", "나이때문"), ("퇴행성", "자연경과")),
    (("교대근무", "야간근무", "밤근무"), ("교대근무", "야간근무")),
)


@dataclass(frozen=True)
class Expansion:
    spans: tuple[tuple[int, int], ...]  # where triggers sit in the query without spaces
    phrases: tuple[str, ...]


# Words nearly every question contains ("산재", "거절"): they add to the score but never decide
# whether a judgment matches.
NON_DECIDING_WORDS = frozenset({
    "산재", "산업재해", "업무상재해", "재해", "판례", "판결", "사건", "소송", "불승인", "승인", "거절", "거부",
    "인정", "근로자", "노동자", "회사", "직장", "일", "업무", "경우", "때문", "사례", "가능", "신청", "처분",
})


def squash(text: str) -> str:
    """Lower-case, no whitespace: the form triggers are compared in."""
    return "".join(text.lower().split())


def find_expansions(query: str) -> list[Expansion]:
    """Every table entry with a trigger in ``query``, with all its trigger positions."""
    squashed = squash(query)
    found: list[Expansion] = []
    for triggers, phrases in EXPANSION_TABLE:
        spans = []
        for trigger in triggers:
            pos = squashed.find(trigger)
            while pos >= 0:
                spans.append((pos, pos + len(trigger)))
                pos = squashed.find(trigger, pos + 1)
        if spans:
            found.append(Expansion(tuple(spans), phrases))
    return found
