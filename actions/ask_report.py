"""The report form's first question, after the report's opening: thanks, and 999 if anyone is in danger
now (the form calls action_ask_<slot> when the domain has one).

The opening is said once in the whole flow. When the intake's safety screen read a worry about
someone, it has already said it (responses_safety.yml, utter_safety_report_worry) and sent the
payload /report_concern: only the question is asked. When the model started the report from the
reporter's own words, the screen said nothing, so the opening comes here, before the question, the
first time it is asked. Rasa fills a response only with slots and the values an action passes, so
the number comes from casework/safety/numbers.py through here, never written into the domain."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import REPORT_WHO, REQUESTED_SLOT
from casework.safety.numbers import SAFETY_NUMBERS

__all__ = ["ActionAskReportWho", "OPENING", "SCREEN_PAYLOAD"]

OPENING = "utter_safety_report_worry"
# What the intake sends when its safety screen starts the report (channels.admission.REPORT_INTENT).
SCREEN_PAYLOAD = "/report_concern"


def opening_said(tracker: Tracker) -> bool:
    """Whether the reporter already has the opening: the screen said it with this turn, or this is the
    question asked again (an answer that was not one)."""
    asked_again = tracker.get_slot(REQUESTED_SLOT) == REPORT_WHO
    return asked_again or str(tracker.latest_message.get("text") or "").strip() == SCREEN_PAYLOAD


class ActionAskReportWho(Action):
    response = "utter_ask_report_who"

    def name(self) -> str:
        return "action_ask_report_who"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        if not opening_said(tracker):
            dispatcher.utter_message(response=OPENING, **SAFETY_NUMBERS)
        dispatcher.utter_message(response=self.response)
        return []
