"""The local day (and week) of a stored UTC time, worked out by the database, so the busiest tables (a county's
year is some 400,000 messages) are counted there and only a few hundred rows come back: the same answer on
SQLite and PostgreSQL, whatever either knows of the service's time zone."""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from sqlalchemy import Date, Integer, cast, extract, func, literal_column
from sqlalchemy import case as sql_case

from casework.outcomes.period import Period

__all__ = ["LocalDays", "offsets"]


class LocalDays:
    """Neither SQLite nor every PostgreSQL time zone setting can be trusted to know the service's zone, so
    the period is cut where the zone's offset from UTC changes (the clocks going forward or back, found
    here with Python's own zone data) and each piece adds its own offset: the same answer on both.
    """

    def __init__(self, period: Period, dialect: str) -> None:
        self.dialect = dialect
        lo, hi = period.bounds()
        self.pieces = offsets(int(lo.timestamp()), int(hi.timestamp()), period.zone)

    def _shifted(self, column: Any, seconds: int) -> Any:
        # Literal SQL (whole seconds we computed), not parameters: the expression is grouped by.
        if self.dialect == "sqlite":
            return func.date(column, literal_column(f"'{seconds:+d} seconds'"))
        return cast(func.timezone("UTC", column) + func.make_interval(0, 0, 0, 0, 0, 0, literal_column(str(seconds))), Date)

    def day(self, column: Any) -> Any:
        if len(self.pieces) == 1:
            return self._shifted(column, self.pieces[0][1])
        whens = [(column < datetime.fromtimestamp(starts, timezone.utc), self._shifted(column, offset))
                 for (_, offset), (starts, _) in zip(self.pieces, self.pieces[1:], strict=False)]
        return sql_case(*whens, else_=self._shifted(column, self.pieces[-1][1]))

    def week(self, day: Any) -> Any:
        """The Monday of a local day's week."""
        if self.dialect == "sqlite":
            return func.date(day, literal_column("'weekday 0'"), literal_column("'-6 days'"))
        return day - (cast(extract("isodow", day), Integer) - 1)


def offsets(lo: int, hi: int, zone: tzinfo) -> list[tuple[int, int]]:
    """(from this second, the zone's offset in seconds) for each stretch of [lo, hi) with one offset."""
    def offset(second: int) -> int:
        delta = datetime.fromtimestamp(second, timezone.utc).astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    pieces = [(lo, offset(lo))]
    day = 86400
    for start in range(lo, hi, day):
        end = min(start + day, hi)
        if offset(end) == pieces[-1][1]:
            continue
        before, after = start, end  # offset(before) is the old one, offset(after) the new: find the second it changed
        while after - before > 1:
            middle = (before + after) // 2
            before, after = (middle, after) if offset(middle) == pieces[-1][1] else (before, middle)
        pieces.append((after, offset(after)))
    return pieces
