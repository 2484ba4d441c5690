"""validate_activity_search_form: make sure the interest is words and the place is somewhere we know."""
from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.database import sessions
from actions.slots import INTEREST, PLACE
from directory import locate

# Words around an interest typed in full ("I really like knitting") that say nothing about it.
_FILLER = re.compile(
    r"^(i('d| would)? (really )?(like|love|enjoy|fancy)( to( try)?)?|i('m| am) (into|interested in)|maybe|something like|how about)\s+",
    re.IGNORECASE,
)


class ValidateActivitySearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_activity_search_form"

    def validate_interest(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        entities = [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == INTEREST]
        text = str(entities[0] if entities else value or "").strip(" .!?")
        text = _FILLER.sub("", text).strip(" .!?")
        return {INTEREST: text[:80] if text else None}

    async def validate_place(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        candidates = [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == PLACE]
        candidates.append(str(value or ""))
        # The action server is one event loop for every resident: the look-up runs on a thread.
        label = await asyncio.get_running_loop().run_in_executor(None, first_known_place, candidates)
        if label is not None:
            return {PLACE: label}
        dispatcher.utter_message(response="utter_place_not_found", place=str(value or "")[:40])
        return {PLACE: None}


def first_known_place(candidates: list[str]) -> str | None:
    with sessions().begin() as session:
        for candidate in candidates:
            place = locate(session, candidate) if candidate.strip() else None
            if place is not None:
                return place.label
    return None
