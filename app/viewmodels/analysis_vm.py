"""Situation-analysis page logic: the form, worked examples, the privacy preview, results as sections.

Plain Python (no Flet). The analysis itself lives in ``services.analysis``; this module turns form
values into its ``SituationInput``, and its results (``to_dict()``) into titled lines for the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields as dc_fields, replace
from datetime import date, timedelta
from typing import Any, Iterable, Optional

from services.redaction import redact

KIND_C_CHOICES = (("업무상사고", "사고 (다치거나 사고를 당함)"), ("업무상질병", "질병 (일 때문에 병이 생김)"))
STORY_MAX = 4000
NOT_ADVICE = "이 분석은 비슷한 판례와 법령을 정리한 참고용 정보이며 법률 자문이 아닙니다. 결과를 예측하거나 보장하지 않습니다."

# Who won, in plain words (the legal term stays in brackets so people learn it).
OUTCOME_LABELS = {
    "취소": ("노동자 승소 (취소)", "승소"),
    "일부취소": ("일부 승소 (일부취소)", "일부 승소"),
    "파기환송": ("다시 심리 (파기환송)", "파기환송"),
    "기각": ("노동자 패소 (기각)", "패소"),
    "취하": ("소송 취하", "취하"),
}
OUTCOME_ORDER = ("취소", "일부취소", "파기환송", "기각", "취하")
OUTCOME_COLORS = {"취소": "#2e7d32", "일부취소": "#66bb6a", "파기환송": "#0277bd", "기각": "#c62828", "취하": "#757575"}
OTHER_COLOR = "#9e9e9e"


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

    def with_diagnosis(self, text: str) -> "AnalysisForm":
        """Add one or more 상병명 (commas or new lines separate them); duplicates are ignored."""
        items = list(self.diagnoses)
        for part in re.split(r"[,\n;·]+", text or ""):
            name = re.sub(r"\s+", " ", part).strip()
            if name and name not in items:
                items.append(name[:60])
        return replace(self, diagnoses=tuple(items[:10]))

    def without_diagnosis(self, name: str) -> "AnalysisForm":
        return replace(self, diagnoses=tuple(d for d in self.diagnoses if d != name))

    def to_values(self) -> dict[str, Any]:
        return {f.name: (list(getattr(self, f.name)) if f.name == "diagnoses" else getattr(self, f.name))
                for f in dc_fields(self)}


def _first(data: dict[str, Any], *names: str, default: Any = "") -> Any:
    for name in names:
        if name in data and data[name] not in (None, ""):
            return data[name]
    return default


def _as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return dict(getattr(value, "__dict__", {}))


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


def worked_examples() -> list[tuple[str, Any]]:
    """(label, SituationInput) for the "예시로 채우기" buttons; [] when the service is unavailable."""
    try:
        from services.analysis.examples import EXAMPLES  # noqa: PLC0415
    except Exception:
        return []
    return list(EXAMPLES.items())


def example_form(label: str, today: Optional[date] = None) -> AnalysisForm:
    """The named worked example as form values; its notice date is set 20 days before today so the
    deadlines shown are realistic."""
    for name, inp in worked_examples():
        if name == label:
            form = form_from_input(inp)
            if not form.learned_on:
                form = replace(form, learned_on=((today or date.today()) - timedelta(days=20)).isoformat())
            return form
    raise KeyError(label)


def _parse_day(text: str) -> Optional[date]:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def date_problem(form: AnalysisForm) -> Optional[str]:
    text = form.learned_on.strip()
    if text and (_parse_day(text) is None or len(text) != 10):
        return f"통지를 받은 날 '{text}'을(를) 알아볼 수 없습니다. 2026-01-19처럼 연-월-일로 적어 주세요."
    return None


def to_input(form: AnalysisForm) -> Any:
    """The service's ``SituationInput`` built from the form."""
    from services.analysis.model import SituationInput  # noqa: PLC0415

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
    """Exactly what would be sent, after masking, and a list of what was masked."""

    text: str
    masked: list[str] = field(default_factory=list)    # "전화번호 1건", …
    findings: list[tuple[str, str]] = field(default_factory=list)  # (label, original)

    @property
    def masked_line(self) -> str:
        if not self.masked:
            return "가린 개인정보가 없습니다. 이름·연락처·주민등록번호가 들어 있지 않은지 한 번 더 확인하세요."
        return "다음 개인정보를 가렸습니다: " + ", ".join(self.masked)


