"""When an activity next meets: the earliest next session over its schedules (local time, naive).

Used for the "did you go?" check-in: the bot offers to ask only when the directory says when the
group meets. A schedule that cannot be read, or one that says only "ring to arrange", gives no date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Schedule as ScheduleRow
from directory.schedules import ScheduleError, parse_schedule

__all__ = ["Meeting", "next_meeting"]

_FIELDS = ("freq", "interval", "byday", "bymonthday", "opens_at", "closes_at", "dtstart", "valid_from", "valid_to", "description")


@dataclass(frozen=True)
class Meeting:
    starts: datetime  # local, naive (the directory's times are the venue's own clock)
    ends: datetime | None  # None when the directory gives no closing time


def next_meeting(session: Session, service_id: str, after: datetime) -> Meeting | None:
    """The first session of `service_id` starting after `after` (local, naive), or None."""
    found: Meeting | None = None
    for row in session.scalars(select(ScheduleRow).where(ScheduleRow.service_id == service_id)):
        try:
            schedule = parse_schedule({name: getattr(row, name) for name in _FIELDS})
        except ScheduleError:
            continue  # rejected at import; a row that slipped through never gives a date
        starts = schedule.next_after(after)
        if starts is None or (found is not None and starts >= found.starts):
            continue
        if schedule.opens_at is None:
            starts = datetime.combine(starts.date(), time(0, 0))
        ends = datetime.combine(starts.date(), schedule.closes_at) if schedule.closes_at else None
        found = Meeting(starts, ends)
    return found
