"""Company and clinic names: the distinctive part is masked, the kind stays ("한빛물류센터" → "[회사1]물류센터",
"새길정형외과" → "[병원1]정형외과"), so the AI still knows it was a logistics centre or an orthopaedic clinic.

Generic places of work and care are kept as written: 대기업 물류센터, 하청업체, 동네 정형외과, 대학병원,
요양병원, 산재지정병원, and the 근로복지공단's own hospitals and branches.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from services.redaction import analyser
from services.redaction.words import COMPANY_KINDS, GENERIC_ORG_WORDS, HOSPITAL_KINDS, PLACES, PUBLIC_BODIES

Span = tuple[str, int, int]

# Kinds whose name part is masked even when it is an ordinary word (성원건설, 미래케미칼): nobody says
# "성원 케미칼" for anything but a company. The others need a name Kiwi does not know as a common word, or
# a company cue around them (다니던 회사는 ○○, ○○ 소속, (주)○○).
_DISTINCT = frozenset(("물류센터", "통운", "물산", "중공업", "엔지니어링", "케미칼", "로지스틱스", "로지스", "모터스",
                       "홀딩스", "인터내셔널", "이엔지", "이앤씨", "건업", "토건", "제작소", "레미콘", "종합건설",
                       "산업개발", "유통", "정밀", "테크", "건설"))
_HOSPITAL_STRICT = frozenset(("의원", "외과", "내과", "안과", "치과"))  # 국회의원, 보안과 …
_KINDS = sorted(COMPANY_KINDS | HOSPITAL_KINDS, key=len, reverse=True)
_KIND_ALT = "|".join(map(re.escape, _KINDS))
_KIND_ENDINGS = tuple(_KINDS)
_END = (r"(?=$|[^가-힣A-Za-z0-9]|에서|에게|에|은|는|이|가|을|를|의|로|으로|과|와|도|만|랑|이랑|인데|입니다|이었|였|"
        r"이라|라고|라는|이고|고|이며|며|예요|이에요|소속|측|쪽|직원|현장|공장|하청|본사|지점)")
_KIND_FOUND = re.compile(rf"(?P<kind>{_KIND_ALT}){_END}")
_NAME_BEFORE = re.compile(r"(?<![가-힣A-Za-z0-9&])[가-힣A-Za-z0-9&]{1,14}$")
_CORP_BEFORE = re.compile(r"(?:\(주\)\s?|㈜\s?|주식회사\s)$")
_ONE_LETTER = re.compile(r"[A-Z]")
_LETTER = re.compile(r"[가-힣A-Za-z]")
_PREV_WORD = re.compile(r"(?P<w>[가-힣A-Za-z0-9&]{2,14})\s+$")
CORP_ONLY = re.compile(r"(?:\(주\)\s?|㈜\s?|주식회사\s)(?P<name>[가-힣A-Za-z0-9&]{1,12}?)" + _END)
_PARTICLE_END = re.compile(r"(?:에서|에게|에|은|는|이|가|을|를|의|로|으로|과|와|도|만|랑|이랑|인데|입니다|이고|이며)$")
_CUE_BEFORE = re.compile(r"(?:회사|직장|업체|사업장|다니던|다녔던|일한\s?곳|일하던\s?곳|근무한|근무하던|근무처|"
                         r"소속|원청|하청|협력|입사)[^.!?\n]{0,15}$")
_CUE_AFTER = re.compile(r"^\s?(?:소속|에\s?입사|에서\s?(?:일|근무|퇴사)|측|직원|사장|대표|하청|협력|\d*\s?공장|"
                        r"현장|본사|지점|사무실|창고)")
_LATIN = re.compile(r"[A-Za-z]{2,}")


def _generic(name: str) -> bool:
    """All of the name is ordinary description: 대기업, 동네, 산재지정, 척추관절, 2차."""
    if name in GENERIC_ORG_WORDS or re.fullmatch(r"\d+\s?차|\d+", name):
        return True
    return _split_generic(name)


def _split_generic(name: str) -> bool:
    if not name:
        return True
    return any(name.startswith(w) and _split_generic(name[len(w):])
               for w in GENERIC_ORG_WORDS if len(w) >= 2 and len(w) <= len(name))


def _peel(name: str) -> str:
    """"우리들척추" → "우리들": generic words at the end of the name belong to the kind."""
    changed = True
    while changed:
        changed = False
        for w in GENERIC_ORG_WORDS:
            if len(w) >= 2 and name.endswith(w) and len(name) - len(w) >= 2:
                name, changed = name[:-len(w)], True
    return name


def _after_public_body(text: str, start: int) -> bool:
    before = text[max(0, start - 14):start].rstrip()
    return before.endswith(PUBLIC_BODIES)


def _cued(text: str, start: int, end: int) -> bool:
    return bool(_CUE_BEFORE.search(text[max(0, start - 24):start]) or _CUE_AFTER.search(text[end:end + 10]))


def _kind_of(kind_word: str) -> str:
    return "hospital" if kind_word in HOSPITAL_KINDS else "company"


def find(text: str) -> Iterator[Span]:
    for m in _KIND_FOUND.finditer(text):
        kind_word, kind = m.group("kind"), _kind_of(m.group("kind"))
        before = _NAME_BEFORE.search(text, max(0, m.start() - 14), m.start())
        if before is None:  # "쿠팡 물류센터", "한빛 정형외과": the name is the word before
            yield from _bare(text, m.start(), kind)
            continue
        if before.group().endswith(_KIND_ENDINGS):
            continue  # "…정신건강의학과의원": the second kind of one name, read with the first
        start = before.start()
        corp = bool(_CORP_BEFORE.search(text, max(0, start - 6), start))
        name = _peel(before.group())
        if len(name) < 2 or _generic(name) or _after_public_body(text, start):
            continue
        plain = kind == "company" and kind_word not in _DISTINCT and not corp and not _LATIN.match(name)
        if plain and analyser.is_common_word(name) and not _cued(text, start, m.end()):
            continue
        if kind == "hospital" and kind_word in _HOSPITAL_STRICT and analyser.is_common_word(name):
            continue
        yield kind, start, start + len(name)
    if "주" in text or "㈜" in text:
        for m in CORP_ONLY.finditer(text):
            name = m.group("name")
            if len(name) >= 2 and not _ONE_LETTER.fullmatch(_PARTICLE_END.sub("", name)) and not _generic(name):
                yield "company", m.start("name"), m.end("name")


def _bare(text: str, at: int, kind: str) -> Iterator[Span]:
    prev = _PREV_WORD.search(text[max(0, at - 16):at])
    if not prev:
        return
    word = prev.group("w")
    start = at - len(prev.group(0))
    if (word in PLACES or _generic(word) or word.endswith(PUBLIC_BODIES) or word.endswith(_KIND_ENDINGS)
            or not _LETTER.search(word)):
        return
    analysed = analyser.word(word)
    if _LATIN.fullmatch(word) or analysed.known_proper or analysed.unknown:
        yield kind, start, start + len(word)
