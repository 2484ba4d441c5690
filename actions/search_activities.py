"""action_search_activities: up to three nearby matches for the resident's interest."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.database import sessions
from actions.slots import INTEREST, PLACE
from casework.suggestions import record_suggestions
from directory import ActivityMatch, UnknownPlace, find_activities

logger = logging.getLogger(__name__)

MATCHES_SHOWN = 3
# Nothing within the directory's usual radius: look this far before saying nothing was found,
# and say the matches are further away (a bus ride is still worth knowing about).
FURTHER_MILES = 25.0


class ActionSearchActivities(Action):
    def name(self) -> str:
        return "action_search_activities"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        interest = tracker.get_slot(INTEREST) or ""
        place = tracker.get_slot(PLACE)
        try:
            # The action server is one event loop for every resident: the search runs on a thread.
            matches, further = await asyncio.get_running_loop().run_in_executor(None, search, interest, place, tracker.sender_id)
        except UnknownPlace:
            dispatcher.utter_message(response="utter_place_not_found", place=place)
            return [SlotSet(PLACE, None)]
        # The interest and the place are the resident's own words: counts only at INFO.
        logger.info("activity search: %d matches%s", len(matches), " further away" if further else "")
        if not matches:
            dispatcher.utter_message(response="utter_search_no_results", interest=interest, place=place)
        else:
            intro = "utter_searching_further" if further else "utter_searching_for"
            dispatcher.utter_message(response=intro, interest=interest, place=place)
            for match in matches:
                dispatcher.utter_message(
                    response="utter_activity_match",
                    name=match.name,
                    when=match.when or _words(domain, "utter_when_unknown"),
                    where=match.where_and_how_far,
                    cost=match.cost or _words(domain, "utter_cost_unknown"),
                    contact=match.contact or _words(domain, "utter_contact_unknown"),
                )
            dispatcher.utter_message(response="utter_search_again")
        # The place is kept for the next search; the interest is asked afresh.
        return [SlotSet(INTEREST, None)]


def search(interest: str, place: str | None, sender_id: str) -> tuple[list[ActivityMatch], bool]:
    """Up to three matches nearby, or further away if there are none; and whether we looked further.
    What is found is recorded as suggested to `sender_id` (for the outcomes dashboard)."""
    with sessions().begin() as session:
        matches = find_activities(session, interest=interest, near=place, limit=MATCHES_SHOWN)
        further = not matches
        if further:
            matches = find_activities(session, interest=interest, near=place, limit=MATCHES_SHOWN, within_miles=FURTHER_MILES)
        record_suggestions(session, sender_id=sender_id, activity_ids=[m.service_id for m in matches])
        return matches, further


def _words(domain: dict[str, Any], response: str) -> str:
    """A short phrase from the domain's responses, for a detail the directory does not give."""
    variants = domain.get("responses", {}).get(response) or [{}]
    return str(variants[0].get("text", ""))
