"""Pages of suggestions for a search, and how they are said: shared by the search actions.

The directory ranks; this module decides how far to look (the usual radius, closer when asked,
further when nothing is near), searches both days of a weekend, and utters a page of numbered
matches by response name with the domain's words for whatever the directory does not say.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.database import sessions
from actions.search_state import Filters, SearchState, Shown
from actions.validate_search_form import things_to_do
from actions.wish import needs_meaning, words_to_match
from casework.outcomes.suggestions import record_suggestions
from directory import ActivityMatch, find_activities
from directory.interests import concepts_in
from directory.ranking import WEIGHTS
from directory.search import DEFAULT_RADIUS_MILES
from service.text import channel_variant

__all__ = ["is_strong", "record_page", "MATCHES_SHOWN", "FURTHER_MILES", "CLOSER_MILES", "Page", "find_page", "find_welcoming", "closer_than", "utter_page",
           "filter_words", "words", "shorter"]

MATCHES_SHOWN = 3
# Nothing within the directory's usual radius: look this far before saying nothing was found, and
# say the matches are further away (a bus ride is still worth knowing about).
FURTHER_MILES = 25.0
# "Anything closer?": within this, or nearer than the nearest shown if that is closer still.
CLOSER_MILES = 3.0
DESCRIPTION_CHARACTERS = 220


@dataclass(frozen=True)
class Page:
    matches: list[ActivityMatch]
    within_miles: float | None  # how far this page looked, to look as far for MORE
    further: bool  # nothing was near, so this page looked further out


def find_page(state: SearchState, *, first: int, today: date | None = None, sender_id: str | None = None) -> Page:
    """Matches `first`..`first + 3` of the search; the first page looks further when nothing is near.
    What is shown is recorded as suggested to `sender_id` (for the outcomes dashboard).

    Raises directory.UnknownPlace when the place cannot be located.
    """
    today = today or date.today()
    within = state.within_miles
    if within is None and state.filters.closer:
        within = CLOSER_MILES
    with sessions().begin() as session:
        page = _page(session, state, first=first, within=within, today=today)
        if sender_id and page.matches:
            record_suggestions(session, sender_id=sender_id, activity_ids=[m.service_id for m in page.matches])
        return page


def _page(session: Session, state: SearchState, *, first: int, within: float | None, today: date) -> Page:
    matches = _find(session, state, limit=first + MATCHES_SHOWN, within=within, today=today)
    if len(matches) > first and (first > 0 or within is not None or is_strong(matches) or not state.interest):
        return Page(matches[first:], within, further=within is not None and within > DEFAULT_RADIUS_MILES)
    if first == 0 and within is None:
        # Nothing near, or only groups that merely mention what was asked: a group that is what they
        # asked for a bus ride away is the better answer ("book club" is not a history talk next door).
        further = _find(session, state, limit=MATCHES_SHOWN, within=FURTHER_MILES, today=today)
        if further and (not matches or is_strong(further) or _clearly_better(further, than=matches)):
            return Page(further, FURTHER_MILES, further=True)
        if matches:
            return Page(matches, within, further=False)
    return Page([], within, further=False)


# A match whose interest part (directory.ranking) is at least this is what was asked for, not a mention.
STRONG_INTEREST = 0.7


def is_strong(matches: list[ActivityMatch]) -> bool:
    """Whether the best of the matches is what was asked for (by words or by meaning)."""
    return any(dict(m.score_parts).get("interest", 0.0) >= STRONG_INTEREST * WEIGHTS["interest"] for m in matches)


# A group further out whose interest part is this share of the interest's weight above the best near one is the better
# answer though neither is strong: a ukulele group 11 miles away that teaches the ukulele, not a seated exercise class 8 miles away that mentions
# music (blind17's tune half).
CLEARLY_BETTER = 0.2


def _clearly_better(further: list[ActivityMatch], *, than: list[ActivityMatch]) -> bool:
    def best(matches: list[ActivityMatch]) -> float:
        return max((dict(m.score_parts).get("interest", 0.0) for m in matches), default=0.0)

    return best(further) >= best(than) + CLEARLY_BETTER * WEIGHTS["interest"]


def record_page(page: Page, sender_id: str | None) -> None:
    """Record a page's matches as suggested to the resident (for a page found with no sender_id)."""
    if sender_id and page.matches:
        with sessions().begin() as session:
            record_suggestions(session, sender_id=sender_id, activity_ids=[m.service_id for m in page.matches])


