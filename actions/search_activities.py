"""Searching: action_search_activities (the form is complete), action_new_search (start again),
action_note_filters (a filter asked for before the search has run), action_read_wish (a message the
model could not classify, or a filter before any search, that names a place), action_ask_interest
(the form's question, with a few welcoming groups when the place is known)."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation_session import new_session_when_long
from actions.occasion import occasion_in, say_occasion
from actions.remember import remember_search
from actions.search_state import Filters, SearchState, filters_in
from actions.slots import INTEREST, NEED_INTENTS, PLACE, SEARCH_STATE
from actions.suggestions import Page, filter_words, find_page, find_welcoming, is_strong, record_page, utter_page, words
from actions.validate_search_form import (
    TOO_BROAD,
    WANTS_A_GROUP_FOR,
    best_interest,
    each_named,
    marked_interests,
    named_to_search,
    only_broadly_meant,
    things_in_one_short_sentence,
)
from actions.wish import (
    SAID_IN_FULL_WORDS,
    asks_whats_on,
    fits,
    for_whom,
    is_open,
    place_in_text,
    said_as,
    said_interest,
    somewhere_said,
    wants_to_volunteer,
    wish_in,
    with_their_dementia,
)
from directory import ActivityMatch, UnknownPlace
from directory.interests import ACCOMPANIMENTS, CONDITIONS, concepts_in, phrases_in

logger = logging.getLogger(__name__)


class ActionSearchActivities(Action):
    """The first page of suggestions for the interest and place the form collected.

    Filters come from this message ("singing on tuesdays in heswall"); they carry over from the last
    search when only the place changed ("no i meant Wallasey") or were asked for while the form was
    still asking; a new interest starts without them.
    """

    def name(self) -> str:
        return "action_search_activities"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        last = SearchState.from_slot(tracker.get_slot(SEARCH_STATE))
        interest = tracker.get_slot(INTEREST) or ""
        place = tracker.get_slot(PLACE)
        kept = last.filters if (last.noted or not last.searched or last.interest == interest) else Filters()
        message = tracker.latest_message or {}
        filters = kept.merged(filters_in(message.get("entities", []), message.get("text") or ""))
        state = SearchState(interest=interest, place=place, filters=filters, searched=True)
        return await show_first_page(dispatcher, tracker, domain, state, previous=None)


async def show_first_page(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
                          state: SearchState, *, previous: SearchState | None) -> list[EventType]:
    """Say the first page for `state`. With `previous` (a refinement), nothing found keeps the previous
    search, so the next refinement starts from results the resident has seen. When a filter leaves
    nothing, the closest matches without it are offered, saying so."""
    loop = asyncio.get_running_loop()
    try:
        # The action server is one event loop for every resident: the search runs on a thread.
        page: Page = await loop.run_in_executor(None, lambda: find_page(state, first=0))
        relaxed: Page | None = None
        # For a new search none of its filters; for a refinement, what this message asked for (the
        # filters carried over from before are the ones dropped). Days they cannot do are never dropped.
        kept = _without(state.filters, previous.filters) if previous is not None else Filters()
        kept = replace(kept, not_days=state.filters.not_days)
        if (not page.matches or not is_strong(page.matches)) and kept != state.filters and state.interest:
            unfiltered = replace(state, filters=kept)
            relaxed = await loop.run_in_executor(None, lambda: find_page(unfiltered, first=0))
    except UnknownPlace:
        dispatcher.utter_message(response="utter_place_not_found", place=state.place or "")
        return [SlotSet(PLACE, None)]
    # The interest and the place are the resident's own words: counts only at INFO.
    logger.info("activity search: %d matches%s", len(page.matches), " further away" if page.further else "")
    if previous is None:
        # A new search (not a refinement of the last) replaces what a resident who agreed has remembered.
        await remember_search(tracker, state.interest, state.place)
    channel = tracker.get_latest_input_channel()
    said = await loop.run_in_executor(None, said_interest, state.interest or "")
    values = {"interest": said or words(domain, "utter_words_your_wish", channel), "place": state.place or ""}
    if page.matches or (relaxed is not None and relaxed.matches):
        say_occasion(dispatcher, tracker, domain)
    if relaxed is not None and relaxed.matches and (not page.matches or is_strong(relaxed.matches)):
        # "None free on Thursdays; these are on Thursdays but not free": what differs is said, and the
        # search goes on without it.
        dropped = _without(state.filters, kept)
        dispatcher.utter_message(response="utter_filtered_none_nearest", filters=filter_words(state.filters, domain, channel),
                                 dropped=filter_words(dropped, domain, channel), **values)
        state, page = replace(state, filters=kept), relaxed
    elif not page.matches:
        if state.filters.any():
            dispatcher.utter_message(response="utter_refine_no_results", filters=filter_words(state.filters, domain, channel), **values)
        elif previous is None and state.place:
            # The one thing the model marked has nothing near, where the text named two or three ("fishing or um the football"):
            # each of those its groups (validate_search_form.each_named).
            others = await loop.run_in_executor(None, _the_other_things_named, tracker, state)
            if others:
                return await show_first_page(dispatcher, tracker, domain, replace(state, interest=others), previous=None)
            # A first search that finds nothing like it anywhere near ("model railways" in Margate): say so, and offer a
            # few welcoming groups there rather than end the conversation (issue 15).
            return await show_welcoming(dispatcher, tracker, domain, replace(state, interest=""), instead=True,
                                        nothing=("utter_search_no_results", values))
        else:
            dispatcher.utter_message(response="utter_search_no_results", **values)
        unchanged = previous if previous is not None else replace(state, shown=())
        return [SlotSet(SEARCH_STATE, unchanged.to_slot())]
    elif previous is None and not state.filters.any() and none_of_the_kind_asked(state.interest or "", page.matches):
        dispatcher.utter_message(response="utter_searching_other_kinds", **values)
    elif page.further:
        dispatcher.utter_message(response="utter_searching_further", **values)
    elif state.filters.any():
        dispatcher.utter_message(response="utter_searching_filtered", filters=filter_words(state.filters, domain, channel), **values)
    elif previous is None and (who := for_whom(str((tracker.latest_message or {}).get("text") or ""))):
        dispatcher.utter_message(response="utter_searching_for_someone", who=who, **values)
    else:
        dispatcher.utter_message(response="utter_searching_for", **values)
    # What is shown (and only that) is recorded as suggested, for the outcomes dashboard.
    await loop.run_in_executor(None, record_page, page, tracker.sender_id)
    listed = utter_page(dispatcher, tracker, domain, page, first_number=1)
    dispatcher.utter_message(response="utter_search_again")
    state = replace(state, within_miles=page.within_miles, shown=(), listed=0, chosen=None, noted=False).with_shown(listed)
    return [SlotSet(SEARCH_STATE, state.to_slot())]


def _the_other_things_named(tracker: Tracker, state: SearchState) -> str:
    """The two or three things the first text named, each to get its groups, where that is not what was just searched and a
    group near fits it; else empty."""
    each = each_named(concepts_in(wish_in(str((tracker.latest_message or {}).get("text") or ""))) - TOO_BROAD)
    return each if each and each != state.interest and fits(each, state.place or "") else ""


# Concepts that gather many different things to do (a sport is not every sport).
MANY_KINDS = frozenset({"sport", "games", "music"})


def none_of_the_kind_asked(interest: str, matches: list[ActivityMatch]) -> bool:
    """A short interest naming one kind of thing ("trips", "model railway") that no match is about by name or description: the
    matches were found by what is near that kind (ramblers for trips, a men's shed for a model railway), and the reply says so
    rather than head them "For trips near Woodchurch:" (blind26's and blind27's tune halves)."""
    if len(interest.split()) > SAID_IN_FULL_WORDS:
        return False
    asked = concepts_in(interest) - TOO_BROAD - CONDITIONS - ACCOMPANIMENTS
    if len(asked) != 1 or not matches:
        return False
    if asked & MANY_KINDS:
        # golf and walking football are both sport: the thing itself must be named ("golf" near Hoylake found walking football)
        said = {phrase for phrase, _ in phrases_in(interest)}
        return not any(said & {phrase for phrase, _ in phrases_in(f"{m.name}. {m.description}")} for m in matches)
    return not any(asked & concepts_in(f"{m.name}. {m.description}") for m in matches)


def _without(filters: Filters, kept: Filters) -> Filters:
    """The filters in `filters` that `kept` has not (a day or time counts when it differs)."""
    return Filters(
        day=filters.day if filters.day != kept.day else None,
        time_of_day=filters.time_of_day if filters.time_of_day != kept.time_of_day else None,
        not_days=filters.not_days if filters.not_days != kept.not_days else (),
        free=filters.free and not kept.free, step_free=filters.step_free and not kept.step_free,
        drop_in=filters.drop_in and not kept.drop_in, closer=filters.closer and not kept.closer,
    )


async def show_welcoming(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
                         state: SearchState, *, instead: bool = False,
                         nothing: tuple[str, dict[str, str]] = ("utter_ask_interest", {})) -> list[EventType]:
    """An open request: a few welcoming groups of different kinds near the place, then "or tell me
    what you enjoy". Nothing near: the form's own question. `instead`: they asked for something the
    directory has nothing like near there ("swimming with others"), which is said first, not passed over. `nothing`:
    what to say when no group at all is near (the form's question, unless the caller says otherwise)."""
    try:
        page = await asyncio.get_running_loop().run_in_executor(None, lambda: find_welcoming(state, sender_id=tracker.sender_id))
    except UnknownPlace:
        dispatcher.utter_message(response="utter_place_not_found", place=state.place or "")
        return [SlotSet(PLACE, None)]
    if not page.matches:
        dispatcher.utter_message(response=nothing[0], **nothing[1])
        return []
    say_occasion(dispatcher, tracker, domain)
    dispatcher.utter_message(response="utter_welcoming_instead" if instead else "utter_welcoming_groups", place=state.place or "")
    listed = utter_page(dispatcher, tracker, domain, page, first_number=1)
    dispatcher.utter_message(response="utter_welcoming_or_tell_me")
    shown = replace(state, interest="", searched=True, within_miles=None, shown=(), listed=0, chosen=None,
                    noted=False).with_shown(listed)
    return [SlotSet(SEARCH_STATE, shown.to_slot())]


async def search_what_they_said(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], *,
                                named_only: bool = False) -> list[EventType] | None:
    """A message naming a place, read without the model: their words matched by meaning, or a few
    welcoming groups for an open request. None when it names no place we know (or, with
    `named_only`, no interest the directory's word map knows)."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    loop = asyncio.get_running_loop()
    named = [str(e["value"]) for e in message.get("entities", []) if e.get("entity") == PLACE and e.get("value")]
    # The places the model marked, each as a sentence of its own ("deal. we moved to deal last month").
    place = await loop.run_in_executor(None, place_in_text, ". ".join([*named, text]) if named else text)
    wish = wish_in(text)
    whats_on = asks_whats_on(text) and not concepts_in(wish) - TOO_BROAD
    if not place or (named_only and not concepts_in(wish) and not whats_on):
        return None
    filters = filters_in(message.get("entities", []), text)
    # One thing the word map knows, among a story ("I look after my husband ... groups where you sit with others in the
    # same boat"): that thing, as the form takes it (validate_search_form.extract_interest), not the story by meaning.
    known = named_to_search(wish)
    # What the model marked as the interest, where the word map reads that thing in the text too: "mornings only as i take
    # tablets that knock me out after dinner. coffee morning in moreton?" asks for a coffee morning, not for dinner (blind15's
    # tune half); a mark of part of a thing ("walking" of "walking football") is not the thing.
    marked = [v for v in marked_interests(tracker) if concepts_in(v) and concepts_in(v) <= known]
    both = things_in_one_short_sentence(wish) if len(known) > 1 else None  # "... bingo or a brew somewhere?": each its groups
    if wants_to_volunteer(wish):
        wish = said_as("volunteering")
    elif both:
        wish = both
    elif len(known) == 1 and not known & CONDITIONS:
        wish = said_as(known.pop())
    elif marked:
        wish = best_interest(marked)
    if not is_open(wish):
        wish = with_their_dementia(wish, text)
    state = SearchState(interest=wish, place=place, filters=filters, searched=True)
    # A day in the calendar and nothing to do named ("bank hol monday anything on in n brighton", "a summer fete in
    # Broadstairs?"): what is on there, after saying the list holds no one-off events (actions/occasion.py).
    asks_only_for_an_occasion = occasion_in(text) is not None and not concepts_in(wish) - TOO_BROAD
    if asks_only_for_an_occasion or whats_on or is_open(wish) or await loop.run_in_executor(None, only_broadly_meant, wish):
        return [SlotSet(PLACE, place), *await show_welcoming(dispatcher, tracker, domain, replace(state, interest=""))]
    if not await loop.run_in_executor(None, fits, wish, place):
        # Two or three things named in a long sentence ("a men's group for retired fellas who like fishing or um the football
        # comma something on weekdays": blind20's tune half): each its groups, where the whole story fits nothing near.
        each = each_named(known)
        if not each or not await loop.run_in_executor(None, fits, each, place):
            return [SlotSet(PLACE, place), *await show_welcoming(dispatcher, tracker, domain, replace(state, interest=""), instead=True)]
        state = replace(state, interest=each)
        wish = each
    return [SlotSet(PLACE, place), SlotSet(INTEREST, wish), *await show_first_page(dispatcher, tracker, domain, state, previous=None)]


class ActionReadWish(Action):
    """A message the model could not classify, or thought was not for this service: if it names a
    place (and, for the second, an interest), it is a search: never "Sorry, I didn't follow" when a
    place was found. Otherwise the fallback's own words."""

    def name(self) -> str:
        return "action_read_wish"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        out_of_scope = ((tracker.latest_message or {}).get("intent") or {}).get("name") == "out_of_scope"
        events = await search_what_they_said(dispatcher, tracker, domain, named_only=out_of_scope)
        if events is not None:
            return events
        # Something to do named, or somewhere said that we could not find (a village the gazetteer lacks, a spelling too far
        # out): ask where, as the form does, and keep what they asked for, rather than say we did not follow.
        text = str((tracker.latest_message or {}).get("text") or "")
        wish = wish_in(text)
        named = concepts_in(wish) - TOO_BROAD - CONDITIONS
        if not out_of_scope and (named or somewhere_said(text)):
            dispatcher.utter_message(response="utter_ask_place")
            return [SlotSet(INTEREST, said_as(sorted(named)[0]) if len(named) == 1 else wish)] if named else []
        dispatcher.utter_message(response="utter_out_of_scope" if out_of_scope else "utter_default")
        return []


class ActionAskInterest(Action):
    """The form's question for the interest. A place already known and nothing to do named yet ("what's
    on in Deal", "I've just moved to Hythe"): a few welcoming groups there first, then the question. A text
    that named something the word map knows but nothing near fits ("any stroke groups? we're in Ramsgate"):
    the same groups, saying first that there was no group for that (issue 15)."""

    def name(self) -> str:
        return "action_ask_interest"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        place = tracker.get_slot(PLACE)
        last = SearchState.from_slot(tracker.get_slot(SEARCH_STATE))
        if not place or last.searched:
            dispatcher.utter_message(response="utter_ask_interest")
            return []
        asked = _asked_for_something(str((tracker.latest_message or {}).get("text") or ""))
        return await show_welcoming(dispatcher, tracker, domain, SearchState(place=place, filters=last.filters), instead=asked)


def _asked_for_something(text: str) -> bool:
    """The text names something to do, or a condition's group, that the word map knows (the form found nothing near
    that fits it); company, a church or a talk in general, how they get about or their job are nothing in particular."""
    named = concepts_in(wish_in(text))
    return bool(named - TOO_BROAD or named & WANTS_A_GROUP_FOR)


class ActionNewSearch(Action):
    """"What's on near me" / "yes, more ideas": ask afresh what they enjoy, unless this message says."""

    def name(self) -> str:
        return "action_new_search"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        message = tracker.latest_message or {}
        names_one = any(e.get("entity") == INTEREST for e in message.get("entities", []))
        if names_one or (message.get("intent") or {}).get("name") in NEED_INTENTS:
            return []
        return [SlotSet(INTEREST, None)]


class ActionNoteFilters(Action):
    """"Free ones please" before the search has run: kept for the search the form is leading to."""

    def name(self) -> str:
        return "action_note_filters"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        state = SearchState.from_slot(tracker.get_slot(SEARCH_STATE))
        message = tracker.latest_message or {}
        asked = filters_in(message.get("entities", []), message.get("text") or "")
        dispatcher.utter_message(response="utter_filters_noted")
        state = replace(state, filters=state.filters.merged(asked), noted=True)
        return [SlotSet(SEARCH_STATE, state.to_slot())]
