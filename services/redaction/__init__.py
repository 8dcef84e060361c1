"""Mask personal data before any text leaves this computer (AI server, shared files), and put it back
into the answer on this computer.

``redact(text)`` replaces each personal item with a numbered placeholder of its kind — ``[이름1]``,
``[전화번호1]``, ``[주소1]`` — the same person or number getting the same placeholder wherever it stands,
so the AI can still tell people apart. ``findings`` list what was masked (kind, span, original,
placeholder, and whether a cue or only the analysis found it); ``mapping`` maps each placeholder to
what it stands for, and ``restore(answer, redaction)`` puts the originals back into an answer that
uses the placeholders. The mapping is for this computer only: it is never part of what is sent.

What is masked: registration, phone, card, account and business numbers, e-mail and messenger IDs,
birth dates, staff and patient numbers introduced as such, car plates, addresses, the distinctive part
of company and clinic names, and names of people (see ``names`` for how). What is kept as written:
amounts, counts, weights, hours, ages, dates, case numbers (2023구합12345), spine levels (L4-5,
요추 4-5번), machine and line numbers (2동 3호기), body parts and diagnoses, generic places of work,
근로복지공단 branches, courts and roles (공장장님, 선배님, 장모님).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from services.redaction import names, numbers, orgs, places

LABELS = {
    "rrn": "주민등록번호", "frn": "외국인등록번호", "card": "카드번호", "business": "사업자등록번호",
    "phone": "전화번호", "email": "이메일", "account": "계좌번호", "address": "주소", "name": "이름",
    "company": "회사", "hospital": "병원", "birth": "생년월일", "employee": "사번", "patient": "환자번호",
    "plate": "차량번호", "handle": "아이디",
}
# Kinds made of digits and letters, read by patterns; the others (names, addresses, companies,
# hospitals) need the words around them.
NUMBER_KINDS = ("rrn", "frn", "card", "business", "phone", "email", "account", "birth", "employee", "patient",
                "plate", "handle")
_KIND_OF_LABEL = {label: kind for kind, label in LABELS.items()}
PLACEHOLDER = re.compile(r"[\[［]\s*(?P<label>" + "|".join(sorted(LABELS.values(), key=len, reverse=True))
                         + r")\s*(?P<n>\d{0,4})\s*[\]］]")


@dataclass(frozen=True)
class Finding:
    kind: str          # rrn, phone, name, … (see LABELS)
    label: str         # the kind in Korean, as in the placeholder
    start: int         # span in the original text
    end: int
    original: str
    placeholder: str = ""   # what stands in the masked text instead: "[이름1]"
    basis: str = "pattern"  # "pattern" (its shape), "cue" (the words around it) or "analysis" (Kiwi alone)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Redaction:
    text: str
    findings: list[Finding] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # placeholder → original (its first spelling)

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for finding in self.findings:
            out[finding.label] = out.get(finding.label, 0) + 1
        return out

    def restore(self, text: str) -> str:
        return restore(text, self)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "findings": [f.to_dict() for f in self.findings], "counts": self.counts()}


def mapping_of(findings: Iterable[Finding | Mapping[str, Any]]) -> dict[str, str]:
    """placeholder → original from findings (objects or their ``to_dict()``), e.g. of a saved analysis."""
    out: dict[str, str] = {}
    for f in findings:
        data = f.to_dict() if isinstance(f, Finding) else dict(f)
        if data.get("placeholder"):
            out.setdefault(str(data["placeholder"]), str(data.get("original", "")))
    return out


def _identity(kind: str, original: str) -> str:
    """What makes two findings the same item: the digits of a number, the words of an address."""
    if kind in ("phone", "rrn", "frn", "card", "business", "account", "employee", "patient"):
        return re.sub(r"\D", "", original) or original
    if kind in ("email", "handle"):
        return original.lower().lstrip("@")
    return re.sub(r"\s+", "", original)


def _candidates(text: str, known_names: Iterable[str] = ()) -> Iterator[tuple[str, int, int, str]]:
    """(kind, start, end, basis), most specific first; later spans that overlap earlier ones are dropped."""
    for kind, start, end in numbers.find(text):
        yield kind, start, end, "pattern"
    for kind, start, end in places.find(text):
        yield kind, start, end, "pattern"
    for kind, start, end in orgs.find(text):
        yield kind, start, end, "pattern"
    yield from names.find(text, known_names)


def _spans(text: str, known_names: Iterable[str] = ()) -> list[tuple[int, int, str, str]]:
    covered = bytearray(len(text))  # 1 where a finding (or a placeholder already in the text) sits
    for m in PLACEHOLDER.finditer(text):
        covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    taken: list[tuple[int, int, str, str]] = []
    for kind, start, end, basis in _candidates(text, known_names):
        while end > start and text[end - 1] in " \t,":
            end -= 1
        if end <= start or covered.find(1, start, end) >= 0:
            continue
        covered[start:end] = b"\x01" * (end - start)
        taken.append((start, end, kind, basis))
    taken.sort()
    return taken


def redact(text: str, known: Mapping[str, str] | None = None, reserve: str = "") -> Redaction:
    """Return the text with personal data replaced by numbered placeholders, and what was replaced.

    ``known`` (placeholder → original, e.g. an earlier ``Redaction.mapping``) keeps the same placeholder
    for the same item and numbers new ones after it; placeholders already in ``text`` or in ``reserve``
    (say, the conversation the text joins) are left alone and not reused for something else.
    """
    text = text or ""
    used: dict[str, int] = {}
    ids: dict[tuple[str, str], str] = {}
    mapping: dict[str, str] = {}
    for placeholder, original in (known or {}).items():
        m = PLACEHOLDER.fullmatch(placeholder)
        if m:
            kind = _KIND_OF_LABEL[m.group("label")]
            ids.setdefault((kind, _identity(kind, original)), placeholder)
            mapping[placeholder] = original
    for m in PLACEHOLDER.finditer(f"{reserve}\n{text}\n{''.join(known or {})}"):
        if m.group("n"):
            used[m.group("label")] = max(used.get(m.group("label"), 0), int(m.group("n")))
    pieces: list[str] = []
    findings: list[Finding] = []
    cursor = 0
    known_names = [original for placeholder, original in (known or {}).items() if placeholder.startswith("[이름")]
    for start, end, kind, basis in _spans(text, known_names):
        label, original = LABELS[kind], text[start:end]
        key = (kind, _identity(kind, original))
        if key not in ids:
            used[label] = used.get(label, 0) + 1
            ids[key] = f"[{label}{used[label]}]"
            mapping[ids[key]] = original
        placeholder = ids[key]
        pieces += [text[cursor:start], placeholder]
        findings.append(Finding(kind, label, start, end, original, placeholder, basis))
        cursor = end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), findings, mapping)


# Particles written after a placeholder that depend on the last sound of the word put back:
# 은/는, 이/가, 을/를, 과/와, 으로/로, 이랑/랑, 이나/나, and the "은(는)" pairs AIs write.
_PAIRS = (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이랑", "랑"), ("이나", "나"))
_PAIR_RE = re.compile(r"(?P<a>" + "|".join(sorted({p for pair in _PAIRS for p in pair}, key=len, reverse=True))
                      + r")(?:\((?P<b>[가-힣]{1,3})\))?(?![가-힣])")


def _has_final(char: str) -> bool | None:
    """Whether a Hangul syllable ends in a consonant (None for digits, Latin and the like)."""
    if "가" <= char <= "힣":
        return (ord(char) - 0xAC00) % 28 != 0
    return None


def _ends_in_rieul(char: str) -> bool:
    return "가" <= char <= "힣" and (ord(char) - 0xAC00) % 28 == 8


def _particle_for(original: str, written: str) -> str:
    final = _has_final(original[-1:]) if original else None
    if final is None:
        return written
    for with_final, without in _PAIRS:
        if written in (with_final, without):
            if with_final == "으로" and _ends_in_rieul(original[-1]):
                return without
            return with_final if final else without
    return written


def restore(text: str, redaction: Redaction | Mapping[str, str]) -> str:
    """Put the originals back into ``text`` (an AI answer) wherever it uses a placeholder of ``redaction``.

    "[이름 1]" and "［이름1］" are read as "[이름1]"; a particle the AI wrote after a placeholder is made to fit
    the word put back ("[이름1]는" → "박영석은", "[이름1]이(가)" → "김철수가"). Placeholders the mapping does
    not know are left as they are.
    """
    mapping = redaction.mapping if isinstance(redaction, Redaction) else dict(redaction)
    if not mapping or not text:
        return text or ""
    out: list[str] = []
    cursor = 0
    for m in PLACEHOLDER.finditer(text):
        original = mapping.get(f"[{m.group('label')}{m.group('n')}]")
        if original is None:
            continue
        out += [text[cursor:m.start()], original]
        cursor = m.end()
        particle = _PAIR_RE.match(text, cursor)
        if particle:
            out.append(_particle_for(original, particle.group("a")))
            cursor = particle.end()
    out.append(text[cursor:])
    return "".join(out)


def restore_all(value: Any, mapping: Mapping[str, str]) -> Any:
    """``restore`` applied to every text inside an answer (dicts and lists of any depth); the rest as is."""
    if isinstance(value, str):
        return restore(value, mapping)
    if isinstance(value, list):
        return [restore_all(item, mapping) for item in value]
    if isinstance(value, dict):
        return {key: restore_all(item, mapping) for key, item in value.items()}
    return value


SCREEN_KINDS = (*NUMBER_KINDS, "address")  # what a preview on a shared screen never shows


def screen_safe(text: str) -> str:
    """``text`` for a list or a preview someone else may see: numbers and addresses become "[전화번호]",
    "[주소]"…; names stay (the worker tells his cases apart by them; the case alias is his choice)."""
    masked = redact(text)
    out, cursor = [], 0
    for finding in sorted(masked.findings, key=lambda f: f.start):
        if finding.kind not in SCREEN_KINDS or finding.start < cursor:
            continue
        out += [text[cursor:finding.start], f"[{finding.label}]"]
        cursor = finding.end
    out.append(text[cursor:])
    return "".join(out)
