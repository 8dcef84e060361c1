"""Synthetic 산재 judgments for benchmarks.

Every record is invented: templates for the usual sections of a 근로복지공단 judgment (연관판결, 주문,
청구취지, 처분의 경위, 당사자의 주장, 관계 법령, 판단, 결론) filled with random facts. Lengths fall
between about 2,000 and 6,000 characters, like real judgments. The output is deterministic for a seed.

    from bench.synthetic import generate
    for record in generate(30_000, seed=0): ...
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from core.records import Precedent


@dataclass(frozen=True)
class _Condition:
    diagnosis: str
    kind_c: str
    work_story: str
    denial_reason: str


_CONDITIONS = (
    _Condition("요추 제4-5번 추간판탈출증", "업무상질병", "중량물을 반복하여 들어 옮기는 작업을 하였고",
               "퇴행성 변화에 의한 것으로 업무와의 상당인과관계를 인정하기 어렵다"),
    _Condition("경추 제5-6번 추간판탈출증", "업무상질병", "고개를 숙인 채 장시간 용접 작업을 하였고",
               "연령에 따른 자연경과적 퇴행성 변화로 보인다"),
    _Condition("우측 견관절 회전근개 파열", "업무상질병", "팔을 어깨 위로 드는 천장 작업을 반복하였고",
               "기존 퇴행성 질환으로 업무 관련성이 낮다"),
    _Condition("좌측 슬관절 내측 반월상연골판 파열", "업무상질병", "무릎을 굽힌 자세로 바닥 작업을 하였고",
               "퇴행성 파열로 판단된다"),
    _Condition("양측 수근관 증후군", "업무상질병", "손목을 반복하여 사용하는 조립 작업을 하였고",
               "작업 강도가 발병에 충분하지 않다"),
    _Condition("소음성 난청", "업무상질병", "85데시벨 이상의 소음에 노출되는 공장에서 근무하였고",
               "노인성 난청과 구별되지 않는다"),
    _Condition("진폐증", "업무상질병", "분진이 발생하는 탄광 갱내에서 굴진 작업을 하였고",
               "장해등급 기준에 해당하지 않는다"),
    _Condition("뇌출혈(지주막하출혈)", "업무상질병", "발병 전 12주 동안 주 평균 58시간을 근무하였고",
               "업무시간이 고시 기준에 미치지 못하고 고혈압 등 개인적 소인이 있다"),
    _Condition("뇌경색", "업무상질병", "야간 교대근무를 하면서 휴일 없이 근무하였고",
               "만성 과로를 인정할 자료가 부족하다"),
    _Condition("급성 심근경색", "업무상질병", "발병 1주 전부터 업무량이 크게 늘었고",
               "흡연과 고지혈증 등 기존 질환이 자연적으로 악화된 것이다"),
    _Condition("적응장애 및 우울병 에피소드", "업무상질병", "상사로부터 지속적인 폭언과 직장 내 괴롭힘을 겪었고",
               "업무상 스트레스가 객관적으로 확인되지 않는다"),
    _Condition("요추부 염좌 및 골절", "업무상사고", "작업 중 사다리에서 추락하였고",
               "사고와 상병 사이의 인과관계가 불분명하다"),
    _Condition("우측 대퇴골 골절", "업무상사고", "출근길에 승용차를 운전하다가 교통사고를 당하였고",
               "통상적인 경로를 벗어난 출퇴근 중의 사고이다"),
    _Condition("외상성 뇌손상", "업무상사고", "회사 회식을 마치고 귀가하던 중 계단에서 넘어졌고",
               "회식이 사업주의 지배관리 아래 있었다고 보기 어렵다"),
    _Condition("좌측 손가락 절단", "업무상사고", "프레스 기계를 조작하던 중 손이 끼였고",
               "근로자의 중대한 과실로 인한 사고이다"),
)
_JOBS = ("건설 현장 철근공", "물류센터 상하차 작업원", "자동차 부품 조립공", "요양보호사", "택배 배송 기사",
         "식당 조리원", "조선소 용접공", "아파트 경비원", "환경미화원", "콜센터 상담원", "버스 운전기사",
         "제철소 설비 정비원", "반도체 공장 오퍼레이터", "학교 급식 조리실무사", "광부")
_COMPANIES = ("주식회사 한빛건설", "대성물류 주식회사", "세진산업 주식회사", "푸른요양원", "동해조선 주식회사",
              "미래전자 주식회사", "새한운수 주식회사", "금강환경 주식회사", "한결식품 주식회사")
_COURTS_1 = ("서울행정법원", "대전지방법원", "부산지방법원", "광주지방법원", "수원지방법원", "대구지방법원",
             "인천지방법원", "울산지방법원", "춘천지방법원", "청주지방법원")
_COURTS_2 = ("서울고등법원", "대전고등법원", "부산고등법원", "광주고등법원", "대구고등법원", "수원고등법원")
_KIND_B_BY_KIND_C = {"업무상질병": ("요양", "요양", "장해", "유족", "재요양등", "퇴직후진단"),
                     "업무상사고": ("요양", "요양", "장해", "유족", "재요양등")}
_OUTCOMES = ("기각", "기각", "기각", "취소", "취소", "일부취소", "취하", "파기환송")
_FILLER = (
    "원고가 제출한 진료기록과 이 법원의 진료기록감정촉탁 결과에 의하면 다음과 같은 사실을 인정할 수 있다.",
    "업무상 재해의 인정 요건 중 업무와 재해 사이의 인과관계는 이를 주장하는 측에서 증명하여야 하나, "
    "그 인과관계는 반드시 의학적·자연과학적으로 명백히 증명되어야 하는 것은 아니다.",
    "근로자의 취업 당시 건강상태, 발병 경위, 질병의 내용, 치료의 경과 등 제반 사정을 고려할 때 "
    "업무와 질병 사이에 상당인과관계가 있다고 추단되는 경우에도 그 증명이 있다고 보아야 한다.",
    "평소에 정상적인 근무가 가능한 기초 질병이나 기존 질병이 직무의 과중 등이 원인이 되어 자연적인 진행 "
    "속도 이상으로 급격하게 악화된 때에도 그 증명이 있는 경우에 포함된다.",
    "상당인과관계의 유무는 보통평균인이 아니라 당해 근로자의 건강과 신체조건을 기준으로 판단하여야 한다.",
    "피고 자문의의 소견은 영상자료 일부만을 근거로 한 것이어서 이를 그대로 믿기 어렵다.",
    "동료 근로자들의 진술서와 작업일지, 출퇴근 기록에 의하면 원고의 실제 근무시간은 피고가 산정한 것보다 길었다.",
    "업무상질병판정위원회는 원고의 업무와 상병 사이의 관련성을 부정하는 심의 결과를 내었다.",
    "감정의는 원고의 작업 자세와 작업 빈도가 상병의 발생 또는 악화에 기여하였을 가능성이 높다는 소견을 밝혔다.",
    "원고는 이 사건 처분에 불복하여 심사청구를 하였으나 기각되었고, 재심사청구 역시 기각되었다.",
    "을 제1 내지 5호증의 각 기재에 변론 전체의 취지를 종합하면 위 사실을 인정할 수 있고 반증이 없다.",
    "원고가 흡연을 하였다거나 고혈압 진단을 받은 적이 있다는 사정만으로 업무 관련성을 부정할 수는 없다.",
)
_LAW = ("구 산업재해보상보험법 제37조 제1항은 근로자가 업무상의 사유에 따라 부상을 당하거나 질병에 걸리거나 "
        "장해가 발생하거나 사망하면 업무상의 재해로 본다고 규정하고 있다. 같은 법 시행령 제34조는 업무상 질병의 "
        "인정기준을 정하고, 별표 3은 업무상 질병에 대한 구체적인 인정 기준을 두고 있다.")


_HOSPITALS = ("한국대학교병원", "서울중앙병원", "새봄정형외과의원", "바른신경외과의원", "동산의료원", "시민종합병원",
              "하나재활의학과의원", "근로복지공단 안산병원", "성모병원", "제일내과의원")
_EXAMS = ("MRI", "CT", "근전도", "순음청력", "심전도", "관상동맥 조영술", "뇌혈관 조영술", "흉부 방사선", "골밀도")


def _fact_sentence(rng: random.Random, year: int) -> str:
    """A sentence with random numbers and names, so the vocabulary is not only boilerplate."""
    date = f"{year - rng.randint(0, 4)}. {rng.randint(1, 12)}. {rng.randint(1, 28)}."
    kind = rng.randrange(5)
    if kind == 0:
        return (f"원고는 {date} {rng.choice(_HOSPITALS)}에서 {rng.choice(_EXAMS)} 검사를 받았고, "
                f"담당 의사는 {rng.randint(2, 26)}주간의 치료가 필요하다는 소견을 밝혔다.")
    if kind == 1:
        return (f"발병 전 12주 동안 원고의 1주 평균 업무시간은 {rng.randint(38, 72)}시간 {rng.randint(0, 59)}분이고, "
                f"발병 전 4주 동안은 {rng.randint(38, 76)}시간 {rng.randint(0, 59)}분이다.")
    if kind == 2:
        return (f"원고는 하루 평균 {rng.randint(20, 400)}회 {rng.randint(5, 40)}kg 안팎의 물건을 다루었고, "
                f"휴게시간은 {rng.randint(10, 90)}분 정도였다.")
    if kind == 3:
        return (f"{rng.choice(_HOSPITALS)} 진료기록감정의는 {date} 촬영한 영상에서 "
                f"{rng.choice(('신경근 압박', '인대 손상', '연골 손상', '부종', '혈관 협착', '퇴행성 변화'))} 소견이 "
                f"{rng.choice(('관찰된다', '뚜렷하지 않다', '경미하다', '확인된다'))}고 회신하였다.")
    return (f"원고는 {date}부터 {rng.randint(1, 30)}일 동안 "
            f"{rng.choice(('휴일 없이', '야간에', '주말에도', '교대로'))} "
            f"근무하였고, 같은 기간 동료 {rng.randint(1, 9)}명이 퇴사하여 업무량이 늘었다.")


def _paragraphs(rng: random.Random, count: int, year: int) -> str:
    return "\n".join(_fact_sentence(rng, year) if rng.random() < 0.4 else rng.choice(_FILLER)
                     for _ in range(count))


def _object_particle(word: str) -> str:
    last = word[-1]
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return word + ("을" if has_final else "를")


def _subject_particle(word: str) -> str:
    last = word[-1]
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return word + ("이" if has_final else "가")


def _render(i: int, rng: random.Random) -> Precedent:
    target_length = rng.randint(2000, 6000)
    cond = rng.choice(_CONDITIONS)
    job = rng.choice(_JOBS)
    company = rng.choice(_COMPANIES)
    year = rng.randint(2004, 2023)
    level = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    court = {1: rng.choice(_COURTS_1), 2: rng.choice(_COURTS_2), 3: "대법원"}[level]
    code = {1: rng.choice(("구단", "구합")), 2: "누", 3: "두"}[level]
    case_number = f"{year}{code}{rng.randint(100, 99999)}"
    outcome = rng.choice(_OUTCOMES) if level == 3 else rng.choice(_OUTCOMES[:-1])
    kind_c = cond.kind_c
    kind_b = rng.choice(_KIND_B_BY_KIND_C[kind_c])
    age = rng.randint(28, 66)
    tenure = rng.randint(1, 25)
    onset = f"{year - rng.randint(1, 3)}. {rng.randint(1, 12)}. {rng.randint(1, 28)}."
    source = rng.choices(("portal", "lawgokr", "iaciac"), weights=(7, 2, 1))[0]
    court_level: int | None = level
    if source == "iaciac":
        court, court_level, case_number = "산업재해보상보험재심사위원회", None, f"{year}재결{rng.randint(1000, 9999)}"
    benefit = {"요양": "요양급여", "재요양등": "재요양", "장해": "장해급여", "유족": "유족급여 및 장의비",
               "퇴직후진단": "요양급여"}.get(kind_b, "요양급여")
    title = f"{benefit}불승인처분취소" if kind_b != "장해" else "장해등급결정처분취소"
    won = outcome in ("취소", "일부취소", "파기환송")
    # The 주문 says what the outcome says: the judgment reader derives the outcome from it.
    order = {
        "취소": f"1. 피고가 원고에 대하여 한 {benefit} 불승인 처분을 취소한다.\n2. 소송비용은 피고가 부담한다.",
        "일부취소": (f"1. 피고가 원고에 대하여 한 {benefit} 불승인 처분 중 일부 상병에 관한 부분을 취소한다.\n"
                  "2. 원고의 나머지 청구를 기각한다."),
        "기각": "1. 원고의 청구를 기각한다.\n2. 소송비용은 원고가 부담한다.",
        "취하": f"이 사건 소는 {year}. 6. 1. 원고의 소 취하로 종료되었다.",
        "파기환송": "원심판결을 파기하고, 사건을 서울고등법원에 환송한다.",
    }[outcome]
    facts = (
        f"가. 원고는 {company}에서 {tenure}년간 {job}으로 근무하던 사람으로, {cond.work_story} "
        f"{onset} {cond.diagnosis} 진단을 받았다. 원고는 당시 {age}세였다.\n"
        f"나. 원고는 피고에게 {_object_particle(benefit)} 신청하였으나, 피고는 '{cond.denial_reason}'는 이유로 "
        f"불승인 처분(이하 '이 사건 처분'이라 한다)을 하였다.\n"
    )
    claim = (f"원고는 {job}으로 일하면서 {cond.work_story} 그로 인하여 {_subject_particle(cond.diagnosis)} "
             "발생하거나 자연경과 이상으로 악화되었으므로 이 사건 처분은 위법하다고 주장한다.")
    judgment_end = ("따라서 원고의 상병은 업무상 재해에 해당하고, 이와 다른 전제에 선 이 사건 처분은 위법하다."
                    if won else "따라서 원고의 업무와 상병 사이에 상당인과관계가 있다고 보기 어렵다.")
    reasoning = _paragraphs(rng, rng.randint(3, 6), year)
    head_length = 900 + len(reasoning)
    while head_length < target_length:
        sentence = _fact_sentence(rng, year) if rng.random() < 0.5 else rng.choice(_FILLER)
        reasoning += "\n" + sentence
        head_length += len(sentence) + 1
    body = (
        f"【연관판결】 {court},{case_number},{court_level or '재심사'}심\n"
        f"【주문】\n{order}\n"
        f"【청구취지】\n피고가 원고에 대하여 한 {benefit} 불승인 처분을 취소한다.\n"
        f"【이유】\n1. 처분의 경위\n{facts}{_paragraphs(rng, rng.randint(1, 3), year)}\n"
        f"2. 원고의 주장\n{claim}\n"
        f"3. 관계 법령\n{_LAW}\n"
        f"4. 판단\n가. 관련 법리\n{_paragraphs(rng, rng.randint(2, 4), year)}\n"
        f"나. 인정 사실 및 판단\n{reasoning}\n{judgment_end}\n"
        f"5. 결론\n그렇다면 원고의 청구는 {'이유 있어 인용' if won else '이유 없어 기각'}"
        "하기로 하여 주문과 같이 판결한다."
    )
    _, _, reasons = body.partition("【이유】\n")
    return Precedent(
        id=f"{source}:syn{i:06d}", source=source, title=title, case_number=case_number, case_year=year,
        court=court, court_level=court_level, outcome=outcome, kind_b=kind_b, kind_c=kind_c,
        decided_on=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", order=order, reasons=reasons,
        full_text=body, issues_text="", is_sample=False, fetched_at="2024-01-01T00:00:00+09:00",
    )


def generate(n: int, seed: int = 0) -> Iterator[Precedent]:
    """Yield ``n`` synthetic judgments; the same ``seed`` gives the same records."""
    rng = random.Random(seed)
    for i in range(n):
        yield _render(i, rng)
