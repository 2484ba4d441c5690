"""The application database engine: what every transaction relies on."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from casework.models import InboundMessage


def count(sessions: sessionmaker) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


@pytest.mark.parametrize("engine_kind", ["sqlite", "postgresql"])
def test_a_savepoint_inside_a_rolled_back_transaction_is_rolled_back_too(engine_kind: str, request: pytest.FixtureRequest) -> None:
    """A write inside a savepoint opened first (as record_inbound's once was, and as a case reference
    taken concurrently on PostgreSQL still is). pysqlite starts no transaction before the first
    statement it recognises as a write, so a SAVEPOINT opened first was committed by its RELEASE,
    whatever the outer transaction did; the engine now begins every transaction itself."""
    sessions = request.getfixturevalue("app_sessions") if engine_kind == "sqlite" else sessionmaker(request.getfixturevalue("pg_engine"), future=True)
    with pytest.raises(RuntimeError), sessions.begin() as session:
        with session.begin_nested():
            session.add(InboundMessage(channel="sms", message_id="SM" + "a" * 32, sender_id="sms:someone"))
        raise RuntimeError("the rest of the step failed")
    assert count(sessions) == 0
