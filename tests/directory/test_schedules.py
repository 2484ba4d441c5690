"""Schedules in plain words, and the ones we refuse to guess at."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from directory.schedules import ScheduleError, describe, parse_day, parse_schedule, weekday_mask


@pytest.mark.parametrize("raw, words", [
    ({"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}, "Tuesdays 10am-12pm"),
    ({"freq": "weekly", "byday": "mo,th", "opens_at": "10:00:00", "closes_at": "11:30:00"}, "Mondays and Thursdays 10am-11:30am"),
    ({"freq": "WEEKLY", "interval": 2, "byday": "WE", "opens_at": "13:30"}, "Every other Wednesday 1:30pm"),
    ({"freq": "MONTHLY", "byday": "1SA", "opens_at": "14:00"}, "First Saturday of the month, 2pm"),
    ({"freq": "MONTHLY", "byday": "-1FR", "opens_at": "13:30", "closes_at": "15:30"}, "Last Friday of the month, 1:30pm-3:30pm"),
    ({"freq": "MONTHLY", "byday": "2TU,4TU", "opens_at": "10:00"}, "Second and fourth Tuesday of the month, 10am"),
    ({"freq": "MONTHLY", "bymonthday": "15"}, "The 15th of the month"),
    ({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}, "Weekdays 9am-5pm"),
    ({"freq": "WEEKLY", "byday": "Tuesday", "opens_at": "12:00"}, "Tuesdays 12pm"),
    ({"description": "Ring to arrange a visit"}, "Ring to arrange a visit"),
])
def test_schedules_are_said_the_way_a_poster_would(raw: dict, words: str) -> None:
    assert describe(parse_schedule(raw)) == words


def test_fortnightly_meetings_follow_their_start_date() -> None:
    schedule = parse_schedule({"freq": "WEEKLY", "interval": 2, "byday": "WE", "dtstart": "2025-01-08", "opens_at": "10:00"})
    assert schedule.next_after(datetime(2025, 1, 9)) == datetime(2025, 1, 22, 10, 0)


def test_first_saturday_of_the_month_is_computed_by_rrule() -> None:
    schedule = parse_schedule({"freq": "MONTHLY", "byday": "1SA", "opens_at": "14:00"})
    assert schedule.next_after(datetime(2025, 3, 2)) == datetime(2025, 4, 5, 14, 0)
    assert weekday_mask([schedule]) == 1 << 5


@pytest.mark.parametrize("raw, reason", [
    ({"freq": "DAILY", "byday": "TU"}, "freq"),
    ({"freq": "WEEKLY", "byday": "1TU"}, "counts weeks of a month"),
    ({"freq": "WEEKLY", "byday": "XX"}, "not a day code"),
    ({"freq": "MONTHLY", "byday": "7SA"}, "no week 7"),
    ({"freq": "WEEKLY", "byday": "TU", "opens_at": "10am"}, "not a time"),
    ({"freq": "WEEKLY", "byday": "TU", "opens_at": "25:00"}, "not a time"),
    ({"freq": "WEEKLY", "byday": "TU", "opens_at": "12:00", "closes_at": "10:00"}, "not after"),
    ({"freq": "MONTHLY"}, "needs byday"),
    ({"freq": "WEEKLY"}, "no day to meet on"),
    ({"freq": "WEEKLY", "byday": "TU", "interval": "often"}, "interval"),
    ({"freq": "WEEKLY", "byday": "TU", "interval": 0}, "interval"),
    ({"freq": "MONTHLY", "bymonthday": "32"}, "bymonthday"),
    ({"freq": "WEEKLY", "byday": "TU", "dtstart": "2025-13-45"}, "not a date"),
    ({"freq": "WEEKLY", "byday": "TU", "valid_from": "2025-02-01", "valid_to": "2025-01-01"}, "before valid_from"),
    ({"byday": "TU"}, "without freq"),
    ({}, "nothing says when"),
])
def test_schedules_that_do_not_parse_are_refused(raw: dict, reason: str) -> None:
    with pytest.raises(ScheduleError, match=reason):
        parse_schedule(raw)


@pytest.mark.parametrize("text, day", [("tue", 1), ("Tuesday", 1), ("tuesdays", 1), ("TU", 1), ("weds", 2),
                                       ("thurs", 3), ("sun", 6), ("sunny", None), ("t", None), ("", None)])
def test_days_are_read_from_what_people_type(text: str, day: int | None) -> None:
    assert parse_day(text) == day


def test_schedule_validity_window() -> None:
    from directory.schedules import active_on

    schedule = parse_schedule({"freq": "WEEKLY", "byday": "TU", "valid_from": "2025-04-01", "valid_to": "2025-09-30"})
    assert active_on(schedule, date(2025, 6, 1))
    assert not active_on(schedule, date(2025, 10, 1))
    assert not active_on(schedule, date(2025, 3, 1))