def form_text(form: AnalysisForm) -> str:
    """The user's words as one text (what the privacy preview masks when the service is missing)."""
    kind = dict(KIND_C_CHOICES).get(form.kind_c, form.kind_c)
    lines = [
        f"업종: {form.industry}" if form.industry else "",
        f"구분: {kind}" if kind else "",
        f"상병명: {', '.join(form.diagnoses)}" if form.diagnoses else "",
        f"신청한 급여: {form.benefit}" if form.benefit else "",
        f"불승인 사유: {form.denial_reason}" if form.denial_reason else "",
        f"결정을 안 날: {form.learned_on}" if form.learned_on else "",
        f"상황: {form.story}" if form.story else "",
    ]
    return "\n".join(line for line in lines if line)


def preview_from_redaction(redaction: Any) -> Preview:
    counts = redaction.counts() if hasattr(redaction, "counts") else {}
    return Preview(text=redaction.text, masked=[f"{label} {n}건" for label, n in counts.items()],
                   findings=[(f.label, f.original) for f in getattr(redaction, "findings", [])])


def privacy_preview(form: AnalysisForm) -> Preview:
    """The service's exact request text when it offers ``build_request``; else the masked form text."""
    try:
        from services.analysis import build_request  # noqa: PLC0415
    except ImportError:
        build_request = None
    if build_request is not None:
        request = build_request(to_input(form))
        text = _first(_as_dict(request), "text", "prompt", "user_text", default=None) if not isinstance(request, str) else request
        if text is None and hasattr(request, "text"):
            text = request.text
        masked = _first(_as_dict(request), "masked", "counts", default=None) if not isinstance(request, str) else None
        redaction = redact(str(text or ""))
        preview = preview_from_redaction(redaction)
        if isinstance(masked, dict):
            return Preview(text=str(text), masked=[f"{k} {v}건" for k, v in masked.items()], findings=preview.findings)
        return Preview(text=str(text), masked=preview.masked, findings=preview.findings)
    return preview_from_redaction(redact(form_text(form)))


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
        label, short = OUTCOME_LABELS.get(key, (key or "알 수 없음", key or "기타"))
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
    if isinstance(value, dict):
        text = _first(value, "text", "title", "item", "fact", "name", "summary", default="")
        extra = _first(value, "why", "reason", "explanation", "detail", "source", default="")
        line = f"{text} — {extra}" if text and extra else str(text or extra or "")
        return [line] if line else []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_lines(item))
        return out
    return [str(value)]


# (title, keys to look for) in the order the page shows them.
RESULT_SECTIONS = (
    ("쟁점", ("issues",)),
    ("정리 (판단이 아닌 정보)", ("assessment", "summary")),
    ("유리한 사실", ("favourable", "favorable", "favourable_facts", "favorable_facts")),
    ("불리한 사실", ("unfavourable", "unfavorable", "unfavourable_facts", "unfavorable_facts")),
    ("모아 둘 증거", ("evidence", "evidence_checklist", "checklist")),
    ("다음에 할 일", ("next_steps",)),
)


def result_sections(result: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out = []
    for title, keys in RESULT_SECTIONS:
        for key in keys:
            value = result.get(key)
            if key == "assessment" and isinstance(value, dict):
                lines = ([f"유리하게 작용할 수 있는 점: {x}" for x in _lines(value.get("strengths"))]
                         + [f"불리하게 작용할 수 있는 점: {x}" for x in _lines(value.get("weaknesses"))])
            else:
                lines = _lines(value)
            if lines:
                out.append((title, lines))
                break
    return out


def deadline_lines(items: Any) -> list[str]:
    out = []
    for item in items or []:
        data = _as_dict(item)
        if not data:
            continue
        name, deadline = data.get("name", ""), str(data.get("deadline", ""))
        days = data.get("days_left")
        when = f"{deadline}까지" + (f" ({days}일 남음)" if isinstance(days, int) and days >= 0 else
                                   f" ({-days}일 지남)" if isinstance(days, int) else "")
        out.append(f"{name}: {when}".strip(": "))
    return out


def cited_refs(result: dict[str, Any]) -> list[dict[str, str]]:
    """Cited precedents as {id, label, why} for links to /precedent/<id>."""
    refs = []
    for key in ("citations", "cited", "cited_precedents", "precedents"):
        for item in result.get(key) or []:
            data = _as_dict(item) if not isinstance(item, str) else {"id": item}
            pid = str(_first(data, "id", "precedent_id", default=""))
            if not pid or any(r["id"] == pid for r in refs):
                continue
            label = str(_first(data, "citation", "title", "case_number", default=pid))
            refs.append({"id": pid, "label": label, "why": str(_first(data, "why", "reason", "point", default=""))})
        if refs:
            break
    return refs


def dropped_citations(result: dict[str, Any]) -> list[str]:
    """Citations the service removed because they were not among the precedents it gave the model."""
    for key in ("dropped_citations", "dropped", "unverified_citations"):
        value = result.get(key)
        if value:
            return [str(_first(_as_dict(v), "id", "citation", "text", default=v)) if not isinstance(v, str) else v
                    for v in value]
    return []


def cited_precedent_ids(analysis: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["id"], r["label"]) for r in cited_refs(analysis.get("result") or analysis)]


