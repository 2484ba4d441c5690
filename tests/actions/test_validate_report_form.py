"""validate_report_form (actions/validate_report_form.py): the reporter's words kept, choices turned into
casework's values, and a question asked again only when its answer cannot be used. What the words mean
is actions/report_answers.py's (tests/actions/test_report_answers.py)."""
from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.validate_report_form import ValidateReportForm
from tests.actions.conftest import SMS_SENDER, WEB_SENDER, report_tracker


def validate(slot: str, value: str, *, sender_id: str = SMS_SENDER) -> tuple[Any, list[str]]:
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateReportForm(), f"validate_{slot}")
    result = method(value, dispatcher, report_tracker({}, sender_id=sender_id, text=value, requested=slot), {})
    return result[slot], [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize(("slot", "said", "kept"), [
    ("report_who", "  the old lady at 4 ", "the old lady at 4"),
    ("report_who", "/report_concern", None),  # the intake's payload is not an answer: asked again
    ("report_worry", "x" * 3000, "x" * 2000),
    ("report_urgency", "asap please", "today"),
    ("report_urgency", "RIGHT NOW", "now"),
    ("report_urgency", "not urgent", "soon"),
    ("report_urgency", "this week", "soon"),
    ("report_person_knows", "dont think so", "no"),
    ("report_person_knows", "no idea", "not_sure"),
    ("report_person_knows", "yes she does", "yes"),
    ("report_relationship", "i live next door", "neighbour"),
    ("report_relationship", "shop worker", "shop_worker"),
    ("report_relationship", "im her niece", "family"),
    ("report_relationship", "just someone who walks past", "other"),
])
def test_answers_are_kept_in_casework_words(slot: str, said: str, kept: Any) -> None:
    assert validate(slot, said)[0] == kept


def test_an_urgency_that_says_nothing_is_asked_again() -> None:
    assert validate("report_urgency", "hmm") == (None, ["utter_report_not_understood"])


@pytest.mark.parametrize(("said", "kept", "said_sorry"), [("YES", "yes", False), ("yes please", "yes", False), ("no thanks", "no", False),
                                                         ("maybe later", None, True)])
def test_an_sms_reporter_is_asked_yes_or_no(said: str, kept: Any, said_sorry: bool) -> None:
    value, responses = validate("report_contact", said)
    assert value == kept and (responses == ["utter_report_contact_not_understood"]) is said_sorry


@pytest.mark.parametrize(("said", "kept"), [("kim@example.org", "kim@example.org"), ("its 07700 900123 thanks", "07700 900123"),
                                            ("no", "no"), ("yes", None), ("ring the shop", None)])
def test_a_web_chat_reporter_types_a_contact_or_no(said: str, kept: Any) -> None:
    value, responses = validate("report_contact", said, sender_id=WEB_SENDER)
    assert value == kept
    assert responses == ([] if kept else ["utter_report_contact_not_understood"])


@pytest.mark.parametrize(("slot", "said", "kept"), [
    ("report_where", "  12 laird st  ", "12 laird st"),
    ("report_where", "y" * 300, "y" * 200),  # an address needs far fewer than casework keeps
    ("report_where", "", None),
    ("report_person_knows", "/report_concern", None),  # no answer: asked again, not read as "not sure"
    ("report_relationship", "   ", None),
])
def test_no_words_is_no_answer_and_short_answers_are_cut(slot: str, said: str, kept: Any) -> None:
    assert validate(slot, said) == (kept, [])
