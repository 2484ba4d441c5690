"""When someone says they are free, as days and parts of the day, so two people's can be compared.

"weekday mornings, not fridays", "tues and thurs afternoons", "any time", "evenings": a set of (day,
part) slots. Nothing said about days means any day; nothing about the part of the day, any part; "not"
or "except" before a day takes it out. Text that names no time at all is None: not known, which is not
the same as never free.
"""
from __future__ import annotations

import re
from collections.abc import Collection

from service.text import words_of

__all__ = ["DAYS", "PARTS", "Slots", "free_slots", "times_said", "describe"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PARTS = ("morning", "afternoon", "evening")
Slots = frozenset[tuple[int, int]]

_DAY_WORDS: dict[str, tuple[int, ...]] = {
    **{name: (i,) for i, day in enumerate(DAYS) for name in (day.lower(), day.lower() + "s", day.lower()[:3])},
    "tue": (1,), "tues": (1,), "weds": (2,), "thur": (3,), "thurs": (3,),
    "weekday": tuple(range(5)), "weekdays": tuple(range(5)),
    "weekend": (5, 6), "weekends": (5, 6),
}
_PART_WORDS = {"morning": 0, "mornings": 0, "am": 0, "afternoon": 1, "afternoons": 1, "pm": 1, "lunchtime": 1, "teatime": 2,
               "evening": 2, "evenings": 2, "night": 2, "nights": 2, "tonight": 2}
_ANY = re.compile(r"\b(any ?time|whenever|most days|every day|all day|any day|daily|flexible|free all the time)\b")
_NOT = ("not", "except", "apart", "never", "no")


def free_slots(text: str | None) -> Slots | None:
    """The slots a text says someone is free in, or None when it names no time."""
    words = words_of(text or "").split()
    days: set[int] = set()
    parts: set[int] = set()
    excluded: set[int] = set()
    for i, word in enumerate(words):
        if word in _DAY_WORDS:
            negated = any(w in _NOT for w in words[max(0, i - 2):i])
            (excluded if negated else days).update(_DAY_WORDS[word])
        elif word in _PART_WORDS:
            parts.add(_PART_WORDS[word])
    said_any = bool(_ANY.search(" ".join(words)))
    if not (days or parts or excluded or said_any):
        return None
    every_day = (days or set(range(7))) - excluded
    return frozenset((d, p) for d in every_day for p in (parts or set(range(3))))


def times_said(text: str) -> str | None:
    """The words of a text that say when (for a request: "tuesday mornings"), or None."""
    words = words_of(text).split()
    kept = [w for i, w in enumerate(words) if w in _DAY_WORDS or w in _PART_WORDS
            or (w in _NOT and any(n in _DAY_WORDS for n in words[i + 1:i + 3]))]
    if _ANY.search(" ".join(words)):
        kept.append(_ANY.search(" ".join(words)).group(0))  # type: ignore[union-attr]
    return " ".join(kept)[:100] or None


def describe(slots: Collection[tuple[int, int]]) -> str:
    """"weekdays, mornings", "Tuesday, Thursday, afternoons", "any day": roughly, for a connector to read."""
    days = sorted({d for d, _ in slots})
    parts = sorted({p for _, p in slots})
    if len(days) == 7:
        day_words = "any day"
    elif days == list(range(5)):
        day_words = "weekdays"
    elif days == [5, 6]:
        day_words = "weekends"
    else:
        day_words = ", ".join(DAYS[d] for d in days)
    if len(parts) == 3:
        return day_words
    return f"{day_words}, " + " and ".join(PARTS[p] + "s" for p in parts)
