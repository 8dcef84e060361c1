"""Situation-analysis page logic: the form, worked examples, the privacy preview, results as sections.

Plain Python (no Flet). The analysis itself lives in ``services.analysis``; this module turns form
values into its ``SituationInput``, and its results (``to_dict()``) into titled lines for the page.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from dataclasses import fields as dc_fields
from datetime import date, timedelta
from typing import Any

from app.viewmodels.home_vm import KEYWORD_CHIPS, SITUATION_WORDS
from core.errors import SanjaeError
from core.korean import attach
from core.records import OUTCOME_LABELS, OUTCOME_SHORT
from services.ai.choice import analysis_engine, build_model
from services.ai.names import ModelName
from services.analysis import OverlapFinder
from services.analysis.evidence import CHECKLIST_BY_TOPIC, CHECKLIST_COMMON
from services.analysis.examples import EXAMPLES
from services.analysis.model import BENEFITS, SituationInput
from services.deadlines import DeadlineError, read_entered_date

KIND_C_CHOICES = (("업무상사고", "사고 (다치거나 사고를 당함)"), ("업무상질병", "질병 (일 때문에 병이 생김)"))
STORY_MAX = 4000
NOT_ADVICE = ("이 분석은 비슷한 판례와 법령을 정리한 참고용 정보이며 법률 자문이 아닙니다. "
              "결과를 예측하거나 보장하지 않습니다.")

# Who won, in plain words (the legal term stays in brackets so people learn it).
OUTCOME_ORDER = ("취소", "일부취소", "파기환송", "기각", "각하", "취하")
OUTCOME_COLORS = {"취소": "#2e7d32", "일부취소": "#66bb6a", "파기환송": "#0277bd", "기각": "#c62828", "각하": "#8d6e63",
                  "취하": "#757575"}
OTHER_COLOR = "#9e9e9e"


AI_WORDS = {"gemma": "설정한 AI 서버(Gemma)", "gemini": "Google Gemini"}


def ai_words(name: str | None) -> str:
    """Where the analysis text goes, in Korean ("AI 서버" when not known)."""
    return AI_WORDS.get(name or "", "AI 서버")


def ai_mode_line(name: str | None, web_mode: bool = False) -> str:
    """The line under the form saying whether an AI reading is offered, and by which model."""
    if name is None:
        how = ("이 사이트에서는 AI 분석을 제공하지 않습니다" if web_mode else
               "설정에서 Gemma 서버 주소나 Gemini 키를 넣으면 AI 분석도 받을 수 있습니다")
        return f"AI가 설정되지 않아 인터넷 없이 판례 근거만 보여 드립니다. ({how})"
    return f"{attach(ai_words(name), '이')} 설정되어 있어, 보낼 내용을 확인한 뒤 AI 분석도 받을 수 있습니다."


# ---------------------------------------------------------------------------- form state

@dataclass(frozen=True)
class AnalysisForm:
    """What the user typed, as the page holds it (strings; the date as typed)."""

    industry: str = ""
    kind_c: str = ""
    diagnoses: tuple[str, ...] = ()
    benefit: str = ""
    denial_reason: str = ""
    learned_on: str = ""
    story: str = ""

    def with_diagnosis(self, text: str) -> AnalysisForm:
        """Add one or more 상병명 (commas or new lines separate them); duplicates are ignored."""
        items = list(self.diagnoses)
        for part in re.split(r"[,\n;·]+", text or ""):
            name = re.sub(r"\s+", " ", part).strip()
            if name and name not in items:
                items.append(name[:60])
        return replace(self, diagnoses=tuple(items[:10]))

    def without_diagnosis(self, name: str) -> AnalysisForm:
        return replace(self, diagnoses=tuple(d for d in self.diagnoses if d != name))

    def to_values(self) -> dict[str, Any]:
        return {f.name: (list(getattr(self, f.name)) if f.name == "diagnoses" else getattr(self, f.name))
                for f in dc_fields(self)}


def _as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        as_dict: dict[str, Any] = to_dict()
        return as_dict
    return dict(getattr(value, "__dict__", {}))


def _dict_field(data: dict[str, Any], key: str) -> dict[str, Any]:
    """``data[key]`` when it is a dict, else an empty one."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def form_from_input(inp: Any) -> AnalysisForm:
    """A ``SituationInput`` (or its dict) → the form's values."""
    data = _as_dict(inp)
    diagnoses = data.get("diagnoses") or []
    if isinstance(diagnoses, str):
        diagnoses = [diagnoses]
    learned = data.get("learned_on") or ""
    return AnalysisForm(
        industry=str(data.get("industry") or ""), kind_c=str(data.get("kind_c") or ""),
        diagnoses=tuple(str(d) for d in diagnoses), benefit=str(data.get("benefit") or ""),
        denial_reason=str(data.get("denial_reason") or ""),
        learned_on=learned.isoformat() if isinstance(learned, date) else str(learned),
        story=str(data.get("story") or ""),
    )


