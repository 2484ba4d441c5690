"""Remembering an SMS resident's last search between conversations, in the bot (actions/remember.py):
the question after an activity's details, a new search replacing what is remembered, a new session
starting with it, and the greeting that offers it again. casework.residents.memory keeps it (sealed) in a real
SQLite database; its rules are tested in tests/casework/residents/test_memory.py."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import database
from actions.remember import (
    ActionGreetReturning,
    ActionSessionStart,
    remember_question,
    remember_search,
    search_again_payload,
)
from casework.conversation.inbound import BodyVault
from casework.residents.memory import answer_remember_offer, remembered
from casework.residents.memory_models import ResidentMemory
from tests.actions.conftest import ENCRYPTION_KEY, texter, tracker

pytestmark = pytest.mark.usefixtures("sms_keys")


def said_by(sender_id: str, slots: dict[str, Any] | None = None) -> Any:
    channel = "sms" if sender_id.startswith("sms:") else "webchat"
    return tracker(slots or {}, "hi", sender_id=sender_id, channel=channel, active_loop=None)


def question(sender_id: str, interest: str | None = "singing", place: str | None = "Heswall") -> tuple[str, dict[str, str]] | None:
    return asyncio.run(remember_question(said_by(sender_id), interest, place))


def agree(sender_id: str) -> None:
    """The resident's "1" to "Shall I remember...?", as the intake records it."""
    with database.sessions().begin() as session:
        assert answer_remember_offer(session, sender_id=sender_id, text="1") == "yes"


def memory_of(sender_id: str) -> tuple[str, str] | None:
    with database.sessions()() as session:
        found = remembered(session, sender_id, BodyVault(ENCRYPTION_KEY))
    return (found.interest, found.place) if found else None


def start_session(sender_id: str) -> list[dict[str, Any]]:
    return asyncio.run(ActionSessionStart().run(CollectingDispatcher(), said_by(sender_id), {}))


def test_an_sms_resident_is_asked_once_and_what_they_searched_is_kept_sealed_until_they_agree() -> None:
    sender = texter("+447700900701")
    assert question(sender) == ("utter_offer_remember", {"interest": "singing", "place": "Heswall"})
    with database.sessions()() as session:
        [row] = session.scalars(select(ResidentMemory).where(ResidentMemory.sender_id == sender)).all()
    assert row.agreed_at is None and "Heswall" not in row.place_encrypted and "singing" not in row.interest_encrypted
    assert memory_of(sender) is None, "nothing is remembered before they say yes"
    assert question(sender, "walking", "Wallasey") is None, "asked once"


@pytest.mark.parametrize(("sender", "interest", "place"), [
    ("web:remember", "singing", "Heswall"),  # web chat is anonymous and over within a day
    ("+447700900711", None, "Heswall"),  # no real search
    ("+447700900712", "singing", ""),
])
def test_the_question_is_not_asked_without_an_sms_resident_and_a_search(sender: str, interest: str | None, place: str) -> None:
    sender = sender if sender.startswith("web:") else texter(sender)
    assert question(sender, interest, place) is None
    with database.sessions()() as session:
        assert session.scalars(select(ResidentMemory).where(ResidentMemory.sender_id == sender)).all() == []


def test_a_new_search_replaces_what_an_agreed_resident_has_remembered_and_keeps_nothing_for_others() -> None:
    agreed, never_asked = texter("+447700900721"), texter("+447700900722")
    question(agreed)
    agree(agreed)
    assert memory_of(agreed) == ("singing", "Heswall")
    asyncio.run(remember_search(said_by(agreed), "walking", "Wallasey"))
    asyncio.run(remember_search(said_by(never_asked), "walking", "Wallasey"))
    asyncio.run(remember_search(said_by(agreed), "bowls", None))  # no place: not a search to remember
    assert memory_of(agreed) == ("walking", "Wallasey")
    assert memory_of(never_asked) is None


def test_a_new_session_of_an_agreed_resident_starts_with_their_area_and_last_search() -> None:
    sender = texter("+447700900731")
    question(sender, "knitting", "CH44 5TN")
    agree(sender)
    assert start_session(sender) == [SessionStarted(), SlotSet("place", "CH44 5TN"), SlotSet("remembered_interest", "knitting"),
                                     SlotSet("remembered_place", "CH44 5TN"), SlotSet("returning", True),
                                     ActionExecuted("action_listen")]


def test_a_new_session_of_anyone_else_starts_afresh() -> None:
    asked_only = texter("+447700900732")
    question(asked_only)  # asked, never answered
    fresh = [SessionStarted(), ActionExecuted("action_listen")]
    assert start_session(asked_only) == fresh
    assert start_session(texter("+447700900733")) == fresh
    assert start_session("web:session") == fresh


def test_a_database_that_fails_leaves_the_conversation_going_as_if_nothing_were_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sender = texter("+447700900741")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")  # every query fails
    database.sessions.cache_clear()
    assert question(sender) is None, "not asked when it cannot be recorded"
    asyncio.run(remember_search(said_by(sender), "walking", "Wallasey"))
    assert start_session(sender) == [SessionStarted(), ActionExecuted("action_listen")]


def test_a_returning_resident_is_greeted_with_last_times_search_to_run_again() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"remembered_interest": "singing", "remembered_place": "Heswall", "returning": True}
    assert asyncio.run(ActionGreetReturning().run(dispatcher, said_by("sms:returning", slots), {})) == []
    [greeting] = dispatcher.messages
    assert (greeting["response"], greeting["interest"], greeting["place"]) == ("utter_greet_returning", "singing", "Heswall")
    [button] = greeting["buttons"]
    assert button["payload"] == search_again_payload("singing", "Heswall")


def test_without_a_remembered_search_the_greeting_is_the_usual_one() -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionGreetReturning().run(dispatcher, said_by("sms:returning", {"remembered_interest": "singing"}), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet_again"]


def test_the_greetings_1_is_the_same_search_with_both_slots_filled() -> None:
    payload = search_again_payload("tea dance", "New Brighton")
    assert payload.startswith("/search_activities{")
    assert json.loads(payload.removeprefix("/search_activities")) == {"interest": "tea dance", "place": "New Brighton"}
