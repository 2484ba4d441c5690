"""The report form's two questions that carry a safety number (the form calls action_ask_<slot> when the
domain has one). Rasa fills a response only with slots and the values an action passes, so the number
comes from casework/safety_numbers.py through here, never written into the domain."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from casework.safety_numbers import SAFETY_NUMBERS

__all__ = ["ActionAskReportWho", "ActionAskReportUrgency"]


class _AskWithSafetyNumbers(Action, ABC):
    """Abstract, so the action server does not register it (it registers every concrete Action)."""

    @property
    @abstractmethod
    def response(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=self.response, **SAFETY_NUMBERS)
        return []


class ActionAskReportWho(_AskWithSafetyNumbers):
    response = "utter_ask_report_who"

    def name(self) -> str:
        return "action_ask_report_who"


class ActionAskReportUrgency(_AskWithSafetyNumbers):
    response = "utter_ask_report_urgency"

    def name(self) -> str:
        return "action_ask_report_urgency"
