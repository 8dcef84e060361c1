"""The one "next step" a denied claimant needs first: the nearest open appeal deadline, the routes he can
choose between, how to file and where free help answers the phone. Built from the case facts alone (no AI).

Legal statements name the statute they come from; everything else is said to be general information.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from core.errors import SanjaeError
from services.deadlines import APPEAL_DAYS, WEEKDAY_NAMES, Deadline, compute_deadlines, nearest_open_deadline

URGENT_DAYS = 14  # fewer days left than this: the date is shown in red

KOWEL = "근로복지공단"
KOWEL_PHONE = "1588-0075"


@dataclass(frozen=True)
class HelpContact:
    """A place that helps for free; ``phone`` is what is dialled ("" when there is no single number)."""

    name: str
    phone: str
    what: str

    @property
    def tel_url(self) -> str:
        """"tel:15880075" for a tap-to-call link, "" when there is no number."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return f"tel:{digits}" if digits else ""


FREE_HELP: tuple[HelpContact, ...] = (
    HelpContact(f"{KOWEL} 고객센터", KOWEL_PHONE,
                "심사청구서 내는 곳과 방법, 무료 대리인 지원을 받을 수 있는지 물어볼 수 있습니다."),
    HelpContact("대한법률구조공단", "132", "소득이 적은 분 등에게 무료 법률 상담과 소송 지원을 합니다."),
    HelpContact("고용노동부 고객상담센터", "1350", "산재와 노동 문제 전반을 상담합니다."),
    HelpContact("지역 노동권익센터", "",
                "시·도와 시·군·구가 운영하는 곳이 많고 노무사 무료 상담을 합니다. "
                "사는 곳의 시청·구청에 번호를 물어보세요."),
)

# Reported in the press in 2025 (내일신문, 2025-10/11): a plan, not yet a right. Worded as such on purpose.
STATE_AGENT_NOTE = ("정부가 월 소득 300만 원 미만 노동자에게 국선 노무사·변호사의 무료 도움을 주는 '산재 국선대리인' "
                    "제도를 2026년부터 시행하려 한다고 2025년에 보도되었습니다. 시행 여부와 대상은 "
                    f"{KOWEL}({KOWEL_PHONE})에 확인하세요.")

GENERAL_INFO = "일반적인 안내이며 법률 자문이 아닙니다. 중요한 결정 전에는 노무사·변호사나 공단에 확인하세요."


@dataclass(frozen=True)
class Route:
    """One way to challenge the decision, with what it means in one line."""

    name: str            # 심사청구, 재심사청구, 행정소송
    meaning: str         # one plain line
    source: str          # the statute, e.g. "산업재해보상보험법 제103조"
    deadline: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class NextStep:
    state: str                   # "open", "overdue", "no_date", "no_appeal"
    headline: str                # what the big date is for
    deadline: date | None        # the date to act by (for "overdue": the one that passed last)
    days_left: int | None        # negative when passed
    urgent: bool                 # under URGENT_DAYS left, or passed
    summary: str                 # one sentence under the date
    routes: list[Route] = field(default_factory=list)
    routes_note: str = ""        # that the routes are alternatives, and what choosing one means
    still_possible: list[str] = field(default_factory=list)  # when every deadline has passed
    how_to_file: list[str] = field(default_factory=list)
    free_help: list[HelpContact] = field(default_factory=lambda: list(FREE_HELP))
    help_notes: list[str] = field(default_factory=lambda: [STATE_AGENT_NOTE])
    general_info: str = GENERAL_INFO


# ---------------------------------------------------------------- wording

def long_day(day: date) -> str:
    """2026년 4월 20일 (월)."""
    return f"{day.year}년 {day.month}월 {day.day}일 ({WEEKDAY_NAMES[day.weekday()]})"


def days_words(days_left: int) -> str:
    """"D-12 · 12일 남음", "D-day · 오늘이 마지막 날", "3일 지남"."""
    if days_left < 0:
        return f"{-days_left}일 지남"
    if days_left == 0:
        return "D-day · 오늘이 마지막 날"
    return f"D-{days_left} · {days_left}일 남음"


