"""The masker on sentences written the way claimants write: what must be masked is, what must stay does.

A sample of ``bench/redaction_set.json`` is held here, with the leaks and the corrupted facts found when
the cue-only masker was tried; the whole set is scored against the goals of ``python -m bench --only
redaction``. Placeholders are numbered per kind and restored into an answer on this computer.
"""
from __future__ import annotations

import pytest

from bench.bench_redaction import FALSE_MASK_GOAL, NUMBER_GOAL, WORD_GOAL, load, ours, score
from services.redaction import NUMBER_KINDS, Redaction, mapping_of, redact, restore


def _letters_masked(text: str, spans: list[tuple[int, int]], value: str) -> bool:
    """Whether every letter and digit of every occurrence of ``value`` lies inside a masked span."""
    covered = bytearray(len(text))
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    pos = text.find(value)
    assert pos >= 0, value
    while pos >= 0:
        if not all(covered[i] for i in range(pos, pos + len(value)) if text[i].isalnum()):
            return False
        pos = text.find(value, pos + 1)
    return True


def _untouched(text: str, spans: list[tuple[int, int]], value: str) -> bool:
    pos = text.find(value)
    assert pos >= 0, value
    return all(end <= pos or start >= pos + len(value) for start, end in spans)


def check(text: str, masked: list[str], kept: list[str]) -> None:
    result = redact(text)
    spans = [(f.start, f.end) for f in result.findings]
    for value in masked:
        assert _letters_masked(text, spans, value), (value, result.text)
    for value in kept:
        assert _untouched(text, spans, value), (value, result.text)


# (sentence, what must be masked, what must stay) — a sample of bench/redaction_set.json
SAMPLE = [
    ("안녕하세요 저는 김철수입니다. 물류센터에서 상하차 일을 7년 했고 허리 디스크 판정을 받았습니다.", ["김철수"],
     ["물류센터", "상하차", "7년", "허리 디스크"]),
    ("조장 유재식이 그날 작업지시를 했음", ["유재식"], ["조장", "작업지시"]),
    ("장모님이 병원비를 대주셨고 이모님이 간병을 하셨어요.", [], ["장모님", "이모님", "병원비", "간병"]),
    ("사장 송강민은 4대보험도 안 들어줬어요.", ["송강민"], ["사장", "4대보험"]),
    ("저랑 제일 친한 동료인 석진호가 사고 현장 사진을 찍어놨어요", ["석진호"], ["동료", "사고 현장 사진"]),
    ("임시현 씨와 저는 같은 날 입사했어요", ["임시현"], ["같은 날", "입사"]),
    ("송중근이 크레인 신호수였고 저는 줄걸이 작업을 했습니다", ["송중근"], ["크레인 신호수", "줄걸이 작업"]),
    ("베트남 동료 응우옌 반 남이 통역을 해줬어요", ["응우옌 반 남"], ["베트남", "통역"]),
    ("핸드폰 010.9876.5432 입니다", ["010.9876.5432"], []),
    ("주민등록번호 7803051234567 입니다", ["7803051234567"], []),
    ("생년월일: 1966.03.05", ["1966.03.05"], []),
    ("환자번호 12345678 로 검색하면 진료기록 나와요", ["12345678"], ["진료기록"]),
    ("회사 화물차 경기 85바 1234 로 배송했어요", ["85바 1234"], ["화물차", "배송"]),
    ("살고있는곳은 수원시 영통구 매탄동 주공아파트 3단지 301동 502호에요", ["301동 502호"], []),
    ("광명시 철산로 30 철산자이 아파트 101-1203", ["철산로 30", "101-1203"], []),
    ("대한중공업 조선소 도장팀이었습니다", ["대한"], ["중공업", "조선소 도장팀"]),
    ("서울척병원에서 MRI 찍었어요", ["서울척"], ["병원", "MRI"]),
    ("하나로한의원 침 치료 영수증 있어요", ["하나로"], ["한의원", "침 치료", "영수증"]),
    ("산재보험법 제37조 제1항 제2호 다목을 보라고 하더라고요", [], ["제37조 제1항 제2호"]),
    ("2021년 7월 1일부터 2023년 12월 31일까지 일했음", [], ["2021년 7월 1일", "2023년 12월 31일"]),
    ("부산고등법원 2022누1234 판결 보니까 비슷하더라고요", [], ["부산고등법원", "2022누1234"]),
    ("저는 경기도 화성시 남양읍 북양리 123-4 사는 이만수입니다. 연락처 010-2345-6789. 2022년 11월에 한빛물류센터에서 "
     "허리 다쳤어요.", ["북양리 123-4", "이만수", "010-2345-6789", "한빛"], ["2022년 11월", "물류센터", "허리"]),
    ("남편 박상철(56)은 하루 14시간씩 운전을 했고 2023. 2. 14. 뇌출혈로 쓰러졌습니다. 제 번호는 010 3333 4444입니다.",
     ["박상철", "010 3333 4444"], ["56", "14시간", "2023. 2. 14.", "뇌출혈"]),
    ("아버지 성함은 윤 병 철 이십니다", ["윤 병 철"], []),
    ("제 폰은 010 7 1 2 3 4 5 6 7 ← 이렇게 눌러야 돼요", ["010 7 1 2 3 4 5 6 7"], []),
    ("사원번호는 E-40213 입니다", ["E-40213"], []),
    ("오픈채팅 닉네임 은 허리아파요", ["허리아파요"], []),
    ("회사는 미래케미칼인데 유기용제를 많이 썼어요", ["미래"], ["케미칼", "유기용제"]),
    ("전자회사 생산라인에서 10년 일했어요", [], ["전자회사 생산라인", "10년"]),
    ("산재병원에서 재활 받고 있어요", [], ["산재병원", "재활"]),
]

