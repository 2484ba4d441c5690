"""Searching: action_search_activities (the form is complete), action_new_search (start again),
action_note_filters (a filter asked for before the search has run)."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.remember import remember_search
from actions.search_state import Filters, SearchState, filters_in
from actions.slots import INTEREST, NEED_INTENTS, PLACE, SEARCH_STATE
from actions.suggestions import Page, filter_words, find_page, utter_page
from directory import UnknownPlace

logger = logging.getLogger(__name__)


class ActionSearchActivities(Action):
    """The first page of suggestions for the interest and place the form collected.

    Filters come from this message ("singing on tuesdays in heswall"); they carry over from the last
    search when only the place changed ("no i meant Wallasey") or were asked for while the form was
    still asking; a new interest starts without them.
    """

    def name(self) -> str:
        return "action_search_activities"

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
    search, so the next refinement starts from results the resident has seen."""
    try:
        # The action server is one event loop for every resident: the search runs on a thread.
        page: Page = await asyncio.get_running_loop().run_in_executor(None, lambda: find_page(state, first=0, sender_id=tracker.sender_id))
    except UnknownPlace:
        dispatcher.utter_message(response="utter_place_not_found", place=state.place or "")
        return [SlotSet(PLACE, None)]
    # The interest and the place are the resident's own words: counts only at INFO.
    logger.info("activity search: %d matches%s", len(page.matches), " further away" if page.further else "")
    if previous is None:
        # A new search (not a refinement of the last) replaces what a resident who agreed has remembered.
        await remember_search(tracker, state.interest, state.place)
    channel = tracker.get_latest_input_channel()
    values = {"interest": state.interest or "", "place": state.place or ""}
    if not page.matches:
        if state.filters.any():
            dispatcher.utter_message(response="utter_refine_no_results", filters=filter_words(state.filters, domain, channel), **values)
        else:
            dispatcher.utter_message(response="utter_search_no_results", **values)
        kept = previous if previous is not None else replace(state, shown=())
        return [SlotSet(SEARCH_STATE, kept.to_slot())]
    if page.further:
        dispatcher.utter_message(response="utter_searching_further", **values)
    elif state.filters.any():
        dispatcher.utter_message(response="utter_searching_filtered", filters=filter_words(state.filters, domain, channel), **values)
    else:
        dispatcher.utter_message(response="utter_searching_for", **values)
    listed = utter_page(dispatcher, tracker, domain, page, first_number=1)
    dispatcher.utter_message(response="utter_search_again")
    state = replace(state, within_miles=page.within_miles, shown=(), listed=0, chosen=None, noted=False).with_shown(listed)
    return [SlotSet(SEARCH_STATE, state.to_slot())]


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
