"""A real SQLite database holding the sample directory for the action tests, and trackers built inline.

One test module per action module (tests/actions/test_<module>.py). The sample directory is built
once per session (migrations and the import take several seconds) and each test module gets its
own copy, so what one module writes (connectors, suggestions, residents, offers) no other sees.
"""
from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import database
from actions.search_activities import ActionSearchActivities
from actions.search_state import SearchState, Shown
from casework.models import Resident
from casework.residents.identity import PhoneVault, sms_sender_id
from directory import load_sample_if_empty
from directory.models import Service
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.text import domain_responses


@pytest.fixture(scope="session")
def sample_directory_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated database with the sample directory loaded, built once; copied, never used itself."""
    path = Path(tmp_path_factory.mktemp("actions-template")) / "app.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_engine(engine)
    with make_sessionmaker(engine).begin() as session:
        assert load_sample_if_empty(session) > 0
    engine.dispose()
    return path


def copy_of(database_file: Path, folder: Path) -> str:
    """A copy of a SQLite database in `folder` (SQLite's backup: the WAL included); its URL."""
    path = folder / "app.db"
    source, copy = sqlite3.connect(database_file), sqlite3.connect(path)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def sample_directory(sample_directory_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """This module's own copy of the sample directory's database."""
    return copy_of(sample_directory_file, Path(tmp_path_factory.mktemp("actions")))


@pytest.fixture(autouse=True)
def action_database(sample_directory: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", sample_directory)
    database.sessions.cache_clear()
    yield
    database.sessions.cache_clear()


def tracker(slots: dict[str, Any], text: str = "", entities: list[dict[str, Any]] | None = None, *,
            intent: str = "inform", channel: str = "webchat", sender_id: str = "web:actions",
            active_loop: str | None = "activity_search_form") -> Tracker:
    message = {"text": text, "entities": entities or [], "intent": {"name": intent, "confidence": 1.0}}
    return Tracker(
        sender_id=sender_id,
        slots=slots,
        latest_message=message,
        events=[{"event": "user", "text": text, "parse_data": message, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def entity(name: str, value: str, text: str | None = None, start: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"entity": name, "value": value}
    if text is not None and start is not None:
        found.update(start=start, end=start + len(text))
    return found


@cache
def real_domain() -> dict[str, Any]:
    """The domain as the action server passes it: the responses, whose words some actions read."""
    return {"responses": domain_responses()}


def run_on_results(action: Action, slots: dict, text: str = "", entities: list | None = None, intent: str = "inform", *,
                   domain: dict[str, Any] | None = None, channel: str = "webchat",
                   sender_id: str = "web:actions") -> tuple[list[dict], SearchState | None]:
    """Run an action that works on the last results (no form active): what it said, and the search
    state it left (None when it set none)."""
    dispatcher = CollectingDispatcher()
    said = tracker(slots, text, entities, intent=intent, active_loop=None, channel=channel, sender_id=sender_id)
    events = asyncio.run(action.run(dispatcher, said, real_domain() if domain is None else domain))
    states = [e["value"] for e in events if e["name"] == "search_state"]
    return dispatcher.messages, SearchState.from_slot(states[-1]) if states else None


def searched(interest: str, place: str) -> SearchState:
    """The state a search for `interest` near `place` leaves (what it listed), to work on."""
    _, state = run_on_results(ActionSearchActivities(), {"interest": interest, "place": place})
    assert state is not None
    return state


def matches(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["response"] == "utter_activity_match"]


# The report form's trackers: an SMS reporter's pseudonym (the intake's, with the tests' hash key) or a web chat's.
HASH_KEY, ENCRYPTION_KEY = "test-hash-key", "test-encryption-key"
REPORTER = "+447700900321"
SMS_SENDER = sms_sender_id(REPORTER, key=HASH_KEY)
WEB_SENDER = "web:Zm9vYmFyYmF6cXV4"


def report_tracker(slots: dict[str, Any], *, sender_id: str = SMS_SENDER, text: str = "", requested: str | None = None,
                   events: list[dict[str, Any]] | None = None) -> Tracker:
    """A turn inside the report form, `requested` being the slot it asked for."""
    return Tracker(
        sender_id=sender_id,
        slots={**slots, "requested_slot": requested},
        latest_message={"text": text, "entities": [], "intent": {"name": "inform", "confidence": 1.0}, "message_id": "SMlast"},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": "report_form"},
        latest_action_name="action_listen",
    )


@pytest.fixture
def sms_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The phone keys the intake would use, for actions that seal what an SMS resident said."""
    monkeypatch.setenv("PHONE_HASH_KEY", HASH_KEY)
    monkeypatch.setenv("PHONE_ENCRYPTION_KEY", ENCRYPTION_KEY)
    database.settings.cache_clear()
    yield
    database.settings.cache_clear()


def texter(number: str, *, opted_out: bool = False) -> str:
    """An SMS resident the intake has met (their number on their record, sealed): their pseudonym."""
    sender_id = sms_sender_id(number, key=HASH_KEY)
    with database.sessions().begin() as session:
        session.add(Resident(sender_id=sender_id, channel="sms", opted_out=opted_out,
                             phone_encrypted=PhoneVault(ENCRYPTION_KEY).seal(number)))
    return sender_id


def listed(name: str, *, description: str | None = None) -> Shown:
    """The sample directory's group called `name` as a search would have shown it (its id included)."""
    with database.sessions()() as session:
        [service] = session.scalars(select(Service).where(Service.name == name)).all()
    return Shown(name=service.name, when="As the directory says", where="Liscard Hub, CH44 5TN (0.4 miles away)", cost="Free",
                 contact="0151 496 0000", description=service.description if description is None else description,
                 distance_miles=0.4, service_id=service.id)
