"""What the last search asked and showed, kept in the `search_state` slot between turns.

"anything free?", "what about thursdays", "more", "tell me about 2" and "how do i get there" all
work on the last search, so the actions keep it: the interest and place, the filters (day, time of
day, free, step-free, drop-in, closer), how far out the search looked, the details of what was
shown (numbered as the resident saw them), and the one last talked about. A slot holds plain JSON;
this module turns it into dataclasses and back, and reads filters out of a message. No Rasa here.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from directory.schedules import parse_day

__all__ = ["DAYS", "Filters", "Shown", "SearchState", "filters_in", "number_in"]

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIMES = ("morning", "afternoon", "evening")
# Shown results kept for "tell me about 5": a few pages' worth; older ones are rarely asked about.
SHOWN_KEPT = 12

# What a filter entity may be called before (or without) the synonym mapper.
_FILTER_WORDS = {
    "free": "free", "closer": "closer", "nearer": "closer", "wheelchair": "step_free", "step_free": "step_free",
    "drop_in": "drop_in", "drop in": "drop_in", "drop-in": "drop_in",
}
# Refinements people text without a word the model tags ("too far for me", "i cant afford it").
_SAID = (
    ("closer", re.compile(r"\b(too far|that far|travel far|nearer|closer|walking distance|close by)\b", re.I)),
    ("free", re.compile(r"\b(free|afford|no money|not much money|skint|cost nothing|doesn'?t cost)\b", re.I)),
    ("step_free", re.compile(r"\b(wheelchair|stairs|steps|step[- ]free|zimmer|walking frame|scooter|accessible)\b", re.I)),
    ("drop_in", re.compile(r"\b(drop[- ]?in|turn up|have to book|booking)\b", re.I)),
)
# "free" as time to spare, not a cost ("Weds pm free. birchington. something with a cuppa": blind28's tune half), unless the text
# speaks of money too.
_FREE_AS_AVAILABLE = re.compile(
    r"\b(?:mon|tues?|weds?|thu(?:rs)?|fri|sat|sun)(?:day)?s?\b(?: (?:am|pm|mornings?|afternoons?|evenings?))? (?:are |is )?free\b|"
    r"\b(?:am|pm|mornings?|afternoons?|evenings?|days?|weekends?) (?:are |is )?free\b|"
    r"\b(?:i'?m|i am|we'?re|we are|she'?s|he'?s) (?:usually |only |mostly )?free (?:on|in|most|every|after|before|from|all|any)\b|"
    r"\b(?:free time|spare time|free days?|my free|a free (?:day|morning|afternoon|evening))\b", re.I)
_MONEY = re.compile(r"\b(cost|costs|cheap|afford|skint|money|pay|paying|pension|price|charge|£)", re.I)
_NUMBER_WORDS = {"one": 1, "first": 1, "two": 2, "second": 2, "three": 3, "third": 3, "four": 4, "fourth": 4,
                 "five": 5, "fifth": 5, "six": 6, "sixth": 6}


@dataclass(frozen=True)
class Filters:
    day: str | None = None  # a weekday name, "weekend", "today" or "tomorrow"
    time_of_day: str | None = None  # morning | afternoon | evening
    # Weekdays they cannot do ("any day but Friday", "Tuesdays I have the grandkids so any other day").
    not_days: tuple[str, ...] = ()
    free: bool = False
    step_free: bool = False
    drop_in: bool = False
    closer: bool = False

    def any(self) -> bool:
        return any(asdict(self).values())

    def merged(self, newer: Filters) -> Filters:
        """These filters with a newer request on top: a new day or time replaces the old one, and a day
        asked for is no longer one they cannot do (nor the other way round)."""
        return Filters(
            day=newer.day or (self.day if self.day not in newer.not_days else None),
            time_of_day=newer.time_of_day or self.time_of_day,
            not_days=newer.not_days or tuple(d for d in self.not_days if d != newer.day),
            free=self.free or newer.free,
            step_free=self.step_free or newer.step_free,
            drop_in=self.drop_in or newer.drop_in,
            closer=self.closer or newer.closer,
        )

    def weekdays(self, today: date) -> list[str | None]:
        """The weekdays to search: one, both weekend days, those they can do, or [None] for any day."""
        if self.day is None:
            return [d for d in DAYS if d not in self.not_days] if self.not_days else [None]
        if self.day == "weekend":
            return ["saturday", "sunday"]
        if self.day == "today":
            return [DAYS[today.weekday()]]
        if self.day == "tomorrow":
            return [DAYS[(today + timedelta(days=1)).weekday()]]
        return [self.day]


@dataclass(frozen=True)
class Shown:
    """One result as the resident saw it (the words are the directory's, GSM-7 already)."""

    name: str
    when: str
    where: str  # with how far away, when known
    cost: str
    contact: str
    description: str
    distance_miles: float | None
    service_id: str | None = None  # the directory's id, for the check-in offer (None in older slots)


@dataclass(frozen=True)
class SearchState:
    interest: str | None = None
    place: str | None = None
    filters: Filters = field(default_factory=Filters)
    within_miles: float | None = None  # None: the directory's usual radius
    shown: tuple[Shown, ...] = ()  # the latest of those listed (at most SHOWN_KEPT)
    listed: int = 0  # how many results have been listed in all: MORE carries on from here
    chosen: int | None = None  # index into `shown` of the one last described
    searched: bool = False
    # Filters asked for while the form was still asking what and where: they apply to that search.
    noted: bool = False

    @classmethod
    def from_slot(cls, value: Any) -> SearchState:
        if not isinstance(value, dict):
            return cls()
        filters = value.get("filters") or {}
        shown = value.get("shown") or []
        try:
            return cls(
                interest=value.get("interest"),
                place=value.get("place"),
                filters=replace(Filters(**{k: filters[k] for k in Filters.__dataclass_fields__ if k in filters}),
                                not_days=tuple(filters.get("not_days") or ())),
                within_miles=value.get("within_miles"),
                shown=tuple(Shown(**{k: item.get(k) for k in Shown.__dataclass_fields__}) for item in shown),
                listed=int(value.get("listed", len(shown))),
                chosen=value.get("chosen"),
                searched=bool(value.get("searched")),
                noted=bool(value.get("noted")),
            )
        except (TypeError, AttributeError):
            # A state written by an older version of this module: start afresh rather than fail the turn.
            return cls()

    def to_slot(self) -> dict[str, Any]:
        return asdict(self)

    def with_shown(self, more: list[Shown]) -> SearchState:
        """Results just listed, numbered on from those before; only the latest are kept."""
        kept = (self.shown + tuple(more))[-SHOWN_KEPT:]
        chosen = self.chosen - (len(self.shown) + len(more) - len(kept)) if self.chosen is not None else None
        return replace(self, shown=kept, listed=self.listed + len(more), chosen=chosen if chosen is not None and chosen >= 0 else None)

    @property
    def first_kept(self) -> int:
        """The number the resident saw beside the first result still kept."""
        return self.listed - len(self.shown) + 1

    def pick(self, number: int | str | None) -> int | None:
        """Index of the result the resident means: by number, "last", the one last described, or the first."""
        if not self.shown:
            return None
        if number == "last":
            return len(self.shown) - 1
        if isinstance(number, int):
            index = number - self.first_kept
            return index if 0 <= index < len(self.shown) else None
        if self.chosen is not None and 0 <= self.chosen < len(self.shown):
            return self.chosen
        return 0


def _entity_values(entities: list[dict[str, Any]], name: str) -> list[str]:
    return [str(e.get("value", "")).strip().lower() for e in entities if e.get("entity") == name and e.get("value")]


def _day(value: str) -> str | None:
    if value in ("weekend", "weekends", "wkend", "wknd", "the weekend"):
        return "weekend"
    if value in ("today", "2day", "tday"):
        return "today"
    if value in ("tomorrow", "tmrw", "tmw", "tomoz", "2moro", "2morrow", "tomorow"):
        return "tomorrow"
    weekday = parse_day(value)
    return DAYS[weekday] if weekday is not None else None


def _time(value: str) -> str | None:
    for time in TIMES:
        if value.startswith(time[:4]):
            return time
    return "evening" if value in ("nights", "night", "after 5", "after work") else None


# A day or a time in a message of several sentences is a filter only in a sentence that asks or says
# when suits them ("is there anything on a Sunday?", "fridays are best for me"), not in a passing
# remark ("my week is the hairdresser on Tuesday and my nephew on Sunday", "the evenings are lonely").
_SENTENCES = re.compile(r"[^.!?;\n]+")
_ASKS_OR_SUITS = re.compile(
    r"\b(is there|are there|anything|something|somewhere|any|what'?s on|whats|free|available|best|suits?|suit me|good for me|prefer|"
    r"can (do|make|go|get)|could (do|go|make)|looking|would (like|love)|i'?d (like|love)|like to|love to|want|wanting|fancy|"
    r"groups?|clubs?|class(es)?|sessions?|activit(y|ies)|\?)",
    re.IGNORECASE,
)
_PASSING = re.compile(r"\b(my|our|the|her|his) \w+( \w+)? (on|every|(visits|comes|calls|rings|phones|pops in|goes|takes me)( on| every)?) "
                      r"(a )?\w+$|\b(was|were|went|had|did|came|visited|last) (on )?(a )?\w+$",
                      re.IGNORECASE)


def _meant(entity: dict[str, Any], text: str) -> bool:
    """Whether a day or time entity is a filter rather than a passing remark (see _ASKS_OR_SUITS)."""
    start = entity.get("start")
    if not text or not isinstance(start, int):
        return True
    sentences = list(_SENTENCES.finditer(text))
    if len(sentences) <= 1:
        return True
    sentence = next((m for m in sentences if m.start() <= start < m.end()), None)
    if sentence is None:
        return True
    before = text[sentence.start():start] + str(entity.get("value", ""))
    said = sentence.group(0) + text[sentence.end():sentence.end() + 1]  # with its "?"
    return bool(_ASKS_OR_SUITS.search(said)) and not _PASSING.search(before.strip())


# A day they cannot do: "any day but Friday", "not Mondays", "except Tuesdays", "Fridays are no good", or
# any day in a sentence that asks for "any other day".
_NOT_BEFORE = re.compile(r"\b(but|except|excluding|not|apart from|other than|besides|cant do|can'?t do|cannot do|"
                         r"cant make|can'?t make|cannot make|never on|no)( on)?( a| the)?( \w+days?,?)*( (and|or|nor))?\s*$", re.IGNORECASE)
_NOT_AFTER = re.compile(r"^s?('s|s)?\s*((is|are|'re) )?(no good|not good|out|bad for me|bad|a no)\b", re.IGNORECASE)
_ANY_OTHER_DAY = re.compile(r"\b(any ?other day|other days|the other days|rest of the week|a different day)\b", re.IGNORECASE)


def _cannot(entity: dict[str, Any], text: str) -> bool:
    """Whether a day entity is a day they cannot do rather than one they ask for."""
    start, end = entity.get("start"), entity.get("end")
    if not text or not isinstance(start, int) or not isinstance(end, int):
        return False
    sentence = next((m for m in _SENTENCES.finditer(text) if m.start() <= start < m.end()), None)
    if sentence is not None and _ANY_OTHER_DAY.search(sentence.group(0)):
        return True
    return bool(_NOT_BEFORE.search(text[max(0, start - 40):start]) or _NOT_AFTER.search(text[end:end + 20]))


def filters_in(entities: list[dict[str, Any]], text: str = "") -> Filters:
    """The filters a message asks for, from its entities and, failing those, its words; a day or a
    time said in passing in a long message is not one (_meant), and a day they cannot do is one to
    leave out (_cannot)."""
    days_out = [e for e in entities if e.get("entity") == "day" and _cannot(e, text)]
    cannot = tuple(dict.fromkeys(d for d in (_day(v) for v in _entity_values(days_out, "day")) if d in DAYS))
    kept = [e for e in entities if e.get("entity") not in ("day", "time_of_day") or (e not in days_out and _meant(e, text))]
    days = [d for d in (_day(v) for v in _entity_values(kept, "day")) if d]
    times = [t for t in (_time(v) for v in _entity_values(kept, "time_of_day")) if t]
    wanted = {_FILTER_WORDS[v] for v in _entity_values(entities, "filter") if v in _FILTER_WORDS}
    if not wanted:
        wanted = {name for name, said in _SAID if said.search(text or "")}
    if "free" in wanted and _FREE_AS_AVAILABLE.search(text or "") and not _MONEY.search(text or ""):
        wanted.discard("free")
    return Filters(
        day=days[-1] if days else None,
        time_of_day=times[-1] if times else None,
        not_days=cannot,
        free="free" in wanted,
        step_free="step_free" in wanted,
        drop_in="drop_in" in wanted,
        closer="closer" in wanted,
    )


def number_in(entities: list[dict[str, Any]], text: str = "") -> int | str | None:
    """Which result a message points at: 2, "last", or None when it names none."""
    for value in reversed(_entity_values(entities, "number")):
        if value == "last":
            return "last"
        digits = re.search(r"\d+", value)
        if digits:
            return int(digits.group())
        for word, number in _NUMBER_WORDS.items():
            if word in value.split():
                return number
    digits = re.search(r"(?<![A-Za-z0-9])([1-9])(?![0-9A-Za-z])", text or "")
    return int(digits.group(1)) if digits else None
