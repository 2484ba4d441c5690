"""What a resident is shown of a group found for them (`ActivityMatch`): its name, when and where it
meets, the cost and contact, how far away, and the reasons it came up ("2.1 miles away", "Tuesdays
10am", "free"), in GSM-7-safe words; a group whose schedules have all ended, or that meets at another
time of day than asked for, is not shown.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from directory import schedules
from directory.ranking import WEIGHTS, Candidate
from service.text import response_text, to_gsm_basic

__all__ = ["TIMES_OF_DAY", "ActivityMatch", "display_rows", "build_match"]

# Parts of the day a resident can ask for, by the hour a session starts: [from, to).
TIMES_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


@dataclass(frozen=True)
class ActivityMatch:
    service_id: str
    name: str
    when: str  # "Tuesdays 10am-12pm"; "" when the directory does not say
    where: str  # "St Hilary's Church Hall, CH45 3JB"; "By phone" / "Online" / "At home" for remote services
    cost: str  # "Free", "£2 per session", or the publisher's words; "" when unknown
    contact: str  # a phone number, else an email address, else a web address; "" when none
    distance_miles: float | None
    reasons: tuple[str, ...]  # ("2.1 miles away", "Tuesdays 10am", "free")
    score: float
    score_parts: tuple[tuple[str, float], ...]
    organization: str
    description: str
    postcode: str
    is_free: bool
    is_drop_in: bool
    is_sample: bool

    @property
    def where_and_how_far(self) -> str:
        """`where` with the distance when there is one: "Liscard Hub, CH44 5TN (0.4 miles away)"."""
        if self.distance_miles is None:
            return self.where
        return f"{self.where} ({_distance_text(self.distance_miles)})"

    @property
    def postcode_and_how_far(self) -> str:
        """Just the postcode and the distance, for a list in a text message: "CH44 5TN (0.4 miles away)".
        `where_and_how_far` when either is missing (a service by phone has no postcode)."""
        if not self.postcode or self.distance_miles is None:
            return self.where_and_how_far
        return f"{self.postcode} ({_distance_text(self.distance_miles)})"


def display_rows(session: Session, entry_ids: list[int]) -> dict[int, Any]:
    if not entry_ids:
        return {}
    rows = session.connection().execute(_display_sql(len(entry_ids)), {f"e{i}": e for i, e in enumerate(entry_ids)})
    return {row.id: row for row in rows}


@lru_cache(maxsize=64)
def _display_sql(count: int) -> TextClause:
    ids = ", ".join(f":e{i}" for i in range(count))
    return text(
        "SELECT id, name, organization, summary, when_text, where_text, cost_text, contact, postcode, schedules_json, "  # noqa: S608  (only counts and fixed names; values are bound)
        f"is_sample, is_free, is_drop_in, wheelchair, hearing_loop FROM directory_search_entry WHERE id IN ({ids})"
    )


def build_match(candidate: Candidate, row: Any, weekday: int | None, today: date,
                 time_of_day: str | None = None) -> ActivityMatch | None:
    parsed = [schedules.parse_schedule(s) for s in json.loads(row.schedules_json)]
    current = [s for s in parsed if schedules.active_on(s, today)]
    if parsed and not current:
        return None  # every schedule has ended (or not begun): the group is not meeting now
    if time_of_day is not None and not _starts_in(current, weekday, time_of_day):
        return None
    reasons: list[str] = []
    if candidate.distance is not None:
        reasons.append(_distance_text(candidate.distance))
    day_schedule = _schedule_for_day(current, weekday)
    if day_schedule is not None:
        reasons.append(_short_when(day_schedule, weekday))
    if row.is_free:
        reasons.append("free")
    if row.is_drop_in:
        reasons.append("drop-in")
    if candidate.parts.get("access"):
        if row.wheelchair:
            reasons.append("wheelchair access")
        if row.hearing_loop:
            reasons.append("hearing loop")
    when = row.when_text if len(current) == len(parsed) else schedules.describe_all(current)
    return ActivityMatch(
        service_id=candidate.service_id,
        name=row.name,
        when=to_gsm_basic(when),
        where=row.where_text,
        cost=row.cost_text,
        contact=row.contact,
        distance_miles=round(candidate.distance, 1) if candidate.distance is not None else None,
        reasons=tuple(to_gsm_basic(r) for r in reasons),
        score=candidate.score,
        score_parts=tuple((k, round(WEIGHTS[k] * v, 4)) for k, v in candidate.parts.items()),
        organization=row.organization,
        description=row.summary,
        postcode=row.postcode,
        is_free=bool(row.is_free),
        is_drop_in=bool(row.is_drop_in),
        is_sample=bool(row.is_sample),
    )


def _starts_in(current: list[schedules.Schedule], weekday: int | None, time_of_day: str) -> bool:
    """Whether a session (on the asked-for day, if any) starts in that part of the day; True when no
    session gives a time at all, since a group that says "ring to arrange" may well suit."""
    timed = [s for s in current if s.opens_at is not None and (weekday is None or weekday in s.weekdays)]
    if not timed:
        return not any(s.opens_at is not None for s in current)
    start, end = TIMES_OF_DAY[time_of_day]
    return any(start <= s.opens_at.hour < end for s in timed if s.opens_at is not None)


def _distance_text(miles: float) -> str:
    """How far, in the domain's words (bot/domain/responses_search.yml): "0.4 miles away"."""
    if miles < 0.1:
        return response_text("utter_words_very_close")
    if 0.95 <= miles < 1.05:
        return response_text("utter_words_one_mile")
    return response_text("utter_words_miles_away").format(miles=f"{miles:.1f}")


def _schedule_for_day(current: list[schedules.Schedule], weekday: int | None) -> schedules.Schedule | None:
    timed = [s for s in current if s.freq is not None]
    if weekday is not None:
        return next((s for s in timed if weekday in s.weekdays), None)
    return timed[0] if timed else None


def _short_when(schedule: schedules.Schedule, weekday: int | None) -> str:
    """"Tuesdays 10am" / "First Saturday of the month, 2pm": the day and the start, for a reason line."""
    if weekday is not None and schedule.freq == "WEEKLY" and len(schedule.weekdays) > 1:
        schedule = schedules.Schedule(**{**schedule.__dict__, "byday": ((None, weekday),)})
    days = schedules.describe_days(schedule)
    if schedule.opens_at is None:
        return days
    start = schedules.format_time(schedule.opens_at)
    return f"{days}, {start}" if schedule.freq == "MONTHLY" else f"{days} {start}"