# The start page's benefit choices (``home_vm.BENEFIT_CHOICES`` values) → the form's benefit.
START_BENEFITS = {"요양": "요양급여", "장해": "장해급여", "유족": "유족급여", "재요양등": "재요양"}
START_SITUATIONS = {"퇴직후진단": "퇴직 후 진단"}   # a start choice that is a situation, not a benefit
STORY_START = "관련된 말: "


def _start_words(text: str) -> list[str]:
    """The words of a ``q`` parameter: the start page's chips wherever they appear, then the rest split
    at commas (so both "허리 디스크,과로" and a search's "허리 디스크 과로" work)."""
    text = re.sub(r"\s+", " ", text or "").strip()[:200]
    found = sorted((text.find(w), w) for w in KEYWORD_CHIPS if w in text)
    words = [w for _, w in found]
    for w in words:
        text = text.replace(w, ",")
    return words + [p.strip() for p in re.split(r"[,\n;·]+", text) if p.strip()]


def form_from_start(params: dict[str, str]) -> AnalysisForm:
    """The form prefilled from the start page's choices (route ``/analysis?c=..&b=..&q=..``): 사고/질병 → kind_c,
    급여 → benefit, illness words → 상병명, words about what happened (과로, 출퇴근 사고) → the story's first line."""
    kind_c = params.get("c", "")
    benefit = params.get("b", "").strip()
    situation = [START_SITUATIONS[benefit]] if benefit in START_SITUATIONS else []
    benefit = START_BENEFITS.get(benefit, benefit if benefit in BENEFITS else "")
    form = AnalysisForm(kind_c=kind_c if kind_c in dict(KIND_C_CHOICES) else "", benefit=benefit)
    for word in _start_words(params.get("q", "")):
        if word in SITUATION_WORDS:
            situation.append(word)
        else:
            form = form.with_diagnosis(word)
    if situation:
        form = replace(form, story=STORY_START + ", ".join(situation) + "\n")
    return form


def worked_examples() -> list[tuple[str, Any]]:
    """(label, SituationInput) for the "예시로 채우기" buttons."""
    return list(EXAMPLES.items())


def example_form(label: str, today: date | None = None) -> AnalysisForm:
    """The named worked example as form values; its notice date is set 20 days before today so the
    deadlines shown are realistic."""
    for name, inp in worked_examples():
        if name == label:
            form = form_from_input(inp)
            if not form.learned_on:
                form = replace(form, learned_on=((today or date.today()) - timedelta(days=20)).isoformat())
            return form
    raise KeyError(label)


LEARNED_LABEL = "통지를 받은 날"


def _parse_day(text: str) -> date | None:
    try:
        return read_entered_date(text, LEARNED_LABEL) if (text or "").strip() else None
    except DeadlineError:
        return None


def date_problem(form: AnalysisForm) -> str | None:
    """The Korean reason the date field can't be used, or None (empty is allowed)."""
    text = form.learned_on.strip()
    if not text:
        return None
    try:
        read_entered_date(text, LEARNED_LABEL)
    except DeadlineError as exc:
        return exc.message
    return None


