"""Every response a resident can read by SMS: an SMS variant that is plain GSM-7 and fits the reply
budget with realistic values in it, and no response named in Python that the domain does not have.
A response written for another channel only (the web chat's refusals) has no SMS variant."""
from __future__ import annotations

import re
import string

import pytest

from channels.responses import render_response
from service.settings import ROOT
from service.text import domain_responses, is_gsm, segment_count

SEGMENT_BUDGET = 3  # SMS_SEGMENT_BUDGET's default: one reply of up to three segments

# The longest values the code passes in practice (the sample directory's longest, and margins).
VALUES = {
    "number": "12",
    "count": "12",
    "name": "Silver Voices Choir - Afternoon (Greasby)",
    "when": "Last Friday of the month, 1:30pm-3:30pm",
    "where": "St Mary's Church Hall, Leasowe, CH46 1PT (10.0 miles away)",
    "postcode_and_how_far": "CH46 1PT (10.0 miles away)",
    "cost": "£3 per session, carers free",
    "contact": "0151 496 0019",
    "description": "x" * 220,  # actions.suggestions.DESCRIPTION_CHARACTERS
    "interest": "chair based exercise class",
    "place": "Royal Tunbridge Wells",
    "filters": "free, step-free, drop-in, on Wednesdays, afternoons",
    "dropped": "free, step-free, drop-in",
    "occasion": "a harvest supper",  # the longest of utter_words_occasion_*
    "who": "your father in law",
    "day": "Wednesday",
    "reference": "GN-123456",
    "area": "Royal Tunbridge Wells",
    "cases": "WC-123456, WC-654321",
    "privacy_url": "https://connect.example.gov.uk/privacy",
    "time": "12:45pm",
    "title": "Befriending calls",  # a choice's button, numbered in a text (channels/sms_render.py)
    "miles": "10.0",
}


def sms_text(name: str) -> str:
    fields = {f for _, f, _, _ in string.Formatter().parse(_sms_variant(name)["text"]) if f}
    return render_response(name, channel="sms", values={k: VALUES[k] for k in fields if k in VALUES})


def _sms_variant(name: str) -> dict:
    variants = domain_responses()[name]
    return next((v for v in variants if v.get("channel") == "sms"), {})


def _by_sms() -> list[str]:
    """Responses with a plain variant or an SMS one: those that are not for another channel only."""
    return sorted(name for name, variants in domain_responses().items() if any(v.get("channel") in (None, "sms") for v in variants))


@pytest.mark.parametrize("name", _by_sms())
def test_every_response_has_an_sms_variant(name: str) -> None:
    assert _sms_variant(name).get("text"), f"{name} has no `channel: sms` variant"


@pytest.mark.parametrize("name", _by_sms())
def test_every_sms_variant_is_gsm7_within_the_segment_budget(name: str) -> None:
    text = sms_text(name)
    assert "{" not in text, f"{name}: a placeholder with no value in this test: {text}"
    assert is_gsm(text), f"{name} is not GSM-7: {[c for c in text if not is_gsm(c)]}"
    assert segment_count(text) <= SEGMENT_BUDGET, f"{name}: {segment_count(text)} segments ({len(text)} characters)"


def test_every_response_python_names_is_in_the_domain() -> None:
    named: set[tuple[str, str]] = set()
    pattern = re.compile(r"""(?:response\s*=\s*|_say\(\s*|render_response\(\s*|words\([^,]+,\s*)["'](utter_\w+)["']""")
    literal = re.compile(r"""["'](utter_\w+)["']""")
    for folder in ("actions", "channels", "casework", "directory", "web"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text()
            for found in pattern.findall(source) + literal.findall(source):
                if f"def {found}(" not in source:  # a function's name in __all__, not a response
                    named.add((str(path.relative_to(ROOT)), found))
    missing = sorted((path, name) for path, name in named if name not in domain_responses()
                     and not name.endswith("_"))  # a prefix such as f"utter_words_{time}" is checked below
    assert named, "the search for response names found nothing: the pattern is broken"
    assert missing == []


def test_responses_made_from_a_prefix_exist_for_every_value() -> None:
    from actions.search_state import TIMES

    for time in TIMES:
        assert f"utter_words_{time}" in domain_responses()
