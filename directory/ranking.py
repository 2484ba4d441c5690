"""Which directory entries fit a question, and how well: the candidates' query (SQL over the search
index, written once per shape of question) and their scores, best first (`ranked`, `in_order`).

The score is a weighted sum of parts, each between 0 and 1, kept per part for the few shown (so the
bot, and a connector reading the log, can see why a suggestion came first):

    interest 0.50  how closely the group's name, taxonomy or description means what they asked for:
                   by words, 70% the closest matching term and 30% how many of the asked-for terms
                   match; by meaning (`wish`, directory.meaning), how close the group's sentence vector
                   is to the resident's words; the better of the two
    distance 0.30  1 at the door, 0 at the edge of the search radius
    day      0.10  meets on the day asked for (1), or has no fixed day such as phone befriending (0.3)
    free     0.05  costs nothing
    drop_in  0.05  no referral or booking needed: the easiest first step for someone who is isolated
    access   0.05  each of wheelchair access / hearing loop, when asked for
"""
from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from math import cos, floor, radians, sqrt
from typing import Any

from sqlalchemy import literal, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from directory import meaning
from directory.geocoding import Place
from directory.models import SearchEntry

__all__ = ["WEIGHTS", "MIN_INTEREST", "Candidate", "Wants", "Only", "bounding_box", "closest_by_meaning", "ranked", "in_order"]

WEIGHTS = {"interest": 0.50, "distance": 0.30, "day": 0.10, "free": 0.05, "drop_in": 0.05, "access": 0.05}
# Below this an interest match is a passing mention ("tea after the walk" is not a coffee morning).
MIN_INTEREST = 0.4
MILES_PER_DEGREE_LAT = 69.05


@dataclass
class Candidate:
    entry_id: int
    service_id: str
    sal_id: str | None
    distance: float | None
    days: int
    parts: dict[str, float]
    score: float = 0.0


def bounding_box(place: Place, radius: float) -> tuple[float, float, float, float]:
    dlat = radius / MILES_PER_DEGREE_LAT
    dlon = radius / (MILES_PER_DEGREE_LAT * max(cos(radians(place.lat)), 0.01))
    return place.lat - dlat, place.lat + dlat, place.lon - dlon, place.lon + dlon


@dataclass(frozen=True)
class Wants:
    place: Place | None
    radius: float
    weekday: int | None
    wheelchair: bool
    hearing_loop: bool
    prefer_drop_in: bool
    by_interest: bool


@dataclass(frozen=True)
class Only:
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
def _candidate_sql(term_count: int, band_count: int, boxed: bool, by_day: bool, only: Only) -> TextClause:
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


def closest_by_meaning(session: Session, wish: Any, box: tuple[float, float, float, float], weekday: int | None, only: Only) -> dict[int, float]:
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


def ranked(session: Session, terms: dict[str, float], wants: Wants, only: Only,
                meant: dict[int, float] | None = None) -> list[tuple]:
    """(sort key..., row) per matching entry, scored in one tight loop; parts are worked out later for the few shown.

    A row is the entry's columns, its best term match and how many terms matched, and its closeness by meaning."""
    meant = meant or {}
    place, radius, weekday = wants.place, wants.radius, wants.weekday
    box = bounding_box(place, radius) if place is not None else None
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


def in_order(ranked: list[tuple], wants: Wants, first: int) -> Iterator[Candidate]:
    """Best first. Only the head is sorted unless lapsed schedules or repeated services use it up."""
    head = heapq.nsmallest(first, ranked)
    for row in head:
        yield _candidate(row, wants)
    if len(head) < len(ranked):
        for row in sorted(ranked)[len(head) :]:
            yield _candidate(row, wants)


def _candidate(ranked: tuple, wants: Wants) -> Candidate:
    """The score's parts for one ranked row (the same sums as `ranked`, kept per part)."""
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
    return Candidate(entry_id, service_id, sal_id, distance if wants.place is not None else None, days, parts,
                      score=-neg_score)
