"""How cases look on screen: list rows, deadline badges, labels, sorting, filtering and form checks.

Plain functions of plain data (a ``Case`` or its dict): no Flet, no storage; tested without a page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.dates import parse_date as read_date
from core.errors import SanjaeError
from core.korean import attach
from services.appeal.form import AppealError, benefit_name, branch_name
from services.cases.repository import CaseListing, DamagedCase
from services.deadlines import STAGES, Deadline, DeadlineError, compute_deadlines, format_day, read_entered_date
from services.redaction import screen_safe

SORTS = {"deadline": "급한 순 (지난 기한 먼저)", "updated": "최근 고친 순", "alias": "이름 순"}
ALL_STAGES = "전체"
EXPORT_KINDS = {"pdf": "PDF", "md": "Markdown", "json": "JSON"}
CALENDAR_LABEL = "달력에 기한 넣기 (.ics)"
CHECKLIST_LABEL = "신청인용 한 장 (PDF)"
CHECKLIST_HELP = ("신청인에게 건넬 A4 한 장: 가장 가까운 기한, 내는 곳과 방법, 챙길 서류, 무료 상담 전화. "
                  "연락처·상황·메모는 들어가지 않습니다.")
CALENDAR_HELP = ("휴대전화나 컴퓨터의 달력 앱에서 이 파일을 열면 남은 불복 기한이 14일·7일·1일 전 알림과 함께 "
                 "들어갑니다. 날짜가 바뀐 뒤 다시 받아 열면 같은 일정이 고쳐지고 겹치지 않습니다.")


# ---------------------------------------------------------------------------- small accessors

def as_dict(case: Any) -> dict[str, Any]:
    """A case as a plain dict (accepts the service's case objects or dicts)."""
    if case is None:
        return {}
    if isinstance(case, dict):
        return case
    to_dict = getattr(case, "to_dict", None)
    if callable(to_dict):
        as_plain: dict[str, Any] = to_dict()
        return as_plain
    return dict(getattr(case, "__dict__", {}))


def parse_day(value: Any) -> date | None:
    """A stored date (ISO) or a ``date`` as a ``date``; None when there is none."""
    if isinstance(value, date):
        return value
    return read_date(str(value or "")[:10])


# ---------------------------------------------------------------------------- deadlines and badges

@dataclass(frozen=True)
class Badge:
    """A short label for the nearest deadline of a case, with a tone for its colour."""

    text: str          # "심사청구 D-7", "심사청구 기한 지남"
    tone: str          # "overdue", "urgent" (≤3 days), "soon" (≤7), "near" (≤14), "calm", "none"
    detail: str        # a plain sentence for screen readers and tooltips
    days_left: int | None = None


def case_deadlines(case: Any, today: date | None = None) -> list[Deadline]:
    """The appeal deadlines open for this case's stage and dates; [] when the dates are missing."""
    data = as_dict(case)
    learned = parse_day(data.get("learned_on"))
    decided = parse_day(data.get("decided_on"))
    stage = data.get("stage") or "불승인"
    if learned is None or stage not in STAGES:
        return []
    if decided is not None and decided > learned:
        decided = None  # inconsistent dates: the page asks the user to fix them
    try:
        return compute_deadlines(learned, decided, stage=stage, today=today,
                                 disease_committee=bool(data.get("disease_committee")))
    except SanjaeError:
        return []


def nearest_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The next deadline still open; if all have passed, the most recently passed one."""
    if not deadlines:
        return None
    open_ones = [d for d in deadlines if not d.overdue]
    if open_ones:
        return min(open_ones, key=lambda d: d.deadline)
    return max(deadlines, key=lambda d: d.deadline)


def badge_for(deadline: Deadline | None) -> Badge:
    if deadline is None:
        return Badge("기한 정보 없음", "none", "결정을 안 날을 입력하면 불복 기한을 계산해 드립니다.")
    days = deadline.days_left
    day = format_day(deadline.deadline)
    if days < 0:
        return Badge(f"{deadline.name} 기한 지남", "overdue",
                     f"{deadline.name} 기한({day})이 {-days}일 지났습니다. "
                     "지금 할 수 있는 일을 사건 화면에서 확인하세요.",
                     days)
    if days == 0:
        return Badge(f"{deadline.name} 오늘 마감", "urgent", f"오늘({day})이 {deadline.name} 마지막 날입니다.", days)
    tone = "urgent" if days <= 3 else "soon" if days <= 7 else "near" if days <= 14 else "calm"
    return Badge(f"{deadline.name} D-{days}", tone, f"{deadline.name} 기한은 {day}, {days}일 남았습니다.", days)


def case_badge(case: Any, today: date | None = None) -> Badge:
    return badge_for(nearest_deadline(case_deadlines(case, today)))


# ---------------------------------------------------------------------------- list rows

@dataclass(frozen=True)
class CaseRow:
    case_id: str
    alias: str
    stage: str
    situation: str
    badge: Badge
    updated_at: str
    counts: str          # "분석 1 · 판례 2 · 메모 0"
    damaged: bool = False  # a stored case that can't be read: shown, but it can't be opened


def listing_entries(listing: CaseListing) -> list[Any]:
    """What the list page shows: the readable cases and then the damaged ones (never left out)."""
    return [*listing.cases, *listing.damaged]


def damaged_row(item: DamagedCase) -> CaseRow:
    detail = (f"{item.problem} 이 사건은 열 수 없지만 지우지 않고 그대로 두었습니다. "
              "내보내 둔 파일이 있다면 '가져오기'로 되살려 주세요.")
    return CaseRow(case_id=item.raw_id, alias=item.label, stage="", situation=detail,
                   badge=Badge("읽을 수 없음", "damaged", detail), updated_at="", counts="", damaged=True)


def _first_line(text: str, limit: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


def case_row(case: Any, today: date | None = None) -> CaseRow:
    data = as_dict(case)
    counts = (f"분석 {len(data.get('analyses') or [])} · 판례 {len(data.get('bookmarks') or [])} · "
              f"문서 {len(data.get('documents') or [])}")
    return CaseRow(
        case_id=str(data.get("id") or data.get("case_id") or ""),
        alias=str(data.get("alias") or "이름 없는 사건"),
        stage=str(data.get("stage") or ""),
        situation=_first_line(screen_safe(str(data.get("situation") or "").strip().split("\n", 1)[0])),
        badge=case_badge(data, today),
        updated_at=str(data.get("updated_at") or data.get("created_at") or ""),
        counts=counts,
    )


def _matches(data: dict[str, Any], words: list[str]) -> bool:
    haystack = " ".join(str(data.get(k) or "") for k in ("alias", "contact", "situation", "stage", "notes")).lower()
    haystack += " " + " ".join(str(b.get("title") or "") + " " + str(b.get("note") or "")
                               for b in (data.get("bookmarks") or []) if isinstance(b, dict)).lower()
    return all(w in haystack for w in words)


def filter_cases(cases: list[Any], *, text: str = "", stage: str = "") -> list[dict[str, Any]]:
    """Cases whose alias/contact/situation/notes contain every word of ``text``, at ``stage``."""
    words = [w for w in (text or "").lower().split() if w]
    out = []
    for case in cases:
        data = as_dict(case)
        if stage and stage != ALL_STAGES and data.get("stage") != stage:
            continue
        if words and not _matches(data, words):
            continue
        out.append(data)
    return out


def _deadline_key(row: CaseRow) -> tuple[int, int, str]:
    # Overdue cases first (most recently passed first): they need a decision now about what can still be
    # done. Then open deadlines, nearest first; then cases without dates.
    days = row.badge.days_left
    if days is None:
        return (2, 0, row.alias)
    if days < 0:
        return (0, -days, row.alias)
    return (1, days, row.alias)


def sort_rows(rows: list[CaseRow], sort: str = "deadline") -> list[CaseRow]:
    if sort == "alias":
        return sorted(rows, key=lambda r: r.alias)
    if sort == "updated":
        return sorted(rows, key=lambda r: r.updated_at, reverse=True)
    return sorted(rows, key=_deadline_key)


def list_rows(cases: list[Any], *, text: str = "", stage: str = "", sort: str = "deadline",
              today: date | None = None) -> list[CaseRow]:
    """Rows for readable cases matching the filters, sorted; damaged cases always follow, unfiltered."""
    readable = [c for c in cases if not isinstance(c, DamagedCase)]
    damaged = [damaged_row(c) for c in cases if isinstance(c, DamagedCase)]
    return sort_rows([case_row(c, today) for c in filter_cases(readable, text=text, stage=stage)], sort) + damaged


# ---------------------------------------------------------------------------- the case page

def edit_changes(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Form values → (changes for ``repo.update``, Korean problems). Nothing is saved while problems remain."""
    problems: list[str] = []
    changes: dict[str, Any] = {}
    alias = str(values.get("alias") or "").strip()
    if not alias:
        problems.append("사건 이름이 비어 있습니다. 실명 대신 별칭도 괜찮습니다.")
    changes["alias"] = alias
    changes["contact"] = str(values.get("contact") or "").strip()
    changes["situation"] = str(values.get("situation") or "")
    days: dict[str, date | None] = {}
    for key, label in (("decided_on", "처분일"), ("learned_on", "결정을 안 날")):
        text = str(values.get(key) or "").strip()
        day = None
        if text:
            try:
                day = read_entered_date(text, label)
            except DeadlineError as exc:
                problems.append(exc.message)
        days[key] = day
        changes[key] = day.isoformat() if day else ""
    if days["decided_on"] and days["learned_on"] and days["decided_on"] > days["learned_on"]:
        problems.append("처분일이 결정을 안 날보다 늦습니다. 두 날짜를 다시 확인해 주세요.")
    stage = str(values.get("stage") or "불승인")
    if stage not in STAGES:
        problems.append(f"단계는 {', '.join(STAGES)} 중 하나여야 합니다.")
    changes["stage"] = stage
    changes["disease_committee"] = bool(values.get("disease_committee"))
    if "benefit" in values:  # the notice's facts the 심사청구서 draft needs
        try:
            changes["benefit"] = benefit_name(str(values.get("benefit") or ""))
        except AppealError as exc:
            problems.append(exc.message)
        changes["branch"] = branch_name(str(values.get("branch") or ""))
        changes["denial_reason"] = str(values.get("denial_reason") or "").strip()
    return changes, problems


@dataclass(frozen=True)
class DeadlineLine:
    title: str            # "심사청구: 2026-04-20(월)까지"
    badge: Badge
    explanation: str
    statute: str
    notice: str
    options: list[str]


def deadline_lines(case: Any, today: date | None = None) -> list[DeadlineLine]:
    lines = []
    for item in case_deadlines(case, today):
        lines.append(DeadlineLine(
            title=f"{item.name}: {format_day(item.deadline)}까지", badge=badge_for(item),
            explanation=item.explanation, statute=item.statute, notice=item.notice,
            options=list(item.options_if_overdue)))
    return lines


def no_deadline_reason(case: Any) -> str:
    data = as_dict(case)
    if not data.get("learned_on"):
        return "결정을 안 날(통지서를 받은 날)을 적으면 불복 기한을 계산해 드립니다."
    if data.get("stage") in ("요양신청", "행정소송"):
        return f"'{data.get('stage')}' 단계에서는 이 앱이 계산하는 불복 기한이 없습니다."
    return "기한을 계산하지 못했습니다. 날짜를 다시 확인해 주세요."


def export_file_name(case: Any, kind: str, today: date | None = None) -> str:
    """'사건-김OO-허리-2026-12-01.md' from the case alias and the day of export: words joined by hyphens,
    no spaces, path separators or odd characters, so it survives mail, messengers and every file system.
    ``kind`` is an extension, or "checklist" (the claimant's one page: '체크리스트-김OO-허리-….pdf')."""
    prefix, extension = ("체크리스트", "pdf") if kind == "checklist" else ("사건", kind.lstrip("."))
    words = re.findall(r"[^\W_]+", str(as_dict(case).get("alias") or ""))
    slug = "-".join(words)[:40].strip("-")
    day = (today or date.today()).isoformat()
    return f"{prefix}-{slug}-{day}.{extension}" if slug else f"{prefix}-{day}.{extension}"


def analysis_title(analysis: dict[str, Any]) -> str:
    saved = str(analysis.get("saved_at") or analysis.get("created_at") or "")[:10]
    inp = analysis.get("input") if isinstance(analysis.get("input"), dict) else {}
    diagnoses = inp.get("diagnoses") if isinstance(inp, dict) else None
    what = (", ".join(diagnoses) if isinstance(diagnoses, list) and diagnoses
            else str(analysis.get("kind") or "상황 분석"))
    return f"{saved} {what}".strip()


def with_object_particle(word: str) -> str:
    """"판례" → "판례를", "분석 결과" → "분석 결과를", "문서 요약" → "문서 요약을"."""
    return attach(word, "을")


def replaced_lines(case: Any, limit: int = 3) -> list[str]:
    """The latest values that gave way when two tabs or windows saved the same field, newest first."""
    lines = []
    for item in reversed(case.replaced[-limit:]):
        label, kept, other = item.get("label", ""), item.get("kept"), item.get("other")
        lines.append(f"다른 창과 합칠 때 {label}: {attach(_shown(kept), '로')} 저장했습니다. "
                     f"(다른 창의 값: {_shown(other)}, {str(item.get('at', ''))[:10]}).")
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "예" if value else "아니오"
    return f"'{value}'" if value else "(빈칸)"

