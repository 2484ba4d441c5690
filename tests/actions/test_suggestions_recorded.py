"""The search action records what it suggested (for the outcomes dashboard): one row per activity shown,
to the resident's pseudonym, never the words; nothing when nothing was found."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import database
from actions.search_activities import ActionSearchActivities
from casework.outcome_models import Suggestion
from directory import load_sample_if_empty
from directory.models import Service
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine


@pytest.fixture
def directory_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(url)
    upgrade_engine(engine)
    with make_sessionmaker(engine).begin() as session:
        assert load_sample_if_empty(session) > 0
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    database.sessions.cache_clear()
    yield url
    database.sessions.cache_clear()


def search(sender_id: str, interest: str) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    tracker = Tracker(sender_id=sender_id, slots={"interest": interest, "place": "CH44 5TN"},
                      latest_message={"text": interest, "entities": [], "intent": {"name": "inform", "confidence": 1.0}},
                      events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen")
    asyncio.run(ActionSearchActivities().run(dispatcher, tracker, {}))
    return dispatcher


def test_each_activity_shown_is_recorded_as_suggested_to_the_resident(directory_url: str) -> None:
    said = search("sms:suggested-to", "walking")
    shown = [m["name"] for m in said.messages if m["response"] == "utter_activity_match"]
    assert shown
    search("sms:nothing-found", "underwater basket weaving")
    with database.sessions()() as session:
        rows = session.execute(select(Suggestion.sender_id, Service.name).join(Service, Service.id == Suggestion.activity_id)).all()
    assert sorted(name for _, name in rows) == sorted(shown)
    assert {sender for sender, _ in rows} == {"sms:suggested-to"}
