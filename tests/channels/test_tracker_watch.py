"""A failing tracker store is reported, not silently replaced by memory."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_watch import TrackerStoreWatch


def test_a_database_error_in_the_tracker_store_is_recorded(tmp_path: Path) -> None:
    database = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(database))
    safe = FailSafeTrackerStore(store)
    watch = TrackerStoreWatch()
    assert watch.attach(safe)
    tracker = DialogueStateTracker("sms:abc", [])
    asyncio.run(safe.save(tracker))
    assert not watch.failing()
    with sqlite3.connect(database) as conn:  # the table goes away under Rasa: a real database error
        conn.execute("DROP TABLE events")
    asyncio.run(safe.save(DialogueStateTracker("sms:def", [])))
    assert watch.failing() and watch.last_error == "OperationalError"


def test_a_store_that_is_not_wrapped_is_not_watched() -> None:
    assert TrackerStoreWatch().attach(InMemoryTrackerStore(Domain.empty())) is False