def saved_analysis_sections(analysis: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """A saved analysis (as stored in a case) → titled lines for the case page."""
    result = analysis.get("result") if isinstance(analysis.get("result"), dict) else analysis
    sections = result_sections(result)
    evidence = analysis.get("evidence") if isinstance(analysis.get("evidence"), dict) else {}
    if not sections and evidence:
        sections = evidence_sections(evidence)
    chat = analysis.get("chat") or []
    if chat:
        sections.append(("이어서 물어본 내용", [f"{'질문' if t.get('role') == 'user' else '답'}: {t.get('content', '')}"
                                            for t in chat if isinstance(t, dict)]))
    return sections


def evidence_sections(evidence: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The offline evidence view as titled lines (used for the page and for saved analyses)."""
    out = []
    for title, keys in (("판결을 가른 사실", ("deciding_facts", "facts")),
                        ("법령상 기준", ("legal_criteria", "criteria")),
                        ("모아 둘 증거", ("checklist", "evidence_checklist", "evidence"))):
        for key in keys:
            value = evidence.get(key)
            if isinstance(value, dict):
                lines = [f"{'인정' if k in ('recognized', 'for') else '불인정' if k in ('not_recognized', 'against') else k}: {line}"
                         for k, v in value.items() for line in _lines(v)]
            else:
                lines = _lines(value)
            if lines:
                out.append((title, lines))
                break
    deadlines = deadline_lines(evidence.get("deadlines"))
    if deadlines:
        out.append(("불복 기한", deadlines))
    return out


def similar_rows(evidence: dict[str, Any]) -> list[dict[str, str]]:
    """Similar precedents in the evidence view as {id, title, outcome, line}."""
    rows = []
    for item in evidence.get("similar") or evidence.get("precedents") or []:
        data = _as_dict(item)
        pid = str(_first(data, "id", "precedent_id", default=""))
        if not pid:
            continue
        outcome = str(_first(data, "outcome", default=""))
        label = OUTCOME_LABELS.get(outcome, (outcome, outcome))[0] if outcome else ""
        title = str(_first(data, "title", "citation", default=pid))
        line = " · ".join(p for p in (str(_first(data, "court", default="")), str(_first(data, "case_number", default="")),
                                      str(_first(data, "decided_on", default="")), label) if p)
        rows.append({"id": pid, "title": title, "outcome": outcome, "line": line,
                     "why": str(_first(data, "why", "snippet", "reason", default=""))})
    return rows


def outcome_counts(evidence: dict[str, Any]) -> dict[str, int]:
    counts = evidence.get("outcome_counts") or evidence.get("outcomes")
    if isinstance(counts, dict):
        return {str(k): int(v) for k, v in counts.items()}
    if isinstance(counts, list):
        out: dict[str, int] = {}
        for item in counts:
            data = _as_dict(item)
            out[str(_first(data, "outcome", "key", "label"))] = int(_first(data, "count", "n", default=0))
        return out
    # Count from the similar precedents when no totals were given.
    out = {}
    for row in similar_rows(evidence):
        if row["outcome"]:
            out[row["outcome"]] = out.get(row["outcome"], 0) + 1
    return out


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


# ---------------------------------------------------------------------------- streaming status

def countdown_text(seconds_left: Optional[float], message: str = "") -> str:
    """"AI 서버를 깨우는 중입니다 (최대 3분 20초 남음)" for the cold-start status line."""
    if seconds_left is None or seconds_left <= 0:
        return message or "AI 서버에 연결하는 중입니다…"
    minutes, seconds = divmod(int(round(seconds_left)), 60)
    left = f"{minutes}분 {seconds}초" if minutes else f"{seconds}초"
    return f"{message or 'AI 서버를 깨우는 중입니다'} (최대 {left} 남음)"


def saved_record(form: AnalysisForm, result: Optional[dict[str, Any]], evidence: Optional[dict[str, Any]],
                 chat: list[dict[str, str]], *, sent_text: str = "") -> dict[str, Any]:
    """What "사건에 저장" stores in a case: input, the AI result (if any), the evidence view, the chat."""
    record: dict[str, Any] = {"kind": "상황 분석", "input": form.to_values()}
    title = ", ".join(form.diagnoses) or "상황 분석"
    record["title"] = f"상황 분석: {title}"
    if result:
        record["result"] = result
        record.update({k: result[k] for k in ("issues", "assessment", "next_steps") if k in result})
    if evidence:
        record["evidence"] = evidence
    if chat:
        record["chat"] = [dict(t) for t in chat]
    if sent_text:
        record["sent_text"] = sent_text
    record["notice"] = NOT_ADVICE
    return record
