"""Rendering console pages: the Jinja2 templates beside this module, and how values are shown in them.

The words a connector reads are in the templates (web/console/templates); Python passes values.
Times are shown in the service's working time zone (WORKING_TIMEZONE).
"""
from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import response
from sanic.response import HTTPResponse

from web.console.guard import secure_headers

__all__ = ["Pages", "TEMPLATES", "STATIC"]

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


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
        return secure_headers(response.html(html, status=status))