def to_input(form: AnalysisForm) -> Any:
    """The service's ``SituationInput`` built from the form."""

    return SituationInput(industry=form.industry.strip(), kind_c=form.kind_c, diagnoses=list(form.diagnoses),
                          benefit=form.benefit, denial_reason=form.denial_reason.strip(),
                          learned_on=_parse_day(form.learned_on), story=form.story.strip())


@dataclass(frozen=True)
class Check:
    """Validation of the form: ``blocking`` must be fixed first; ``hints`` would improve the result."""

    blocking: list[str]
    hints: list[str]
    fields: dict[str, str]   # field name → its message (for the field's error/helper text)

    @property
    def ok(self) -> bool:
        return not self.blocking


def check_form(form: AnalysisForm) -> Check:
    blocking: list[str] = []
    hints: list[str] = []
    by_field: dict[str, str] = {}
    bad_date = date_problem(form)
    if bad_date:
        blocking.append(bad_date)
        by_field["learned_on"] = bad_date
    if len(form.story) > STORY_MAX:
        message = f"사연이 너무 깁니다({STORY_MAX:,}자까지). 중요한 내용만 남겨 주세요."
        blocking.append(message)
        by_field["story"] = message
    for issue in to_input(form).issues():
        if issue.field == "learned_on" and bad_date:
            continue
        (blocking if issue.blocking else hints).append(issue.message)
        by_field.setdefault(issue.field, issue.message)
    return Check(blocking, hints, by_field)


# ---------------------------------------------------------------------------- privacy preview

@dataclass(frozen=True)
class Preview:
    """What would be sent, masked: the user's own words (``text``, the box he edits), the whole request
    (``full_text``: instructions, answer template and precedents, behind "보낼 전체 내용 보기"), what was masked."""

    text: str
    masked: list[str] = field(default_factory=list)                 # "전화번호 1건", …
    findings: list[tuple[str, str]] = field(default_factory=list)   # (placeholder without brackets, original)
    full_text: str = ""
    kinds: list[str] = field(default_factory=list)     # the kind of each finding ("전화번호"), same order
    unsure: list[bool] = field(default_factory=list)   # found by the language analysis alone, with no cue

    @property
    def replaced_lines(self) -> list[str]:
        """Each masked item, its kind and what now stands in its place, once:
        "전화번호: 010-1234-5678 → [전화번호1]"; a name the masker was not sure of says so."""
        seen: list[str] = []
        for index, (label, original) in enumerate(self.findings):
            kind = self.kinds[index] if index < len(self.kinds) else ""
            unsure = " (이름인지 확실하지 않지만 가렸습니다)" if index < len(self.unsure) and self.unsure[index] else ""
            line = f"{kind + ': ' if kind else ''}{original.strip()} → [{label}]{unsure}"
            if original.strip() and line not in seen:
                seen.append(line)
        return seen

    @property
    def caution(self) -> str:
        """Said plainly every time: names are found by their shape, so some may be missed."""
        return ("이름·회사·병원 이름은 글의 모양으로 찾기 때문에 모두 찾았다고 장담할 수 없습니다. "
                "이름이 더 있으면 아래 칸에서 직접 지워 주세요.")

    @property
    def masked_line(self) -> str:
        if not self.masked:
            return "자동으로 가린 개인정보는 없습니다. 이름·연락처·주소가 남아 있지 않은지 한 번 더 확인하세요."
        return "다음 개인정보를 자동으로 가렸습니다: " + ", ".join(self.masked)


