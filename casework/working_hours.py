"""Working hours ("Mon-Fri 09:00-17:00" in Europe/London): when routine alerts may go and run their clock.

Urgent and high alerts never wait for working hours; routine ones are sent at the next working moment
and their acknowledgement time counts working seconds only, so a routine alert raised on Friday at
16:00 with one working day (28,800 s) to answer is due on Monday at 16:00.

The spec is one or more rules separated by ";": days (Mon-Fri, Sat, Mon,Wed) then HH:MM-HH:MM, local
time in the given zone (so a day is 8 hours on both sides of a clock change). Bank holidays are not
known: add them as a rota gap if they matter.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

__all__ = ["WorkingHours", "WorkingHoursError"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RULE = re.compile(r"^\s*(?P<days>[a-z,\- ]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$", re.IGNORECASE)


class WorkingHoursError(ValueError):
    pass


@dataclass(frozen=True)
class WorkingHours:
    spec: str
    zone: ZoneInfo
    # weekday (0 = Monday) -> (start, end) local times
    windows: tuple[tuple[int, time, time], ...]

    @classmethod
    def parse(cls, spec: str, zone: str = "Europe/London") -> WorkingHours:
        windows: list[tuple[int, time, time]] = []
        for part in (p for p in spec.split(";") if p.strip()):
            match = _RULE.match(part)
            if not match:
                raise WorkingHoursError(f"cannot read working hours {part.strip()!r}: expected e.g. 'Mon-Fri 09:00-17:00'")
            start, end = _clock(match["start"]), _clock(match["end"])
            if end <= start:
                raise WorkingHoursError(f"working hours {part.strip()!r} end before they start")
            for day in _days(match["days"]):
                windows.append((day, start, end))
        if not windows:
            raise WorkingHoursError("working hours name no day")
        try:
            tz = ZoneInfo(zone)
        except Exception as error:  # ZoneInfoNotFoundError, ValueError
            raise WorkingHoursError(f"unknown time zone {zone!r}") from error
        return cls(spec=spec, zone=tz, windows=tuple(sorted(windows)))

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        out: list[tuple[datetime, datetime]] = []
        for weekday, start, end in self.windows:  # sorted by start, so overlaps merge in one pass
            if weekday != day.weekday():
                continue
            begin = datetime.combine(day, start, self.zone).astimezone(timezone.utc)
            finish = datetime.combine(day, end, self.zone).astimezone(timezone.utc)
            if out and begin <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], finish))
            else:
                out.append((begin, finish))
        return out

    def _from(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (UTC) that end after `at`, in order, without end (every week has one)."""
        day = at.astimezone(self.zone).date() - timedelta(days=1)
        while True:
            for start, end in self._intervals(day):
                if end > at:
                    yield start, end
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        return any(start <= at < end for start, end in self._intervals(at.astimezone(self.zone).date()))

    def open_until(self, at: datetime) -> datetime | None:
        """The end of the period `at` is in, or None outside working hours."""
        return next((end for start, end in self._intervals(at.astimezone(self.zone).date()) if start <= at < end), None)

    def next_open(self, at: datetime) -> datetime:
        """`at` itself during working hours, else the start of the next working period."""
        start, _end = next(self._from(at))
        return max(start, at)

    def add_working_seconds(self, at: datetime, seconds: float) -> datetime:
        """The moment `seconds` of working time after `at` (time outside working hours does not count)."""
        left = timedelta(seconds=seconds)
        for start, end in self._from(at):
            begin = max(start, at)
            if begin + left <= end:
                return begin + left
            left -= end - begin
        raise AssertionError("unreachable: _from never ends")


def _clock(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24 and minutes == 0:
        return time(23, 59, 59, 999999)
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise WorkingHoursError(f"not a time of day: {text}")
    return time(hours, minutes)


def _days(text: str) -> list[int]:
    days: list[int] = []
    for item in (i.strip().lower() for i in text.split(",") if i.strip()):
        first, _, last = item.partition("-")
        try:
            a = _DAYS.index(first.strip()[:3])
            b = _DAYS.index(last.strip()[:3]) if last else a
        except ValueError:
            raise WorkingHoursError(f"not a day: {item!r} (use Mon, Tue, ... Sun)") from None
        days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return days
