"""Rendering console pages: the Jinja2 templates beside this module, and how values are shown in them.

The words a connector reads are in the templates (web/console/templates); Python passes values.
Times are shown in the service's working time zone (WORKING_TIMEZONE).
Dates typed into the console are read in UK order (day, month, year: `read_day`).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import response
from sanic.response import HTTPResponse

from casework.outcomes import PeriodError
from web.guard import CONSOLE, secure_headers

__all__ = ["Pages", "TEMPLATES", "STATIC", "DayParts", "day_parts", "DatesError", "read_day", "typed_days"]

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


# Between a date's numbers: spaces, slashes, dots, commas or dashes ("27 3 2026", "27/03/2026", "27.3.2026").
_SEPARATORS = re.compile(r"[\s/.,-]+")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class DayParts:
    """A typed date's numbers, as far as they were read, for saying what is wrong with it."""

    day: int | None
    month: int | None
    year: int | None
    full_year: bool = True  # the year was written with 4 numbers

    @property
    def month_name(self) -> str:
        return calendar.month_name[self.month] if self.month and 1 <= self.month <= 12 else ""

    @property
    def days_in_month(self) -> int:
        if not (self.month and 1 <= self.month <= 12 and self.year):
            return 31
        return calendar.monthrange(self.year, self.month)[1]


def day_parts(text: str) -> DayParts | None:
    """Day, month and year from "27 3 2026", "27/03/2026", "27 March 2026", "2026-03-27" (or "2026 3 27");
    None when the text is not numbers in one of those shapes. Parts not typed are None."""
    text = text.strip()
    if iso := _ISO.fullmatch(text):
        return DayParts(int(iso[3]), int(iso[2]), int(iso[1]))
    words = [word for word in _SEPARATORS.split(text) if word]
    if not words or len(words) > 3:
        return None
    if len(words) == 3 and len(words[0]) == 4 and len(words[2]) <= 2:
        words.reverse()  # year first, as ISO but with other separators: "2026/03/27"
    numbers: list[int | None] = []
    for place, word in enumerate(words):
        if word.isascii() and word.isdigit() and (place == 2 or len(word) <= 2):
            numbers.append(int(word))
        elif place == 1 and word.lower() in _MONTHS:
            numbers.append(_MONTHS[word.lower()])
        else:
            return None
    day, month, year = [*numbers, None, None][:3]
    return DayParts(day, month, year, full_year=len(words) < 3 or len(words[2]) == 4)


def read_day(text: str) -> date:
    """The date typed in `text` (see `day_parts`), or ValueError whose args[0] says what is wrong:
    not_a_date, no_month, no_year, short_year, no_such_month, no_such_day or far_year."""
    parts = day_parts(text)
    if parts is None or parts.day is None:
        raise ValueError("not_a_date")
    if parts.month is None:
        raise ValueError("no_month")
    if parts.year is None:
        raise ValueError("no_year")
    if not parts.full_year:
        raise ValueError("short_year")
    if not 1 <= parts.month <= 12:
        raise ValueError("no_such_month")
    if not 1 <= parts.day <= parts.days_in_month:
        raise ValueError("no_such_day")
    if not FIRST_YEAR <= parts.year <= LAST_YEAR:
        raise ValueError("far_year")
    return date(parts.year, parts.month, parts.day)


class DatesError(PeriodError):
    """Date fields that cannot be read: `problems` has a code (as `read_day`) for each of them."""

    def __init__(self, problems: dict[str, str]) -> None:
        first = next(iter(problems))
        super().__init__(first, problems[first], f"{', '.join(problems)}: not a date written day, month, year")
        self.problems = problems


def typed_days(typed: dict[str, str], *names: str) -> list[str]:
    """Date fields of a console form as YYYY-MM-DD ("" for one left empty), for casework's `period_from`;
    DatesError naming every field that cannot be read."""
    days, problems = [], {}
    for name in names:
        try:
            days.append(read_day(typed[name]).isoformat() if typed[name].strip() else "")
        except ValueError as problem:
            problems[name] = str(problem.args[0])
    if problems:
        raise DatesError(problems)
    return days


class Pages:
    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["when"] = self.when
        self.env.filters["when_input"] = self.when_input
        self.env.filters["iso"] = lambda value: value.isoformat(timespec="minutes") if value else ""
        self.env.filters["words"] = lambda value: (value or "").replace("_", " ")
        self.env.filters["day"] = self.day
        self.env.filters["short_day"] = lambda value: f"{value.day} {value:%b}"
        self.env.filters["thousands"] = lambda value: f"{value:,}"
        self.env.filters["input_day"] = self.input_day
        self.env.filters["day_parts"] = lambda text: day_parts(text or "") or DayParts(None, None, None)

    def when(self, value: datetime | None) -> str:
        """"Tue 1 Dec, 14:05" in local time (the year only when it is not this year's)."""
        if value is None:
            return ""
        local = value.astimezone(self.zone)
        year = "" if local.year == datetime.now(self.zone).year else f" {local.year}"
        return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"

    def day(self, value: date) -> str:
        """"Wed 11 Mar 2026"."""
        return f"{value:%a} {value.day} {value:%b} {value.year}"

    def input_day(self, value: date) -> str:
        """A date as a date field shows it, in the order it is typed: "27 3 2026"."""
        return f"{value.day} {value.month} {value.year}"

    def today(self) -> date:
        """Today's date where the service works."""
        return datetime.now(self.zone).date()

    def when_input(self, value: datetime | None) -> str:
        """The value a datetime-local input expects."""
        return value.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M") if value else ""

    def local(self, text: str) -> datetime:
        """A datetime-local field ("2026-12-01T10:30") as an aware time in the working time zone."""
        moment = datetime.fromisoformat(text.strip())
        return moment.replace(tzinfo=self.zone) if moment.tzinfo is None else moment

    def render(self, template: str, *, status: int = 200, **values: Any) -> HTTPResponse:
        html = self.env.get_template(template).render(**values)
        return secure_headers(response.html(html, status=status), CONSOLE)
