"""Personal data is masked; case numbers, dates, body parts and hours are not."""
from __future__ import annotations

import pytest

from services.redaction import redact

# (input, the personal value that must disappear, the numbered placeholder that must appear)
PERSONAL = [
    ("주민등록번호 900101-1234567 입니다", "900101-1234567", "[주민등록번호1]"),
    ("주민번호 9001011234567", "9001011234567", "[주민등록번호1]"),
    ("외국인등록번호 880512-5123456", "880512-5123456", "[외국인등록번호1]"),
    ("휴대폰 010-1234-5678로 연락", "010-1234-5678", "[전화번호1]"),
    ("휴대폰 01098765432", "01098765432", "[전화번호1]"),
    ("전화 010 2345 6789", "010 2345 6789", "[전화번호1]"),
    ("회사 02-123-4567", "02-123-4567", "[전화번호1]"),
    ("사무실 (031) 765-4321", "765-4321", "[전화번호1]"),
    ("집 0421234567", "0421234567", "[전화번호1]"),
    ("메일 hong.gildong@example.co.kr 로", "hong.gildong@example.co.kr", "[이메일1]"),
    ("사업자등록번호 123-45-67890", "123-45-67890", "[사업자등록번호1]"),
    ("카드 1234-5678-9012-3456 결제", "1234-5678-9012-3456", "[카드번호1]"),
    ("카드 4111111111111111 결제", "4111111111111111", "[카드번호1]"),
    ("계좌번호: 국민은행 123456-01-234567", "123456-01-234567", "[계좌번호1]"),
    ("농협 301-1234-5678-91 로 입금", "301-1234-5678-91", "[계좌번호1]"),
    ("통장 110 123 456789", "110 123 456789", "[계좌번호1]"),
    ("주소는 서울특별시 강남구 테헤란로 12길 34 입니다", "테헤란로 12길 34", "[주소1]"),
    ("부산광역시 사하구 낙동대로 550번길 37에 산다", "낙동대로 550번길 37", "[주소1]"),
    ("경기도 성남시 분당구 정자동 123-45 거주", "정자동 123-45", "[주소1]"),
    ("래미안아파트 101동 1203호", "101동 1203호", "[주소1]"),
    ("홍길동 씨가 넘어졌다", "홍길동", "[이름1]"),
    ("이영희님께 드림", "이영희", "[이름1]"),
    ("박민수氏 진술", "박민수", "[이름1]"),
    ("성명: 홍길동", "홍길동", "[이름1]"),
    ("원고 김철수는 배송 업무를 했다", "김철수", "[이름1]"),
    ("재해자 최영수의 업무", "최영수", "[이름1]"),
]

NOT_PERSONAL = [
    "서울행정법원 2019구단12345 판결",
    "대법원 2017두12345, 서울고등법원 2018누56789",
    "2024-03-15에 통지를 받았고 2024.3.15. 접수",
    "요추 4-5번 추간판 탈출증, 경추 5-6번",
    "주 60시간, 12주 평균 62시간, 하루 12시간, 4주 평균 64시간",
    "업무로 12시간 일했다, 교통사고로 2차례 입원, 주로 60시간",
    "20kg 박스를 하루 300개 옮겼다",
    "사장님이 괜찮다고 했고 팀장님도 알았다",
    "마음씨 좋은 동료",
    "산업재해보상보험법 제37조 제1항 제2호",
    "국도 3호선을 따라 출근",
]


@pytest.mark.parametrize("text,secret,placeholder", PERSONAL)
def test_personal_data_is_masked(text: str, secret: str, placeholder: str) -> None:
    result = redact(text)
    assert secret not in result.text
    assert placeholder in result.text
    assert any(f.original in text and f.placeholder == placeholder for f in result.findings)


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_legal_and_medical_facts_are_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text, result.findings
    assert not result.changed


def test_a_cued_name_is_masked_everywhere_and_findings_point_to_spans() -> None:
    text = "홍길동 씨는 2023년 입사했다. 홍길동은 매일 야간에 일했다. 연락처 010-1111-2222"
    result = redact(text)
    assert "홍길동" not in result.text
    assert result.counts() == {"이름": 2, "전화번호": 1}
    for finding in result.findings:
        assert text[finding.start:finding.end] == finding.original


def test_full_address_with_region_and_apartment_is_one_placeholder() -> None:
    result = redact("경기도 성남시 분당구 정자동 123-45 래미안 101동 1203호에 산다")
    assert result.text == "[주소1]에 산다"
