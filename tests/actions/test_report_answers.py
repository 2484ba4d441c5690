"""What a reporter's texted answers mean (actions/report_answers.py): "asap" is today, "next door" a
neighbour, "ch418ab" a postcode, and the choice numbers web chat sends as typed. Pure functions; the
postcode look-up reads only the offline postcode table."""
from __future__ import annotations

import pytest

from actions.report_answers import contact_in, person_knows_of, postcode_in, relationship_of, urgency_of, yes_or_no
from casework.cases.reports import RELATIONSHIPS


@pytest.mark.parametrize(("said", "urgency"), [
    ("1", "now"), ("2", "today"), ("3", "soon"),  # the choices, as web chat sends them
    ("its an emergency", "now"), ("right away", "now"), ("RIGHT NOW", "now"),
    ("ASAP", "today"), ("as soon as you can", "today"),  # before "soon"
    ("tonight", "today"), ("by tomorrow", "today"),
    ("not right now", "soon"), ("no rush", "soon"), ("not urgent", "soon"),  # before "now" and "urgent"
    ("whenever you can", "soon"), ("next couple of days", "soon"),
    ("hmm", None), ("", None),
])
def test_how_soon(said: str, urgency: str | None) -> None:
    assert urgency_of(said) == urgency


@pytest.mark.parametrize(("said", "knows"), [
    ("1", "yes"), ("2", "no"), ("3", "not_sure"),
    ("yep", "yes"), ("she knows", "yes"), ("yes she does", "yes"),
    ("n", "no"), ("they dont", "no"), ("not told them", "no"), ("dont think so", "no"),
    ("maybe", "not_sure"), ("no idea", "not_sure"),
    ("whatever", "not_sure"),  # unclear: a connector asks, rather than the reporter twice
])
def test_whether_the_person_knows(said: str, knows: str) -> None:
    assert person_knows_of(said) == knows


@pytest.mark.parametrize(("said", "relationship"), [
    ("1", "neighbour"), ("4", "family"), ("5", "other"), ("shop worker", "shop_worker"), ("something else", "other"),
    ("over the road", "neighbour"), ("upstairs neighbour", "neighbour"), ("i live next door", "neighbour"),
    ("my mum", "family"), ("my neighbours daughter", "family"),  # the most specific word first
    ("i work at the chemist", "shop_worker"), ("i work in the shop next door", "shop_worker"),
    ("from church", "volunteer"),
    ("im her carer", "professional"), ("the postman", "professional"),
    ("a friend", "friend"),
    ("dunno", "other"),
])
def test_who_the_reporter_is(said: str, relationship: str) -> None:
    assert relationship_of(said) == relationship
    assert relationship in RELATIONSHIPS


@pytest.mark.parametrize(("said", "answer"), [
    ("yes please", True), ("Y", True), ("ok.", True), ("go on then", True),
    ("no thanks", False), ("nah", False), ("never mind", False), ("not really", False),
    ("maybe", None), ("kim@example.org", None),
])
def test_yes_or_no(said: str, answer: bool | None) -> None:
    assert yes_or_no(said) is answer


@pytest.mark.parametrize(("said", "contact"), [
    ("07700 900123", "07700 900123"),
    ("+44 7700 900123", "+44 7700 900123"),
    ("ring 0151 496 0000 thanks", "0151 496 0000"),  # found inside a sentence
    ("email me at kim@example.org please", "kim@example.org"),
    ("kim at example dot org", None),
    ("12345", None),
])
def test_a_contact_in_a_web_chat_answer(said: str, contact: str | None) -> None:
    assert contact_in(said) == contact


@pytest.mark.parametrize(("said", "postcode"), [
    ("12 laird st ch41 8ab", "CH41 8AB"),
    ("CH418AB", "CH41 8AB"),
    ("ch41 8ab wirral", "CH41 8AB"),
    ("ch41", "CH41"),
    ("Heswall CH60", "CH60"),  # a district the postcode table knows
    ("unit ZZ1 by the shops", None),  # a word shaped like one, but no district
    ("the house by the A41", None),
    ("12 laird street", None),
])
def test_a_postcode_or_district_in_where_they_live(said: str, postcode: str | None) -> None:
    assert postcode_in(said) == postcode
