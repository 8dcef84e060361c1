"""A saved situation analysis as report blocks, read by the keys "사건에 저장" writes.

A saved analysis (``app.viewmodels.analysis_vm.saved_record``) holds the form's ``input``, the offline
``evidence`` view (similar precedents, their deciding sentences, criteria, what to collect), the AI
``answer`` when one was given, ``warnings``, ``disclaimer``, ``title``, ``saved_at`` and the follow-up
``chat``. Only these are read, each under a Korean heading; whatever else a record carries (search
scores, record ids, flags, the text that was sent) is left out, so machine data never reaches the page.
Record ids inside AI text ("[sample:001]") are replaced by the judgment's court and case number.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.records import OUTCOME_LABELS, SOURCE_LABELS
from services.cases.blocks import Block, check_line, dotted_iso
from services.cases.checklist import same_text_key
from services.deadlines import DISCLAIMER

SAMPLE_MARK = "(가상 예시)"
AI_NAMES = {"gemma": "Gemma", "gemini": "Google Gemini"}
SNIPPET_CHARS = 160
_ANY_RECORD_ID = re.compile(r"\[?\b(?:" + "|".join(SOURCE_LABELS) + r"):[^\s\],)]+\]?")

# The input form's fields, in the order the form asks them.
INPUT_LABELS = (("industry", "하던 일"), ("kind_c", "재해 종류"), ("diagnoses", "상병명"), ("benefit", "청구한 급여"),
                ("denial_reason", "불승인 이유 (통지서)"), ("learned_on", "통지를 받은 날"))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _texts(value: Any) -> list[str]:
    """A list of strings from a stored value (a lone string counts as one); other shapes give nothing."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    return []


# ------------------------------------------------------------------------------ citations

@dataclass(frozen=True)
class Cited:
    """One similar precedent of the evidence view, as a reader cites it."""

    full: str    # 서울행정법원 2022. 6. 16. 선고 2021구단58217 판결 — 노동자 승소 (취소) (가상 예시)
    short: str   # 서울행정법원 2021구단58217, for references inside sentences
    excerpt: str  # the passage the search matched (for why it came up)


def _citation_head(row: Mapping[str, Any]) -> str:
    court, number = str(row.get("court") or ""), str(row.get("case_number") or "")
    decided = dotted_iso(str(row.get("decided_on") or "")).split("(")[0]
    if not (court and number):
        # Without court and number only the stored citation line can say which judgment it is.
        return str(row.get("citation") or row.get("title") or "제목 없는 판례")
    if "법원" in court:
        return " ".join(p for p in (court, decided, "선고" if decided else "", number, "판결") if p)
    return " ".join(p for p in (court, decided, number, "재결") if p)


def cited_precedent(row: Mapping[str, Any]) -> Cited:
    head = _citation_head(row)
    outcome = str(row.get("outcome") or "")
    result = OUTCOME_LABELS.get(outcome) or str(row.get("outcome_plain") or "") or "결과 미상"
    is_sample = bool(row.get("is_sample")) and "가상 예시" not in head
    court, number = str(row.get("court") or ""), str(row.get("case_number") or "")
    short = (f"{court} {number}" if court and number else head) + (f" {SAMPLE_MARK}" if is_sample else "")
    excerpt = " ".join(str(row.get("snippet") or "").split())
    if len(excerpt) > SNIPPET_CHARS:
        excerpt = excerpt[:SNIPPET_CHARS].rstrip() + "…"
    return Cited(f"{head} — {result}" + (f" {SAMPLE_MARK}" if is_sample else ""), short, excerpt)


def _similar(evidence: Mapping[str, Any]) -> dict[str, Cited]:
    found: dict[str, Cited] = {}
    for row in evidence.get("similar") or []:
        if isinstance(row, dict) and row.get("id"):
            found.setdefault(str(row["id"]), cited_precedent(row))
    return found


def readable(text: str, cites: Mapping[str, Cited]) -> str:
    """``text`` with record ids (the AI is asked to name precedents by them) replaced by court and case number."""
    for record_id in sorted(cites, key=len, reverse=True):
        text = text.replace(f"[{record_id}]", cites[record_id].short).replace(record_id, cites[record_id].short)
    return _ANY_RECORD_ID.sub("(목록에 없는 판례)", text)


# ------------------------------------------------------------------------------ sections

