"""`find_activities`: the few best activities for what a resident enjoys, near where they live.

Ranking is a weighted sum of parts, each between 0 and 1, kept in `ActivityMatch.score_parts` so the
bot (and a connector reading the log) can see why a suggestion came first:

    interest 0.50  how closely the group's name, taxonomy or description means what they asked for:
                   by words, 70% the closest matching term and 30% how many of the asked-for terms
                   match; by meaning (`wish`, directory.meaning), how close the group's sentence vector
                   is to the resident's words; the better of the two
    distance 0.30  1 at the door, 0 at the edge of the search radius
    day      0.10  meets on the day asked for (1), or has no fixed day such as phone befriending (0.3)
    free     0.05  costs nothing
    drop_in  0.05  no referral or booking needed: the easiest first step for someone who is isolated
    access   0.05  each of wheelchair access / hearing loop, when asked for

Filters, for a resident who asked ("free ones?", "can I just turn up?", "I use a wheelchair", "mornings"):
`free_only`, `drop_in_only`, `step_free_only` and `time_of_day` keep only the groups that say so; a group
whose schedule gives no time is kept by `time_of_day` (it may well suit: ask them).

Ties break on distance, then name, then id, so the same question always gets the same answer.
"""
from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from math import cos, floor, radians, sqrt
from typing import Any, Union

from sqlalchemy import literal, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from directory import interests, meaning, schedules
from directory.geocoding import Place, locate
from directory.models import SearchEntry
from service.text import response_text, to_gsm_basic

# Parts of the day a resident can ask for, by the hour a session starts: [from, to).
TIMES_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
WEIGHTS = {"interest": 0.50, "distance": 0.30, "day": 0.10, "free": 0.05, "drop_in": 0.05, "access": 0.05}
DEFAULT_RADIUS_MILES = 10.0
# Below this an interest match is a passing mention ("tea after the walk" is not a coffee morning).
MIN_INTEREST = 0.4
MILES_PER_DEGREE_LAT = 69.05


class UnknownPlace(ValueError):
    """`near` was given but could not be located; the bot should ask for a postcode or town again."""

    def __init__(self, text: str) -> None:
        super().__init__(f"cannot locate {text!r}")
        self.text = text


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


@dataclass
class _Candidate:
    entry_id: int
    service_id: str
    sal_id: str | None
    distance: float | None
    days: int
    parts: dict[str, float]
    score: float = 0.0


def _bounding_box(place: Place, radius: float) -> tuple[float, float, float, float]:
    dlat = radius / MILES_PER_DEGREE_LAT
    dlon = radius / (MILES_PER_DEGREE_LAT * max(cos(radians(place.lat)), 0.01))
    return place.lat - dlat, place.lat + dlat, place.lon - dlon, place.lon + dlon


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
    only = _Only(free_only, drop_in_only, step_free_only)
    wish_vector = meaning.wish_vector(wish) if wish and place is not None else None
    meant: dict[int, float] = {}
    if wish and wish_vector is not None:
        for term, closeness in meaning.interests_meant(wish).items():
            terms[term] = max(terms.get(term, 0.0), closeness)
        meant = _meant(session, wish_vector, _bounding_box(place, within_miles), weekday, only)  # type: ignore[arg-type]
    wants = _Wants(place, within_miles, weekday, wheelchair, hearing_loop, prefer_drop_in, bool(terms) or bool(meant))
    ranked = _candidates(session, terms, wants, only, meant)
    # Only the best few are needed unless schedules have lapsed or a service shows up at several places.
    ordered = _in_order(ranked, wants, max(limit * 10, 30))
    matches: list[ActivityMatch] = []
    seen: set[str] = set()
    # Display columns are read a few rows at a time: most searches need only the first handful.
    batch_size = limit + 2
    while True:
        batch = [c for c in itertools.islice(ordered, batch_size) if c.service_id not in seen]
        if not batch:
            break
        shown = _display_rows(session, [c.entry_id for c in batch])
        for candidate in batch:
            if candidate.service_id in seen or candidate.entry_id not in shown:
                continue
            match = _build_match(candidate, shown[candidate.entry_id], weekday, today, time_of_day)
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


@dataclass(frozen=True)
class _Wants:
    place: Place | None
    radius: float
    weekday: int | None
    wheelchair: bool
    hearing_loop: bool
    prefer_drop_in: bool
    by_interest: bool


@dataclass(frozen=True)
class _Only:
    """Filters applied in SQL: only free / drop-in / step-free entries."""

    free: bool = False
    drop_in: bool = False
    step_free: bool = False

    def conditions(self, entry: str) -> list[str]:
        flags = (("is_free", self.free), ("is_drop_in", self.drop_in), ("wheelchair", self.step_free))
        return [f"{entry}.{column} = :true" for column, wanted in flags if wanted]


