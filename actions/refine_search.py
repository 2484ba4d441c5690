"""Moving around the last results: action_refine_search ("anything free?", "what about thursdays",
"anything closer?") and action_more_results ("more")."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation_session import new_session_when_long
from actions.search_activities import search_what_they_said, show_first_page
from actions.search_state import SearchState, filters_in
from actions.slots import SEARCH_STATE
from actions.suggestions import closer_than, find_page, utter_page
from directory import UnknownPlace


class ActionRefineSearch(Action):
    """The last search again with what this message adds: a day or time replaces the old one; free,
    step-free, drop-in and closer add to what was asked before."""

    def name(self) -> str:
        return "action_refine_search"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        last = SearchState.from_slot(tracker.get_slot(SEARCH_STATE))
        if not last.searched:
            # "money is tight, any art thing in margate": a first text that leads with a filter is a search.
            events = await search_what_they_said(dispatcher, tracker, domain)
            if events is None:
                dispatcher.utter_message(response="utter_search_first")
                return []
            return events
        message = tracker.latest_message or {}
        asked = filters_in(message.get("entities", []), message.get("text") or "")
        if not asked.any():
            dispatcher.utter_message(response="utter_search_again")
            return []
        within = closer_than(last) if asked.closer else None
        state = replace(last, filters=last.filters.merged(asked), within_miles=within, shown=(), listed=0, chosen=None)
        return await show_first_page(dispatcher, tracker, domain, state, previous=last)


class ActionMoreResults(Action):
    """The next three of the last search, numbered on from those already shown."""

    def name(self) -> str:
        return "action_more_results"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        state = SearchState.from_slot(tracker.get_slot(SEARCH_STATE))
        if not state.searched:
            # "anything more going on in Deal?" before any search: a search.
            events = await search_what_they_said(dispatcher, tracker, domain)
            if events is None:
                dispatcher.utter_message(response="utter_nothing_listed")
                return []
            return events
        first = state.listed
        try:
            page = await asyncio.get_running_loop().run_in_executor(None, lambda: find_page(state, first=first, sender_id=tracker.sender_id))
        except UnknownPlace:
            dispatcher.utter_message(response="utter_nothing_listed")
            return []
        values = {"interest": state.interest or "", "place": state.place or ""}
        if not page.matches:
            dispatcher.utter_message(response="utter_no_more_results", **values)
            return []
        dispatcher.utter_message(response="utter_searching_more", **values)
        listed = utter_page(dispatcher, tracker, domain, page, first_number=first + 1)
        dispatcher.utter_message(response="utter_search_again")
        state = replace(state, within_miles=page.within_miles).with_shown(listed)
        return [SlotSet(SEARCH_STATE, state.to_slot())]