# What the cue-only masker sent as typed, each with the item that must now be masked.
LEAKS = [
    ("저는 김철수입니다", "김철수"), ("저는 김철수(58세)입니다", "김철수"), ("환자 김철수", "김철수"),
    ("반장 박영수가 봤어요", "박영수"), ("박영희 과장님이 병원에 가지 말래요", "박영희"),
    ("아내 최지우와 같이 갔어요", "최지우"),
    ("정형외과 이동훈 원장이 그랬어요", "이동훈"), ("곤지암읍 신대리 55번지입니다", "신대리 55번지"),
    ("북수리 산 12-3", "북수리 산 12-3"), ("연락처 010 - 1234 - 5678", "010 - 1234 - 5678"),
    ("(010)3456-7890으로 주세요", "(010)3456-7890"), ("주민번호 780305—1234567", "780305—1234567"),
    ("주민번호 780305-1****** 로 적었어요", "780305-1"), ("차 번호 12가 3456", "12가 3456"),
    ("가해 차량 123가4567", "123가4567"), ("생년월일 1966년 3월 5일", "1966년 3월 5일"),
    ("사번 2019-0345", "2019-0345"),
    ("카톡 아이디 kimcs1966", "kimcs1966"), ("한빛물류센터에서 일했어요", "한빛"), ("새길정형외과에서 진료", "새길"),
]
# Facts the cue-only masker corrupted: they must come out exactly as they went in.
FACTS = ["월급으로 3,200,000원 받았어요", "허리 4, 5번이 아파요", "2동 3호기에서 일했어요", "주로 20, 25kg을 들었어요",
         "공장장님이 알아요", "선배님이 도와줬어요", "장모님이 간병했어요", "이모님이 오셨어요",
         "원고 최초 진단일은 2022. 5. 3.이다", "근로복지공단 서울남부지사", "서울행정법원 2023구합12345",
         "요추 4-5번, L4-5 추간판탈출증", "주 60시간, 하루 12시간", "20kg 박스를 하루 300개",
         "동네 정형외과와 대학병원", "대기업 물류센터 하청업체", "58세, 2019. 3. 2. 입사"]


@pytest.mark.parametrize("text,masked,kept", SAMPLE)
def test_sample_of_the_measured_set(text: str, masked: list[str], kept: list[str]) -> None:
    check(text, masked, kept)


@pytest.mark.parametrize("text,secret", LEAKS)
def test_what_leaked_before_is_masked(text: str, secret: str) -> None:
    check(text, [secret], [])


@pytest.mark.parametrize("text", FACTS)
def test_facts_that_decide_a_claim_are_left_as_written(text: str) -> None:
    result = redact(text)
    assert result.text == text, result.findings


