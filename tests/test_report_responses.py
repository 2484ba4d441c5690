"""The report's copy: every response has an SMS variant, GSM-7 only, that fits the SMS budget with the
longest values the actions pass (and the whole reply that opens a case fits too)."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from casework.safety.numbers import SAFETY_NUMBERS
from channels.responses import render_response
from channels.sms_render import render_for_sms
from service.settings import ROOT
from service.text import is_gsm

RESPONSES = yaml.safe_load((ROOT / "bot" / "domain" / "responses_report.yml").read_text())["responses"]
BUDGET = 3  # SMS_SEGMENT_BUDGET's default: the most one reply may use
LONGEST = {"reference": "WC-123456", "time": "12:45pm", "day": "Wednesday 30 September", **SAFETY_NUMBERS}


def sms_variant(name: str) -> dict:
    return next(v for v in RESPONSES[name] if v.get("channel") == "sms")


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_report_response_has_a_gsm7_sms_variant_within_the_budget(name: str) -> None:
    variant = sms_variant(name)
    text = render_response(name, channel="sms", values=LONGEST)
    assert "{" not in text, f"{name}: a value no action passes"
    reply = render_for_sms([{"text": text, "buttons": variant.get("buttons", [])}], budget=BUDGET)
    assert is_gsm(reply.text) and not reply.more, reply.text


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_only_values_the_actions_pass_appear_in_the_copy(name: str) -> None:
    for variant in RESPONSES[name]:
        fields = {field for _, field, _, _ in string.Formatter().parse(variant["text"]) if field}
        assert fields <= set(LONGEST), f"{name}: {fields - set(LONGEST)}"
        assert not re.search(r"\b999\b|116 123", variant["text"]), "numbers come from casework/safety/numbers.py"


def test_the_reply_that_opens_a_case_fits_one_sms_reply() -> None:
    messages = [{"text": render_response(name, channel="sms", values=LONGEST)}
                for name in ("utter_report_opened_later", "utter_report_will_tell_you")]
    reply = render_for_sms(messages, budget=BUDGET)
    assert not reply.more and "WC-123456" in reply.text


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_no_question_or_closing_repeats_the_thanks_or_999(name: str) -> None:
    """The flow thanks the reporter and gives 999 once, in its opening (utter_safety_report_worry); only
    the reply for a report that could not be saved gives 999 again."""
    for channel in ("sms", None):
        text = render_response(name, channel=channel, values=LONGEST).lower()
        assert "thank" not in text
        assert ("999" in text) is (name == "utter_report_not_saved"), text


def test_the_domain_files_for_reports_are_where_rasa_reads_them() -> None:
    domain = ROOT / "bot" / "domain"
    assert Path(domain / "structure_report.yml").exists()
    structure = yaml.safe_load((domain / "structure_report.yml").read_text())
    asked = structure["forms"]["report_form"]["required_slots"]
    for slot in asked:
        assert f"utter_ask_{slot}" in RESPONSES
