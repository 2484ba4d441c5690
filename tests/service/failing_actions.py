"""Two actions for the action-server tests: one that answers, one that fails quoting the resident."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionRemember(Action):
    def name(self) -> str:
        return "action_remember"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        return [SlotSet("interest", "choir")]


class ActionBreaks(Action):
    def name(self) -> str:
        return "action_breaks"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        raise ValueError(f"cannot handle {tracker.latest_message.get('text')!r}")
