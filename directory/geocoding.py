"""Turn what a resident types ("ch445tn", "CH44", "wallasey") into a point on the map, offline.

Postcodes and outcodes come from the table `python -m directory.postcodes_build` writes at install
time (Code-Point Open); the towns, villages and suburbs of the pilot areas from `data/places.csv`
(written from `data/gazetteer.csv` by `python -m directory.places_build`) and their other spellings
from `data/place_aliases.csv`, shipped in the repository so they work even before that table is
built. Nothing here touches the network.
"""
from __future__ import annotations

import csv
import difflib
import logging
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt
from pathlib import Path
from typing import Literal

from directory.place_words import (
    EVERYDAY_WORD_PLACES,
    NOT_MISSPELT_PLACES,
    everyday_names_after_where_words,
    everyday_names_said_as_places,
    name_pattern,
    place_key,
)
from directory.postcodes_build import table_path

log = logging.getLogger(__name__)

PLACES_CSV = Path(__file__).parent / "data" / "places.csv"
ALIASES_CSV = Path(__file__).parent / "data" / "place_aliases.csv"
EARTH_RADIUS_MILES = 3958.8

# The full GB postcode grammar is in BS 7666; this is its shape (outward code, optional inward code).
# A one-letter area is one of the eight there are (B, E, G, L, M, N, S, W), so "any u3a in deal" keeps its u3a (blind11's tune half).
_OUTCODE = r"(?:[BEGLMNSW]|[A-Z]{2})[0-9][A-Z0-9]?"
_FULL = re.compile(rf"^({_OUTCODE})([0-9][A-Z]{{2}})$")
_OUT_ONLY = re.compile(rf"^{_OUTCODE}$")
_SECTOR = re.compile(rf"^\s*({_OUTCODE})\s+([0-9])\s*[?.!]*$")


@dataclass(frozen=True)
class Place:
    label: str  # "CH44 5TN", "CH44", "Wallasey"
    lat: float
    lon: float
    kind: Literal["postcode", "outcode", "town"]


def normalise_postcode(text: str) -> str | None:
    """"ch445tn", " CH44  5TN " -> "CH44 5TN"; an outcode alone ("ch44") -> "CH44"; anything else None."""
    compact = re.sub(r"\s+", "", text or "").upper()
    full = _FULL.match(compact)
    if full:
        return f"{full.group(1)} {full.group(2)}"
    if _OUT_ONLY.match(compact):
        return compact
    return None


@lru_cache(maxsize=1)
def _towns() -> dict[str, Place]:
    """Every name a place of the pilot areas is known by (as place_key writes it), and the place."""
    towns: dict[str, Place] = {}
    with PLACES_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            place = Place(label=row["name"], lat=float(row["lat"]), lon=float(row["lon"]), kind="town")
            towns[place_key(row["name"])] = place
            # "Westgate-on-Sea" is also typed "westgate on sea" and "westgate".
            towns.setdefault(place_key(row["name"]).replace(" on sea", ""), place)
    with ALIASES_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            towns.setdefault(place_key(row["alias"]), towns[place_key(row["name"])])
    return towns


@lru_cache(maxsize=1)
def _names_in_text() -> list[str]:
    """The names found wherever a message has them, longest first ("herne bay" before "herne"): all
    but the everyday words (directory.place_words)."""
    return sorted((name for name in _towns() if name not in EVERYDAY_WORD_PLACES), key=len, reverse=True)


@lru_cache(maxsize=1)
def _town_districts() -> dict[str, str]:
    with PLACES_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["name"]: row["postcode_district"] for row in csv.DictReader(handle) if row.get("postcode_district")}


def district_of(place: Place) -> str | None:
    """The postcode district ("CH44") a located place is in: what a connector's patch is made of.

    A postcode's own outward code; a town's main district from data/places.csv (a town spanning
    several districts is given its central one, close enough to find the right connector).
    """
    if place.kind in ("postcode", "outcode"):
        return place.label.split(" ")[0]
    return _town_districts().get(place.label)


