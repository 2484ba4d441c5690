"""The volunteer sign-up form and the action that records it (casework.good_neighbours.sign_up does the rest)."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import database
from actions.volunteer import ActionRecordVolunteer, ValidateVolunteerForm, contact_in, name_in, roles_in
from casework.cases.connectors import add_connector
from casework.cases.models import Volunteer
from casework.outbox.messages import OutboxMessage
from service.settings import load_settings
from tests.actions.conftest import entity, tracker

SLOTS = ["volunteer_name", "volunteer_area", "volunteer_availability", "volunteer_roles", "volunteer_contact"]


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PHONE_HASH_KEY", "test-hash-key")
    monkeypatch.setenv("PHONE_ENCRYPTION_KEY", "test-encryption-key")
    yield


@pytest.mark.parametrize(("said", "roles"), [
    ("1 and 4", ("befriending_calls", "driving")),
    ("befriending calls", ("befriending_calls",)),
    ("i could visit someone or help at a group", ("visits", "group_helper")),
    ("I have a car so lifts", ("driving",)),
    ("any of them", ("befriending_calls", "visits", "group_helper", "driving")),
    ("3", ("group_helper",)),
    ("not sure", ()),
])
def test_what_they_would_like_to_do(said: str, roles: tuple) -> None:
    assert roles_in(said) == roles


@pytest.mark.parametrize(("said", "name"), [("Margaret", "Margaret"), ("its bob", "Bob"), ("my name is Mary Ann", "Mary Ann"),
                                            ("JOHN", "John"), ("call me Dev", "Dev"), ("07700 900123", None), ("", None)])
def test_first_names(said: str, name: str | None) -> None:
    assert name_in(said) == name


@pytest.mark.parametrize(("said", "contact"), [("07700 900123", "+447700900123"), ("ravi@example.org", "ravi@example.org"),
                                               ("thursday evenings", None)])
def test_contacts(said: str, contact: str | None) -> None:
    assert contact_in(said) == contact


def test_sms_volunteers_are_not_asked_for_a_number_web_chat_ones_are() -> None:
    form = ValidateVolunteerForm()
    sms = asyncio.run(form.required_slots(SLOTS, CollectingDispatcher(), tracker({}, channel="sms", sender_id="sms:x"), {}))
    web = asyncio.run(form.required_slots(SLOTS, CollectingDispatcher(), tracker({}, channel="webchat"), {}))
    assert "volunteer_contact" not in sms and web == SLOTS


def test_an_area_is_kept_as_a_town_or_a_district_never_a_full_postcode() -> None:
    form = ValidateVolunteerForm()
    town = asyncio.run(form.validate_volunteer_area("wallasey", CollectingDispatcher(), tracker({}, "wallasey"), {}))
    postcode = asyncio.run(form.validate_volunteer_area("ch45 4lb", CollectingDispatcher(), tracker({}, "ch45 4lb"), {}))
    named = asyncio.run(form.validate_volunteer_area("i live in heswall", CollectingDispatcher(),
                                                     tracker({}, "i live in heswall", [entity("place", "Heswall")]), {}))
    dispatcher = CollectingDispatcher()
    unknown = asyncio.run(form.validate_volunteer_area("atlantis", dispatcher, tracker({}, "atlantis"), {}))
    assert (town, postcode, named, unknown) == ({"volunteer_area": "Wallasey"}, {"volunteer_area": "CH45"},
                                                {"volunteer_area": "Heswall"}, {"volunteer_area": None})
    assert [m["response"] for m in dispatcher.messages] == ["utter_volunteer_area_not_found"]


def test_unclear_roles_are_asked_again_with_the_choices() -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateVolunteerForm().validate_volunteer_roles("hmm", dispatcher, tracker({}, "hmm"), {})
    assert result == {"volunteer_roles": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_volunteer_roles_unclear"]


def test_saying_volunteer_again_is_no_name() -> None:
    said = tracker({}, "i want to volunteer", intent="volunteer")
    assert ValidateVolunteerForm().validate_volunteer_name("i want to volunteer", CollectingDispatcher(), said, {}) == {
        "volunteer_name": None}


def record(slots: dict, *, channel: str = "sms", sender_id: str = "sms:vol") -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRecordVolunteer().run(
        dispatcher, tracker(slots, "driving", channel=channel, sender_id=sender_id, active_loop=None), {}))
    return dispatcher.messages, events


ANSWERS = {"volunteer_name": "Margaret", "volunteer_area": "Wallasey", "volunteer_availability": "weekday mornings",
           "volunteer_roles": "befriending_calls,driving"}


def test_the_sign_up_is_recorded_and_the_volunteer_told_what_happens_next(keys: None) -> None:
    with database.sessions().begin() as session:
        add_connector(session, name="Jo Wallasey", phone="07700 900001", email="jo@council.example", patch="CH44",
                      role="connector", settings=load_settings())
    messages, events = record(ANSWERS)
    [thanks] = messages
    assert thanks["response"] == "utter_volunteer_thanks"
    assert (thanks["name"], thanks["area"]) == ("Margaret", "Wallasey") and thanks["reference"].startswith("GN-")
    # What they said now lives (sealed) in the sign-up; the conversation forgets it.
    assert sorted(e["name"] for e in events) == sorted(SLOTS) and all(e["value"] is None for e in events)
    with database.sessions()() as session:
        stored = session.scalars(select(Volunteer).where(Volunteer.reference == thanks["reference"])).one()
        told = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "volunteer")).all()
    assert (stored.area, stored.channel, stored.sender_id) == ("CH44", "sms", "sms:vol")
    assert told


def test_with_no_connector_at_all_nothing_is_promised(keys: None, app_engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh database with no connectors (the module's shared one has some by now).
    monkeypatch.setenv("DATABASE_URL", str(app_engine.url))
    database.sessions.cache_clear()
    messages, _ = record({**ANSWERS, "volunteer_area": "Margate", "volunteer_contact": "ravi@example.org"},
                         channel="webchat", sender_id="web:vol")
    assert messages[0]["response"] == "utter_volunteer_noted"
    with database.sessions()() as session:
        stored = session.scalars(select(Volunteer).where(Volunteer.sender_id == "web:vol")).one()
        assert session.scalars(select(OutboxMessage)).all() == []
    assert stored.area == "CT9" and stored.channel == "webchat"
    assert stored.contact_encrypted and "ravi" not in stored.contact_encrypted
