"""The /report form's checks, without a server: what is an error, what is kept, what casework gets."""
from __future__ import annotations

import pytest

from casework.cases.reports import ANSWER_WORDS, PERSON_KNOWS_ANSWERS, RELATIONSHIPS, URGENCY_PRIORITY
from web.report_form import CHOICES, read_report_form

GOOD = {"who": "Mr Jones at number 12", "street": "12 Laird Street", "postcode": "ch418ab", "worry": "curtains shut for days",
        "urgency": "today", "person_knows": "no", "relationship": "neighbour", "contact": "", "notify": ""}


def test_a_complete_form_becomes_a_report() -> None:
    reading = read_report_form(GOOD)
    assert reading.ok
    details = reading.details(message_id="report-form:abc")
    assert (details.who, details.street, details.postcode, details.urgency, details.person_knows, details.relationship) == (
        "Mr Jones at number 12", "12 Laird Street", "CH41 8AB", "today", False, "neighbour")
    assert (details.channel, details.message_id, details.reporter_contact, details.notify_on_close) == (
        "web_form", "report-form:abc", None, False)


def test_every_choice_is_one_casework_knows() -> None:
    assert set(CHOICES["urgency"]) == set(URGENCY_PRIORITY)
    assert set(CHOICES["relationship"]) <= set(RELATIONSHIPS)
    assert set(CHOICES["person_knows"]) == set(PERSON_KNOWS_ANSWERS)
    # Casework has the words of each answer the form offers, so the case can show it as it was chosen.
    assert all(set(CHOICES[name]) == set(ANSWER_WORDS[name]) for name in ANSWER_WORDS)


def test_not_sure_reaches_casework_as_not_sure() -> None:
    details = read_report_form({**GOOD, "person_knows": "not_sure", "urgency": "soon"}).details()
    assert (details.person_knows_answer, details.person_knows, details.urgency) == ("not_sure", None, "soon")


def test_an_empty_form_names_every_required_answer_in_page_order() -> None:
    reading = read_report_form({})
    assert list(reading.errors) == ["who", "street", "worry", "urgency", "person_knows", "relationship"]
    assert set(reading.errors.values()) == {"missing"}


@pytest.mark.parametrize(("changes", "errors"), [
    ({"postcode": "near the park"}, {"postcode": "postcode"}),
    ({"postcode": ""}, {}),
    ({"postcode": "ch41"}, {}),
    ({"who": "   "}, {"who": "missing"}),
    ({"worry": "x" * 2001}, {"worry": "too_long"}),
    ({"urgency": "whenever"}, {"urgency": "missing"}),
    ({"contact": "ring the shop"}, {"contact": "contact"}),
    ({"notify": "yes"}, {"contact": "notify_without_contact"}),
    ({"notify": "yes", "contact": "07700 900555"}, {}),
    ({"contact": "kim@example.org"}, {}),
])
def test_each_mistake_is_named_against_its_field(changes: dict[str, str], errors: dict[str, str]) -> None:
    assert read_report_form({**GOOD, **changes}).errors == errors


def test_what_was_typed_is_kept_even_when_wrong_but_a_forged_choice_is_not() -> None:
    reading = read_report_form({**GOOD, "postcode": "near the park", "relationship": "<script>"})
    assert reading.values["postcode"] == "near the park" and reading.values["who"] == GOOD["who"]
    assert reading.values["relationship"] == ""


def test_control_characters_are_dropped_and_newlines_kept() -> None:
    reading = read_report_form({**GOOD, "worry": "line one\x00\x07\nline two"})
    assert reading.values["worry"] == "line one\nline two"
