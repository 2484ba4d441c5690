"""action_ask_report_who (actions/ask_report.py): the report form's first question, after the report's
opening (thanks, and 999 from casework's table) unless the reporter already has it."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_report import ActionAskReportWho
from casework.safety.numbers import SAFETY_NUMBERS
from tests.actions.conftest import report_tracker


def ask_who(**kwargs: Any) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskReportWho().run(dispatcher, report_tracker({}, **kwargs), {}))
    assert events == [], "the question sets nothing: the form fills the slot from the answer"
    return dispatcher.messages


def test_a_report_the_model_started_opens_with_thanks_and_999_from_the_table() -> None:
    opening, question = ask_who(text="i want to report a concern about my neighbour")
    assert (opening["response"], opening["emergency"]) == ("utter_safety_report_worry", SAFETY_NUMBERS["emergency"])
    assert question["response"] == "utter_ask_report_who" and "emergency" not in question


@pytest.mark.parametrize("turn", [
    {"text": "/report_concern"},  # the intake's safety screen started the report and has said the opening
    {"text": "  ", "requested": "report_who"},  # the question asked again, after an answer that was not one
])
def test_the_opening_is_never_said_twice(turn: dict[str, Any]) -> None:
    assert [m["response"] for m in ask_who(**turn)] == ["utter_ask_report_who"]


def test_every_number_the_opening_names_comes_from_the_table() -> None:
    opening, _ = ask_who(text="my neighbour hasnt been seen for days")
    assert {k: v for k, v in opening.items() if k in SAFETY_NUMBERS} == SAFETY_NUMBERS