def preview_of(findings: Iterable[Any], text: str, full_text: str = "") -> Preview:
    counts: dict[str, int] = {}
    pairs = []
    kinds: list[str] = []
    unsure: list[bool] = []
    for finding in findings:
        label = getattr(finding, "label", None) or _as_dict(finding).get("label", "")
        original = getattr(finding, "original", None) or _as_dict(finding).get("original", "")
        placeholder = getattr(finding, "placeholder", None) or _as_dict(finding).get("placeholder", "")
        basis = getattr(finding, "basis", None) or _as_dict(finding).get("basis", "")
        counts[label] = counts.get(label, 0) + 1
        pairs.append((placeholder.strip("[]") or label, original))  # the placeholder as it stands in the text
        kinds.append(label)
        unsure.append(basis == "analysis")
    return Preview(text=text, masked=[f"{label} {n}건" for label, n in counts.items()], findings=pairs,
                   full_text=full_text or text, kinds=kinds, unsure=unsure)


def request_preview(request: Any) -> Preview:
    """The service's ``AnalysisRequest`` as shown in the privacy step: his words in the box, the rest apart."""
    return preview_of(request.findings, request.own_words, request.text)


def edited_request(request: Any, edited_text: str) -> Any:
    """The request with the user's edits of his own words (masked again by the service); unchanged keeps it."""
    if (edited_text or "").strip() == request.own_words.strip():
        return request
    return request.with_own_words(edited_text)


def finder_for(services: Any) -> Any:
    """The search service when it is ready, else a simple overlap finder over the stored precedents."""
    search = getattr(services, "search", None)
    if search is not None and hasattr(search, "similar"):
        return search

    store = getattr(services, "precedents", None)
    return OverlapFinder(list(store.iter_records()) if store is not None else [])


# ---------------------------------------------------------------------------- outcome chart

@dataclass(frozen=True)
class OutcomeBar:
    key: str
    label: str
    short_label: str
    count: int
    color: str


def outcome_bars(counts: dict[str, int] | Iterable[tuple[str, int]]) -> list[OutcomeBar]:
    """Bars in a fixed order (wins first), zero counts dropped, unknown outcomes at the end."""
    pairs = dict(counts.items() if isinstance(counts, dict) else counts)
    bars = []
    for key in [*OUTCOME_ORDER, *sorted(k for k in pairs if k not in OUTCOME_ORDER)]:
        count = int(pairs.get(key, 0) or 0)
        if count <= 0:
            continue
        label = OUTCOME_LABELS.get(key, key or "알 수 없음")
        short = OUTCOME_SHORT.get(key, key or "기타")
        bars.append(OutcomeBar(key, label, short, count, OUTCOME_COLORS.get(key, OTHER_COLOR)))
    return bars


def outcome_summary(bars: list[OutcomeBar]) -> str:
    total = sum(b.count for b in bars)
    if not total:
        return "비슷한 사례가 없습니다."
    parts = ", ".join(f"{b.label} {b.count}건" for b in bars)
    return f"비슷한 사례 {total}건의 결과: {parts}. 사례마다 사정이 달라 이 비율이 내 사건의 결과를 뜻하지는 않습니다."


# ---------------------------------------------------------------------------- results as sections