_MEANING = {
    "심사청구": Route("심사청구", f"{KOWEL}에 결정을 다시 살펴 달라고 청구합니다. 비용이 들지 않습니다.",
                      "산업재해보상보험법 제103조"),
    "재심사청구": Route("재심사청구", "고용노동부 산업재해보상보험재심사위원회에 다시 판단해 달라고 청구합니다.",
                        "산업재해보상보험법 제106조"),
    "행정소송": Route("행정소송", f"법원에 {KOWEL}의 결정을 취소해 달라는 소송을 냅니다. 심사청구를 거치지 않고 "
                              "바로 낼 수도 있습니다.", "행정소송법 제18조·제20조"),
}
_COMMITTEE_SKIP = ("업무상질병판정위원회 심의를 거친 결정이라 심사청구 없이 바로 재심사청구를 할 수 있습니다 "
                   "(산업재해보상보험법 제106조 제1항 단서).")
_COMMITTEE_MAYBE = ("질병 사건에서 통지서에 업무상질병판정위원회 심의 결과가 적혀 있다면 심사청구 없이 바로 "
                    "재심사청구를 할 수도 있습니다(산업재해보상보험법 제106조 제1항 단서).")

_ROUTES_BY_STAGE = {
    "불승인": ("심사청구", "재심사청구", "행정소송"),
    "심사청구": ("재심사청구", "행정소송"),
    "재심사청구": ("행정소송",),
}

_FILE_WITH_KOWEL = (f"청구서는 결정을 한 {KOWEL} 지사(통지서에 적힌 곳)를 거쳐 냅니다"
                    "(산업재해보상보험법 제103조 제2항·제106조 제2항). 지사에 직접 가거나, 우편으로 보내거나, "
                    f"{KOWEL} 누리집의 온라인 서비스로 낼 수 있습니다.")
_FILE_IN_COURT = ("행정소송은 법원에 소장을 냅니다. 법원에 직접 내거나 전자소송(ecfs.scourt.go.kr)으로 낼 수 있고, "
                  "대한법률구조공단(132)에서 상담과 소송 지원을 받을 수 있는지 먼저 물어보세요.")
_FILE_TIPS = ("마지막 날에 몰리지 않게 미리 내고, 낸 서류의 사본과 접수증(우편이면 등기 영수증)을 보관하세요. "
              f"서류 양식과 쓰는 법은 {KOWEL} 고객센터({KOWEL_PHONE})에 물어보면 안내해 줍니다.")


def _routes(stage: str, deadlines: list[Deadline], disease_committee: bool | None) -> list[Route]:
    by_name = {d.name: d for d in deadlines}
    routes = []
    for name in _ROUTES_BY_STAGE.get(stage, ()):
        base = _MEANING[name]
        if stage == "불승인" and name == "재심사청구" and not disease_committee:
            continue  # offered only after the 판정위원회; "maybe" is said in the note
        meaning = _COMMITTEE_SKIP if stage == "불승인" and name == "재심사청구" else base.meaning
        item = by_name.get(name)
        routes.append(Route(name, meaning, base.source, item.deadline if item else None,
                            bool(item and item.overdue)))
    return routes


def _routes_note(stage: str, disease_committee: bool | None) -> str:
    if stage == "재심사청구":
        return "재심사 결정(재결)에 불복하는 길은 행정소송입니다."
    first = "심사청구" if stage == "불승인" else "재심사청구"
    note = (f"아래 길 가운데 하나를 고릅니다. {first}를 하면 그 결정을 받은 뒤에도 다음 단계(재심사청구나 "
            "행정소송)로 갈 수 있고, 그 기한은 그 결정을 안 날부터 다시 셉니다.")
    if stage == "불승인" and disease_committee is None:
        note += " " + _COMMITTEE_MAYBE
    return note


def _how_to_file(routes: list[Route]) -> list[str]:
    return filing_lines(r.name for r in routes)


def filing_lines(route_names: Iterable[str]) -> list[str]:
    """Where and how to file for the named routes, then the tips every filing needs."""
    names = set(route_names)
    lines = []
    if names & {"심사청구", "재심사청구"}:
        lines.append(_FILE_WITH_KOWEL)
    if "행정소송" in names:
        lines.append(_FILE_IN_COURT)
    lines.append(_FILE_TIPS)
    return lines


