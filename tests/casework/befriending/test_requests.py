"""A resident's wish for company read from their own words, and recorded beside the case a request for a
person opens; free times read as days and parts of the day."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.befriending.free_times import describe, free_slots
from casework.befriending.requests import asks_for_company, request_company, request_details, wants_of
from casework.befriending.tables import BefriendingRequest
from casework.cases.models import Case
from tests.casework.befriending.conftest import NOW

ASKS = [
    "could someone ring me for a chat now and then",
    "id love a befriender",
    "i would like someone to visit me once a week",
    "Would a volunteer phone me every week? im on my own",
    "i need some company",
    "is there someone who could visit me for a cuppa sometimes",
    "I would like a regular phone call for a chat",
    "can i have a befriender please",
]
DOES_NOT = [
    "any befriending near heswall",  # a search for groups
    "befriending in wallasey",
    "can someone ring me",  # TALK: a call from a connector, once
    "i want to talk to someone",
    "i like company at the lunch club",
    "my neighbour needs a befriender",
]


@pytest.mark.parametrize("text", ASKS)
def test_a_wish_for_regular_company_is_a_request(text: str) -> None:
    assert asks_for_company(text)


@pytest.mark.parametrize("text", DOES_NOT)
def test_a_search_a_single_call_or_someone_else_is_not(text: str) -> None:
    assert not asks_for_company(text)


def test_a_call_or_a_visit_as_their_words_say() -> None:
    assert [wants_of(t) for t in ("ring me for a chat", "visit me for a cuppa", "id love a befriender")] == ["call", "visit", "either"]


def test_free_times_as_days_and_parts_of_the_day() -> None:
    assert describe(free_slots("weekday mornings, not fridays") or ()) == "Monday, Tuesday, Wednesday, Thursday, mornings"
    assert describe(free_slots("any time") or ()) == "any day"
    assert describe(free_slots("tues and thurs afternoons") or ()) == "Tuesday, Thursday, afternoons"
    assert free_slots("whenever suits") is not None and free_slots("hello there") is None, "nothing said is not known, not never"


def test_the_request_sits_beside_the_case_and_keeps_what_they_named_sealed(sessions, settings, resident_asks) -> None:
    sender, reference = resident_asks("i would like someone to visit me once a week, i love gardening, free tuesday mornings, im in wallasey",
                                      first_name="")
    with sessions() as session:
        row = session.scalars(select(BefriendingRequest)).one()
        case = session.scalars(select(Case).where(Case.sender_id == sender)).one()
        assert (row.case_id, row.wants, case.area, case.source) == (case.id, "visit", "CH44", "request")
        assert "gardening" not in (row.interests_encrypted or "") and "tuesday" not in (row.free_times_encrypted or "")
        details = request_details(session, reference=reference, settings=settings)
    assert details is not None
    assert (details.interests, details.free_times, details.area, details.first_name) == ("gardening", "tuesday mornings", "CH44", "")
    assert details.created_at == NOW


def test_asking_again_adds_to_the_open_request(sessions, settings, resident_asks) -> None:
    sender, reference = resident_asks("could someone ring me for a chat now and then", first_name="")
    with sessions.begin() as session:
        again = request_company(session, sender_id=sender, channel="sms", message_id="SM-again", text="id love a befriender, i like walking",
                                settings=settings, now=NOW)
    assert again.reference == reference
    with sessions() as session:
        assert session.scalars(select(BefriendingRequest.id)).all() == [1]
        assert request_details(session, reference=reference, settings=settings).interests == "walking"  # type: ignore[union-attr]