def _lines(value: Any) -> list[str]:
    if value in (None, "", [], {}):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def answer_sections(answer: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The AI answer (``AnalysisResult.answer``) as titled lines, in reading order."""
    assessment = _dict_field(answer, "assessment")
    sections = [
        ("쟁점", _lines(answer.get("issues"))),
        ("판례에 비추어 본 정리 (예측이 아닌 정보)",
         [f"도움이 될 수 있는 점: {x}" for x in _lines(assessment.get("strengths"))]
         + [f"걸림돌이 될 수 있는 점: {x}" for x in _lines(assessment.get("weaknesses"))]),
        ("내 상황 중 유리한 사실", _lines(answer.get("favourable_facts"))),
        ("내 상황 중 불리한 사실", _lines(answer.get("unfavourable_facts"))),
        ("모아 둘 증거", _lines(answer.get("evidence_checklist"))),
        ("다음에 할 일", _lines(answer.get("next_steps"))),
    ]
    return [(title, lines) for title, lines in sections if lines]


def cited_refs(answer: dict[str, Any], evidence: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Cited precedents as {id, label, why}; labels come from the evidence view when it has the id."""
    known = {row["id"]: row for row in similar_rows(evidence or {})}
    refs: list[dict[str, str]] = []
    for item in answer.get("cited_precedents") or []:
        pid = str(item.get("id") or "") if isinstance(item, dict) else str(item)
        if not pid or any(r["id"] == pid for r in refs):
            continue
        label = known[pid]["citation"] if pid in known else pid
        refs.append({"id": pid, "label": label, "why": str(item.get("why") or "") if isinstance(item, dict) else ""})
    return refs


def deadline_lines(items: Any) -> list[str]:
    out = []
    for data in items or []:
        if not isinstance(data, dict):
            data = _as_dict(data)
        days = data.get("days_left")
        left = (f"{days}일 남음" if isinstance(days, int) and days > 0 else "오늘 마감" if days == 0
                else f"{-days}일 지남" if isinstance(days, int) else "")
        line = f"{data.get('name', '')}: {data.get('deadline', '')}까지" + (f" ({left})" if left else "")
        out.append(line)
        if data.get("explanation"):
            out.append(f"  {data['explanation']}")
    return out


def similar_rows(evidence: dict[str, Any]) -> list[dict[str, Any]]:
    """Similar precedents in the evidence view as {id, title, citation, outcome, outcome_plain, snippet, is_sample}."""
    rows = []
    for item in evidence.get("similar") or []:
        pid = str(item.get("id") or "")
        if not pid:
            continue
        outcome = str(item.get("outcome") or "")
        rows.append({
            "id": pid, "title": str(item.get("title") or pid),
            "citation": str(item.get("citation") or item.get("case_number") or pid),
            "outcome": outcome,
            "outcome_plain": OUTCOME_LABELS.get(outcome, str(item.get("outcome_plain") or outcome or "결과 미상")),
            "snippet": str(item.get("snippet") or "")[:300],
            "is_sample": bool(item.get("is_sample")),
        })
    return rows


def _cited(fact: dict[str, Any]) -> str:
    """A deciding sentence with the judgment it comes from, so it can be checked and cited."""
    sentence = str(fact.get("sentence") or "")
    return f"{sentence} ({fact['citation']})" if fact.get("citation") else sentence


def evidence_sections(evidence: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The offline evidence view (without the precedent list and chart) as titled lines."""
    facts = evidence.get("deciding_facts") or []
    recognised = [_cited(f) for f in facts if isinstance(f, dict) and f.get("direction") == "인정"]
    rejected = [_cited(f) for f in facts if isinstance(f, dict) and f.get("direction") == "부정"]
    criteria = []
    for item in evidence.get("criteria") or []:
        if isinstance(item, dict):
            criteria.append(str(item.get("title") or ""))
            criteria.extend(f"  {p}" for p in item.get("points") or [])
    deadlines = deadline_lines(evidence.get("deadlines")) + _lines(evidence.get("deadline_notes"))
    sections = [
        ("판례에서 업무 관련성을 인정한 근거", recognised),
        ("판례에서 업무 관련성을 인정하지 않은 근거", rejected),
        ("법령과 인정 기준", [c for c in criteria if c.strip()]),
        ("모아 둘 증거", _lines(evidence.get("evidence_checklist"))),
        ("불복 기한", deadlines),
        ("무료로 도움받을 곳", _lines(evidence.get("support_steps"))),
    ]
    return [(title, lines) for title, lines in sections if lines]


def outcome_counts(evidence: dict[str, Any]) -> dict[str, int]:
    counts = evidence.get("outcome_counts")
    if isinstance(counts, dict):
        return {str(k): int(v) for k, v in counts.items()}
    out: dict[str, int] = {}
    for row in similar_rows(evidence):
        out[row["outcome"] or "미상"] = out.get(row["outcome"] or "미상", 0) + 1
    return out


def cited_precedent_ids(analysis: dict[str, Any]) -> list[tuple[str, str]]:
    answer = _dict_field(analysis, "answer")
    evidence = _dict_field(analysis, "evidence")
    refs = cited_refs(answer, evidence)
    if refs:
        return [(r["id"], r["label"]) for r in refs]
    return [(r["id"], r["citation"]) for r in similar_rows(evidence)]


def summary_sections(summary: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """A pasted-document summary (``TextSummary.to_dict()``) → titled lines."""
    out = []
    for title, key in (("무슨 문서인가요", "what_it_is"), ("핵심 내용", "key_points"),
                       ("무슨 뜻인가요", "what_it_means"), ("이제 할 수 있는 일", "next_steps")):
        lines = _lines(summary.get(key))
        if lines:
            out.append((title, lines))
    deadlines = deadline_lines(summary.get("deadlines"))
    if summary.get("deadline_note"):
        deadlines.append(str(summary["deadline_note"]))
    if deadlines:
        out.append(("기한", deadlines))
    return out


# ---------------------------------------------------------------------------- streaming

STREAM_HEADINGS = {
    "issues": "쟁점", "assessment": "정리", "strengths": "도움이 될 수 있는 점", "weaknesses": "걸림돌이 될 수 있는 점",
    "favourable_facts": "유리한 사실", "unfavourable_facts": "불리한 사실", "evidence_checklist": "모아 둘 증거",
    "cited_precedents": "참고한 판례", "next_steps": "다음에 할 일", "id": "판례", "why": "이유",
}
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)("?)\s*(:?)')


def stream_preview(raw: str) -> str:
    """Readable text from the answer's JSON while it is still arriving (keys become headings)."""
    lines: list[str] = []
    for match in _JSON_STRING.finditer(raw or ""):
        body, closed, colon = match.groups()
        text = body.replace('\\"', '"').replace("\\n", " ")
        if closed and colon:
            heading = STREAM_HEADINGS.get(text)
            if heading and text not in ("id", "why"):
                lines.append(f"\n■ {heading}")
            continue
        if text.strip():
            lines.append(f"• {text}")
    return "\n".join(lines).strip() if lines else (raw or "").strip()


COMMON_WHY = "불승인 이유를 반박할 때 기본이 되는 자료"


def _topic_why(title: str) -> str:
    return f"{title.split(' (')[0]} 인정 기준에서 살펴보는 자료"


def evidence_todo(result: dict[str, Any]) -> list[dict[str, str]]:
    """The result's "모아 둘 증거" as 할 일 items for the case, each with a short why."""
    why_of = {text: COMMON_WHY for text in CHECKLIST_COMMON}
    for title, texts in CHECKLIST_BY_TOPIC.items():
        why_of.update({text: _topic_why(title) for text in texts})
    evidence = _dict_field(result, "evidence")
    items = [{"text": text, "why": why_of.get(text, "상황 분석에서 모아 두라고 한 자료")}
             for text in _lines(evidence.get("evidence_checklist"))]
    # The AI answer's own list names things particular to his story; the case merges repeats away.
    answer = _dict_field(result, "answer")
    items += [{"text": text, "why": "AI 분석이 이 사건에서 모아 두라고 한 자료"}
              for text in _lines(answer.get("evidence_checklist"))]
    return items


def saved_record(result: dict[str, Any], chat: list[dict[str, str]]) -> dict[str, Any]:
    """What "사건에 저장" stores in a case: the whole result (input, evidence, answer) and the chat."""
    record = {k: v for k, v in result.items() if k != "raw_answer" or not result.get("answer")}
    diagnoses = ", ".join((result.get("input") or {}).get("diagnoses") or []) or "상황 분석"
    record["title"] = f"상황 분석: {diagnoses}"
    record["kind"] = "상황 분석"
    if chat:
        record["chat"] = [dict(t) for t in chat]
    return record


def usable_ai_name(settings: Any) -> ModelName | None:
    """The analysis model's name ("gemma" / "gemini") when one is configured and usable, else None
    (then only the offline evidence view is offered)."""
    name = analysis_engine(settings)
    if name is None:
        return None
    try:
        build_model(name, settings).close()
    except SanjaeError:  # a bad address is reported on the settings page; here we stay offline
        return None
    return name
