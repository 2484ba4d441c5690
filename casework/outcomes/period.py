"""The period the outcomes are counted over: whole local days in the service's time zone (WORKING_TIMEZONE),
`start` to `end` inclusive, read from the `from` and `to` a manager or an API caller gives (YYYY-MM-DD), and
its weeks (Monday to Sunday; the first and last may be partly outside it)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

__all__ = ["MAX_DAYS", "DEFAULT_WEEKS", "FIRST_YEAR", "LAST_YEAR", "PeriodError", "Period", "monday", "period_from"]

# Three years of weeks still draws a readable chart and reads in well under a second.
MAX_DAYS = 3 * 366
DEFAULT_WEEKS = 12
FIRST_YEAR, LAST_YEAR = 2000, 2099


class PeriodError(ValueError):
    """A date range that cannot be used: `field` is "from" or "to", `code` says why."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    zone: tzinfo

    def bounds(self) -> tuple[datetime, datetime]:
        """The period in UTC: from the start of `start` to the start of the day after `end` (exclusive)."""
        first = datetime.combine(self.start, time(0), self.zone).astimezone(timezone.utc)
        after = datetime.combine(self.end + timedelta(days=1), time(0), self.zone).astimezone(timezone.utc)
        return first, after

    def week_starts(self) -> list[date]:
        day = monday(self.start)
        weeks = []
        while day <= self.end:
            weeks.append(day)
            day += timedelta(days=7)
        return weeks


def monday(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _day(text: str, name: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(name, "not_a_date", f"{name} must be a date written YYYY-MM-DD, such as 2026-01-31") from None
    # The service's records are from this century; a far date would overflow the period's arithmetic.
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(name, "out_of_range", f"{name} must be a date from {FIRST_YEAR} to {LAST_YEAR}")
    return day


def period_from(start: str | None, end: str | None, *, today: date, zone: tzinfo) -> Period:
    """The period asked for by `from` and `to` (YYYY-MM-DD). Without `to`: today; without `from`: the
    Monday DEFAULT_WEEKS - 1 weeks before the week of `to` (so DEFAULT_WEEKS whole weeks show)."""
    last = _day(end.strip(), "to") if end and end.strip() else today
    first = _day(start.strip(), "from") if start and start.strip() else monday(last) - timedelta(weeks=DEFAULT_WEEKS - 1)
    if first > last:
        raise PeriodError("from", "after_to", "from must be on or before to")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("from", "too_long", f"a period can be at most {MAX_DAYS} days long")
    return Period(first, last, zone)