class PostcodeTable:
    """Read-only access to the built table; one connection per thread (sqlite3 objects are not shared)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection | None:
        db = getattr(self._local, "db", None)
        if db is None:
            if not self.path.exists():
                return None
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def available(self) -> bool:
        return self.path.exists()

    def postcode(self, postcode: str) -> tuple[float, float] | None:
        db = self._db()
        if db is None:
            return None
        row = db.execute("SELECT lat_e6, lon_e6 FROM postcode WHERE postcode = ?", (postcode.replace(" ", ""),)).fetchone()
        return (row[0] / 1e6, row[1] / 1e6) if row else None

    def sector(self, outcode: str, digit: str) -> tuple[float, float] | None:
        """The middle of a postcode sector ("CT9 2": every CT9 2xx postcode)."""
        db = self._db()
        if db is None:
            return None
        prefix = f"{outcode}{digit}"
        row = db.execute(
            "SELECT avg(lat_e6), avg(lon_e6) FROM postcode WHERE postcode >= ? AND postcode < ? AND length(postcode) = ?",
            (prefix, prefix + "~", len(outcode) + 3),
        ).fetchone()
        return (row[0] / 1e6, row[1] / 1e6) if row and row[0] is not None else None

    def outcode(self, outcode: str) -> tuple[float, float] | None:
        db = self._db()
        if db is None:
            return None
        row = db.execute("SELECT lat_e6, lon_e6 FROM outcode WHERE outcode = ?", (outcode,)).fetchone()
        return (row[0] / 1e6, row[1] / 1e6) if row else None


_tables: dict[Path, PostcodeTable] = {}
_warned_missing: set[Path] = set()


def postcode_table() -> PostcodeTable:
    path = table_path()
    if path not in _tables:
        _tables[path] = PostcodeTable(path)
    return _tables[path]


def geocode_postcode(text: str) -> Place | None:
    """A full postcode or an outcode to a Place; None if unknown or the table has not been built."""
    postcode = normalise_postcode(text)
    if postcode is None:
        return None
    table = postcode_table()
    if not table.available():
        if table.path not in _warned_missing:
            _warned_missing.add(table.path)
            log.warning(
                "postcode table %s is missing, so postcodes cannot be located (town names still work); "
                "build it with `python -m directory.postcodes_build`",
                table.path,
            )
        return None
    if " " in postcode:
        point = table.postcode(postcode)
        if point is not None:
            return Place(label=postcode, lat=point[0], lon=point[1], kind="postcode")
        # A new or mistyped postcode still places the resident within a few miles by its district.
        outward = postcode.split(" ")[0]
        point = table.outcode(outward)
        return Place(label=outward, lat=point[0], lon=point[1], kind="outcode") if point else None
    point = table.outcode(postcode)
    return Place(label=postcode, lat=point[0], lon=point[1], kind="outcode") if point else None


def locate(session: object | None, place_text: str, *, strictly: bool = False) -> Place | None:
    """Where is "ch44 5tn" / "CH44" / "Wallasey" / "in Garlinge please"? None when we cannot tell.

    A place whose name is an everyday word ("Ash", "Bridge") counts where the text names it as a place
    ("in Ash", "choir? deal": directory.place_words) and, unless `strictly` (the text is a resident's
    message, not an answer to "where?"), when the text is only that name ("bridge", "i live in bridge").
    `session` is accepted so callers treat this like every other directory function; lookups use
    the offline tables only.
    """
    text = (place_text or "").strip()
    if not text:
        return None
    key = place_key(text)
    town = _towns().get(key)
    if town is not None and not (strictly and key in EVERYDAY_WORD_PLACES):
        return town
    sector = _SECTOR.match(text.upper())
    if sector:  # "CT9 2": part of a postcode, as people give it
        point = postcode_table().sector(sector.group(1), sector.group(2))
        if point is not None:
            return Place(label=f"{sector.group(1)} {sector.group(2)}", lat=point[0], lon=point[1], kind="outcode")
    if normalise_postcode(text) is not None:
        return geocode_postcode(text)
    # "Wallasey CH44 5TN" or "in Heswall please": look for a postcode, then a known town inside.
    match = re.search(rf"\b({_OUTCODE})\s*([0-9][A-Z]{{2}})?\b", text.upper())
    if match:
        found = geocode_postcode(match.group(0))
        if found is not None:
            return found
    padded = f" {key} "
    for name in _names_in_text():
        if f" {name} " in padded:
            return _towns()[name]
    said = [key for _, _, key in everyday_names_said_as_places(text) if key in _towns()]
    if said:
        return _towns()[said[0]]
    answer = " ".join(w for w in key.split() if w not in _ANSWER_WORDS)
    if not strictly and answer in EVERYDAY_WORD_PLACES and answer in _towns():
        return _towns()[answer]
    return _near_spelling(key.split())


def misspelt_place(text: str) -> Place | None:
    """A place's name misspelt or cut short ("faversam", "bromboro"), never an everyday word: what a
    message's last words, or the words after "in" or "near", may be."""
    return _near_spelling(place_key(text or "").split())


