"""The calendar button's day: what the client sends back is read as the day the person tapped."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.widgets.date_field import notice_style, picked_day


@pytest.mark.parametrize("offset_hours", [9, 0, -5, 11])
def test_a_picked_local_midnight_is_that_day_in_any_time_zone(offset_hours):
    local_midnight = datetime(2026, 1, 19, tzinfo=timezone(timedelta(hours=offset_hours)))
    sent = local_midnight.astimezone(UTC)  # how the client reports it
    assert picked_day(sent) == date(2026, 1, 19)


def test_naive_values_and_dates_are_taken_as_they_are():
    assert picked_day(datetime(2026, 1, 19)) == date(2026, 1, 19)
    assert picked_day(date(2026, 1, 19)) == date(2026, 1, 19)
    assert picked_day(None) is None


def test_a_picked_day_is_written_the_way_notices_print_it():
    assert notice_style(date(2026, 1, 9)) == "2026. 1. 9."
