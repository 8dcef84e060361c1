"""The open appeal deadlines of cases as an iCalendar file (RFC 5545) for the phone's calendar.

One all-day event per deadline still to meet, with alarms 14, 7 and 1 days before. An event's UID is the
case id and the route, so importing a newer export changes the event instead of adding a second one; its
SEQUENCE is the case's revision, which grows with every edit, so calendars take the newer copy.
Only the case alias leaves the app: never the contact, the situation or the notes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import TRANSP, Alarm, Calendar, Event

from services.cases.model import Case
from services.deadlines import DISCLAIMER, Deadline, DeadlineError
from services.next_step import appeal_routes, filing_help, long_day
from storage.atomic import write_export_atomic

CALENDAR_NAME = "산재 불복 기한"
PRODID = "-//sanjae-gemma//산재 불복 기한//KO"
UID_DOMAIN = "sanjae-gemma"
ALARM_DAYS: tuple[int, ...] = (14, 7, 1)
# UIDs stay ASCII: some calendar servers mangle other characters in them.
ROUTE_SLUGS = {"심사청구": "simsa", "재심사청구": "jaesimsa", "행정소송": "sosong"}


def open_deadlines(case: Case, today: date | None = None) -> list[Deadline]:
    """The case's deadlines that have not passed. None when its dates give none, or cannot be computed
    (a date past the calendar's end; ``cases list`` names such a case)."""
    try:
        deadlines = case.deadlines(today)
    except DeadlineError:
        return []
    # date.max has no day after it to end an all-day event on.
    return [item for item in deadlines if not item.overdue and item.deadline < date.max]


def event_uid(case_id: str, route: str) -> str:
    """The same for every export of this case's deadline on this route."""
    slug = ROUTE_SLUGS.get(route) or hashlib.sha256(route.encode("utf-8")).hexdigest()[:12]
    return f"{case_id}-{slug}@{UID_DOMAIN}"


def event_summary(case: Case, deadline: Deadline) -> str:
    return f"[{case.alias}] {deadline.name} 마감"


def _description(case: Case, deadline: Deadline) -> str:
    routes = {route.name: route for route in appeal_routes(case.stage, case.disease_committee)}
    lines = [f"{deadline.name} 마감: {long_day(deadline.deadline)}까지"]
    route = routes.get(deadline.name)
    if route is not None:
        source = "" if route.source in route.meaning else f" ({route.source})"
        lines.append(route.meaning + source)
    if len(routes) > 1:
        # Several events of one case fall on the same day; they are alternatives, not tasks to do all of.
        lines.append(f"이 사건에서 고를 수 있는 길: {'·'.join(routes)} (이 가운데 하나를 고릅니다)")
    lines += ["", "내는 곳과 방법", *filing_help([deadline.name]), "", DISCLAIMER]
    return "\n".join(lines)


def _last_change(case: Case) -> datetime | None:
    """When the case was last edited (UTC), or None when the stored time cannot be read."""
    try:
        changed = datetime.fromisoformat(case.updated_at)
    except ValueError:
        return None
    changed = changed if changed.tzinfo else changed.replace(tzinfo=UTC)
    return changed.astimezone(UTC).replace(microsecond=0)


def _alarm(summary: str, days_before: int) -> Alarm:
    alarm = Alarm.new(description=f"{summary}까지 {days_before}일 남았습니다")
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-days_before))
    return alarm


def _event(case: Case, deadline: Deadline, stamp: datetime) -> Event:
    summary = event_summary(case, deadline)
    # TRANSPARENT: a deadline is a reminder, not time the worker is busy.
    event = Event.new(uid=event_uid(case.id, deadline.name), summary=summary,
                      description=_description(case, deadline), start=deadline.deadline,
                      end=deadline.deadline + timedelta(days=1), stamp=stamp, sequence=case.rev,
                      last_modified=_last_change(case), transparency=TRANSP.TRANSPARENT)
    for days in ALARM_DAYS:
        event.add_component(_alarm(summary, days))
    return event


def _empty_calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    return calendar


def cases_ics_bytes(cases: Sequence[Case], today: date | None = None) -> bytes:
    """An iCalendar file with every open deadline of ``cases``; a calendar without events when none is open."""
    today = today or date.today()
    stamp = datetime.now(UTC).replace(microsecond=0)
    calendar = _empty_calendar()
    for case in cases:
        for deadline in open_deadlines(case, today):
            calendar.add_component(_event(case, deadline, stamp))
    ics: bytes = calendar.to_ical()
    return ics


def export_ics(cases: Sequence[Case], path: Path, today: date | None = None) -> Path:
    path = Path(path)
    write_export_atomic(path, cases_ics_bytes(cases, today))
    return path
