"""Every response the safety screen can name exists, fits SMS, and promises nothing no code does."""
from __future__ import annotations

import re

import pytest

from casework.safety.decisions import CHECK_ANSWER_RESPONSES, RESPONSES
from casework.safety.numbers import SAFETY_NUMBERS
from channels.responses import render_response
from service.text import domain_responses, is_gsm, segment_count

NAMED = sorted({*RESPONSES.values(), *CHECK_ANSWER_RESPONSES.values()})
# "A connector will contact you" may only be sent once an alert is queued; the caller adds that line.
PROMISE = re.compile(r"connector|in touch|will (call|contact|ring|visit|text|phone)|someone will|we will|we'll", re.IGNORECASE)


@pytest.mark.parametrize("name", NAMED)
def test_the_response_exists_with_an_sms_variant_that_fits_two_segments(name: str) -> None:
    variants = domain_responses()[name]
    assert any(not v.get("channel") for v in variants), "a default variant for web chat"
    assert any(v.get("channel") == "sms" for v in variants), "an SMS variant"
    sms = render_response(name, channel="sms")
    assert is_gsm(sms), "GSM-7 only: one other character makes it UCS-2"
    assert segment_count(sms) <= 2, f"{len(sms)} characters"
    assert "{" not in sms and "{" not in render_response(name), "every placeholder is filled from the numbers table"


@pytest.mark.parametrize("name", NAMED)
def test_no_safety_response_promises_contact(name: str) -> None:
    for variant in domain_responses()[name]:
        assert not PROMISE.search(variant["text"]), variant["text"]


@pytest.mark.parametrize("name", ["utter_safety_scam", "utter_safety_doorstep"])
def test_scam_advice_fits_one_sms_with_both_numbers(name: str) -> None:
    sms = render_response(name, channel="sms")
    assert segment_count(sms) == 1
    for key in ("emergency", "report_fraud", "citizens_advice_consumer"):
        assert SAFETY_NUMBERS[key] in sms


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("utter_safety_danger", ("emergency",)),
        ("utter_safety_suicidal", ("samaritans", "shout", "nhs_mental_health", "emergency")),
        ("utter_safety_abuse", ("emergency", "samaritans")),
        ("utter_safety_basic_needs", ("emergency", "silver_line")),
        ("utter_safety_check_despair", ("samaritans",)),
        ("utter_safety_check_yes", ("samaritans", "shout", "nhs_mental_health", "emergency")),
        ("utter_safety_check_no", ("samaritans",)),
        ("utter_safety_report_worry", ("emergency",)),
        ("utter_safety_isolated", ("silver_line",)),
    ],
)
def test_each_response_gives_the_right_numbers_on_every_channel(name: str, keys: tuple[str, ...]) -> None:
    for channel in (None, "sms"):
        text = render_response(name, channel=channel)
        for key in keys:
            assert SAFETY_NUMBERS[key] in text, (channel, key)


def test_the_possible_risk_question_asks_directly() -> None:
    for channel in (None, "sms"):
        assert "are you thinking about ending your life?" in render_response("utter_safety_check_despair", channel=channel)
