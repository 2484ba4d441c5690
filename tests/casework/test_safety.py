"""The safety screen: plain rules, no model, most urgent category first."""
from __future__ import annotations

import re

import pytest

from casework.safety import screen
from casework.safety_numbers import SAFETY_NUMBERS
from channels.responses import domain_responses, render_response


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to end it all", "suicidal"),
        ("I\u2019m better off dead", "suicidal"),
        ("i keep thinking about killing myself", "suicidal"),
        ("I can\u2019t cope any more", "despair"),
        ("there's a man at the door who won't leave", "danger"),
        ("someone is trying to break in", "danger"),
        ("I've taken all my tablets", "danger"),
        ("I think I've been scammed", "scam"),
        ("a man rang and I gave them my bank details", "scam"),
        ("they told me to move my money to a safe account", "scam"),
        ("a rogue trader did my roof", "doorstep"),
        ("a cold caller said my driveway needs work", "doorstep"),
        ("I'm so lonely, I have nobody to talk to", "isolated"),
        ("I haven't spoken to anyone in weeks", "isolated"),
        ("thinking about sucide", "suicidal"),
        ("im suicdal", "suicidal"),
        ("i want to take my own life", "suicidal"),
        ("i wish i was dead", "suicidal"),
        ("life is not worth living", "suicidal"),
        ("i dont want to be alive anymore", "suicidal"),
        ("I just want to end it", "suicidal"),
        ("someone from HMRC said I owe tax and they'll send the police", "scam"),
        ("they want me to pay in gift cards", "scam"),
        ("the bank rang and said my account is compromised", "scam"),
        ("i have no one", "isolated"),
        ("nobody ever visits me", "isolated"),
    ],
)
def test_messages_that_need_a_person_are_caught(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    "text",
    ["hello", "I like walking", "STOP", "knitting in Wallasey", "I'd like to stop smoking", "a walk to end the week", "tea dance",
     "let us end it there, thanks", "I'd like to succeed at bowls", "my bank is in Birkenhead", "is the choir free to join"],
)
def test_everyday_messages_pass_through(text: str) -> None:
    assert screen(text).category is None


def test_only_isolation_lets_the_conversation_carry_on() -> None:
    assert screen("I'm all alone").interrupts is False
    assert screen("I want to die").interrupts is True


def test_every_category_has_a_response_and_every_number_comes_from_the_table() -> None:
    for category in ("danger", "suicidal", "scam", "doorstep", "isolated"):
        assert f"utter_safety_{category}" in domain_responses()
    suicidal = render_response("utter_safety_suicidal")
    assert SAFETY_NUMBERS["samaritans"] in suicidal and "999" in suicidal
    assert SAFETY_NUMBERS["report_fraud"] in render_response("utter_safety_scam")
    assert SAFETY_NUMBERS["citizens_advice_consumer"] in render_response("utter_safety_doorstep")
    assert SAFETY_NUMBERS["silver_line"] in render_response("utter_safety_isolated")
    # No phone number is typed into the copy itself: they are all {placeholders}.
    for name, variants in domain_responses().items():
        for variant in variants:
            assert not re.search(r"\d{3} ?\d{3}", variant["text"]), f"{name} has a number typed in"


def test_the_table_holds_the_checked_numbers() -> None:
    assert dict(SAFETY_NUMBERS) == {
        "emergency": "999",
        "samaritans": "116 123",
        "nhs_mental_health": "NHS 111, option 2",
        "shout": "text SHOUT to 85258",
        "silver_line": "0800 4 70 80 90",
        "report_fraud": "0300 123 2040",
        "citizens_advice_consumer": "0808 223 1133",
    }
