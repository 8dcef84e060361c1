"""Person names: found in the frames people write them in, and by Kiwi where no frame is around them.

Frames (a name shape — a surname and one to three syllables — is enough inside them, unless the word
is one Kiwi knows as an ordinary word):

- a role or relation before it: 반장 박영수가, 환자 김철수, 아내 최지은과, 목격자: 이상훈, 반장님(김동수)이;
- a form of address or title after it: 박영희 과장님이, 이동훈 원장, 한상철 씨, 허욱 씨도;
- a self introduction: 저는 김철수입니다, 제 이름은 박영희이고, 이정민이라고 합니다, 안민철 이라는 분;
- a list with a name already found: 동료 곽도현, 배성호 이렇게 둘이에요.

Without a frame, a three-syllable word followed by a particle is taken for a name when its syllables
are ones Korean given names use and Kiwi reads it as a proper noun from its dictionary (김영수가); a word
Kiwi has never seen, or splits after a surname, also needs a person's particle (최민호한테, 박지훈하고) or
Kiwi reading it as one proper noun in its sentence (송중근이). Names spelt with spaces (윤 병 철), foreign
names after a role (동료 응우옌 반 남이) and Latin names after a cue (My name is Nguyen Van Hung) are read too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from services.redaction import analyser
from services.redaction.words import (
    COMMON_SURNAMES,
    COMPANY_KINDS,
    COMPOUND_SURNAMES,
    COPULAS,
    HOSPITAL_KINDS,
    NOT_NAMES,
    PERSON_PARTICLES,
    PLACES,
    ROLES,
    SELF_CUES,
    SURNAMES,
    TITLES,
)

# Syllables of Korean given names. A word without a frame whose second and third syllables are not
# among them (추간판, 석면폐, 손목뼈, 반월판) is not taken for a name.
GIVEN_SYLLABLES = frozenset(
    "가각갑강건걸겸경계고곤광교구국군권규균근금기길나난남내노다단달담대덕도돈동두득라란람래량려련렬령례로록룡루류륜률"
    "름리린림마만명모묵문미민범법병보복봉부비빈빛사산삼상새샘서석선설섬성세소솔송수숙순숭슬승시식신실심아안애야양언엄"
    "여연열영예오옥온완왕요용우욱운웅원위유육윤율은을음응의이익인일임자작장재전정제조종주준중지직진찬창채천철청초"
    "춘충치칠태택표필하학한해행향혁현협형혜호홍화환황회효후훈휘희흠흥")
# Particles that follow a person rather than a thing (a word without a frame gets a point for them).
_PERSON_ONLY = ("한테", "에게", "께", "께서", "랑", "이랑", "하고", "이가", "이는", "이도", "이랑", "이한테", "이하고",
                "더러", "뿐", "한테서", "에게서", "씨")
_KIND_ENDINGS = tuple(k for k in COMPANY_KINDS | HOSPITAL_KINDS if len(k) >= 2)
# "저하고 ○○○", "나랑 ○○○": someone named together with the writer is a person.
_COMPANIONS = frozenset(("저하고", "저랑", "저와", "나하고", "나랑", "나와", "저희하고", "저희랑", "우리랑"))
_APPOSITION = ("", "님", "인", "이던", "였던", "이었던", "이자")  # 반장 ○○○, 동료인 ○○○, 짝꿍이던 ○○○
_SHORT_SELF_CUES = frozenset(("전", "저", "난", "지는", "저는요"))
_OCCUPATION_END = set("사공원부직자인생꾼수가대")
_FOREIGN_MIDDLE = frozenset(("반", "티", "딘", "응옥", "타인", "반티"))
_FOREIGN_FIRST = ("응우옌", "응우엔", "누엔", "뉴엔", "쩐", "팜", "호앙", "부이", "응오", "즈엉", "브엉", "도안")

_alt = "|".join
_TITLE_ALT = _alt(sorted(TITLES - {"형", "군"}, key=len, reverse=True))  # 진폐병형, A형: not titles
_WORD_TITLE_ALT = _alt(sorted(TITLES, key=len, reverse=True))
_PARTICLE_ALT = _alt(sorted(set(PERSON_PARTICLES) | {"에", "에서", "로", "으로", "까지", "부터", "이라도", "라도"},
                            key=len, reverse=True))
_COPULA_ALT = _alt(sorted(COPULAS, key=len, reverse=True))
TAIL = re.compile(rf"(?P<title>(?:{_TITLE_ALT})(?:님)?)?(?P<rest>(?:{_PARTICLE_ALT}|{_COPULA_ALT}){{0,2}})")
# A title as the next word may also be 형 or 군: "영수 형이", "김 군".
WORD_TAIL = re.compile(rf"(?P<title>(?:{_WORD_TITLE_ALT})(?:님)?)(?P<rest>(?:{_PARTICLE_ALT}|{_COPULA_ALT}){{0,2}})")
COPULA_START = re.compile(rf"(?:{_COPULA_ALT})")
_GLUED_SELF = re.compile(rf"(?:저는|제\s?이름은|이름은|성함은)\s?(?P<n>[가-힣]{{2,5}}?)(?=(?:{_COPULA_ALT}))")
_STEM_COPULA = re.compile(rf"(?P<n>[가-힣]{{2,6}}?)(?:{_COPULA_ALT})")
_QUOTE = re.compile(r"\s?(?:이)?(?:라고|라구|라고요|라)\s?(?:하|허|해|합|했|한|불러|부르)|\s?(?:이)?라는\s?"
                    r"(?:분|사람|친구|동료|형|애|놈|양반|직원|기사|분이|사람이)")
_NAMING = re.compile(r"(?:(?:제|내|저의|나의)\s?이름|성함|성명|이름\s?[:：])\s?(?:은|는|이|:|：)?\s*$")
_ROLE_SUFFIX = re.compile(r"(?P<core>[가-힣]+?)(?P<p>님|은|는|이|가|인|이던|였던|이었던|이자)?")
_RUN = re.compile(r"[가-힣]+")
# Between a role word and the name: spaces, a colon, an opening bracket, 故; a quote only after a space
# ("망인'이라 한다" closes a quotation, it does not open a name).
_ROLE_GAP = re.compile(r"[ \t]*[:：]?[ \t]*[(（]?[ \t]*(?:故[ \t]*)?|[ \t:：]+[\"'“‘][ \t]*|[ \t]*\n[ \t]*")
_STOP = re.compile(r"[.!?\n]")
_HANJA_TITLE = re.compile(r"[ \t]?氏")
_HANGUL_NAME = re.compile(r"[가-힣]{2,6}")
_NAME_WORD = re.compile(r"제\s?이름|이름\s?[:：]")
_BLANK = re.compile(r"[ \t]+")
_WORD_THEN_STOP = re.compile(r"[가-힣]*\s*[,.]")
_LIST_GAP = re.compile(r"\s*(?:\([^)]{0,20}\))?\s*[,，/·]\s*|\s*(?:및|그리고)\s*")
_NEXT_WORD = re.compile(r"[ \t]*(?:\([^()\n]{0,14}\))?[ \t]*([가-힣]+)")
_LATIN_NAME = re.compile(r"(?:[Mm]y name is|[Nn]ame\s*(?:is|:|：)|I am|I'm|이름은|이름이|이름\s*[:：]|성명\s*[:：]?)\s*"
                         r"(?P<n>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3})")
_SPACED = re.compile(r"(?<![가-힣])(?P<n>(?:" + _alt(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(SURNAMES))
                     + r"])(?: [가-힣](?=[ 가-힣]|$)){1,2})")


class Run(NamedTuple):
    start: int
    end: int
    text: str


def _sentence_before(text: str, start: int, limit: int = 70) -> str:
    before = text[max(0, start - limit):start]
    cut = max((m.end() for m in _STOP.finditer(before)), default=0)
    return before[cut:]


def _shape_ok(stem: str) -> bool:
    if not 2 <= len(stem) <= 5:
        return False
    if stem[:2] in COMPOUND_SURNAMES:
        return 3 <= len(stem) <= 4
    return stem[0] in SURNAMES and len(stem) <= 3


def _not_a_name(stem: str) -> bool:
    if stem in NOT_NAMES or stem in PLACES:
        return True
    if stem[1:] in TITLES or stem[1:] in ROLES or stem[1:] + "님" in TITLES:  # 김반장, 이대리: a surname and a role
        return True
    return stem.endswith(_KIND_ENDINGS)


def _common(stem: str) -> bool:
    return analyser.is_common_word(stem)


def _occupation(stem: str) -> bool:
    """정비공, 도배사, 오십대: an ordinary word with an ending that makes a job or a group."""
    w = analyser.word(stem)
    return len(w.forms) >= 2 and w.starts_with_known_word and len(stem) - len(w.forms[0]) == 1 \
        and stem[-1] in _OCCUPATION_END


@lru_cache(maxsize=65_536)
def _role_word(word: str) -> str | None:
    """The particle after a role or relation word ("" when bare), or None when ``word`` is not one."""
    word = word.replace("쟝", "장")
    if word in ROLES or word in _COMPANIONS:
        return ""
    m = _ROLE_SUFFIX.fullmatch(word)
    if not m:
        return None
    core, particle = m.group("core"), m.group("p") or ""
    if core.endswith("님") and core[:-1] in ROLES:
        core = core[:-1]
    return particle if core in ROLES else None


@lru_cache(maxsize=65_536)
def _splits(word: str) -> tuple[tuple[str, str, bool, str], ...]:
    """(stem, tail, whether the tail starts with a title, the tail after the title) for a word that may
    start with a name, likeliest stem length first; stems that are never names are left out."""
    lengths = (4, 3, 5) if word[:2] in COMPOUND_SURNAMES else (3, 2, 4)
    out = []
    for n in lengths:
        if n <= len(word) and _shape_ok(word[:n]) and not _not_a_name(word[:n]):
            tail = word[n:]
            m = TAIL.fullmatch(tail)
            if not tail or m:
                out.append((word[:n], tail, bool(m and m.group("title")), m.group("rest") if m else ""))
    return tuple(out)


@lru_cache(maxsize=65_536)
def _ordinary(stem: str) -> bool:
    """A word Kiwi reads as something other than a name, whatever the frame."""
    analysed = analyser.word(stem)
    return analysed.known_common or analysed.phrase_like or _word_and_particle(stem)


def _foreign_word(word: str) -> bool:
    """A word of a foreign name: a middle name (반, 티) or a word Kiwi does not know or knows as a name."""
    w = analyser.word(word)
    return word in _FOREIGN_MIDDLE or w.unknown or (w.known_proper and word not in PLACES)


def _word_and_particle(stem: str) -> bool:
    """"이외에", "마음은": an ordinary word and a particle, not a name ending in 은 or 에 (최지은)."""
    return len(stem) == 3 and stem[-1] in "은는이가을를에의도로와과" and _common(stem[:-1])


def _given_ok(stem: str) -> bool:
    given = stem[2:] if stem[:2] in COMPOUND_SURNAMES else stem[1:]
    return all(c in GIVEN_SYLLABLES for c in given)


@lru_cache(maxsize=65_536)
def frameless_score(stem: str) -> int:
    """How much Kiwi and the syllables say ``stem`` is a name when nothing around it says so."""
    if len(stem) != 3 or stem[0] not in COMMON_SURNAMES or _not_a_name(stem):
        return -9
    w = analyser.word(stem)
    if w.known_common or w.starts_with_known_word or w.phrase_like:
        return -9
    score = 0
    if w.known_proper:
        score += 2
    elif w.unknown:
        score += 1
    elif w.tags[0] == "NNP":
        score += 1  # 최/NNP 민호/NNP, 송/NNP 중 근: Kiwi took the first syllable for a surname
    for syllable in stem[1:]:
        score += 1 if syllable in GIVEN_SYLLABLES else -3
    return score - 1


@dataclass
class _Found:
    start: int
    end: int
    basis: str  # "cue" or "analysis"


class _Finder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.runs = [Run(m.start(), m.end(), m.group()) for m in _RUN.finditer(text)]
        self.index = {run.start: i for i, run in enumerate(self.runs)}
        self.taken = bytearray(len(text))  # 1 inside a name already found
        self.found: dict[int, _Found] = {}
        # runs right after a role word: the only ones the role frames need to look at
        self.after_role = [i for i in range(1, len(self.runs)) if _role_word(self.runs[i - 1].text) is not None]
        self.weak: dict[int, tuple[int, int, int]] = {}  # run index -> (start, end, score) of frameless guesses

    # --- the words around a run ------------------------------------------------------------------

    def prev_role(self, i: int, copula: bool = False) -> bool:
        """A role or relation word right before run ``i``: "반장 ○○○", "목격자: ○○○", "반장님(○○○)", "동료인 ○○○".
        With a topic or subject particle ("남편은 ○○○입니다", "이름이 ○○○인데") only before a copula:
        "원고는 반복적으로" is not "원고 ○○○", and "망인의 고혈압" is the deceased's blood pressure."""
        if i == 0:
            return False
        particle = _role_word(self.runs[i - 1].text)
        if particle is None:
            return False
        gap = self.text[self.runs[i - 1].end:self.runs[i].start]
        if not _ROLE_GAP.fullmatch(gap) or "\n\n" in gap:
            return False
        return particle in _APPOSITION or (copula and particle in ("은", "는", "이", "가"))

    def next_word(self, i: int) -> str:
        """The Hangul word right after run ``i`` (after spaces, or after "(58세)"), or ""."""
        m = _NEXT_WORD.match(self.text, self.runs[i].end)
        return m.group(1) if m else ""

    def next_title(self, i: int) -> bool:
        if _HANJA_TITLE.match(self.text, self.runs[i].end):
            return True  # 박민수氏
        m = WORD_TAIL.fullmatch(self.next_word(i).replace("쟝", "장"))
        return bool(m and m.group("title"))

    def next_copula(self, i: int) -> str:
        """The copula or quotative right after the run, as a separate word or after "(58세)"."""
        nxt = self.next_word(i)
        return nxt if nxt and COPULA_START.match(nxt) else ""

    def self_cued(self, start: int) -> bool:
        """A self introduction earlier in the sentence: 저는, 제가, 나는, 본인은, 이름은 … (전, 저, 난 and 지는
        only as the sentence's first word: "2년 전" is not "전(저는)")."""
        before = _sentence_before(self.text, start)
        words = _RUN.findall(before)
        if words and words[0] in _SHORT_SELF_CUES:
            return True
        return any(w in SELF_CUES and w not in _SHORT_SELF_CUES for w in words[-9:]) or \
            bool(_NAME_WORD.search(before))

    # --- candidates ------------------------------------------------------------------------------

    def judge(self, i: int) -> None:
        run = self.runs[i]
        if run.text[0] not in SURNAMES or self.covered(run.start):
            return
        splits = _splits(run.text)
        if not splits:
            return
        title_after = self.next_title(i)
        if _common(run.text) and not (title_after and self.prev_role(i)):
            return  # 주치의 is a word, not 주치 + 의 (but "원고 이나마 씨" is a name)
        naming = bool(_NAMING.search(_sentence_before(self.text, run.start, 24)))
        for stem, tail, title_in_tail, rest in splits:
            copula = rest if rest and COPULA_START.match(rest) else ("" if tail else self.next_copula(i))
            quoted = bool(_QUOTE.match(self.text, run.start + len(stem)) or _QUOTE.match(self.text, run.end))
            role_before = self.prev_role(i, copula=bool(copula or quoted)) or self.prev_self(i)
            if (naming and (copula or quoted or not tail)) or (role_before and (title_after or title_in_tail)):
                # 제 이름은 ○○○이고, 성함은 ○○○, 원고 ○○○ 씨: so plain that only NOT_NAMES can veto
                self.add(run.start, len(stem), "cue")
                return
            if _ordinary(stem) or (len(stem) == 2 and not _given_ok(stem)):
                continue  # a two-letter name needs a given-name syllable: 허욱 씨, not "인데 사장이"
            if role_before or title_after or title_in_tail:
                self.add(run.start, len(stem), "cue")
                return
            if (copula or quoted) and self.self_cued(run.start) and not _occupation(stem) and _given_ok(stem):
                self.add(run.start, len(stem), "cue")
                return
            if tail and len(stem) == 3:
                score = frameless_score(stem) + (1 if rest.startswith(_PERSON_ONLY) or title_in_tail else 0)
                if score == 2 and self.proper_in_context(run.start, len(stem)):
                    score += 1
                if score >= 3:
                    self.add(run.start, len(stem), "analysis")
                    return
                self.weak[i] = (run.start, run.start + len(stem), score)
                return
            if not tail and len(stem) == 3 and len(run.text) == 3:
                self.weak[i] = (run.start, run.end, frameless_score(stem))
                return

    def proper_in_context(self, start: int, length: int) -> bool:
        """Whether Kiwi, reading the words around it, takes the stem for one proper noun (송중근/NNP)."""
        begin = max(0, start - 24)
        return analyser.proper_at(self.text[begin:start + length + 24], start - begin, length)

    def add(self, start: int, length: int, basis: str) -> None:
        self.found[start] = _Found(start, start + length, basis)
        self.taken[start:start + length] = b"\x01" * length

    def covered(self, pos: int) -> bool:
        return bool(self.taken[pos])

    def prev_self(self, i: int) -> bool:
        """"저는 정민호, 나이 58": the self cue right before the name."""
        if i == 0:
            return False
        gap = self.text[self.runs[i - 1].end:self.runs[i].start]
        return self.runs[i - 1].text in SELF_CUES and bool(_BLANK.fullmatch(gap)) and \
            bool(_WORD_THEN_STOP.match(self.text, self.runs[i].start, self.runs[i].end + 2))

    def role_and_title(self) -> None:
        """"동료 솜차이 씨가": a role before and a title after make a name of any shape (foreign names)."""
        for i in self.after_role:
            run = self.runs[i]
            if self.covered(run.start) or not 2 <= len(run.text) <= 6:
                continue
            if not self.prev_role(i) or not self.next_title(i):
                continue
            if run.text in NOT_NAMES or run.text in TITLES or _common(run.text) or analyser.word(run.text).phrase_like:
                continue
            self.add(run.start, len(run.text), "cue")

    def self_intro_glued(self) -> None:
        """"저는안재석입니다", "제이름은정미숙이예요": the cue, the name and the copula typed as one word."""
        for m in _GLUED_SELF.finditer(self.text):
            stem = m.group("n")
            if _shape_ok(stem) and not _not_a_name(stem) and not _common(stem) and not _occupation(stem):
                self.found.setdefault(m.start("n"), _Found(m.start("n"), m.end("n"), "cue"))

    def self_intro_foreign(self) -> None:
        """"저는 … 알리셰르입니다": a one-word name Kiwi has never seen, in a self introduction."""
        for run in self.runs:
            m = _STEM_COPULA.fullmatch(run.text)
            if not m or run.start in self.found:
                continue
            stem = m.group("n")
            if stem in NOT_NAMES or _shape_ok(stem) or not self.self_cued(run.start):
                continue
            if analyser.word(stem).unknown and not _occupation(stem):
                self.add(run.start, len(stem), "cue")

    def foreign_after_role(self) -> None:
        """"동료 응우옌 반 남이", "친구 마리아 산토스가": two to four words after a role word."""
        for i in self.after_role:
            if not self.prev_role(i):
                continue
            words = [i]
            while words[-1] + 1 < len(self.runs) and len(words) < 4:
                k = words[-1]
                if _stem_of(self.runs[k].text) != self.runs[k].text or \
                        self.text[self.runs[k].end:self.runs[k + 1].start] != " ":
                    break
                words.append(k + 1)
            if len(words) < 2:
                continue
            last = words[-1]
            stem_last = _stem_of(self.runs[last].text)
            if stem_last == self.runs[last].text or TAIL.fullmatch(self.runs[last].text[len(stem_last):]) is None:
                continue  # the last word carries no particle: not clearly a person
            first = self.runs[i].text
            if first in PLACES or first in NOT_NAMES or _common(first) or stem_last in TITLES:
                continue
            vietnamese = first.startswith(_FOREIGN_FIRST)
            head = analyser.word(first)
            if not (vietnamese or head.unknown or head.known_proper):
                continue

            middle_ok = all(_foreign_word(self.runs[k].text) for k in words[1:-1])
            if middle_ok and (_foreign_word(stem_last) or (vietnamese and len(stem_last) == 1)):
                self.add(self.runs[i].start, self.runs[last].start + len(stem_last) - self.runs[i].start, "cue")

    def spaced(self) -> None:
        """"성함은 윤 병 철 이십니다", "남궁 혁 과장이": a name typed with spaces between its syllables."""
        for m in _SPACED.finditer(self.text):
            start = m.start("n")
            idx = self.index.get(start)
            if idx is None:
                continue
            role = self.prev_role(idx)
            naming = bool(_NAMING.search(_sentence_before(self.text, start, 24)))
            pieces = m.group("n").split(" ")
            for count in range(len(pieces), 1, -1):
                end = start + len(" ".join(pieces[:count]))
                attached = self.text[end:self.runs[self.index[end - 1]].end]  # "입니다" of "정입니다"
                if attached:
                    word_after, tail = attached, TAIL.fullmatch(attached)
                    titled = bool(tail and tail.group("title"))
                else:
                    nxt = _NEXT_WORD.match(self.text, end)
                    word_after = nxt.group(1) if nxt else ""
                    tail = WORD_TAIL.fullmatch(word_after)
                    titled = tail is not None
                copula = bool(COPULA_START.match(word_after))
                if titled or naming or (copula and self.self_cued(start)) or \
                        (role and (copula or tail is not None or not attached)):
                    self.add(start, end - start, "cue")
                    break

    def latin(self) -> None:
        for m in _LATIN_NAME.finditer(self.text):
            self.add(m.start("n"), m.end("n") - m.start("n"), "cue")

    def lists(self) -> None:
        """A name-shaped word next to a found name in a list, and two such words listed together."""
        starts = {f.start for f in self.found.values()}
        for _ in range(2):
            for i, (start, end, score) in list(self.weak.items()):
                if start in self.found:
                    continue
                neighbour = [k for k in (i - 1, i + 1) if 0 <= k < len(self.runs)]
                for k in neighbour:
                    a, b = (k, i) if k < i else (i, k)
                    gap = self.text[self.runs[a].end:self.runs[b].start]
                    joined = _LIST_GAP.fullmatch(gap) or \
                        (_BLANK.fullmatch(gap) and self.runs[a].text.endswith(("와", "과", "랑", "하고")))
                    if not joined:
                        continue
                    if self.runs[k].start in starts and score >= -1:
                        self.add(start, end - start, "analysis")
                    elif k in self.weak and score >= 0 and self.weak[k][2] >= 0:
                        self.add(start, end - start, "analysis")
                        ks, ke, _ = self.weak[k]
                        self.add(ks, ke - ks, "analysis")
            starts = {f.start for f in self.found.values()}

    def run(self) -> list[_Found]:
        self.foreign_after_role()
        self.spaced()
        for i in range(len(self.runs)):
            self.judge(i)
        self.role_and_title()
        self.self_intro_glued()
        self.self_intro_foreign()
        self.latin()
        self.lists()
        return sorted(self.found.values(), key=lambda f: f.start)


