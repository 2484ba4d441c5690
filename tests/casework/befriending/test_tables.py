"""Migrations 0023 and nbr_check_ins build befriending's tables (and the volunteer's ready_at) as the models
declare them, with the markers the re-key command and erasure read (sealed words, sender id columns)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch, BefriendingRequest, BefriendingText
from casework.cases.models import Volunteer
from casework.outbox.messages import OutboxMessage
from jobs.rekey import sender_id_columns
from service.database import Base


def test_the_migration_matches_the_models(app_engine: Engine) -> None:
    ours = {BefriendingRequest.__tablename__, BefriendingMatch.__tablename__, BefriendingText.__tablename__, OutboxMessage.__tablename__,
            BefriendingCheckIn.__tablename__, Volunteer.__tablename__}
    with app_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if any(f"'{name}'" in repr(d) for name in ours)] == []


def test_words_are_sealed_and_sender_ids_are_found_by_their_names() -> None:
    sealed = {c.name for c in BefriendingRequest.__table__.columns if c.info.get("sealed") == "body"}
    assert sealed == {"first_name_encrypted", "interests_encrypted", "free_times_encrypted"}
    assert {c.name for c in sender_id_columns(BefriendingMatch.__table__)} == {"resident_sender_id", "volunteer_sender_id"}  # type: ignore[arg-type]
    assert {c.name for c in sender_id_columns(BefriendingCheckIn.__table__)} == {"sender_id"}  # type: ignore[arg-type]
    assert OutboxMessage.__table__.c.body.info == {"sealed": "body", "sealed_when": {"purpose": "relay"}}