_ENTRY_COLUMNS = ("id", "service_id", "service_at_location_id", "latitude", "longitude", "days", "is_free",
                  "is_drop_in", "wheelchair", "hearing_loop")


@lru_cache(maxsize=256)
def _candidate_sql(term_count: int, band_count: int, boxed: bool, by_day: bool, only: _Only) -> TextClause:
    """The candidate query for one shape of question, written once and reused.

    Per asked-for term, a covering-index range scan over (term, band, longitude) that keeps only
    matches strong enough to count (weight above MIN_INTEREST / closeness); UNION ALL rather than OR,
    so SQLite never leaves the index; then one row per entry with its best match and how many terms
    matched. Plain SQL because building the same expression with the ORM on every question cost more
    than running it. Portable between SQLite and PostgreSQL.
    """
    box = ""
    if boxed:
        bands = ", ".join(f":b{j}" for j in range(band_count))
        box = f" AND band IN ({bands}) AND longitude BETWEEN :west AND :east AND latitude BETWEEN :south AND :north"
    branches = " UNION ALL ".join(
        # Only counts and fixed names go into the text; every value is a bound parameter.
        f"SELECT entry_id, weight * :c{i} AS value FROM directory_search_term "  # noqa: S608  (only counts and fixed names; values are bound)
        f"WHERE term = :t{i}{box} AND weight > :m{i}"
        for i in range(term_count)
    )
    where = []
    if by_day:
        where.append("(e.days = 0 OR (e.days & :day_bit) != 0)")
    where.extend(only.conditions("e"))
    columns = ", ".join(f"e.{c}" for c in _ENTRY_COLUMNS)
    return text(
        f"SELECT {columns}, m.best, m.n FROM "  # noqa: S608  (only counts and fixed names; values are bound)
        f"(SELECT h.entry_id AS entry_id, max(h.value) AS best, count(*) AS n FROM ({branches}) AS h "
        f"GROUP BY h.entry_id) AS m JOIN directory_search_entry AS e ON e.id = m.entry_id"
        + (" WHERE " + " AND ".join(where) if where else "")
    )


def _meant(session: Session, wish: Any, box: tuple[float, float, float, float], weekday: int | None, only: _Only) -> dict[int, float]:
    """entry id -> closeness by meaning, for the entries in the box that the wish fits at all."""
    where = ["meaning IS NOT NULL", "latitude BETWEEN :south AND :north", "longitude BETWEEN :west AND :east"]
    if weekday is not None:
        where.append("(days = 0 OR (days & :day_bit) != 0)")
    where.extend(only.conditions("directory_search_entry"))
    rows = session.connection().execute(
        text("SELECT id, meaning FROM directory_search_entry WHERE " + " AND ".join(where)),  # noqa: S608  (fixed names; values are bound)
        {"south": box[0], "north": box[1], "west": box[2], "east": box[3], "true": True,
         "day_bit": 1 << weekday if weekday is not None else 0},
    ).all()
    if not rows:
        return {}
    similarities = meaning.similarities(wish, [bytes(row[1]) for row in rows])
    found = {row[0]: meaning.closeness(float(similarity)) for row, similarity in zip(rows, similarities, strict=True)}
    return {entry: closeness for entry, closeness in found.items() if closeness >= meaning.MIN_CLOSENESS}


def _interest(best: float, n: int, meant: float) -> float:
    """The interest part: by words (the closest term, and how many terms matched), or by meaning."""
    by_words = 0.7 * best + 0.3 * min(1.0, (n - 1) / 2) if n > 0 else 0.0
    return max(by_words, meant)


