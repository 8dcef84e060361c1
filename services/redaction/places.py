"""Addresses: road (테헤란로 12길 34) and lot (신대리 55번지, 북수리 산 12-3) forms, with or without the region
before them, apartments (101동 1203호, 자이 101-1203) and postal codes introduced as such.

A word ending in 로/길/동/리/가 followed by a number is an address only when something says so: a region
before it (서울 강서구, 곤지암읍), an address cue (주소, 사는 곳, 집은, …에 살아요), or a shape no count
has (a hyphen, 번지, 산, 번길, an apartment after it). That keeps "월급으로 3,200,000원", "허리 4, 5번",
"주로 20, 25kg" and "도로 2개" as written.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from services.redaction import analyser
from services.redaction.words import METROS, PLACES

Span = tuple[str, int, int]

_UNITS = (r"시간|시|일|주|개월|달|년|세|살(?!아|고|았|던|면|며|림|다|기|지|려|자)|kg|킬로|%|퍼센트|회|차례|번째|"
          r"번(?!지|길)|명|분|초|층|만원|만|천|원|cm|mm|"
          r"미터|km|개|건|대|m\b|톤|포|장|박스|호기|호선|라인|단|급|등급|인|평|마리|권|병|잔|바늘|군데|곳|차|리터|배|도|위|점|교대")
_NUMBER = r"(?P<num>(?:산\s?)?\d{1,5}(?:\s?-\s?\d{1,5})?)(?P<bunji>\s?번지)?"
_NUMBER_END = (rf"(?!\d)(?![,.]\d)(?!\s?(?:{_UNITS}))"
               r"(?!\s*[,~]\s*\d+(?!\d*\s?(?:호|동)))")  # "4, 5번" and "20, 25kg" are lists of numbers
ROAD = re.compile(r"(?<![가-힣\d])(?P<word>[가-힣][가-힣\d]{0,14}?(?:대로|로|길))"
                  r"(?P<sub>\s?\d{1,4}\s?번?\s?[가길](?![가-힣]))?\s?" + _NUMBER + _NUMBER_END)
LOT = re.compile(r"(?<![가-힣\d])(?P<word>[가-힣][가-힣\d]{0,11}?(?:동|리|가))\s?" + _NUMBER + _NUMBER_END)
_APT_END = r"(?=$|[^가-힣]|에|이|입|의|로|으|는|가|를|요|고|인|살|사|까|부|예|임|라|야|였|쯤|거|도|만)"
_COMPLEX = r"(?:아파트|빌라|맨션|오피스텔|타운|하이츠|빌|자이|캐슬|파크|힐스|스테이트|푸르지오|래미안|아이파크|단지)"
APT = re.compile(r"(?<![\d])\d{1,4}\s?동\s?\d{2,5}\s?호" + _APT_END)
APT_HYPHEN = re.compile(_COMPLEX + r"\s*(?P<apt>\d{1,4}\s?-\s?\d{3,4})(?![\d-])")
POSTAL = re.compile(r"우편\s?번호\s*(?:는|:|：)?\s*(?P<z>\d{5})(?!\d)")
# What may follow an address and belongs to it: ", 202호", " 대림아파트 105동 1102호", " 철산자이 101-1203".
_TAIL = re.compile(r"(?:\s*,?\s*(?:[가-힣A-Za-z0-9]{0,15}" + _COMPLEX + r"\s*(?:\d{1,2}\s?단지\s*)?){0,2}"
                   r"(?:\d{1,4}\s?동\s?\d{2,5}\s?호" + _APT_END + r"|\d{1,4}\s?-\s?\d{3,4}(?![\d-])"
                   r"|\d{2,5}\s?호" + _APT_END + "))")
_CUE_BEFORE = re.compile(r"(?:주소|거주|사는\s?곳|사는|살고|살아|집은|집이|집\s?주소|자택|본가|고향집|소재지|위치|"
                         r"에\s?살|에서\s?살|이사)[^.!?\n]{0,25}$")
_CUE_AFTER = re.compile(r"^\s*(?:에|에서|으로|로)?\s?(?:살|거주|삽니|산다|사는|이사|이\s?집|집\s?주소|집주소)")
_REGION_UNIT = re.compile(r"[가-힣]{1,8}(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구|읍|면)")
_LAST_WORD = re.compile(r"([가-힣]{2,12},?)\s+$")
_UNIT_WORDS = frozenset(("특별시", "광역시", "특별자치시", "특별자치도", "도", "시", "군", "구", "읍", "면"))
_PARTICLE_RO = ("주로", "새로", "서로", "바로", "따로", "도로", "대로", "차로", "경로", "진로", "통로", "선로", "수로",
                "항로", "그대로", "제대로", "함부로", "스스로", "홀로", "절로", "날로", "실로", "별로", "억지로",
                "저절로", "때때로", "대체로", "실제로", "정말로", "진짜로", "참말로", "길", "골목길", "출근길",
                "퇴근길", "오솔길", "산길", "빗길", "눈길", "밤길", "지름길", "뒷길", "갈림길")


@lru_cache(maxsize=8_192)
def _is_region(word: str) -> bool:
    word = word.strip(",")
    if any(word.startswith(m) and (len(word) == len(m) or _REGION_UNIT.fullmatch(word)) for m in METROS):
        return True
    if word in PLACES:
        return True
    if not _REGION_UNIT.fullmatch(word):
        return False
    stem = re.sub(r"(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구|읍|면)$", "", word)
    if stem in PLACES:
        return True
    analysed = analyser.word(word)  # 화성시/NNP, 함열/NNG 읍/NNG — not 당시/NNG, 회사/NNG 도/JX
    return analysed.known_proper or (not analysed.known_common and analysed.tags[-1] in ("NNG", "NNB", "NNP")
                                     and analysed.forms[-1] in _UNIT_WORDS)


def _region_start(text: str, start: int) -> int:
    """Where the region words chained right before ``start`` begin (``start`` if there are none)."""
    begin = start
    while True:
        m = _LAST_WORD.search(text[max(0, begin - 16):begin])
        if not m or not _is_region(m.group(1)):
            return begin
        begin = begin - len(m.group(0))


def _cued(text: str, start: int, end: int) -> bool:
    return bool(_CUE_BEFORE.search(text[max(0, start - 30):start]) or _CUE_AFTER.search(text[end:end + 12]))


def _core_ok(m: re.Match[str], text: str, road: bool) -> bool:
    word = m.group("word")
    has_region = _region_start(text, m.start()) < m.start()
    shape = bool("-" in m.group("num") or m.group("bunji") or m.group("num").startswith("산")
                 or (road and m.group("sub")) or _TAIL.match(text, m.end()))
    if road:
        if word.endswith("으로") or word in _PARTICLE_RO:
            return False
        common = analyser.is_common_word(word)
        proper = analyser.word(word).known_proper
    else:
        if word.endswith("가") and not re.search(r"\d가$", word) and not has_region:
            return False
        common, proper = analyser.is_common_word(word), False
    if common and not has_region:
        return False
    return has_region or shape or proper or _cued(text, m.start(), m.end())


def find(text: str) -> Iterator[Span]:
    for m in POSTAL.finditer(text):
        yield "address", m.start("z"), m.end("z")
    for pattern, road in ((ROAD, True), (LOT, False)):
        for m in pattern.finditer(text):
            if not _core_ok(m, text, road):
                continue
            end = m.end()
            tail = _TAIL.match(text, end)
            if tail:
                end = tail.end()
            yield "address", _region_start(text, m.start()), end
    for m in APT.finditer(text):
        yield "address", m.start(), m.end()
    for m in APT_HYPHEN.finditer(text):
        yield "address", m.start("apt"), m.end("apt")