def without_places(text: str) -> str:
    """The text with the places in it taken out: postcodes and postcode districts, the pilot areas'
    towns, and a misspelt town among its last words ("... anything in sandwich" -> "... anything in").
    Punctuation stays, so the sentences are still sentences."""
    out = re.sub(rf"\b{_OUTCODE}(\s*[0-9]([A-Z]{{2}})?)?\b", " ", text or "", flags=re.IGNORECASE)
    out = _TOWN_NAMES().sub(" ", out)
    for start, end, key in reversed(everyday_names_said_as_places(out)):
        if key in _towns():
            out = out[:start] + " " + out[end:]
    # A misspelt town just after "in", "near"... ("whats on in Whitstble this week").
    for found in list(_MISSPELT_AFTER.finditer(out)):
        if _near_spelling([place_key(found.group(2))]) is not None:
            out = out.replace(found.group(0), " ", 1)
    words = out.split()
    for size in (2, 1):
        if len(words) > size and _near_spelling([place_key(w) for w in words[-size:]]) is not None:
            words = words[:-size]
            break
    return " ".join(words).strip(" ,")


@lru_cache(maxsize=1)
def _TOWN_NAMES() -> re.Pattern[str]:  # noqa: N802  (a compiled constant, built on first use)
    return re.compile(r"\b(" + "|".join(map(name_pattern, _names_in_text())) + r")\b", re.IGNORECASE)


_MISSPELT_AFTER = re.compile(r"(\b(?:in|near|nr|round|around)\s+)([a-z][a-z'-]{5,})\b", re.IGNORECASE)


# A misspelt town ("folkstone", "wallasy", "new brighten", "bromboro") is the town it is closest to,
# when the place given is short (a town's name, not a sentence that merely has a word like one in it),
# starts with the same letter, is nearly as long, and is near one town rather than two. Short words
# are left alone: "deal", "upton" and "irby" are real towns and ordinary words are a letter away.
_CLOSE_ENOUGH = 0.8
_SHORTEST = 6
# A town cut short ("bromboro"): at least this many letters and this share of the name ("canter" and
# "tanker" are words, not Canterbury and Tankerton).
_SHORTEST_START = 7
_MOST_OF = 0.7
_FILLER_WORDS = frozenset({"in", "im", "i", "am", "live", "near", "nr", "at", "from", "around", "round", "the", "please", "pls", "area",
                           "its", "way", "village", "town"})
# Words around a place in an answer to "where are you?" ("im in ash please"); "the" is not one ("the river").
_ANSWER_WORDS = _FILLER_WORDS - {"the", "way"}