def _headline(nearest: Deadline, deadlines: list[Deadline]) -> str:
    same_day = [d.name for d in deadlines if not d.overdue and d.deadline == nearest.deadline]
    return f"{' 또는 '.join(same_day)} 기한"


# ---------------------------------------------------------------- the next step

def next_step(learned: date | None, decided: date | None = None, *, stage: str = "불승인",
              disease_committee: bool | None = False, today: date | None = None) -> NextStep:
    """The next step after the decision named by ``stage`` (see ``services.deadlines``).

    ``learned``: the day the decision became known (None when not known yet); ``decided``: the decision's date;
    ``disease_committee``: True/False when known, None when it is not known (the situation form does not ask).
    """
    today = today or date.today()
    if stage not in _ROUTES_BY_STAGE:
        return _no_appeal(stage)
    if learned is None:
        return _no_date(stage, disease_committee)
    try:
        deadlines = compute_deadlines(learned, decided, stage=stage, disease_committee=bool(disease_committee),
                                      today=today)
    except SanjaeError as exc:
        step = _no_date(stage, disease_committee)
        return NextStep(**{**step.__dict__, "summary": exc.message})
    routes = _routes(stage, deadlines, disease_committee)
    note, how = _routes_note(stage, disease_committee), _how_to_file(routes)
    nearest = nearest_open_deadline(deadlines)
    if nearest is None:
        last = max(deadlines, key=lambda d: d.deadline)
        return NextStep(state="overdue", headline="불복 기한이 모두 지났습니다", deadline=last.deadline,
                        days_left=last.days_left, urgent=True,
                        summary=(f"마지막 기한이던 {last.name}({long_day(last.deadline)})이 "
                                 f"{-last.days_left}일 지났습니다. 그래도 할 수 있는 일이 있습니다."),
                        still_possible=list(last.options_if_overdue), routes=routes, routes_note=note,
                        how_to_file=how)
    if nearest.days_left == 0:
        summary = "오늘 안에 접수해야 합니다. 지금 바로 공단이나 아래 무료 상담에 전화하세요."
    elif nearest.days_left < URGENT_DAYS:
        summary = f"{nearest.days_left}일밖에 남지 않았습니다. 서류가 다 갖춰지지 않았어도 먼저 청구서를 내세요."
    else:
        summary = "이 날까지 청구서를 내야 합니다. 서류 준비에 시간이 걸리니 미리 시작하세요."
    return NextStep(state="open", headline=_headline(nearest, deadlines), deadline=nearest.deadline,
                    days_left=nearest.days_left, urgent=nearest.days_left < URGENT_DAYS, summary=summary,
                    routes=routes, routes_note=note, how_to_file=how)


def _no_date(stage: str, disease_committee: bool | None) -> NextStep:
    routes = _routes(stage, [], disease_committee)
    return NextStep(state="no_date", headline="기한을 계산하려면 날짜가 필요합니다", deadline=None, days_left=None,
                    urgent=False,
                    summary=(f"결정 통지서를 받은 날을 적어 주세요. 불복 기한은 보통 통지를 받은 날 다음 날부터 "
                             f"{APPEAL_DAYS}일입니다(산업재해보상보험법 제103조·제106조, 행정소송법 제20조)."),
                    routes=routes, routes_note=_routes_note(stage, disease_committee),
                    how_to_file=_how_to_file(routes))


def _no_appeal(stage: str) -> NextStep:
    if stage == "요양신청":
        summary = (f"아직 {KOWEL}의 결정이 나오지 않았습니다. 결정 통지를 받으면 그 날짜를 적어 주세요. "
                   "그날부터 불복 기한을 계산합니다.")
    elif stage == "행정소송":
        summary = "이미 소송 단계입니다. 다음 기일과 제출할 서류는 소송 대리인이나 법원에 확인하세요."
    else:
        summary = "이 단계에서는 계산할 불복 기한이 없습니다."
    return NextStep(state="no_appeal", headline="지금 계산할 불복 기한이 없습니다", deadline=None, days_left=None,
                    urgent=False, summary=summary)
