"""A real SQLite database holding the sample directory for the action tests, and trackers built inline."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import database
from directory import load_sample_if_empty
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine


@pytest.fixture(scope="module")
def sample_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('actions')) / 'app.db'}"
    engine = make_engine(url)
    upgrade_engine(engine)
    with make_sessionmaker(engine).begin() as session:
        assert load_sample_if_empty(session) > 0
    engine.dispose()
    yield url


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
