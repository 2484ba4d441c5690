"""Where a volunteer stands (casework.good_neighbours.states): applied, in training, ready, paused, left,
with who changed it and when, audited under their reference; ready only when trained and approved with
the checks their offer needs (a DBS check for visits or driving); the checks keep a date, nothing more.
And the migration that brought the states in, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from casework.cases.models import AuditEvent, VolunteerCheck, VolunteerTraining
from casework.cases.opening import CaseworkError
from casework.good_neighbours.states import (
    WrongVolunteerState,
    approve,
    leave,
    note_details,
    pause,
    record_checks,
    record_training_done,
    resume,
    start_training,
)
from casework.good_neighbours.volunteers import UnknownVolunteer, list_volunteers, volunteer_details
from casework.outbox.messages import OutboxMessage
from service.database import make_engine
from service.migrate import alembic_config
from tests.casework.good_neighbours.conftest import NOW, texts_to, volunteer

MO = "connector:7"


def trail(session, reference):
    return [(e.actor, e.action, e.detail) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.case_reference == reference).order_by(AuditEvent.id))]


def test_ready_needs_training_and_approval_in_either_order(sessions, casework_settings, sign_up):
    first_approved, _ = sign_up()
    first_trained, _ = sign_up()
    with sessions.begin() as session:
        record_checks(session, reference=first_approved, actor=MO, settings=casework_settings, seen={"references": date(2026, 11, 20)}, now=NOW)
        assert approve(session, reference=first_approved, actor=MO, now=NOW) == "applied"
        assert record_training_done(session, reference=first_approved, actor="cli:sam", settings=casework_settings,
                                    now=NOW + timedelta(hours=1)) == "ready"

        assert record_training_done(session, reference=first_trained, actor="cli:sam", settings=casework_settings, now=NOW) == "applied"
        record_checks(session, reference=first_trained, actor=MO, settings=casework_settings, seen={"references": date(2026, 11, 20)}, now=NOW)
        assert approve(session, reference=first_trained, actor=MO, now=NOW + timedelta(hours=2)) == "ready"
    with sessions() as session:
        ready = volunteer(session, first_approved)
        assert (ready.state, ready.state_changed_by, ready.approved_by) == ("ready", "cli:sam", MO)
        assert ready.state_changed_at.replace(tzinfo=timezone.utc) == NOW + timedelta(hours=1)
        assert ("cli:sam", "volunteer_state", "applied -> ready: trained and approved") in trail(session, first_approved)
        assert [v.state for v in list_volunteers(session, state="ready")] == ["ready", "ready"]


def test_approval_waits_for_the_checks_the_offer_needs(sessions, casework_settings, sign_up):
    caller, _ = sign_up(roles=("befriending_calls", "group_helper"))
    driver, _ = sign_up(roles=("befriending_calls", "driving"))
    with sessions.begin() as session:
        with pytest.raises(WrongVolunteerState, match="record their references first"):
            approve(session, reference=caller, actor=MO, now=NOW)
        record_checks(session, reference=caller, actor=MO, settings=casework_settings, seen={"references": date(2026, 11, 20)}, now=NOW)
        approve(session, reference=caller, actor=MO, now=NOW)  # calls and groups need no DBS check

        record_checks(session, reference=driver, actor=MO, settings=casework_settings, seen={"references": date(2026, 11, 20)}, now=NOW)
        with pytest.raises(WrongVolunteerState, match="record their DBS check first"):
            approve(session, reference=driver, actor=MO, now=NOW)
        record_checks(session, reference=driver, actor=MO, settings=casework_settings, seen={"dbs": date(2026, 11, 24)}, now=NOW)
        approve(session, reference=driver, actor=MO, now=NOW)
    with sessions() as session:
        assert volunteer(session, driver).approved_at is not None
        checks = {c.kind: (c.seen_on, c.recorded_by) for c in session.scalars(select(VolunteerCheck).order_by(VolunteerCheck.id))}
        assert checks == {"references": (date(2026, 11, 20), MO), "dbs": (date(2026, 11, 24), MO)}
        assert (MO, "volunteer_check", "dbs seen on 2026-11-24") in trail(session, driver)


def test_a_check_is_a_date_seen_never_one_in_the_future(sessions, casework_settings, sign_up):
    reference, _ = sign_up(roles=("visits",))
    with sessions.begin() as session:
        with pytest.raises(CaseworkError, match="future"):
            record_checks(session, reference=reference, actor=MO, settings=casework_settings, seen={"dbs": date(2026, 11, 26)}, now=NOW)
        with pytest.raises(CaseworkError):
            record_checks(session, reference=reference, actor=MO, settings=casework_settings, seen={"certificate_number": date(2026, 11, 1)},
                          now=NOW)
    columns = {c["name"] for c in inspect(sessions.kw["bind"]).get_columns("volunteer_check")}
    assert columns == {"id", "volunteer_id", "kind", "seen_on", "recorded_at", "recorded_by"}, "no certificate, no number"


def test_pause_holds_training_and_resume_texts_it_again(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    with sessions.begin() as session:
        start_training(session, reference=reference, actor="connector:1", settings=casework_settings, now=NOW)
        assert pause(session, reference=reference, actor="connector:1", now=NOW + timedelta(days=1)) == "paused"
        row = session.scalars(select(VolunteerTraining)).one()
        assert (row.state, row.remind_at) == ("waiting", None), "no reminders while paused"
        with pytest.raises(WrongVolunteerState):
            pause(session, reference=reference, actor="connector:1", now=NOW)
        assert resume(session, reference=reference, actor="connector:2", settings=casework_settings, now=NOW + timedelta(days=5)) == "in_training"
        assert session.scalars(select(VolunteerTraining)).one().state == "asked"
        assert len(texts_to(session, sender, "training")) == 2, "the module again, after the break"


def test_resume_goes_back_to_applied_or_ready(sessions, casework_settings, sign_up):
    new, _ = sign_up()
    done, _ = sign_up()
    with sessions.begin() as session:
        pause(session, reference=new, actor=MO, now=NOW)
        assert resume(session, reference=new, actor=MO, settings=casework_settings, now=NOW) == "applied"
        record_checks(session, reference=done, actor=MO, settings=casework_settings, seen={"references": date(2026, 11, 2)}, now=NOW)
        approve(session, reference=done, actor=MO, now=NOW)
        record_training_done(session, reference=done, actor=MO, settings=casework_settings, now=NOW)
        pause(session, reference=done, actor=MO, now=NOW)
        assert resume(session, reference=done, actor=MO, settings=casework_settings, now=NOW) == "ready"


def test_someone_who_left_is_left(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    with sessions.begin() as session:
        start_training(session, reference=reference, actor="connector:1", settings=casework_settings, now=NOW)
        assert leave(session, reference=reference, actor="connector:1", now=NOW) == "left"
        assert session.scalars(select(VolunteerTraining)).one().state == "stopped"
        for change in (lambda: start_training(session, reference=reference, actor=MO, settings=casework_settings, now=NOW),
                       lambda: approve(session, reference=reference, actor=MO, now=NOW),
                       lambda: leave(session, reference=reference, actor=MO, now=NOW),
                       lambda: resume(session, reference=reference, actor=MO, settings=casework_settings, now=NOW)):
            with pytest.raises(WrongVolunteerState):
                change()
        with pytest.raises(UnknownVolunteer):
            leave(session, reference="GN-00000", actor=MO, now=NOW)


def test_training_cannot_start_twice(sessions, casework_settings, sign_up):
    reference, _ = sign_up()
    with sessions.begin() as session:
        start_training(session, reference=reference, actor="connector:1", settings=casework_settings, now=NOW)
        with pytest.raises(WrongVolunteerState, match="already in training"):
            start_training(session, reference=reference, actor="connector:1", settings=casework_settings, now=NOW)
        assert len(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "training")).all()) == 1


def test_interests_are_sealed_and_the_trail_says_what_changed_not_the_words(sessions, casework_settings, sign_up):
    reference, _ = sign_up()
    with sessions.begin() as session:
        note_details(session, reference=reference, actor=MO, settings=casework_settings, interests="bowls and crosswords",
                     availability="weekday mornings", now=NOW)
        assert "bowls" not in (volunteer(session, reference).interests_encrypted or "")
        found = volunteer_details(session, reference=reference, settings=casework_settings, actor=MO)
        assert found is not None and (found.interests, found.availability) == ("bowls and crosswords", "weekday mornings")
        assert (MO, "volunteer_details", "interests updated") in trail(session, reference)
        assert all("bowls" not in detail for _, _, detail in trail(session, reference))
        assert [e.action for e in found.history][-1] == "volunteer_read", "the read is on the record it shows"


# --- the migration ----------------------------------------------------------------------------------

def test_the_migration_matches_the_models(casework_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from service.database import Base

    with casework_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "volunteer" in repr(d)] == []


def _sign_ups_before_and_after(engine):
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0019_report_address")
    at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    with engine.begin() as connection:
        for reference, state, sender in (("GN-10001", "new", "sms:aaa"), ("GN-10002", "withdrawn", "web:bbb"), ("GN-10003", "contacted", None)):
            connection.execute(text("INSERT INTO volunteer (reference, sender_id, channel, name_encrypted, area_label, availability_encrypted, "
                                    "roles, state, created_at) VALUES (:r, :s, 'sms', 'x', 'Wallasey', 'x', 'visits', :state, :at)"),
                               {"r": reference, "s": sender, "state": state, "at": at})
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT reference, state, sms_sender_id, state_changed_by FROM volunteer ORDER BY reference")).all()
    assert [tuple(row) for row in rows] == [("GN-10001", "applied", "sms:aaa", "bot"), ("GN-10002", "left", None, "bot"),
                                            ("GN-10003", "applied", None, "bot")]
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0019_report_address")
    with engine.connect() as connection:
        assert [r[0] for r in connection.execute(text("SELECT state FROM volunteer ORDER BY reference"))] == ["new", "withdrawn", "new"]


def test_sign_ups_made_before_keep_their_place_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        _sign_ups_before_and_after(engine)
    finally:
        engine.dispose()


def test_sign_ups_made_before_keep_their_place_on_postgresql():
    import uuid

    from sqlalchemy import create_engine

    from tests.conftest import POSTGRES_URL, postgres_admin

    admin = postgres_admin()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES_URL, future=True, connect_args={"options": f"-csearch_path={schema}"})
    try:
        _sign_ups_before_and_after(engine)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
