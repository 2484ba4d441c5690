"""Reading the answers a group's proposer texts, in their own words, into what the directory needs.

Pure functions (no database): each takes one reply and gives the values for the group's listing
(directory.community_groups.GroupListing), or None when the reply cannot be read and is worth asking again.

- `read_where`: "St Paul's hall, Deal", "CT14 6AB", "the library in wallasey": a full postcode the offline
  table locates, else a town or district it knows (directory.geocoding.locate; the district is the town's,
  and the postcode is left for a connector to ask for: the directory lists a group only at a postcode it
  can locate).
- `read_when`: "tuesdays 2 till 4", "every other thursday 10.30am", "first monday of the month at 7pm": the
  day or days, how often, the start and end times (as the web form reads them, directory.community_groups
  .read_time; "2 till 4" without am or pm is the afternoon, as groups meet).
- `read_cost`: "free", "nothing" -> "Free"; anything else as typed.
- `read_contact`: the phone number or email address people may use to get in touch (shown with the group),
  "none", or "this number" (the proposer's own).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from casework.cases.opening import CaseworkError
from casework.cases.reports import check_reporter_contact
from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number
from directory.community_groups import read_time
from directory.geocoding import district_of, geocode_postcode, locate, normalise_postcode
from directory.schedules import DAY_NAMES, parse_day
from service.text import words_of

__all__ = ["Where", "When", "read_where", "read_when", "read_cost", "read_contact", "national", "NO_CONTACT"]

NO_CONTACT = ""
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midday)"
_RANGE = re.compile(rf"(?<![\w:.])({_TIME})(?:\s*(?:-|–|to|till|til|until|and)\s*({_TIME}))?(?![\w:])", re.IGNORECASE)
_WEEK_OF_MONTH = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|last)\s+(\w+)", re.IGNORECASE)
_WEEKS = {"first": "1", "1st": "1", "second": "2", "2nd": "2", "third": "3", "3rd": "3", "fourth": "4", "4th": "4", "last": "last"}
_FORTNIGHTLY = re.compile(r"\b(every\s+other|alternate|fortnight\w*|every\s+(two|2)\s+weeks)\b", re.IGNORECASE)
_EVENING = re.compile(r"\b(evening|evenings|night|nights|pm)\b", re.IGNORECASE)
_MORNING = re.compile(r"\b(morning|mornings|am)\b", re.IGNORECASE)
_DAY_WORD = re.compile(r"[a-z]{3,}", re.IGNORECASE)
# Day-like words that are something else in what people write ("we sat", "in the sun").
_NOT_DAYS = {"sat", "sun"}
_FREE = {"free", "its free", "it is free", "nothing", "no charge", "no cost", "none", "no", "0", "zero", "free of charge", "free entry"}
_NONE = {"none", "no", "no thanks", "nobody", "no one", "noone", "n a", "na", "just turn up", "they just turn up", "nothing",
         "no contact", "rather not", "id rather not"}
_MINE = {"this number", "my number", "this one", "same", "same number", "me", "mine", "use this number", "this phone",
         "the number im texting from", "my mobile", "this mobile"}


@dataclass(frozen=True)
class Where:
    address: str  # what they wrote, less the postcode and town
    town: str
    postcode: str  # "" when they gave none the table locates
    area: str | None  # the postcode district, for the connectors' patches


@dataclass(frozen=True)
class When:
    days: tuple[str, ...]
    frequency: str  # weekly | fortnightly | monthly
    week_of_month: str
    start_time: str
    end_time: str


def _tidy(text: str) -> str:
    return " ".join((text or "").replace(" ,", ",").split()).strip(" ,.")


def read_where(text: str) -> Where | None:
    """Where it meets, or None when neither a postcode nor a place the offline tables know is in it."""
    typed = _tidy(text)
    for match in _POSTCODE.finditer(typed):
        postcode = normalise_postcode(match.group(0))
        place = geocode_postcode(postcode) if postcode else None
        if place is not None and postcode:
            rest = _tidy(typed[:match.start()] + typed[match.end():])
            town = _town_in(rest)
            return Where(_without(rest, town), town, postcode, district_of(place))
    place = locate(None, typed)
    if place is None:
        return None
    town = place.label if place.kind == "town" else ""
    return Where(_without(typed, town), town, "", district_of(place))


def _town_in(text: str) -> str:
    place = locate(None, text) if text else None
    return place.label if place is not None and place.kind == "town" else ""


def _without(text: str, town: str) -> str:
    if not town:
        return text
    rest = re.sub(rf"(\b(in|at|near)\s+)?{re.escape(town)}", "", text, count=1, flags=re.IGNORECASE)
    return _tidy(rest)


def _days(text: str) -> list[int]:
    found: list[int] = []
    for word in _DAY_WORD.findall(text):
        if word.lower() in _NOT_DAYS:
            continue
        day = parse_day(word)
        if day is not None and day not in found and word.lower() not in ("mond", "satu"):
            found.append(day)
    return found


def _clock(raw: str, *, half: str | None) -> str | None:
    """"2" with "pm" -> "14:00"; a time with its own am or pm, or a 24-hour one, as it is."""
    raw = raw.strip().lower().replace(" ", "")
    bare = re.fullmatch(r"(\d{1,2})([:.]\d{2})?", raw)
    if half and bare and 1 <= int(bare.group(1)) <= 12:
        return read_time(raw + ("pm" if int(bare.group(1)) == 12 else half))  # groups do not meet at midnight
    return read_time(raw)


def _own_half(raw: str) -> str | None:
    found = re.search(r"(am|pm|a\.m\.|p\.m\.)$", raw.replace(" ", ""), re.IGNORECASE)
    return found.group(1).replace(".", "").lower() if found else None


def _times(text: str) -> tuple[str, str] | None:
    """The start and end time (end "" when not said or not after the start)."""
    for match in _RANGE.finditer(text):
        start, end = match.group(1), match.group(2) or ""
        if not re.search(r"\d|noon|midday", start, re.IGNORECASE):
            continue
        own = (_own_half(start), _own_half(end))
        said = own[0] or own[1]
        if said is None:
            hour = int(re.match(r"\d{1,2}", start).group(0)) if start[0].isdigit() else 12  # type: ignore[union-attr]
            evening, morning = bool(_EVENING.search(text)), bool(_MORNING.search(text))
            said = "pm" if evening or (hour <= 6 and not morning) else "am"
        first = _clock(start, half=None if own[0] else said)
        last = _clock(end, half=None if own[1] else said) if end else ""
        if first and last and last <= first and not own[0]:
            first = _clock(start, half="am")  # "10 till 2pm": the morning into the afternoon
        if first:
            return first, last if last and last > first else ""
    return None


def read_when(text: str) -> When | None:
    """The day(s) and the start time (end time, how often when said), or None when either is missing."""
    days = _days(text)
    times = _times(text)
    if not days or times is None:
        return None
    frequency, week = "weekly", ""
    monthly = _WEEK_OF_MONTH.search(text)
    if monthly and parse_day(monthly.group(2)) is not None:
        frequency, week = "monthly", _WEEKS[monthly.group(1).lower()]
    elif _FORTNIGHTLY.search(text):
        frequency = "fortnightly"
    elif re.search(r"\bmonth(ly)?\b", text, re.IGNORECASE):
        return None  # once a month, but which week? ask again
    return When(tuple(DAY_NAMES[d] for d in sorted(days)), frequency, week, times[0], times[1])


def read_cost(text: str) -> str:
    typed = _tidy(text)
    return "Free" if words_of(typed) in _FREE else typed


def national(number: str) -> str:
    """"+447700900123" -> "07700 900123", as people write a UK mobile."""
    digits = "0" + number.removeprefix("+44")
    return f"{digits[:5]} {digits[5:]}" if digits.startswith("07") else digits


def read_contact(text: str, *, own_number: str | None) -> str | None:
    """How people get in touch, to show with the group: a number or an address, NO_CONTACT for none, the
    proposer's own number for "this number"; None when it cannot be read (ask again)."""
    typed = _tidy(text)
    said = words_of(typed)
    if said in _NONE:
        return NO_CONTACT
    if said in _MINE:
        return national(own_number) if own_number else None
    found = re.search(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+|\+?[\d][\d ()-]{8,}\d", typed)
    if found is None:
        return None
    contact = found.group(0).strip()
    try:
        check_reporter_contact(contact)
        if "@" not in contact:
            normalise_uk_number(contact)
    except (CaseworkError, InvalidPhoneNumber):
        return None
    return contact
