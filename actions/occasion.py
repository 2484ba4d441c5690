"""A day in the year's calendar asked for ("anything going over xmas day", "harvest supper round Faversham?", "bank hol
monday anything on"): the directory lists groups that meet through the year, not one-off events, so the reply says so before
the groups it found, rather than let a Tuesday coffee morning pass for a Christmas Day lunch (issue 15, blind25's tune half).

`occasion_in` names the occasion; the words residents read for each are the domain's (`utter_words_occasion_<name>`), said
by action_search_activities and the welcoming groups through `say_occasion`. No Rasa here but the dispatcher.
"""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.suggestions import words

__all__ = ["OCCASIONS", "occasion_in", "say_occasion"]

_XMAS = r"(?:christmas|xmas|x-mas|crimbo|chrimbo)"
# In the order they are looked for: the first that the text names is the one said back.
OCCASIONS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in (
        ("christmas_day", rf"\b{_XMAS}\s*(?:day|eve)\b|\b25th\s+(?:of\s+)?dec|\bdec(?:ember)?\s+25(?:th)?\b"),
        ("boxing_day", r"\bboxing\s*day\b"),
        ("new_year", r"\bnew\s*year'?s?\s*(?:eve|day)\b|\bhogmanay\b|\bnew\s*year\s*(?:party|parties|do|social|celebrations?|dance)\b"),
        ("christmas", rf"\b(?:over|at|for|during|around|this)\s+(?:the\s+)?{_XMAS}\b|\b{_XMAS}\s*(?:period|holidays?|hols|week|time|"
                      rf"events?|lunch|dinner|party|parties|do|fair|market|meal|social)\b"),
        ("easter", r"\b(?:over|at|for|during|this)\s+easter\b|\beaster\s*(?:weekend|sunday|monday|holidays?|hols|events?|egg|bonnet)"),
        ("bank_holiday", r"\bbank\s*hol(?:iday|s)?s?\b"),
        ("may_day", r"\bmay\s*day\b"),
        ("bonfire_night", r"\bbonfire\s*night\b|\bguy\s*fawkes\b|\bfireworks?\s*(?:display|night|show)s?\b"),
        ("fete", r"\bf[eê]tes?\b|\bgala\s*days?\b|\bsummer\s*fair\b"),
        ("harvest", r"\bharvest\s*(?:supper|festival|lunch|tea|dinner)s?\b"),
        ("carnival", r"\bcarnivals?\b|\bregattas?\b"),
    )
}


def occasion_in(text: str) -> str | None:
    """The occasion the text asks about, by its name in OCCASIONS, or None."""
    return next((name for name, pattern in OCCASIONS.items() if pattern.search(text or "")), None)


def say_occasion(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> None:
    """Before groups found for a text that asks about an occasion: that the list is of groups meeting all year, so ask them."""
    name = occasion_in(str((tracker.latest_message or {}).get("text") or ""))
    if name is None:
        return
    occasion = words(domain, f"utter_words_occasion_{name}", tracker.get_latest_input_channel())
    dispatcher.utter_message(response="utter_occasion_not_listed", occasion=occasion)