# An open request ("what's on in Deal?"): this many groups of different kinds, the easiest first steps.
WELCOMING_SHOWN = 3
WELCOMING_LOOKED_AT = 40
# Groups for people with a particular need or for a talk, which an open request ("just retired, where do
# people go?") should not get first: a scams talk or a carers' group was offered before any coffee morning.
NOT_A_FIRST_STEP = frozenset({"scams", "safety", "digital", "bereavement", "carers", "dementia", "sight_hearing", "mobility", "care_work",
                              "health_condition", "veterans", "befriending", "volunteering", "wellbeing"})


def find_welcoming(state: SearchState, *, today: date | None = None, sender_id: str | None = None) -> Page:
    """A few welcoming groups near the place, each of a different kind: nearby, free or cheap and
    drop-in first (the directory's own ranking with no interest), one per kind of activity, social
    groups before talks and groups for a particular need (NOT_A_FIRST_STEP)."""
    today = today or date.today()
    with sessions().begin() as session:
        ranked = _find(session, replace(state, interest=""), limit=WELCOMING_LOOKED_AT, within=None, today=today)
        chosen: list[ActivityMatch] = []
        kinds: set[str] = set()
        kind_of = {m.service_id: min(concepts_in(m.name), default="") or min(concepts_in(m.description), default=m.name) for m in ranked}
        # Social groups first, the directory's order kept within each (sorted() is stable).
        for match in sorted(ranked, key=lambda m: bool((concepts_in(m.name) | concepts_in(m.description)) & NOT_A_FIRST_STEP)):
            kind = kind_of[match.service_id]
            if kind in kinds:
                continue
            kinds.add(kind)
            chosen.append(match)
            if len(chosen) == WELCOMING_SHOWN:
                break
        if sender_id and chosen:
            record_suggestions(session, sender_id=sender_id, activity_ids=[m.service_id for m in chosen])
    return Page(chosen, None, further=False)


def closer_than(state: SearchState) -> float:
    """How far to look for "anything closer?" than the results `state` showed."""
    distances = [s.distance_miles for s in state.shown if s.distance_miles is not None]
    nearest = min(distances) if distances else None
    # Just inside the nearest shown, so "closer" really is closer (or nothing is, and we say so).
    return max(0.0, min(CLOSER_MILES, nearest - 0.05)) if nearest is not None else CLOSER_MILES


# "bingo n bowls", "art class + coffee morning": each thing named gets its best groups on the page, in turn, rather
# than the nearest groups of whichever is commoner filling it (issue 15, blind8's tune half).
_BETWEEN_THINGS = re.compile(r"\s+(?:and|n|&|\+|or|plus)\s+|\s*[,+&/]\s*", re.IGNORECASE)
TWO_THINGS_WORDS = 8


def things_named(interest: str) -> list[str]:
    """The parts of a short interest that each name something different to do; one part when it names one thing."""
    if len(interest.split()) > TWO_THINGS_WORDS:
        return [interest]
    parts: list[str] = []
    seen: set[str] = set()
    for part in _BETWEEN_THINGS.split(interest):
        named = things_to_do(part)
        if named and not named <= seen:
            parts.append(part.strip())
            seen |= named
    return parts if len(parts) > 1 else [interest]


def _find(session: Any, state: SearchState, *, limit: int, within: float | None, today: date) -> list[ActivityMatch]:
    parts = things_named(state.interest or "")
    if len(parts) == 1:
        return _find_one(session, state, limit=limit, within=within, today=today)
    each = [_find_part(session, replace(state, interest=part), limit=limit, within=within, today=today) for part in parts]
    taken: dict[str, ActivityMatch] = {}
    for turn in itertools.zip_longest(*each):
        for match in turn:
            if match is not None and match.service_id not in taken:
                taken[match.service_id] = match
    return list(taken.values())[:limit]


