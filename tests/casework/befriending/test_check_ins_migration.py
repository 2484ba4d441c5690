"""Migration nbr_check_ins on a database already in use: a match live before it gets both sides' first check-ins,
due two weeks after it went live (one only proposed gets none); a volunteer's ready_at is when their audit trail
first says they became ready, or for one ready with no such entry the later of approval and training, and none
for one who never was (approved and trained while paused)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from alembic import command
from sqlalchemy import select, text

from casework.befriending.tables import BefriendingCheckIn
from casework.cases.models import Volunteer
from casework.models import as_utc
from service.database import make_engine, make_sessionmaker
from service.migrate import alembic_config

AT = datetime(2026, 11, 2, 10, tzinfo=timezone.utc)


def test_live_matches_get_their_first_check_ins_and_volunteers_their_ready_at(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0021_loneliness")
    with engine.begin() as connection:
        for n, (state, approved, trained) in enumerate((("ready", AT, AT + timedelta(days=2)), ("ready", AT, AT + timedelta(days=3)),
                                                        ("paused", AT, AT + timedelta(days=1)))):
            connection.execute(text(
                "INSERT INTO volunteer (reference, sms_sender_id, channel, name_encrypted, area, area_label, availability_encrypted, roles,"
                " state, approved_at, training_completed_at, created_at) VALUES (:ref, :sender, 'sms', 'x', 'CH44', 'Wallasey', 'x',"
                " 'befriending_calls', :state, :approved, :trained, :at)"),
                {"ref": f"GN-1000{n}", "sender": f"sms:volunteer-{n}", "state": state, "approved": approved, "trained": trained, "at": AT})
        connection.execute(text("INSERT INTO audit_event (at, actor, action, case_reference, detail) VALUES"
                                " (:at, 'cli:jo', 'volunteer_state', 'GN-10000', 'in_training -> ready: trained and approved')"),
                           {"at": AT + timedelta(days=2, hours=1)})
        connection.execute(text("INSERT INTO befriending_request (reference, sender_id, channel, wants, state, created_at, updated_at)"
                                " VALUES ('BF-10000', 'sms:resident', 'sms', 'call', 'matched', :at, :at)"), {"at": AT})
        for n, (state, live_at) in enumerate((("live", AT + timedelta(days=5)), ("proposed", None))):
            connection.execute(text(
                "INSERT INTO befriending_match (reference, request_id, volunteer_id, resident_sender_id, volunteer_sender_id, state, asked_at,"
                " proposed_by, created_at, live_at) VALUES (:ref, 1, 1, 'sms:resident', 'sms:volunteer-0', :state, :at, 'cli:jo', :at, :live)"),
                {"ref": f"BM-1000{n}", "state": state, "at": AT, "live": live_at})
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "nbr_check_ins")

    with make_sessionmaker(engine)() as session:
        check_ins = session.scalars(select(BefriendingCheckIn).order_by(BefriendingCheckIn.side)).all()
        ready = dict(session.execute(select(Volunteer.reference, Volunteer.ready_at)).all())
    assert [(c.match_id, c.side, c.sender_id, c.round, c.state) for c in check_ins] == [
        (1, "resident", "sms:resident", 1, "due"), (1, "volunteer", "sms:volunteer-0", 1, "due")]
    assert {as_utc(c.due_at) for c in check_ins} == {AT + timedelta(days=19)}
    assert {reference: as_utc(at) for reference, at in ready.items()} == {
        "GN-10000": AT + timedelta(days=2, hours=1), "GN-10001": AT + timedelta(days=3), "GN-10002": None}
    engine.dispose()
