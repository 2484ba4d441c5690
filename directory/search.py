"""`find_activities`: the few best activities for what a resident enjoys, near where they live.

The question is read (a place located, a day and a time of day checked, the interest's terms and, for
a `wish`, what it means), the candidates ranked (directory.ranking, whose docstring gives the score's
parts and weights), and the best few that are meeting now shown (directory.activity_matches), one per
service.

Filters, for a resident who asked ("free ones?", "can I just turn up?", "I use a wheelchair", "mornings"):
`free_only`, `drop_in_only`, `step_free_only` and `time_of_day` keep only the groups that say so; a group
whose schedule gives no time is kept by `time_of_day` (it may well suit: ask them).

Ties break on distance, then name, then id, so the same question always gets the same answer.
"""
from __future__ import annotations

import itertools
from datetime import date
from typing import Union

from sqlalchemy.orm import Session

from directory import interests, meaning, schedules
from directory.activity_matches import TIMES_OF_DAY, ActivityMatch, build_match, display_rows
from directory.geocoding import Place, locate
from directory.ranking import Only, Wants, bounding_box, closest_by_meaning, in_order, ranked

__all__ = ["DEFAULT_RADIUS_MILES", "UnknownPlace", "find_activities"]

DEFAULT_RADIUS_MILES = 10.0


class UnknownPlace(ValueError):
    """`near` was given but could not be located; the bot should ask for a postcode or town again."""

    def __init__(self, text: str) -> None:
        super().__init__(f"cannot locate {text!r}")
        self.text = text


def find_activities(
    session: Session,
    *,
    interest: str,
    near: Union[str, Place, None] = None,
    day: str | None = None,
    free_only: bool = False,
    limit: int = 3,
    within_miles: float = DEFAULT_RADIUS_MILES,
    wheelchair: bool = False,
    hearing_loop: bool = False,
    prefer_drop_in: bool = True,
    drop_in_only: bool = False,
    step_free_only: bool = False,
    time_of_day: str | None = None,
    today: date | None = None,
    wish: str | None = None,
) -> list[ActivityMatch]:
    """Rank active services for `interest` near `near` (postcode, outcode, town or Place).

    `day` ("tue", "Tuesday") keeps groups meeting that day plus groups with no fixed day; `free_only`
    keeps only free ones, `drop_in_only` those needing no booking or referral, `step_free_only` those
    with wheelchair access, `time_of_day` ("morning", "afternoon", "evening") those starting then.
    `wish` (the resident's own words, places taken out) is matched by meaning as well, against the
    groups near `near`: the interests it means are searched for, and a group whose description fits
    is found without sharing a word. Raises UnknownPlace when `near` cannot be located, and ValueError
    for a day that is not a day or a time of day that is not one. Results are plain dataclasses with
    GSM-7-safe text.
    """
    today = today or date.today()
    place = _resolve(session, near)
    if limit <= 0:
        return []
    weekday = None
    if day:
        weekday = schedules.parse_day(day)
        if weekday is None:
            raise ValueError(f"{day!r} is not a day of the week")
    if time_of_day is not None and time_of_day not in TIMES_OF_DAY:
        raise ValueError(f"{time_of_day!r} is not one of {', '.join(TIMES_OF_DAY)}")
    terms = interests.query_terms(interest or "")
    only = Only(free_only, drop_in_only, step_free_only)
    wish_vector = meaning.wish_vector(wish) if wish and place is not None else None
    meant: dict[int, float] = {}
    if wish and wish_vector is not None:
        for term, closeness in meaning.interests_meant(wish).items():
            terms[term] = max(terms.get(term, 0.0), closeness)
        meant = closest_by_meaning(session, wish_vector, bounding_box(place, within_miles), weekday, only)  # type: ignore[arg-type]
    wants = Wants(place, within_miles, weekday, wheelchair, hearing_loop, prefer_drop_in, bool(terms) or bool(meant))
    candidates = ranked(session, terms, wants, only, meant)
    # Only the best few are needed unless schedules have lapsed or a service shows up at several places.
    ordered = in_order(candidates, wants, max(limit * 10, 30))
    matches: list[ActivityMatch] = []
    seen: set[str] = set()
    # Display columns are read a few rows at a time: most searches need only the first handful.
    batch_size = limit + 2
    while True:
        batch = [c for c in itertools.islice(ordered, batch_size) if c.service_id not in seen]
        if not batch:
            break
        shown = display_rows(session, [c.entry_id for c in batch])
        for candidate in batch:
            if candidate.service_id in seen or candidate.entry_id not in shown:
                continue
            match = build_match(candidate, shown[candidate.entry_id], weekday, today, time_of_day)
            if match is None:
                continue
            seen.add(candidate.service_id)
            matches.append(match)
            if len(matches) >= limit:
                return _sorted_matches(matches)
    return _sorted_matches(matches)


def _sorted_matches(matches: list[ActivityMatch]) -> list[ActivityMatch]:
    return sorted(matches, key=lambda m: (-m.score, m.distance_miles if m.distance_miles is not None else 1e9,
                                          m.name.lower(), m.service_id))


def _resolve(session: Session, near: Union[str, Place, None]) -> Place | None:
    if near is None or isinstance(near, Place):
        return near
    if not near.strip():
        return None
    place = locate(session, near)
    if place is None:
        raise UnknownPlace(near)
    return place