def test_the_whole_set_meets_the_goals() -> None:
    result = score(load(), ours)
    numbers = tuple(k for k in NUMBER_KINDS if result.count(k))
    assert result.recall(numbers) >= NUMBER_GOAL, result.missed
    assert result.recall("name") >= WORD_GOAL and result.recall("address") >= WORD_GOAL, result.missed
    assert result.kept_masked <= FALSE_MASK_GOAL * result.kept, result.wrongly_masked


def test_placeholders_are_numbered_per_kind_and_the_same_item_keeps_its_number() -> None:
    text = ("반장 박영수가 보고 있었고 동료 김민석 씨도 있었어요. 박영수는 010-1234-5678, 김민석은 010 2222 3333. "
            "다시 말하면 박영수 번호는 010.1234.5678 이에요.")
    result = redact(text)
    assert result.text == ("반장 [이름1]가 보고 있었고 동료 [이름2] 씨도 있었어요. "
                           "[이름1]는 [전화번호1], [이름2]은 [전화번호2]. "
                           "다시 말하면 [이름1] 번호는 [전화번호1] 이에요.")
    assert result.mapping == {"[이름1]": "박영수", "[이름2]": "김민석", "[전화번호1]": "010-1234-5678",
                              "[전화번호2]": "010 2222 3333"}
    assert {f.placeholder for f in result.findings if f.original == "010.1234.5678"} == {"[전화번호1]"}
    assert result.counts() == {"이름": 5, "전화번호": 3}
    for finding in result.findings:
        assert text[finding.start:finding.end] == finding.original
        assert finding.basis in ("pattern", "cue", "analysis")


def test_restore_puts_the_originals_back_with_fitting_particles() -> None:
    result = redact("반장 박영석이 봤고 아내 최지은과 같이 갔어요. 연락처 010-1234-5678")
    answer = ("[이름1]는 목격자로서 진술서를 쓸 수 있습니다. [이름2]이(가) 동행한 사실도 적으세요. "
              "[이름 1]의 연락처 [전화번호1]를 적고, [이름3]은 그대로 둡니다.")
    assert restore(answer, result) == (
        "박영석은 목격자로서 진술서를 쓸 수 있습니다. 최지은이 동행한 사실도 적으세요. "
        "박영석의 연락처 010-1234-5678를 적고, [이름3]은 그대로 둡니다.")
    assert result.restore("[이름2]와 [이름1]") == "최지은과 박영석"
    assert restore("[주소1]로", {"[주소1]": "신림동 1423-15"}) == "신림동 1423-15로"
    assert restore("[이름1]으로", {"[이름1]": "김철"}) == "김철로"


def test_restoring_the_masked_text_gives_back_what_the_user_wrote() -> None:
    for item in load():
        result = redact(item["text"])
        assert restore(result.text, result) == item["text"], result.text


def test_placeholders_already_there_are_kept_and_new_ones_numbered_after_them() -> None:
    first = redact("반장 박영수가 봤어요")
    again = redact(first.text + " 동료 김민석 씨도 있었어요. 박영수 번호 010-1111-2222", known=first.mapping)
    assert again.text == "반장 [이름1]가 봤어요 동료 [이름2] 씨도 있었어요. [이름1] 번호 [전화번호1]"
    assert [f.original for f in again.findings] == ["김민석", "박영수", "010-1111-2222"]
    question = redact("박영수 반장 말고 목격자 이상훈 씨도 있어요", reserve=again.text)
    assert question.text == "[이름3] 반장 말고 목격자 [이름4] 씨도 있어요"  # no mapping given: new numbers, no clash
    assert mapping_of(f.to_dict() for f in again.findings) == {"[이름2]": "김민석", "[이름1]": "박영수",
                                                                "[전화번호1]": "010-1111-2222"}


def test_the_result_keeps_its_public_shape() -> None:
    result = redact("홍길동 씨 010-1234-5678")
    assert isinstance(result, Redaction) and result.changed
    data = result.to_dict()
    assert set(data) == {"text", "findings", "counts"} and data["counts"] == {"이름": 1, "전화번호": 1}
    assert set(data["findings"][0]) == {"kind", "label", "start", "end", "original", "placeholder", "basis"}
    assert redact("").text == "" and not redact("허리가 아파요").changed
