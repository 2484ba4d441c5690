"""When does a group meet? ORUK schedules (iCal RRULE fields) parsed, checked and said in plain words.

A schedule the bot cannot read correctly would send a lonely person to a locked hall, so anything
that does not parse is rejected at import (`ScheduleError`), never guessed at. Parsing uses
`dateutil.rrule`, the reference RFC 5545 implementation in Python.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil import rrule
from dateutil.parser import isoparse

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FREQUENCIES = ("WEEKLY", "MONTHLY")  # the ORUK 3.0 enum
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", -1: "Last", -2: "Second to last"}
_DAY_ALIASES = {name[:3].upper(): code for name, code in zip(DAY_NAMES, DAY_CODES, strict=True)} | {
    name.upper(): code for name, code in zip(DAY_NAMES, DAY_CODES, strict=True)
} | {"TUES": "TU", "WEDS": "WE", "THUR": "TH", "THURS": "TH"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?([A-Z]+)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
# Used to anchor rules that have no dtstart; only the weekday pattern matters then.
_ANCHOR = date(2024, 1, 1)


class ScheduleError(ValueError):
    """The schedule cannot be read; the message says why, for the import report."""


@dataclass(frozen=True)
class Schedule:
    freq: str | None  # WEEKLY | MONTHLY | None (description only: "ring to arrange")
    interval: int
    byday: tuple[tuple[int | None, int], ...]  # (ordinal or None, weekday 0=Monday)
    bymonthday: tuple[int, ...]
    opens_at: time | None
    closes_at: time | None
    dtstart: date | None
    valid_from: date | None
    valid_to: date | None
    description: str

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(day for _, day in self.byday)

    def as_oruk(self) -> dict[str, object]:
        """The fields as ORUK stores them (upper-case codes, HH:MM times)."""
        return {
            "freq": self.freq,
            "interval": self.interval if self.freq else None,
            "byday": ",".join(f"{'' if n is None else n}{DAY_CODES[d]}" for n, d in self.byday) or None,
            "bymonthday": ",".join(str(d) for d in self.bymonthday) or None,
            "opens_at": self.opens_at.strftime("%H:%M") if self.opens_at else None,
            "closes_at": self.closes_at.strftime("%H:%M") if self.closes_at else None,
            "dtstart": self.dtstart.isoformat() if self.dtstart else None,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "description": self.description or None,
        }

    def rule(self) -> rrule.rrule | None:
        if self.freq is None:
            return None
        start = self.dtstart or self.valid_from or _ANCHOR
        opens = self.opens_at or time(0, 0)
        until = datetime.combine(self.valid_to, time(23, 59)) if self.valid_to else None
        kwargs: dict[str, object] = {}
        if self.byday:
            kwargs["byweekday"] = [rrule.weekday(day, n) if n else rrule.weekday(day) for n, day in self.byday]
        if self.bymonthday:
            kwargs["bymonthday"] = list(self.bymonthday)
        return rrule.rrule(
            rrule.WEEKLY if self.freq == "WEEKLY" else rrule.MONTHLY,
            dtstart=datetime.combine(start, opens),
            interval=self.interval,
            until=until,
            **kwargs,  # type: ignore[arg-type]
        )

    def next_after(self, moment: datetime) -> datetime | None:
        rule = self.rule()
        return rule.after(moment) if rule is not None else None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parse_time(value: object, field: str) -> time | None:
    raw = _text(value)
    if not raw:
        return None
    match = _TIME.match(raw)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ScheduleError(f"{field} {raw!r} is not a time like 10:00")
    return time(int(match.group(1)), int(match.group(2)))


def _parse_date(value: object, field: str) -> date | None:
    raw = _text(value)
    if not raw:
        return None
    try:
        return isoparse(raw).date()
    except (ValueError, OverflowError):
        raise ScheduleError(f"{field} {raw!r} is not a date like 2025-01-31") from None


def _parse_byday(raw: str, freq: str | None) -> tuple[tuple[int | None, int], ...]:
    days: list[tuple[int | None, int]] = []
    for token in filter(None, (t.strip().upper() for t in raw.split(","))):
        match = _BYDAY.match(token.replace(" ", ""))
        code = _DAY_ALIASES.get(match.group(2), match.group(2)) if match else None
        if not match or code not in DAY_CODES:
            raise ScheduleError(f"byday {token!r} is not a day code like TU or 1SA")
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None:
            if freq != "MONTHLY":
                raise ScheduleError(f"byday {token!r} counts weeks of a month but freq is {freq or 'missing'}, not MONTHLY")
            if ordinal == 0 or not -5 <= ordinal <= 5:
                raise ScheduleError(f"byday {token!r}: a month has no week {ordinal}")
        day = (ordinal, DAY_CODES.index(code))
        if day not in days:
            days.append(day)
    return tuple(days)


def parse_schedule(raw: dict[str, object]) -> Schedule:
    """Check an ORUK schedule (3.0 field names) and return it normalised; raise ScheduleError if it cannot be read."""
    freq_text = _text(raw.get("freq")).upper() or None
    if freq_text is not None and freq_text not in FREQUENCIES:
        raise ScheduleError(f"freq {raw.get('freq')!r} is not one of {', '.join(FREQUENCIES)}")
    interval_raw = raw.get("interval")
    try:
        interval = int(float(_text(interval_raw))) if _text(interval_raw) else 1
    except ValueError:
        raise ScheduleError(f"interval {interval_raw!r} is not a whole number") from None
    if not 1 <= interval <= 52:
        raise ScheduleError(f"interval {interval} is not between 1 and 52")
    byday = _parse_byday(_text(raw.get("byday")), freq_text)
    bymonthday: list[int] = []
    for token in filter(None, (t.strip() for t in _text(raw.get("bymonthday")).split(","))):
        try:
            day = int(token)
        except ValueError:
            raise ScheduleError(f"bymonthday {token!r} is not a day of the month") from None
        if day == 0 or not -31 <= day <= 31:
            raise ScheduleError(f"bymonthday {day} is not a day of the month")
        bymonthday.append(day)
    if bymonthday and freq_text != "MONTHLY":
        raise ScheduleError("bymonthday needs freq MONTHLY")
    opens_at = _parse_time(raw.get("opens_at"), "opens_at")
    closes_at = _parse_time(raw.get("closes_at"), "closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ScheduleError(f"closes_at {closes_at:%H:%M} is not after opens_at {opens_at:%H:%M}")
    dtstart = _parse_date(raw.get("dtstart"), "dtstart")
    valid_from = _parse_date(raw.get("valid_from"), "valid_from")
    valid_to = _parse_date(raw.get("valid_to"), "valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise ScheduleError(f"valid_to {valid_to} is before valid_from {valid_from}")
    description = _text(raw.get("description"))
    if freq_text is None:
        if byday or bymonthday:
            raise ScheduleError("byday/bymonthday given without freq")
        if not description:
            raise ScheduleError("no freq and no description: nothing says when it happens")
    elif freq_text == "WEEKLY" and not byday:
        start = dtstart or valid_from
        if start is None:
            raise ScheduleError("freq WEEKLY without byday or dtstart: no day to meet on")
        byday = ((None, start.weekday()),)
    elif freq_text == "MONTHLY" and not byday and not bymonthday:
        raise ScheduleError("freq MONTHLY needs byday (like 1SA) or bymonthday")
    schedule = Schedule(
        freq=freq_text, interval=interval if freq_text else 1, byday=byday, bymonthday=tuple(bymonthday),
        opens_at=opens_at, closes_at=closes_at, dtstart=dtstart, valid_from=valid_from, valid_to=valid_to,
        description=description,
    )
    rule = schedule.rule()
    if rule is not None:
        try:
            first = rule.after(rule._dtstart - timedelta(seconds=1), inc=True)  # type: ignore[attr-defined]
        except (ValueError, OverflowError) as error:
            raise ScheduleError(f"the recurrence cannot be computed: {error}") from None
        if first is None:
            raise ScheduleError("the recurrence never happens")
    return schedule


def format_time(value: time) -> str:
    """10:00 -> "10am", 14:30 -> "2:30pm", 12:00 -> "12pm" (how people write it on a poster)."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _ordinal_day(day: int) -> str:
    if day < 0:
        return "last day" if day == -1 else f"{-day}th to last day"
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def describe_days(schedule: Schedule) -> str:
    """"Tuesdays", "Every other Wednesday", "First Saturday of the month"."""
    if schedule.freq is None:
        return schedule.description
    if schedule.freq == "WEEKLY":
        days = sorted(schedule.weekdays)
        if schedule.interval == 1:
            if days == [0, 1, 2, 3, 4]:
                return "Weekdays"
            if days == list(range(7)):
                return "Every day"
            return _join([DAY_NAMES[d] + "s" for d in days])
        names = _join([DAY_NAMES[d] for d in days])
        return f"Every other {names}" if schedule.interval == 2 else f"Every {schedule.interval} weeks on {names}"
    every = "of the month" if schedule.interval == 1 else f"of every {schedule.interval} months"
    if schedule.byday:
        by_weekday: dict[int, list[int | None]] = {}
        for n, day in schedule.byday:
            by_weekday.setdefault(day, []).append(n)
        parts = []
        for day, ordinals in sorted(by_weekday.items()):
            if ordinals == [None]:
                parts.append(f"Every {DAY_NAMES[day]}")
                continue
            words = [ORDINALS.get(n, f"{n}th").lower() for n in sorted(o for o in ordinals if o is not None)]
            parts.append(f"{_join(words).capitalize()} {DAY_NAMES[day]}")
        return f"{_join(parts)} {every}"
    return f"The {_join([_ordinal_day(d) for d in schedule.bymonthday])} {every}"