def _stem_of(word: str) -> str:
    """The word without a particle, copula or title at its end (the longest such ending)."""
    for n in range(1, len(word)):
        if TAIL.fullmatch(word[n:]) and word[n:]:
            return word[:n]
    return word


@lru_cache(maxsize=16_384)
def _tail_ok(rest: str) -> bool:
    return not rest or TAIL.fullmatch(rest) is not None


def find(text: str, known: Iterable[str] = ()) -> Iterator[tuple[str, int, int, str]]:
    """``("name", start, end, basis)`` for every name found, and every other place the same name (or a
    ``known`` one, found in an earlier text) stands at the start of a word: a name seen once with a cue is
    masked everywhere."""
    finder = _Finder(text)
    found = finder.run()
    names: dict[str, str] = {}
    for f in found:
        names.setdefault(text[f.start:f.end], f.basis)
        yield "name", f.start, f.end, f.basis
    for name in known:
        if name and name in text:
            names.setdefault(name, "cue")
    hangul = {n for n in names if _HANGUL_NAME.fullmatch(n)}
    if hangul:
        lengths = sorted({len(n) for n in hangul}, reverse=True)
        firsts = {n[0] for n in hangul}
        for run in finder.runs:
            word = run.text
            if word[0] not in firsts or finder.taken[run.start]:
                continue
            for n in lengths:
                if word[:n] in hangul and _tail_ok(word[n:]):
                    yield "name", run.start, run.start + n, names[word[:n]]
                    break
    for name, basis in names.items():
        if not _HANGUL_NAME.fullmatch(name):  # spaced, foreign and Latin names: every occurrence
            for m in re.finditer(re.escape(name), text):
                yield "name", m.start(), m.end(), basis
