"""Legal criteria for each kind of claim, as data with their sources.

Shown beside similar precedents so the user sees what the 공단 and the courts look at. Thresholds
come from the statute, its enforcement decree (시행령 별표3) and the 고용노동부 고시 on 뇌혈관·심장
질병; notice numbers change, so the UI tells the user to check the current text at law.go.kr.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CHECK_NOTE = "고시 번호와 세부 기준은 바뀔 수 있으니 국가법령정보센터(law.go.kr)에서 현재 내용을 확인해 주세요."


@dataclass(frozen=True)
class Criterion:
    title: str
    points: tuple[str, ...]
    sources: tuple[str, ...]
    topics: tuple[str, ...] = field(default=())  # keywords that make this criterion relevant

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["points"] = list(self.points)
        data["sources"] = list(self.sources)
        data.pop("topics")
        return data


GENERAL = Criterion(
    "업무상 재해의 기본 구조",
    (
        "업무상 재해는 업무상 사고, 업무상 질병, 출퇴근 재해로 나뉩니다.",
        "업무와 재해 사이에 상당인과관계가 없으면 업무상 재해로 보지 않습니다.",
        "상당인과관계는 노동자 쪽이 주장하고 증명해야 하지만, 의학적·자연과학적으로 명백히 증명될 필요는 없고 "
        "여러 사정을 고려해 추단될 수 있으면 된다는 것이 법원의 일관된 입장입니다.",
        "평소 앓던 질병(기존 질병)이 업무 때문에 자연 경과보다 빠르게 악화된 경우에도 인과관계가 인정될 수 있습니다.",
    ),
    ("산업재해보상보험법 제37조 제1항", "대법원 판례(상당인과관계의 증명 정도)"),
)

BRAIN_HEART = Criterion(
    "뇌혈관·심장 질병 (뇌출혈, 뇌경색, 심근경색 등)",
    (
        "만성 과로: 발병 전 12주 동안 1주 평균 업무시간이 60시간을 넘으면(또는 발병 전 4주 동안 1주 평균 "
        "64시간을 넘으면) 업무와 관련성이 강하다고 평가합니다.",
        "12주 동안 1주 평균 52시간을 넘으면 업무시간이 길수록 관련성이 커지고, 아래 가중 요인이 있으면 관련성이 "
        "강하다고 평가합니다.",
        "52시간 이하라도 가중 요인이 많을수록 관련성이 커집니다.",
        "가중 요인: 근무 일정을 예측하기 어려운 업무, 교대제 업무, 휴일이 부족한 업무, 유해한 작업환경(한랭·온도 "
        "변화·소음)에 노출되는 업무, 육체적 강도가 높은 업무, 시차가 큰 출장이 잦은 업무, 정신적 긴장이 큰 업무.",
        "야간근무(오후 10시~오전 6시)는 업무시간을 30% 더해서 계산합니다.",
        "급성: 발병 전 24시간 안에 업무와 관련된 돌발 상황이나 급격한 작업환경 변화가 있었는지 봅니다.",
        "단기 과로: 발병 전 1주일 업무량이나 업무시간이 그 전 12주 평균보다 30% 이상 늘었는지 봅니다.",
    ),
    ("산업재해보상보험법 시행령 제34조 및 별표3", "고용노동부 고시 「뇌혈관 질병 또는 심장 질병 및 근골격계 질병의 "
     "업무상 질병 인정 여부 결정에 필요한 사항」", CHECK_NOTE),
    ("뇌출혈", "뇌내출혈", "뇌경색", "뇌졸중", "심근경색", "심장", "뇌혈관", "지주막하", "대동맥", "협심증",
     "과로", "돌연사"),
)

MUSCULOSKELETAL = Criterion(
    "근골격계 질병 (허리디스크, 회전근개 파열, 반월상연골 등)",
    (
        "신체 부담 업무(반복 동작, 무리한 힘, 부적절한 자세, 진동, 신체 부위의 압박 등)를 "
        "한 기간과 강도를 봅니다.",
        "퇴행성 변화가 있어도 업무 부담으로 자연 경과보다 빠르게 악화되었다면 업무상 질병으로 인정될 수 있습니다.",
        "나이, 같은 나이대의 일반적 상태, 업무 외 원인(운동, 사고 등)을 함께 고려합니다.",
        "하루 중 무거운 물건을 드는 횟수와 무게, 작업 자세, 쉬는 시간이 구체적일수록 판단에 도움이 됩니다.",
    ),
    ("산업재해보상보험법 시행령 제34조 및 별표3 제2호", "고용노동부 고시(근골격계 질병 인정 기준)", CHECK_NOTE),
    ("디스크", "추간판", "요추", "경추", "회전근개", "어깨", "반월상", "무릎", "손목", "터널", "근골격",
     "허리", "척추"),
)

MENTAL = Criterion(
    "정신질병 (우울증, 적응장애, 외상후스트레스장애 등)",
    (
        "업무와 관련해 정신적 충격을 준 사건(사고 목격, 폭언·폭행, 직장 내 괴롭힘, 고객 응대 중 폭언 등)이 "
        "있었는지 봅니다.",
        "업무상 스트레스의 정도와 기간, 업무 외 스트레스 요인, 치료 경과를 함께 고려합니다.",
        "업무와 관련한 정신질병으로 정상적인 인식 능력이 현저히 낮아진 상태에서 한 자해 행위는 "
        "업무상 재해로 볼 수 있습니다.",
    ),
    ("산업재해보상보험법 제37조 제2항 단서", "산업재해보상보험법 시행령 제34조 및 별표3 제4호 (정신질병)"),
    ("우울", "적응장애", "외상후", "스트레스", "공황", "정신", "괴롭힘", "자살", "자해"),
)

ACCIDENT = Criterion(
    "업무상 사고",
    (
        "근로계약에 따른 업무를 하거나 그에 따르는 행위를 하던 중 생긴 사고인지 봅니다.",
        "사업주가 제공한 시설의 결함이나 관리 소홀, 사업주가 주관한 행사, 휴게시간 중 사업주 지배관리 아래 있던 "
        "사고도 업무상 사고가 될 수 있습니다.",
        "사고 당시 상황을 보여 주는 자료(사고 경위서, 동료 진술, CCTV, 119 기록, 첫 진료 기록)가 중요합니다.",
    ),
    ("산업재해보상보험법 제37조 제1항 제1호", "산업재해보상보험법 시행령 제27조~제32조"),
    ("사고", "넘어", "추락", "끼임", "낙상", "골절", "부딪"),
)

COMMUTE = Criterion(
    "출퇴근 재해",
    (
        "사업주가 제공한 교통수단 등 사업주 지배관리 아래 출퇴근하다 생긴 사고, 또는 통상적인 경로와 방법으로 "
        "출퇴근하다 생긴 사고가 해당합니다.",
        "출퇴근 경로에서 벗어나거나(일탈) 중간에 멈춘(중단) 동안의 사고는 원칙적으로 출퇴근 재해가 아닙니다.",
        "다만 일상생활에 필요한 행위(일용품 구입, 병원 진료, 자녀 등하교·보육기관 등원, 선거권 행사 등)를 위해 "
        "잠시 벗어났다가 통상 경로로 돌아온 뒤의 사고는 출퇴근 재해로 봅니다.",
        "출퇴근 경로, 시간, 교통수단, 벗어난 이유와 장소를 보여 주는 자료(교통카드 내역, 블랙박스, 영수증)가 "
        "중요합니다.",
    ),
    ("산업재해보상보험법 제37조 제1항 제3호 및 제3항", "산업재해보상보험법 시행령 제35조, 제35조의2"),
    ("출근길", "퇴근길", "출퇴근", "통근", "교통사고", "출근 경로", "일탈"),
)

ALL_CRITERIA = (GENERAL, BRAIN_HEART, MUSCULOSKELETAL, MENTAL, ACCIDENT, COMMUTE)


def criteria_for(kind_c: str, text: str) -> list[Criterion]:
    """The general structure plus every criterion whose topic words appear in the situation."""
    chosen = [GENERAL]
    for criterion in ALL_CRITERIA[1:]:
        if any(topic in text for topic in criterion.topics):
            chosen.append(criterion)
    if len(chosen) == 1 and kind_c == "업무상사고":
        chosen.append(ACCIDENT)
    return chosen