def _find_part(session: Any, state: SearchState, *, limit: int, within: float | None, today: date) -> list[ActivityMatch]:
    """One of several things named: as `_page` would look for it alone, further out when nothing near is what was asked
    for ("sea swimming + a coffee after": the swimming a bus ride away beside the coffee next door)."""
    near = _find_one(session, state, limit=limit, within=within, today=today)
    if within is None and not is_strong(near):
        further = _find_one(session, state, limit=limit, within=FURTHER_MILES, today=today)
        if is_strong(further):
            return further
    return near


def _find_one(session: Any, state: SearchState, *, limit: int, within: float | None, today: date) -> list[ActivityMatch]:
    filters = state.filters
    found: dict[str, ActivityMatch] = {}
    for day in filters.weekdays(today):
        for match in find_activities(
            session,
            interest=words_to_match(state.interest or ""),
            near=state.place,
            day=day,
            free_only=filters.free,
            drop_in_only=filters.drop_in,
            step_free_only=filters.step_free,
            wheelchair=filters.step_free,
            time_of_day=filters.time_of_day,
            limit=limit,
            within_miles=within or DEFAULT_RADIUS_MILES,
            today=today,
            wish=state.interest if needs_meaning(state.interest or "") else None,
        ):
            if match.service_id not in found or found[match.service_id].score < match.score:
                found[match.service_id] = match
    ordered = sorted(found.values(), key=lambda m: (-m.score, m.distance_miles if m.distance_miles is not None else 1e9,
                                                    m.name.lower(), m.service_id))
    return ordered[:limit]


def shown(match: ActivityMatch, domain: dict[str, Any], channel: str | None) -> Shown:
    return Shown(
        name=match.name,
        when=match.when or words(domain, "utter_when_unknown", channel),
        where=match.where_and_how_far,
        cost=match.cost or words(domain, "utter_cost_unknown", channel),
        contact=match.contact or words(domain, "utter_contact_unknown", channel),
        description=_short(match.description) or words(domain, "utter_description_unknown", channel),
        distance_miles=match.distance_miles,
        service_id=match.service_id,
    )


def utter_page(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], page: Page,
               first_number: int) -> list[Shown]:
    """Utter the page's matches numbered from `first_number`, and return them as shown."""
    channel = tracker.get_latest_input_channel()
    listed = [shown(match, domain, channel) for match in page.matches]
    for number, (match, item) in enumerate(zip(page.matches, listed, strict=True), start=first_number):
        # A text message lists the postcode only (the venue is one "tell me about 2" away), so three
        # suggestions and the question after them fit the reply's three segments.
        dispatcher.utter_message(response="utter_activity_match", number=str(number), name=item.name, when=item.when,
                                 where=item.where, postcode_and_how_far=match.postcode_and_how_far, cost=item.cost,
                                 contact=item.contact)
    return listed


def filter_words(filters: Filters, domain: dict[str, Any], channel: str | None) -> str:
    """"free, on Thursdays, mornings": the filters as the domain words them, for an intro line."""
    said: list[str] = []
    for flag, response in (("free", "utter_words_free"), ("step_free", "utter_words_wheelchair"),
                           ("drop_in", "utter_words_drop_in"), ("closer", "utter_words_closer")):
        if getattr(filters, flag):
            said.append(words(domain, response, channel))
    if filters.day == "weekend":
        said.append(words(domain, "utter_words_weekend", channel))
    elif filters.day is not None:
        day = filters.day if filters.day not in ("today", "tomorrow") else filters.weekdays(date.today())[0] or ""
        said.append(words(domain, "utter_words_day", channel).format(day=day.title()))
    if filters.time_of_day is not None:
        said.append(words(domain, f"utter_words_{filters.time_of_day}", channel))
    said.extend(words(domain, "utter_words_not_day", channel).format(day=day.title()) for day in filters.not_days)
    return ", ".join(said)


def words(domain: dict[str, Any], response: str, channel: str | None = None) -> str:
    """A short phrase from the domain's responses (its variant for the channel if it has one)."""
    variants = domain.get("responses", {}).get(response) or [{}]
    return str((channel_variant(variants, channel) or variants[0]).get("text", ""))


def shorter(description: str, limit: int) -> str:
    """A description cut to `limit` characters the way a result's is (whole sentences where it can)."""
    return _short(description, limit) if limit > 0 else ""


def _short(description: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    """The first sentences of a description, whole, up to a length an SMS can carry."""
    text = " ".join((description or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 40 else cut.rsplit(" ", 1)[0] + "..."