def _input_blocks(inp: Mapping[str, Any]) -> list[Block]:
    blocks = [Block("subheading", "상황")]
    for key, label in INPUT_LABELS:
        value = ", ".join(_texts(inp.get(key)))
        if value:
            blocks.append(Block("field", dotted_iso(value) if key == "learned_on" else value, label))
    story = str(inp.get("story") or "").strip()
    if story:
        blocks.append(Block("field", story, "적은 사연"))
    if len(blocks) == 1:
        blocks.append(Block("text", "(적은 내용 없음)"))
    return blocks


def _list_section(title: str, lines: Iterable[str], tell: Callable[[str], str]) -> list[Block]:
    items = [Block("item", tell(line)) for line in lines]
    return [Block("subheading", title), *items] if items else []


def _facts_from_answer(answer: Mapping[str, Any], tell: Callable[[str], str]) -> list[Block]:
    assessment = _dict(answer.get("assessment"))
    blocks: list[Block] = []
    for title, facts_key, points_key, points_label in (
            ("유리한 사실", "favourable_facts", "strengths", "판례에 비추어 도움이 될 수 있는 점"),
            ("불리한 사실", "unfavourable_facts", "weaknesses", "판례에 비추어 걸림돌이 될 수 있는 점")):
        facts, points = _texts(answer.get(facts_key)), _texts(assessment.get(points_key))
        if not facts and not points:
            continue
        blocks.append(Block("subheading", title))
        blocks += [Block("item", tell(fact)) for fact in facts]
        if points:
            blocks.append(Block("field", "", points_label))
            blocks += [Block("item", tell(point)) for point in points]
    return blocks


def _facts_from_precedents(evidence: Mapping[str, Any], cites: Mapping[str, Cited]) -> list[Block]:
    """Without an AI answer: the deciding sentences of the similar judgments, for and against."""
    blocks: list[Block] = []
    facts = [f for f in evidence.get("deciding_facts") or [] if isinstance(f, dict) and f.get("sentence")]
    for title, direction, why in (
            ("유리한 사실", "인정", "비슷한 판례가 업무 관련성을 인정한 근거"),
            ("불리한 사실", "부정", "비슷한 판례가 업무 관련성을 인정하지 않은 근거")):
        chosen = [f for f in facts if f.get("direction") == direction]
        if not chosen:
            continue
        blocks += [Block("subheading", title), Block("note", f"AI 분석 없이 저장한 기록이라 {why}를 옮겼습니다.")]
        for fact in chosen:
            record_id = str(fact.get("id"))
            source = cites[record_id].short if record_id in cites else str(fact.get("citation") or "")
            blocks.append(Block("item", str(fact["sentence"]) + (f" — {source}" if source else "")))
    return blocks


def _evidence_blocks(answer: Mapping[str, Any], evidence: Mapping[str, Any], done_keys: set[str],
                     tell: Callable[[str], str]) -> list[Block]:
    """What to collect, the AI's own items first (they are particular to his story), each once; ■ when the
    case's 할 일 has the same item done."""
    seen: set[str] = set()
    lines: list[Block] = []
    for text in _texts(answer.get("evidence_checklist")) + _texts(evidence.get("evidence_checklist")):
        key = same_text_key(text)
        if key in seen:
            continue
        seen.add(key)
        lines.append(check_line(tell(text), key in done_keys))
    return [Block("subheading", "모아 둘 증거"), *lines] if lines else []


def _citation_blocks(answer: Mapping[str, Any], cites: Mapping[str, Cited],
                     tell: Callable[[str], str]) -> list[Block]:
    cited_ids: list[str] = []
    blocks: list[Block] = []
    for item in answer.get("cited_precedents") or []:
        record_id = str(item.get("id") or "") if isinstance(item, dict) else str(item)
        if record_id not in cites or record_id in cited_ids:
            continue  # a citation outside the precedents that were sent is not shown (the service drops them)
        cited_ids.append(record_id)
        why = tell(str(item.get("why") or "")) if isinstance(item, dict) else ""
        blocks.append(Block("item", cites[record_id].full + (f"\n비슷한 점: {why}" if why.strip() else "")))
    if blocks:
        blocks.insert(0, Block("subheading", "인용한 판례"))
    others = [cite for record_id, cite in cites.items() if record_id not in cited_ids]
    if others:
        found_title = "함께 찾은 비슷한 판례" if cited_ids else "비슷한 판례"
        blocks.append(Block("subheading", found_title))
        for cite in others:
            detail = f"\n관련 대목: {cite.excerpt}" if cite.excerpt and not cited_ids else ""
            blocks.append(Block("item", cite.full + detail))
    return blocks