def _candidates(session: Session, terms: dict[str, float], wants: _Wants, only: _Only,
                meant: dict[int, float] | None = None) -> list[tuple]:
    """(sort key..., row) per matching entry, scored in one tight loop; parts are worked out later for the few shown.

    A row is the entry's columns, its best term match and how many terms matched, and its closeness by meaning."""
    meant = meant or {}
    place, radius, weekday = wants.place, wants.radius, wants.weekday
    box = _bounding_box(place, radius) if place is not None else None
    params: dict[str, Any] = {"day_bit": 1 << weekday if weekday is not None else 0, "true": True}
    if terms:
        strong = [(term, closeness) for term, closeness in terms.items() if closeness > MIN_INTEREST]
        bands: list[int] = []
        if box is not None:
            bands = list(range(floor(box[0] * 10), floor(box[1] * 10) + 1))  # as search_index.latitude_band
            params.update(south=box[0], north=box[1], west=box[2], east=box[3])
            params.update({f"b{j}": band for j, band in enumerate(bands)})
        for i, (term, closeness) in enumerate(strong):
            params.update({f"t{i}": term, f"c{i}": closeness, f"m{i}": MIN_INTEREST / closeness})
        query: Any = _candidate_sql(len(strong), len(bands), box is not None, weekday is not None, only)
    else:
        # "Anything near me": every suggestible entry in the box, each an equally good interest match.
        query = select(*(getattr(SearchEntry, c) for c in _ENTRY_COLUMNS), literal(0.0), literal(1))
        if box is not None:
            query = query.where(SearchEntry.latitude.between(box[0], box[1]), SearchEntry.longitude.between(box[2], box[3]))
        if weekday is not None:
            query = query.where(or_(SearchEntry.days == 0, SearchEntry.days.op("&")(1 << weekday) != 0))
        for column, wanted in (("is_free", only.free), ("is_drop_in", only.drop_in), ("wheelchair", only.step_free)):
            if wanted:
                query = query.where(getattr(SearchEntry, column).is_(True))

    rows = [(*row, meant.get(row[0], 0.0)) for row in session.connection().execute(query, params).all()] if terms or not meant else []
    extra = [entry for entry in meant if entry not in {row[0] for row in rows}]
    if extra:
        # Groups that fit by meaning alone, sharing no word with the wish.
        found = select(*(getattr(SearchEntry, c) for c in _ENTRY_COLUMNS), literal(0.0), literal(0)).where(SearchEntry.id.in_(extra))
        rows += [(*row, meant[row[0]]) for row in session.connection().execute(found).all()]
    out = []
    lat0 = place.lat if place is not None else 0.0
    lon0 = place.lon if place is not None else 0.0
    k = cos(radians(lat0))
    day_bit = 1 << weekday if weekday is not None else 0
    w_interest, w_distance, w_day = WEIGHTS["interest"], WEIGHTS["distance"], WEIGHTS["day"]
    w_free, w_drop, w_access = WEIGHTS["free"], WEIGHTS["drop_in"], WEIGHTS["access"]
    # Core rows straight from the connection: the ORM's result processing is not needed for plain columns.
    for row in rows:
        _, service_id, _, lat, lon, days, is_free, is_drop_in, has_wheelchair, has_loop, best, n, by_meaning = row
        score = w_interest * (_interest(best, n, by_meaning) if wants.by_interest else 0.6)
        distance = 1e9
        if place is not None:
            if lat is None or lon is None:
                continue
            # Equirectangular distance: within 0.1% of great-circle over a 10-mile radius, and cheap.
            distance = MILES_PER_DEGREE_LAT * sqrt((lat - lat0) ** 2 + ((lon - lon0) * k) ** 2)
            if distance > radius:
                continue
            score += w_distance * (1 - distance / radius)
        if day_bit:
            score += w_day * (1.0 if days & day_bit else 0.3)
        if is_free:
            score += w_free
        if is_drop_in and wants.prefer_drop_in:
            score += w_drop
        score += w_access * (0.5 * bool(wants.wheelchair and has_wheelchair) + 0.5 * bool(wants.hearing_loop and has_loop))
        out.append((-round(score, 6), distance, service_id, row[0], row))
    return out


def _in_order(ranked: list[tuple], wants: _Wants, first: int) -> Iterator[_Candidate]:
    """Best first. Only the head is sorted unless lapsed schedules or repeated services use it up."""
    head = heapq.nsmallest(first, ranked)
    for row in head:
        yield _candidate(row, wants)
    if len(head) < len(ranked):
        for row in sorted(ranked)[len(head) :]:
            yield _candidate(row, wants)


def _candidate(ranked: tuple, wants: _Wants) -> _Candidate:
    """The score's parts for one ranked row (the same sums as `_candidates`, kept per part)."""
    neg_score, distance, service_id, _, row = ranked
    entry_id, _, sal_id, _, _, days, is_free, is_drop_in, has_wheelchair, has_loop, best, n, by_meaning = row
    parts = {"interest": _interest(best, n, by_meaning) if wants.by_interest else 0.6}
    if wants.place is not None:
        parts["distance"] = 1 - distance / wants.radius
    if wants.weekday is not None:
        parts["day"] = 1.0 if days & (1 << wants.weekday) else 0.3
    if is_free:
        parts["free"] = 1.0
    if is_drop_in and wants.prefer_drop_in:
        parts["drop_in"] = 1.0
    access = 0.5 * bool(wants.wheelchair and has_wheelchair) + 0.5 * bool(wants.hearing_loop and has_loop)
    if access:
        parts["access"] = access
    return _Candidate(entry_id, service_id, sal_id, distance if wants.place is not None else None, days, parts,
                      score=-neg_score)


def _display_rows(session: Session, entry_ids: list[int]) -> dict[int, Any]:
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


def _build_match(candidate: _Candidate, row: Any, weekday: int | None, today: date,
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
