"""One of the results: action_activity_details ("tell me about 2", "send me the details"; then the
offer of a "did you go?" check-in, actions/check_in_offer.py) and action_directions ("how do i get there")."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check_in_offer import check_in_question
from actions.conversation_session import new_session_when_long
from actions.database import settings
from actions.remember import remember_question
from actions.search_activities import search_what_they_said
from actions.search_state import SearchState, Shown, number_in
from actions.slots import SEARCH_STATE
from actions.suggestions import shorter, words
from service.text import MULTI_GSM


async def _searched_instead(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType] | None:
    """Before anything was listed, "tell me about 2" or "where is it?" naming a place is a first text the
    model misread ("what can i do round CT9 2", "just retired, Greasby, where do people go?"): a search."""
    if SearchState.from_slot(tracker.get_slot(SEARCH_STATE)).shown:
        return None
    return await search_what_they_said(dispatcher, tracker, domain)


def _chosen(dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[SearchState, int | None]:
    """The result this message means, or None after saying why there is none."""
    state = SearchState.from_slot(tracker.get_slot(SEARCH_STATE))
    if not state.shown:
        dispatcher.utter_message(response="utter_nothing_listed")
        return state, None
    message = tracker.latest_message or {}
    index = state.pick(number_in(message.get("entities", []), message.get("text") or ""))
    if index is None and len(state.shown) == 1:
        dispatcher.utter_message(response="utter_which_number_one")
    elif index is None:
        dispatcher.utter_message(response="utter_which_number", count=str(state.listed))
    return state, index


class ActionActivityDetails(Action):
    def name(self) -> str:
        return "action_activity_details"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if (events := await _searched_instead(dispatcher, tracker, domain)) is not None:
            return events
        state, index = _chosen(dispatcher, tracker)
        if index is None:
            return []
        item: Shown = state.shown[index]
        # One question at a time: "did you go?" when the group meets on a day the directory gives, else
        # "Shall I remember...?" (then asked after the check-in offer's answer: channels/admission.py).
        question = await check_in_question(tracker, state, item) or await remember_question(tracker, state.interest, state.place)
        values = {"name": item.name, "description": item.description, "when": item.when, "where": item.where, "cost": item.cost,
                  "contact": item.contact}
        if question is not None and tracker.get_latest_input_channel() == "sms":
            values["description"] = _fitted_description(domain, values, question)
        dispatcher.utter_message(response="utter_activity_details", **values)
        if question is not None:
            dispatcher.utter_message(response=question[0], **question[1])
        return [SlotSet(SEARCH_STATE, replace(state, chosen=index).to_slot())]


def _fitted_description(domain: dict[str, Any], values: dict[str, str], question: tuple[str, dict[str, str]]) -> str:
    """The description, shortened so the details and the question fit one text's segments: a question
    pushed into the part MORE brings would never be seen, so never answered."""
    details = words(domain, "utter_activity_details", "sms").format(**{**values, "description": ""})
    asked = words(domain, question[0], "sms").format(**question[1])
    # GSM-7 characters in the reply's segments (channels/sms_render.py packs replies in these).
    room = settings().sms_segment_budget * MULTI_GSM - len(details) - len(asked) - 4  # newline, spaces
    return shorter(values["description"], room if room >= 40 else 0)


class ActionDirections(Action):
    def name(self) -> str:
        return "action_directions"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if (events := await _searched_instead(dispatcher, tracker, domain)) is not None:
            return events
        state, index = _chosen(dispatcher, tracker)
        if index is None:
            return []
        item: Shown = state.shown[index]
        # No distance: the directory says it happens by phone, online or at home.
        response = "utter_activity_directions" if item.distance_miles is not None else "utter_activity_no_travel"
        dispatcher.utter_message(response=response, name=item.name, where=item.where, contact=item.contact)
        return [SlotSet(SEARCH_STATE, replace(state, chosen=index).to_slot())]