def describe_times(schedule: Schedule) -> str:
    if schedule.opens_at and schedule.closes_at:
        return f"{format_time(schedule.opens_at)}-{format_time(schedule.closes_at)}"
    if schedule.opens_at:
        return format_time(schedule.opens_at)
    return ""


def describe(schedule: Schedule) -> str:
    """"Tuesdays 10am-12pm", "First Saturday of the month, 2pm"."""
    days, times = describe_days(schedule), describe_times(schedule)
    if not times or schedule.freq is None:
        return days
    return f"{days}, {times}" if schedule.freq == "MONTHLY" else f"{days} {times}"


def describe_all(schedules: list[Schedule]) -> str:
    return "; ".join(describe(s) for s in schedules if describe(s))


def weekday_mask(schedules: list[Schedule]) -> int:
    """Bit 0 = Monday ... bit 6 = Sunday, for every weekday some schedule meets on."""
    mask = 0
    for schedule in schedules:
        for day in schedule.weekdays:
            mask |= 1 << day
    return mask


def parse_day(text: str) -> int | None:
    """"tue", "Tuesday", "tuesdays", "TU", "weds" -> weekday number (0 = Monday); None if not a day."""
    key = re.sub(r"[^A-Z]", "", (text or "").upper())
    if key in DAY_CODES:
        return DAY_CODES.index(key)
    if key in _DAY_ALIASES:
        return DAY_CODES.index(_DAY_ALIASES[key])
    key = key[:-1] if key.endswith("S") and len(key) > 3 else key
    for index, name in enumerate(DAY_NAMES):
        if len(key) >= 3 and name.upper().startswith(key):
            return index
    return None


def active_on(schedule: Schedule, today: date) -> bool:
    """False once valid_to has passed or before valid_from (a summer-only walk in winter)."""
    if schedule.valid_to and today > schedule.valid_to:
        return False
    if schedule.valid_from and today < schedule.valid_from:
        return False
    return True