def _criteria_blocks(evidence: Mapping[str, Any]) -> list[Block]:
    lines = []
    for item in evidence.get("criteria") or []:
        if isinstance(item, dict) and item.get("title"):
            sources = "; ".join(_texts(item.get("sources")))
            lines.append(Block("item", str(item["title"]) + (f" — {sources}" if sources else "")))
    return [Block("subheading", "살펴볼 인정 기준"), *lines] if lines else []


def _chat_blocks(chat: Any, tell: Callable[[str], str]) -> list[Block]:
    blocks: list[Block] = []
    for turn in chat if isinstance(chat, list) else []:
        if not isinstance(turn, dict):
            continue
        text = str(turn.get("content") or turn.get("text") or "").strip()
        if text:
            label = "추가 질문" if turn.get("role") == "user" else "답변"
            blocks.append(Block("field", tell(text), label))
    return [Block("subheading", "추가 질문과 답변"), *blocks] if blocks else []


def _how_made(analysis: Mapping[str, Any], has_answer: bool) -> str:
    engine = str(analysis.get("engine") or "offline")
    if engine == "offline":
        return "비슷한 판례를 찾아 정리했습니다 (AI 분석 없음)."
    name = AI_NAMES.get(engine, "AI")
    if has_answer:
        return (f"비슷한 판례와 함께 AI({name})가 정리한 내용이 들어 있습니다. "
                "AI의 정리는 틀릴 수 있으니 판례 원문으로 확인하세요.")
    return f"AI({name})의 답을 쓸 수 없어 판례 검색 결과만 실었습니다."


def _warning_blocks(analysis: Mapping[str, Any], tell: Callable[[str], str]) -> list[Block]:
    dropped = _texts(analysis.get("dropped_citations"))
    lines = [tell(w) for w in _texts(analysis.get("warnings")) if not any(d in w for d in dropped)]
    if dropped:
        lines.append(f"AI가 함께 보낸 목록에 없는 판례 {len(dropped)}건을 말해 그 부분은 뺐습니다.")
    return [Block("note", f"주의: {line}") for line in lines]


def analysis_heading(number: int, analysis: Mapping[str, Any]) -> str:
    inp = _dict(analysis.get("input"))
    what = ", ".join(_texts(inp.get("diagnoses"))) or str(analysis.get("title") or "").removeprefix("상황 분석: ")
    return f"상황 분석 {number}" + (f": {what}" if what.strip() else "")


def analysis_blocks(number: int, analysis: Mapping[str, Any], done_keys: Iterable[str] = ()) -> list[Block]:
    """The ``number``-th saved analysis of a case; ``done_keys`` are the ``same_text_key``s of the case's
    ticked 할 일 (its evidence items then print as ■)."""
    evidence, answer = _dict(analysis.get("evidence")), _dict(analysis.get("answer"))
    cites = _similar(evidence)

    def tell(text: str) -> str:
        return readable(text, cites)

    saved = dotted_iso(str(analysis.get("saved_at") or "")[:10])
    blocks = [Block("heading", analysis_heading(number, analysis)),
              Block("note", (f"저장한 날: {saved} · " if saved else "") + _how_made(analysis, bool(answer)))]
    blocks += _input_blocks(_dict(analysis.get("input")))
    blocks += _list_section("쟁점", _texts(answer.get("issues")), tell)
    blocks += _facts_from_answer(answer, tell) if answer else _facts_from_precedents(evidence, cites)
    if not answer and str(analysis.get("raw_answer") or "").strip():
        blocks += [Block("subheading", "AI 답변 (형식을 읽지 못한 원문)"), Block("text", tell(analysis["raw_answer"]))]
    blocks += _evidence_blocks(answer, evidence, set(done_keys), tell)
    blocks += _list_section("다음에 할 일", _texts(answer.get("next_steps")), tell)
    blocks += _citation_blocks(answer, cites, tell)
    blocks += _criteria_blocks(evidence)
    blocks += _chat_blocks(analysis.get("chat"), tell)
    blocks += _warning_blocks(analysis, tell)
    disclaimer = str(analysis.get("disclaimer") or evidence.get("disclaimer") or DISCLAIMER)
    blocks.append(Block("note", disclaimer))
    return blocks
