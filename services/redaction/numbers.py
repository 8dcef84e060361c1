"""Number-like personal data: registration numbers, phones, e-mail, accounts, cards, birth dates, staff
and patient numbers, car plates and messenger IDs.

Each finder yields ``(kind, start, end)`` spans. Separators are read loosely, the way people type
them: spaces, dots, brackets, and any dash (-, –, —, −, the Hangul vowel ㅡ). Counts, amounts, weights,
hours, dates that are not birth dates, spine levels and case numbers are left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

Span = tuple[str, int, int]

_DASH = "\\-–—‒―−﹣－ㅡ~"
_SEP = rf"[ \t]*[{_DASH}.·/)]?[ \t]*"          # between phone groups: at most one mark, any spaces
_NO_DIGIT_BEFORE = r"(?<![\d])"
_NO_DIGIT_AFTER = rf"(?!\d|[{_DASH}]\d)"
_DATE6 = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_MASK_CHARS = "*＊xX●○◯"

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_HANDLE_CUE = (r"(?:카카오톡|카톡|카카오|라인|텔레그램|텔레|인스타그램|인스타|페이스북|페북|트위터|틱톡|위챗|왓츠앱|"
               r"오픈채팅|디스코드|스냅챗|[Kk]akao(?:[Tt]alk)?|[Ll]ine|[Tt]elegram|[Ii]nstagram)")
_HANDLE_WORD = r"(?:아이디|아뒤|ID|Id|id|계정|닉네임|닉)"
HANDLE_CUED = re.compile(
    rf"(?<![가-힣A-Za-z])(?:{_HANDLE_CUE}\s*{_HANDLE_WORD}?|{_HANDLE_WORD})\s*(?:은|는|이|가|:|：|=)?\s*(?:은|는)?\s*"
    r"@?(?P<id>[A-Za-z0-9][A-Za-z0-9._\-]{2,29})")
HANDLE_NICK = re.compile(r"(?<![가-힣])(?:닉네임|닉)\s*(?:은|는|이|:|：)?\s*(?P<id>[가-힣A-Za-z0-9._]{2,20})")
HANDLE_AT = re.compile(r"(?<![A-Za-z0-9._%+-])@(?P<id>[A-Za-z0-9_][A-Za-z0-9._]{2,29})")

# Registration numbers: the whole number, its front half with the first digit of the back half
# (780305-1, 780305-1******), and the front half alone where it is introduced as such.
_RRN_BACK = rf"(?:\d{{6}}|[{_MASK_CHARS}]{{1,6}})?"
RRN = re.compile(rf"{_NO_DIGIT_BEFORE}(?P<front>{_DATE6})(?:[ \t]*[{_DASH}.][ \t]*|[ \t]?)(?P<sex>\d)"
                 rf"(?P<back>{_RRN_BACK})(?!\d)")
_RRN_CUE = r"(?:주민\s?(?:등록)?\s?번호|주민번호|외국인\s?등록\s?(?:번호|증\s?번호))"
RRN_FRONT = re.compile(rf"{_RRN_CUE}[^\d\n]{{0,12}}?(?:\d\s?자리[^\d\n]{{0,6}}?)?(?<!\d)(?P<front>{_DATE6})(?!\d)")

CARD = re.compile(_NO_DIGIT_BEFORE + r"\d{4}[-\s]\d{4}[-\s]\d{4}[-\s]\d{4}(?!\d)")
CARD_PLAIN = re.compile(_NO_DIGIT_BEFORE + r"\d{15,16}(?!\d)")
BUSINESS = re.compile(_NO_DIGIT_BEFORE + r"\d{3}-\d{2}-\d{5}(?![\d-])")

_MOBILE = r"(?:\+[ \t]?82[ \t]*[-.)]?[ \t]*\(?0?\)?[ \t]*1[016789]|\(?[ \t]?01[016789][ \t]?\)?)"
PHONE_MOBILE = re.compile(rf"{_NO_DIGIT_BEFORE}{_MOBILE}{_SEP}\d{{3,4}}{_SEP}\d{{4}}{_NO_DIGIT_AFTER}")
# Digits typed one or two at a time with spaces: 010 7 1 2 3 4 5 6 7 (seven or eight digits after 01x)
PHONE_SPREAD = re.compile(rf"{_NO_DIGIT_BEFORE}01[016789](?:[ \t{_DASH}.]+\d{{1,2}}){{4,8}}(?![ \t{_DASH}.]*\d)")
PHONE_AREA = re.compile(rf"{_NO_DIGIT_BEFORE}\(?[ \t]?0(?:2|[3-6][1-5]|70|50[2-8])[ \t]?\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}"
                        rf"{_NO_DIGIT_AFTER}")
PHONE_AREA_PLAIN = re.compile(_NO_DIGIT_BEFORE + r"0(?:2|[3-6][1-5]|70)\d{7,8}(?!\d)")
_KO_DIGIT = "공영일이삼사오육칠팔구"
PHONE_WORDS = re.compile(rf"(?<![가-힣])(?:공|영)\s?일\s?(?:공|영|일|육|칠|팔|구)(?:[ \t{_DASH}]*[{_KO_DIGIT}]){{7,8}}")

ACCOUNT_CUED = re.compile(r"(?:계좌(?:번호)?|통장(?:번호)?|입금(?:계좌)?)\s*(?:는|은|:|：)?\s*"
                          r"(?:[가-힣A-Z]{1,8}(?:은행|뱅크)?\s*)?(?P<n>\d[\d \t-]{8,20}\d)")
ACCOUNT_SHAPE = re.compile(_NO_DIGIT_BEFORE + r"\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?(?![\d-])")

# Birth dates: a full date (with the day) introduced as one, or followed by 생 / 에 태어났다.
_FULL_DATE = (r"(?:(?:19|20)?\d{2}\s?년\s?\d{1,2}\s?월\s?\d{1,2}\s?일"
              r"|(?:19|20)?\d{2}\s?[.\-/]\s?\d{1,2}\s?[.\-/]\s?\d{1,2}\.?"
              r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|" + _DATE6 + ")")
_BIRTH_CUE = r"(?:생년월일|생일|출생일|출생|생년|생년월|date of birth|DOB)"
_MONTH_DAY = r"\d{1,2}\s?월\s?\d{1,2}\s?일"
BIRTH_CUED = re.compile(rf"{_BIRTH_CUE}\s*(?:은|는|이|:|：)?\s*(?P<d>{_FULL_DATE}|{_MONTH_DAY})(?!\d)", re.IGNORECASE)
_BORN = r"(?:생(?:$|[^가-힣]|이|입|인|으|남|여)|에\s?태어|에\s?출생)"
BIRTH_AFTER = re.compile(rf"(?<![\d.])(?P<d>{_FULL_DATE})(?=\s?{_BORN})")
_BIRTH_AFTER_CUE = re.compile(r"(?:\d\.?|일)\s?" + _BORN)

_STAFF_CUE = r"(?:사번|사원\s?번호|직원\s?번호|사원\s?코드|사원\s?ID|직번|사원증\s?번호|직원\s?ID)"
_PATIENT_CUE = (r"(?:환자\s?(?:등록\s?)?번호|(?<!주민)(?<!외국인)(?<!사업자)(?<!차량)(?<!자동차)등록\s?번호|차트\s?번호"
                r"|진료\s?번호|병록\s?번호|의무기록\s?번호|내원\s?번호)")
_ID = r"(?P<n>[A-Za-z]{0,4}[ \t]?-?[ \t]?\d[\d-]{1,14}\d|\d{3,})"
STAFF = re.compile(rf"{_STAFF_CUE}\s*(?:은|는|이|가|:|：|=)?\s*(?:은|는)?\s*{_ID}(?![\d])")
PATIENT = re.compile(rf"{_PATIENT_CUE}\s*(?:은|는|이|가|:|：|=)?\s*{_ID}(?![\d])")

_PLATE_LETTERS = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호"
METRO_WORDS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
               "전북", "전남", "경북", "경남", "제주")
_PLATE_REGION = "(?:" + "|".join(METRO_WORDS) + ")"
_LATIN = re.compile(r"[A-Za-z]")
_NOT_UNIT = r"(?!\s*(?:원|명|개|시간|년|회|번|건|kg|킬로|%|대|일|분|초|만|천|배|층|세|살))"
PLATE = re.compile(rf"(?<![\d가-힣])(?:{_PLATE_REGION}\s?)?(?P<p>\d{{2,3}}\s?[{_PLATE_LETTERS}]\s?\d{{4}})(?!\d)"
                   + _NOT_UNIT)
# Two-wheelers: 서울 강남 바 1234
PLATE_LOCAL = re.compile(rf"{_PLATE_REGION}\s?(?P<p>[가-힣]{{1,3}}\s?[{_PLATE_LETTERS}]\s?\d{{4}})(?!\d){_NOT_UNIT}")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _rrn_kind(sex_digit: str) -> str:
    return "frn" if sex_digit in "5678" else "rrn"


def _has(text: str, words: tuple[str, ...]) -> bool:
    """A cheap test before a cue pattern scans the whole text: is any of its cue words there at all?"""
    return any(w in text for w in words)


_HANDLE_WORDS = ("톡", "카카오", "라인", "텔레", "인스타", "페이스북", "페북", "트위터", "틱톡", "위챗", "왓츠앱",
                 "채팅", "디스코드", "스냅챗", "akao", "ine", "elegram", "nstagram", "아이디", "아뒤", "ID", "Id", "id",
                 "계정", "닉")
_STAFF_WORDS = ("사번", "사원", "직원", "직번")
_PATIENT_WORDS = ("환자", "등록", "차트", "진료", "병록", "의무기록", "내원")
_BIRTH_WORDS = ("생년", "생일", "출생", "DOB", "dob", "birth", "Birth")


def find(text: str) -> Iterator[Span]:
    """Number-like spans, most specific first (a later span that overlaps an earlier one is dropped)."""
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield "email", m.start(), m.end()
    handle_patterns = (HANDLE_CUED, HANDLE_NICK) if _has(text, _HANDLE_WORDS) else ()
    for pattern in handle_patterns + ((HANDLE_AT,) if "@" in text else ()):
        for m in pattern.finditer(text):
            if pattern is HANDLE_CUED and not _LATIN.search(m.group("id")):
                continue
            yield "handle", m.start("id"), m.end("id")
    yield from _registration(text)
    for m in CARD.finditer(text):
        yield "card", m.start(), m.end()
    for m in CARD_PLAIN.finditer(text):
        if _luhn_ok(m.group()):
            yield "card", m.start(), m.end()
    for m in BUSINESS.finditer(text):
        yield "business", m.start(), m.end()
    for m in ACCOUNT_SHAPE.finditer(text):  # before phones: 010-1234-5678-01 is an account
        if sum(c.isdigit() for c in m.group()) >= 10 and m.group().count("-") == 3:
            yield "account", m.start(), m.end()
    for pattern in (PHONE_MOBILE, PHONE_AREA, PHONE_AREA_PLAIN, PHONE_SPREAD):
        for m in pattern.finditer(text):
            value = m.group()
            if pattern is PHONE_SPREAD and sum(c.isdigit() for c in value) not in (10, 11):
                continue
            start = m.start() if ")" in value else m.start() + len(value) - len(value.lstrip("( \t"))
            yield "phone", start, m.end()
    if _has(text, ("공일", "영일")):
        for m in PHONE_WORDS.finditer(text):
            yield "phone", m.start(), m.end()
    for pattern in ((ACCOUNT_CUED,) if _has(text, ("계좌", "통장", "입금")) else ()) + (ACCOUNT_SHAPE,):
        for m in pattern.finditer(text):
            group = "n" if pattern is ACCOUNT_CUED else 0
            if sum(c.isdigit() for c in m.group(group)) >= 10:
                yield "account", m.start(group), m.end(group)
    if _has(text, _BIRTH_WORDS):
        for m in BIRTH_CUED.finditer(text):
            yield "birth", m.start("d"), m.end("d")
    for cue in _BIRTH_AFTER_CUE.finditer(text):  # a date right before 생 or 에 태어났다: read only there
        begin = max(0, cue.start() - 24)
        for m in BIRTH_AFTER.finditer(text, begin, cue.end() + 4):
            yield "birth", m.start("d"), m.end("d")
    for kind, pattern, words in (("employee", STAFF, _STAFF_WORDS), ("patient", PATIENT, _PATIENT_WORDS)):
        if not _has(text, words):
            continue
        for m in pattern.finditer(text):
            if sum(c.isdigit() for c in m.group("n")) >= 3:
                yield kind, m.start("n"), m.end("n")
    for m in PLATE.finditer(text):
        yield "plate", m.start("p"), m.end("p")
    if _has(text, METRO_WORDS):
        for m in PLATE_LOCAL.finditer(text):
            yield "plate", m.start("p"), m.end("p")


def _registration(text: str) -> Iterator[Span]:
    for m in RRN.finditer(text):
        back, sex = m.group("back"), m.group("sex")
        if sex not in "12345678":
            continue
        whole = len(back) == 6 and back.isdigit()
        masked = bool(back) and not back.isdigit()
        joined = m.group()[6:m.start("sex") - m.start()]
        if whole or masked or (not back and any(c in joined for c in _DASH)):
            yield _rrn_kind(sex), m.start(), m.end("sex") if masked else m.end()
    for m in RRN_FRONT.finditer(text):
        kind = "frn" if "외국인" in m.group() else "rrn"
        yield kind, m.start("front"), m.end("front")
