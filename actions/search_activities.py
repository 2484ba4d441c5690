"""action_search_activities: up to three nearby matches for the resident's interest."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.database import sessions
from actions.slots import INTEREST, PLACE
from directory import find_activities

logger = logging.getLogger(__name__)

MATCHES_SHOWN = 3


class ActionSearchActivities(Action):
    def name(self) -> str:
        return "action_search_activities"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        interest = tracker.get_slot(INTEREST) or ""
        place = tracker.get_slot(PLACE)
        with sessions().begin() as session:
            matches = find_activities(session, interest=interest, near=place, limit=MATCHES_SHOWN)
        logger.info("search for %r near %r: %d matches", interest, place, len(matches))
        if not matches:
            dispatcher.utter_message(response="utter_search_no_results", interest=interest, place=place)
        else:
            dispatcher.utter_message(response="utter_searching_for", interest=interest, place=place)
            for match in matches:
                dispatcher.utter_message(
                    response="utter_activity_match",
                    name=match.name,
                    when=match.when,
                    where=match.where,
                    cost=match.cost,
                    contact=match.contact,
                )
            dispatcher.utter_message(response="utter_search_again")
        # The place is kept for the next search; the interest is asked afresh.
        return [SlotSet(INTEREST, None)]