def _near_spelling(words: list[str]) -> Place | None:
    words = [w for w in words if w not in _FILLER_WORDS]
    if not 1 <= len(words) <= 3:
        return None
    candidate = " ".join(words)
    if len(candidate) < _SHORTEST or candidate in NOT_MISSPELT_PLACES:
        return None
    towns = _towns()
    # "birkenhead now" is Birkenhead, not a misspelt Birkenhead North.
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = " ".join(words[start:start + size])
            if part in towns and part not in EVERYDAY_WORD_PLACES:
                return towns[part]
    # An everyday word ("selling", "grange") is never guessed from a misspelling, and a misspelt name
    # has as many words as the name ("go into" is not Godinton), or is it run together ("hernebay").
    spelt = [n for n in towns if n not in EVERYDAY_WORD_PLACES]
    joined = [n for n in spelt if n.count(" ") != candidate.count(" ") and n.replace(" ", "") == candidate.replace(" ", "")]
    if joined:
        return towns[joined[0]]
    names = [n for n in spelt if n[0] == candidate[0] and abs(len(n) - len(candidate)) <= 2 and n.count(" ") == candidate.count(" ")]
    # Of a name in words, the last is the one that says which ("shepherds pie" is not Shepherds Well).
    last = candidate.split()[-1]
    names = [n for n in names if " " not in n or difflib.SequenceMatcher(None, last, n.split()[-1]).ratio() >= _CLOSE_ENOUGH]
    close = difflib.get_close_matches(candidate, names, n=2, cutoff=_CLOSE_ENOUGH)
    if not close:
        # A town's name cut short as it is said ("bromboro", "wallasey vill"): the start of one place only.
        started = sorted((n for n in spelt if n.startswith(candidate) and len(n) > len(candidate)
                          and len(candidate) >= _SHORTEST_START and len(candidate) >= _MOST_OF * len(n)), key=len)
        return towns[started[0]] if started and all(n.startswith(started[0]) for n in started) else None
    if len(close) == 2 and towns[close[0]] != towns[close[1]]:
        first, second = (difflib.SequenceMatcher(None, candidate, name).ratio() for name in close)
        if first < second + 0.05:
            return None  # between two towns: ask rather than guess
    return towns[close[0]]


# Where a message says someone is: after one of these words ("live on my own in birkenhead", "im in
# wallasey", "at my door in heswall"). "to" is not one: "how to deal with it" names no town.
# The words after are read ahead, not consumed, so "at my door in heswall" still sees "in heswall".
_WHERE_WORDS = re.compile(r"\b(?:in|near|nr|round|around|at|from|live|lives|living)\s+(?=([a-z][a-z'-]*(?:[\s-]+[a-z][a-z'-]*){0,2}))",
                          re.IGNORECASE)
_POSTCODE_ANYWHERE = re.compile(rf"\b({_OUTCODE})(?:\s*([0-9][A-Z]{{2}}))?\b")


def place_named(text: str) -> Place | None:
    """Where a message says the writer (or the person they write about) is, read strictly, for routing a
    case to the right patch: a real postcode or postcode district anywhere in it ("CH41 2PX", "ch41"),
    or a town of the pilot areas named after "in", "at", "near", "from"... (misspelt only there). A word
    that merely is a town's name ("can't deal with it", "in the river") is not a place (directory.place_words).
    None: not said."""
    for match in _POSTCODE_ANYWHERE.finditer((text or "").upper()):
        found = geocode_postcode(match.group(0))
        if found is not None:
            return found
    towns = _towns()
    everyday = {start: key for start, _, key in everyday_names_after_where_words(text or "")}
    for match in _WHERE_WORDS.finditer(text or ""):
        words = place_key(match.group(1)).split()
        for size in (3, 2, 1):
            name = " ".join(words[:size])
            if len(words) >= size and name in towns:
                if name in EVERYDAY_WORD_PLACES:
                    if everyday.get(match.start(1)) != name:
                        break
                return towns[name]
        near = _near_spelling(words[:2]) or _near_spelling(words[:1])
        if near is not None:
            return near
    return None


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * asin(sqrt(a))


def in_great_britain_or_ni(lat: float, lon: float) -> bool:
    """A generous box around the UK (Scilly to Shetland, Northern Ireland to Lowestoft)."""
    return 49.8 <= lat <= 60.95 and -8.7 <= lon <= 1.8
