"""A chat report keeps the reporter's answer to "Do they know you are telling us?" as given (issue 17):
"not sure" reaches casework as not_sure, not as a yes/no left empty (which reads as "not asked")."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.open_report import report_from

FILLED = {"report_who": "mr jones at number 12", "report_where": "12 laird st ch41 8ab", "report_worry": "milk on the step",
          "report_urgency": "soon", "report_relationship": "neighbour", "report_contact": "no"}


def tracker(knows: str | None) -> Tracker:
    return Tracker(sender_id="web:Zm9vYmFyYmF6cXV4", slots={**FILLED, "report_person_knows": knows, "requested_slot": None},
                   latest_message={"text": "", "entities": [], "intent": {"name": "inform"}, "message_id": "m1"},
                   events=[], paused=False, followup_action=None, active_loop={"name": "report_form"},
                   latest_action_name="action_listen")


@pytest.mark.parametrize("knows, answer, as_bool", [("not_sure", "not_sure", None), ("yes", "yes", True), ("no", "no", False),
                                                    (None, None, None)])
def test_the_answer_reaches_casework_as_given(knows: str | None, answer: str | None, as_bool: bool | None) -> None:
    details = report_from(tracker(knows))
    assert (details.person_knows_answer, details.person_knows, details.postcode) == (answer, as_bool, "CH41 8AB")
