"""Flat conversations with the trained model, the real action server and Rasa's own tracker stores: a
step that ends a long session starts a new one, and everything the resident said that a later turn
needs is carried into it (actions/conversation_session.py; its rules: tests/actions/test_conversation_session.py)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine

from actions.conversation_session import MESSAGES_PER_SESSION
from actions.search_state import SearchState
from jobs.subject_access import conversation
from tests.conversations.conftest import loop_of, new_sender, talk

# The benchmark's conversation (bench/sms_turns.py): a search every second or third message.
EVERYDAY = ["hello", "I like walking", "CH44 5TN", "singing", "thank you", "knitting", "what can you do", "bowls"]


def joined(replies: list[str]) -> str:
    return "\n".join(replies)


def session(agent: Agent, sender: str) -> DialogueStateTracker:
    """The current session, as the next turn will load it."""
    tracker = loop_of(agent).run_until_complete(agent.tracker_store.retrieve(sender))
    assert tracker is not None
    return tracker


def everything(agent: Agent, sender: str) -> DialogueStateTracker:
    tracker = loop_of(agent).run_until_complete(agent.tracker_store.retrieve_full_tracker(sender))
    assert tracker is not None
    return tracker


def their_words(tracker: DialogueStateTracker) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, UserUttered) and e.text]


@pytest.mark.service
def test_a_search_that_ends_a_long_session_starts_a_new_one_and_the_results_go_on(agent: Agent) -> None:
    sender = new_sender("sms")
    for text in EVERYDAY[: MESSAGES_PER_SESSION - 1]:
        talk(agent, sender, text, "sms")
    assert not any(isinstance(e, SessionStarted) for e in list(session(agent, sender).events)[2:]), "one session so far"

    found = talk(agent, sender, "coffee mornings in wallasey", "sms")
    assert found[0] == "For coffee morning near Wallasey:" and found[1].startswith("1. ")
    carried = session(agent, sender)
    assert their_words(carried) == [], "the new session holds none of their words, only what they mean"
    assert (carried.get_slot("interest"), carried.get_slot("place")) == ("coffee morning", "Wallasey")
    state = SearchState.from_slot(carried.get_slot("search_state"))
    assert state.searched and state.listed == 3 and state.shown[0].name in found[1], "what was shown, numbered as they saw it"
    assert their_words(everything(agent, sender))[-1] == "coffee mornings in wallasey", "nothing stored is lost"

    # The new session's first message: a conversation under way, not a first hello.
    assert talk(agent, sender, "hello", "sms")[0].startswith("Hello again!")
    more = talk(agent, sender, "any more?", "sms")
    assert more[0].startswith("More for coffee morning near Wallasey") and more[1].startswith("4. ")
    fifth = more[2].split(". ", 2)[1]
    assert joined(talk(agent, sender, "tell me about 5", "sms")).startswith(fifth + ":")
    assert joined(talk(agent, sender, "how do i get there", "sms")).startswith(fifth + " is at")
    thursdays = joined(talk(agent, sender, "what about thursdays", "sms"))
    assert "coffee morning near Wallasey" in thursdays and "Thursdays" in thursdays
    assert "singing near Wallasey" in joined(talk(agent, sender, "actually singing", "sms")), "the place is kept"


@pytest.fixture
def sql_store(agent: Agent, tmp_path: Path) -> Iterator[Path]:
    """Rasa's SQL tracker store (as `make run` configures it, on SQLite) for these tests' turns."""
    path = tmp_path / "rasa-tracker.db"
    store = SQLTrackerStore(agent.domain, dialect="sqlite", db=str(path))
    before: TrackerStore = agent.tracker_store
    agent.tracker_store = agent.processor.tracker_store = store  # type: ignore[union-attr]
    try:
        yield path
    finally:
        agent.tracker_store = agent.processor.tracker_store = before  # type: ignore[union-attr]
        store.engine.dispose()


@pytest.mark.service
def test_the_sql_store_loads_one_short_session_however_long_the_conversation(agent: Agent, sql_store: Path) -> None:
    sender = new_sender("sms")
    said = EVERYDAY * 4
    for text in said:
        talk(agent, sender, text, "sms")
    loaded = session(agent, sender)
    assert len([e for e in loaded.events if isinstance(e, UserUttered)]) <= MESSAGES_PER_SESSION + 2
    assert len(loaded.events) < 80, "a turn reads a short session, not the conversation"
    assert their_words(everything(agent, sender)) == said, "every message stays stored, in order"
    # A subject access request reads the store whole: each message once, the carried sessions' outlines never.
    lines = conversation([sender], create_engine("sqlite://"), [f"sqlite:///{sql_store}"])
    assert [line.text for line in lines if line.who == "you"] == said
    # The last search (bowls near CH44 5TN) is what the next refinement works on.
    assert "bowls near CH44 5TN" in joined(talk(agent, sender, "anything free?", "sms"))
    assert "bowls near CH44 5TN" in joined(talk(agent, sender, "what about thursdays", "sms"))


@pytest.mark.service
def test_a_resident_who_texts_hours_after_a_carried_session_starts_afresh(agent: Agent, sql_store: Path) -> None:
    """Rasa's 120 quiet minutes still end a conversation that was carried into a new session."""
    sender = new_sender("sms")
    for text in EVERYDAY[: MESSAGES_PER_SESSION - 1]:
        talk(agent, sender, text, "sms")
    talk(agent, sender, "coffee mornings in wallasey", "sms")
    assert their_words(session(agent, sender)) == [], "carried into a new session, with no message of theirs yet"
    with sqlite3.connect(sql_store) as db:  # three hours pass (the store's column and each event's own record)
        db.execute("UPDATE events SET timestamp = timestamp - 10800, data = json_set(data, '$.timestamp', "
                   "json_extract(data, '$.timestamp') - 10800) WHERE sender_id = ?", (sender,))
    assert talk(agent, sender, "hello", "sms")[0].startswith("Hello! I can tell you about")
    assert talk(agent, sender, "tell me about 2", "sms")[0].startswith("I haven't suggested anything yet")
