"""Working hours in Europe/London: when routine alerts go, and how their clock runs."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from casework.cases.alert_settings import alert_settings
from casework.working_hours import WorkingHours, WorkingHoursError

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.parse("Mon-Fri 09:00-17:00")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON).astimezone(timezone.utc)


def test_open_and_closed_moments():
    assert HOURS.is_open(london(2026, 11, 25, 9, 0))  # Wednesday
    assert not HOURS.is_open(london(2026, 11, 25, 17, 0))
    assert not HOURS.is_open(london(2026, 11, 28, 12, 0))  # Saturday


def test_the_next_working_moment():
    wednesday_noon = london(2026, 11, 25, 12, 0)
    assert HOURS.next_open(wednesday_noon) == wednesday_noon
    assert HOURS.next_open(london(2026, 11, 25, 18, 0)) == london(2026, 11, 26, 9, 0)
    assert HOURS.next_open(london(2026, 11, 27, 17, 30)) == london(2026, 11, 30, 9, 0)  # Friday evening -> Monday


def test_working_seconds_skip_nights_and_weekends():
    day = 8 * 3600
    assert HOURS.add_working_seconds(london(2026, 11, 25, 10, 0), 3600) == london(2026, 11, 25, 11, 0)
    assert HOURS.add_working_seconds(london(2026, 11, 27, 16, 0), day) == london(2026, 11, 30, 16, 0)
    assert HOURS.add_working_seconds(london(2026, 11, 28, 22, 0), day) == london(2026, 11, 30, 17, 0)
    assert HOURS.add_working_seconds(london(2026, 11, 25, 10, 0), 10 * day) == london(2026, 12, 9, 10, 0)


def test_the_clock_change_keeps_the_local_hours():
    # British Summer Time ends on Sunday 25 October 2026: 09:00 local is 08:00 UTC before, 09:00 UTC after.
    assert HOURS.next_open(london(2026, 10, 23, 18, 0)) == datetime(2026, 10, 26, 9, 0, tzinfo=timezone.utc)
    assert HOURS.next_open(london(2026, 10, 22, 18, 0)) == datetime(2026, 10, 23, 8, 0, tzinfo=timezone.utc)


def test_several_rules_and_overlaps():
    hours = WorkingHours.parse("Mon-Fri 09:00-17:00; Sat 10:00-12:00; Fri 16:00-18:00")
    assert hours.next_open(london(2026, 11, 27, 17, 30)) == london(2026, 11, 27, 17, 30)  # late Friday rule
    assert hours.add_working_seconds(london(2026, 11, 27, 17, 0), 2 * 3600) == london(2026, 11, 28, 11, 0)


@pytest.mark.parametrize("spec", ["", "weekdays 9-5", "Mon-Fri 17:00-09:00", "Funday 09:00-10:00", "Mon 25:00-26:00"])
def test_nonsense_is_refused(spec):
    with pytest.raises(WorkingHoursError):
        WorkingHours.parse(spec)


def test_the_settings_come_from_extra_or_the_environment(casework_settings, monkeypatch, tmp_path):
    monkeypatch.setenv("ALERT_ACK_SECONDS_URGENT", "300")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    settings = dataclasses.replace(casework_settings, extra={"WORKING_HOURS": "Mon-Sun 08:00-20:00"})
    policy = alert_settings(settings)
    assert policy.ack_seconds == {"urgent": 300.0, "high": 3600.0, "routine": 28800.0}
    assert policy.working_hours.is_open(london(2026, 11, 29, 19, 0))  # a Sunday evening
    assert policy.crisis_spool_path == tmp_path / "crisis-spool.jsonl"
    saturday = london(2026, 11, 28, 22, 0)
    assert policy.due_at("urgent", saturday) == saturday + timedelta(seconds=300)
    assert policy.sends_at("urgent", saturday) == saturday
    assert policy.sends_at("routine", saturday) == london(2026, 11, 29, 8, 0)
