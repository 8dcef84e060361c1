"""The previous masker, kept only so that ``python -m bench --only redaction`` (and the hot-spot bench) can
measure it beside the current one in the same run. Nothing in the app uses it.

It found numbers by pattern and names only after a cue ("홍길동 씨", "성명: 홍길동", "원고 김철수"), and replaced
each item with an unnumbered placeholder such as ``[전화번호]``. This is its code as it was, unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

LABELS = {
    "rrn": "주민등록번호", "frn": "외국인등록번호", "card": "카드번호", "business": "사업자등록번호",
    "phone": "전화번호", "email": "이메일", "account": "계좌번호", "address": "주소", "name": "이름",
}

_NO_DIGIT_BEFORE = r"(?<![\d-])"
_NO_DIGIT_AFTER = r"(?![\d-])"
_UNIT_AFTER = (r"(?![\d-])(?=$|[\s,.;:)\]]|에|의|으로|로|이|가|은|는|번지|호)"
               r"(?!\s*(?:시간|일|주|개월|달|년|세|살|kg|킬로|%|퍼센트|회|차례|번째|번|명|분|초|층|만원|원|cm|mm|미터|km|개|건|대|m\b))")

_REGIONS = ("서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주")
_REGION_WORD = rf"(?:(?:{_REGIONS})(?![가-힣])|[가-힣]{{1,8}}(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구|읍|면))"
_ROAD = r"[가-힣\d]{1,12}(?:대로|로|길)(?:\s?\d{1,4}(?:번?길))?\s?\d{1,5}(?:-\d{1,5})?" + _UNIT_AFTER
_LOT = r"[가-힣]{1,8}(?:동|리|가)\s?\d{1,5}(?:-\d{1,5})?(?:번지)?" + _UNIT_AFTER
_APT = r"\d{1,4}\s?동\s?\d{1,5}\s?호"
_ADDRESS = (rf"(?:{_REGION_WORD}\s+){{0,4}}(?:{_ROAD}|{_LOT})(?:,?\s*(?:[가-힣A-Za-z]{{1,12}}\s*)?{_APT})?"
            rf"|(?:[가-힣A-Za-z]{{2,12}}(?:아파트|빌라|맨션|오피스텔)\s*)?{_APT}")

# Order matters: longer, more specific numbers first so a phone pattern never eats part of an ID.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("rrn", re.compile(_NO_DIGIT_BEFORE + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[1-4]\d{6}"
                       + _NO_DIGIT_AFTER)),
    ("frn", re.compile(_NO_DIGIT_BEFORE + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[5-8]\d{6}"
                       + _NO_DIGIT_AFTER)),
    ("card", re.compile(_NO_DIGIT_BEFORE + r"\d{4}[-\s]\d{4}[-\s]\d{4}[-\s]\d{4}" + _NO_DIGIT_AFTER)),
    ("card_plain", re.compile(_NO_DIGIT_BEFORE + r"\d{15,16}" + _NO_DIGIT_AFTER)),
    ("business", re.compile(_NO_DIGIT_BEFORE + r"\d{3}-\d{2}-\d{5}" + _NO_DIGIT_AFTER)),
    ("phone", re.compile(_NO_DIGIT_BEFORE + r"(?:\+82[-\s]?1[016789]|01[016789])[-\s.]?\d{3,4}[-\s.]?\d{4}"
                         + _NO_DIGIT_AFTER)),
    ("phone", re.compile(_NO_DIGIT_BEFORE + r"\(?0(?:2|[3-6][1-5]|70)\)?[-\s.)]?\d{3,4}[-\s.]\d{4}" + _NO_DIGIT_AFTER)),
    ("phone", re.compile(_NO_DIGIT_BEFORE + r"0(?:2|[3-6][1-5]|70)\d{7,8}" + _NO_DIGIT_AFTER)),
    ("account", re.compile(r"(?:계좌(?:번호)?|통장|입금)\s*[:：]?\s*"
                           r"(?:[가-힣A-Z]{1,8}(?:은행)?\s*)?(\d[\d\s-]{8,20}\d)")),
    ("account", re.compile(_NO_DIGIT_BEFORE + r"\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?" + _NO_DIGIT_AFTER)),
    ("address", re.compile(_ADDRESS)),
]

_HANGUL_RUN = re.compile(r"[가-힣]{2,}")
_SURNAMES = set("김이박최정강조윤장임한오서신권황안송류유홍전고문양손배백허남심노하곽성차주우구민진나지"
                "엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉")
_NOT_NAMES = {
    "사장", "부장", "과장", "차장", "팀장", "반장", "소장", "실장", "원장", "이사", "대리", "주임", "선생", "고객",
    "기사", "교수", "노무사", "변호사", "의사", "간호사", "마음", "아저", "아가", "주인", "손님", "형님", "누님",
    "어머", "아버", "어머니", "아버지", "부모", "환자", "동료", "회사", "공단", "담당", "위원", "조합", "조장",
    # Nouns that follow 원고/피고/근로자 in ordinary sentences and start with a common surname.
    "주장", "주소", "연령", "소송", "소속", "소유", "승소", "부담", "본인", "명의", "상대", "대리인", "정도", "성명",
    "측은", "측이", "측의", "이름", "전부", "일부", "진술", "제출", "신청", "청구", "재해", "근무", "경력",
}
_PARTICLE = r"(?=[은는이가의을를에와과도께랑]|[^가-힣]|$)"
_NAME_BODY = rf"(?:[가-힣]{{3}}{_PARTICLE}|[가-힣]{{2}}{_PARTICLE}|[가-힣]{{4}}(?=[^가-힣]|$))"
_NAME_CUE_BEFORE = re.compile(
    r"(?:성명|이름|원고|피고|재해자|피재자|근로자|망인|청구인|신청인|대표자|배우자|보호자|진술인|참고인|목격자)"
    rf"\s*[:：]?\s*({_NAME_BODY})")
# "홍길동 씨", "홍길동 씨입니다", "홍길동님께" — but not 씨앗, 씨름, 씨족 and the like.
_NAME_CUE_AFTER = re.compile(r"(?<![가-힣])([가-힣]{2,4})\s?(?:씨|님|氏)(?!앗|름|족|눈|알|줄|도둑)")
# "제 이름은 박영희이고", "이름은 김철수입니다"
_NAME_SELF = re.compile(r"(?:제\s?이름은|이름은)\s*([가-힣]{2,4}?)(?=입니다|이고|이며|이에요|예요|이라고|라고)")


@dataclass(frozen=True)
class Finding:
    kind: str          # rrn, phone, name, … (see LABELS)
    label: str         # the Korean placeholder text without brackets
    start: int         # span in the original text
    end: int
    original: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Redaction:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for finding in self.findings:
            out[finding.label] = out.get(finding.label, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "findings": [f.to_dict() for f in self.findings], "counts": self.counts()}


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_name(word: str) -> bool:
    return len(word) >= 2 and word[0] in _SURNAMES and word not in _NOT_NAMES and word[:2] not in _NOT_NAMES


def _candidates(text: str) -> Iterator[tuple[str, int, int]]:
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            start, end = match.span(group)
            value = match.group(group)
            if kind == "card_plain":
                if not _luhn_ok(value):
                    continue
                kind_out = "card"
            else:
                kind_out = kind
            if kind == "account" and sum(c.isdigit() for c in value) < 10:
                continue
            if kind == "address" and not re.search(r"\d", value):
                continue
            yield kind_out, start, end
    names: set[str] = set()
    for pattern in (_NAME_CUE_BEFORE, _NAME_CUE_AFTER, _NAME_SELF):
        for match in pattern.finditer(text):
            if _is_name(match.group(1)):
                names.add(match.group(1))
    # A name seen once with a cue is masked everywhere it appears, longest names first.
    for length in sorted({len(name) for name in names}, reverse=True):
        yield from (("name", start, start + length) for start in _occurrences(text, names, length))


def _occurrences(text: str, names: set[str], length: int) -> Iterator[int]:
    """Start of every occurrence of a ``length``-letter name, as one ``re.finditer`` per name would find
    them (no overlap with the same name's previous one), in one pass over the Hangul instead of one
    pass per name: thousands of cued names in a long text made that quadratic."""
    wanted = {name for name in names if len(name) == length}
    last_end: dict[str, int] = {}
    for run in _HANGUL_RUN.finditer(text):  # names are Hangul only
        begin, end = run.span()
        for start in range(begin, end - length + 1):
            word = text[start:start + length]
            if word in wanted and start >= last_end.get(word, 0):
                last_end[word] = start + length
                yield start


def redact(text: str) -> Redaction:
    """Return the text with personal data replaced by placeholders, and what was replaced."""
    text = text or ""
    taken: list[tuple[int, int, str]] = []
    covered = bytearray(len(text))  # 1 where a finding already sits: one lookup, not a scan of all findings
    for kind, start, end in _candidates(text):
        if covered.find(1, start, end) >= 0:
            continue  # an earlier, more specific pattern already covers this span
        covered[start:end] = b"\x01" * (end - start)
        taken.append((start, end, kind))
    taken.sort()
    pieces: list[str] = []
    findings: list[Finding] = []
    cursor = 0
    for start, end, kind in taken:
        label = LABELS[kind]
        pieces.append(text[cursor:start])
        pieces.append(f"[{label}]")
        findings.append(Finding(kind, label, start, end, text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), findings)
