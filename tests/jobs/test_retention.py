"""The retention purge with the clock fixed (`now` injected everywhere): what is past its period goes
from every store, through the erasure code; what is within it, or protected by an open case, stays;
and the worker's job runs at most once an hour among all workers. SQLite and PostgreSQL.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases.models import Case
from casework.cases.opening import Reason, open_case
from casework.conversation.inbound import mark_answered, record_inbound
from casework.models import Flag, InboundMessage, Resident, SmsConversationState
from casework.outbox.dry_run_file import write_sent
from casework.outbox.messages import OutboxMessage, enqueue_sms
from casework.privacy.consent import PURPOSES
from casework.privacy.models import Erasure
from casework.privacy.retention import retention_policy
from casework.residents.identity import PhoneVault, sms_sender_id
from jobs.retention import RetentionPurge, purge_expired
from jobs.worker import default_jobs
from service.database import make_sessionmaker
from service.settings import Settings, load_settings

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=timezone.utc)
HASH_KEY, SEAL_KEY = "test-hash-key", "test-encryption-key"
LAPSED = sms_sender_id("+447700900601", key=HASH_KEY)  # last texted 400 days ago
RECENT = sms_sender_id("+447700900602", key=HASH_KEY)  # last texted 10 days ago
IN_CASEWORK = sms_sender_id("+447700900603", key=HASH_KEY)  # lapsed, but a case of theirs is open
ONLY_IN_RASA = "web:old-session"  # a conversation with no resident row, last touched 400 days ago


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(), environment="test", database_url=f"sqlite:///{tmp_path / 'app.db'}", phone_hash_key=HASH_KEY,
        phone_encryption_key=SEAL_KEY, phone_encryption_key_previous=(), outbox_path=tmp_path / "outbox.log",
        extra={"CRISIS_SPOOL_PATH": str(tmp_path / "crisis-spool.jsonl"), "VAR_DIR": str(tmp_path),
               "RETENTION_CONVERSATION_DAYS": "365", "RETENTION_CLOSED_CASE_DAYS": "730", "RETENTION_INBOUND_DAYS": "30"},
    )


def tracker(sender_id: str, at: datetime) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender_id, [
        ActionExecuted("action_listen", timestamp=at.timestamp() - 1),
        UserUttered(f"hello from {sender_id}", {"name": "greet"}, timestamp=at.timestamp()),
    ])


def seed(sessions: sessionmaker, settings: Settings) -> dict[str, str]:
    """Residents, messages, cases and outbox rows at fixed ages before NOW."""
    phones = PhoneVault(SEAL_KEY)
    refs = {}
    with sessions.begin() as session:
        for sender, last, n in ((LAPSED, 400, 1), (RECENT, 10, 2), (IN_CASEWORK, 400, 3)):
            session.add(Resident(sender_id=sender, channel="sms", phone_encrypted=phones.seal(f"+44770090060{n}"), opted_out=False,
                                 first_contact_at=days_ago(500), last_contact_at=days_ago(last)))
        session.flush()
        for sender, age in ((RECENT, 40), (RECENT, 10)):
            message_id = f"SM-{sender[-4:]}-{age}"
            record_inbound(session, channel="sms", message_id=message_id, sender_id=sender)
            mark_answered(session, message_id, state="answered", reply_text="You said: bowls")
            session.execute(update(InboundMessage).where(InboundMessage.message_id == message_id)
                            .values(received_at=days_ago(age), answered_at=days_ago(age)))
            outbox_id = enqueue_sms(session, sender_id=sender, body=f"reply {age}", purpose="reply", settings=settings)
            session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(created_at=days_ago(age), state="sent"))
            write_sent(settings.outbox_path, {"at": days_ago(age).isoformat(), "id": outbox_id, "recipient": sender, "body": f"reply {age}"})
        queued = enqueue_sms(session, sender_id=RECENT, body="still queued", purpose="reply", settings=settings)
        session.execute(update(OutboxMessage).where(OutboxMessage.id == queued).values(created_at=days_ago(40)))
        session.add(SmsConversationState(sender_id=RECENT, choices_json='{"1": "/x"}', updated_at=days_ago(40)))
        session.add(Flag(sender_id=RECENT, reason="lonely", source="safety_screen", raised_at=days_ago(400), state="open"))
        session.add(Flag(sender_id=RECENT, reason="lonely", source="safety_screen", raised_at=days_ago(10), state="answered"))

        def case(sender: str, basis: str, closed_days: float | None) -> str:
            opened = open_case(session, sender_id=sender, priority="high", reasons=[Reason("despair", "r", None, "words")],
                               lawful_basis=basis, settings=settings, now=days_ago(900))
            if closed_days is not None:
                session.execute(update(Case).where(Case.reference == opened.reference)
                                .values(state="closed", closed_at=days_ago(closed_days), outcome="supported"))
            return opened.reference

        refs["lapsed_safeguarding"] = case(LAPSED, "vital_interests", 100)  # kept, minimised
        refs["lapsed_consent"] = case(LAPSED, "consent", 100)  # goes with them
        refs["old_case"] = case(RECENT, "vital_interests", 800)  # closed too long ago
        refs["recent_case"] = case(RECENT, "vital_interests", 100)
        refs["open_case"] = case(IN_CASEWORK, "vital_interests", None)
    return refs


def rasa_store(folder: Path) -> Path:
    path = folder / "rasa-tracker.db"
    store = SQLTrackerStore(dialect="sqlite", db=str(path))
    for sender, last in ((LAPSED, 400), (RECENT, 10), (IN_CASEWORK, 400), (ONLY_IN_RASA, 400)):
        asyncio.run(store.save(tracker(sender, days_ago(last))))
    store.engine.dispose()
    return path


def senders_in(path: Path) -> set[str]:
    store = SQLTrackerStore(dialect="sqlite", db=str(path))
    with store.engine.connect() as conn:
        found = set(conn.execute(select(SQLTrackerStore.SQLEvent.__table__.c.sender_id)).scalars())
    store.engine.dispose()
    return found


def test_the_purge_removes_what_is_past_its_period_from_every_store(settings: Settings, app_sessions: sessionmaker, tmp_path: Path) -> None:
    refs = seed(app_sessions, settings)
    tracker_file = rasa_store(tmp_path)

    report = purge_expired(app_sessions, settings, now=NOW)

    assert senders_in(tracker_file) == {RECENT, IN_CASEWORK}, "lapsed conversations erased; one in casework kept"
    assert report.erasure is not None and report.erasure.residents == 2  # LAPSED and the Rasa-only conversation
    with app_sessions() as session:
        assert set(session.scalars(select(Resident.sender_id))) == {RECENT, IN_CASEWORK}
        cases = {c.reference: c for c in session.scalars(select(Case))}
        assert set(cases) == {refs["lapsed_safeguarding"], refs["recent_case"], refs["open_case"]}
        assert cases[refs["lapsed_safeguarding"]].sender_id.startswith("erased:"), "kept for safeguarding, minimised"
        assert [(r.message_id[-2:], r.state) for r in session.scalars(select(InboundMessage))] == [("10", "answered")]
        assert sorted(session.scalars(select(OutboxMessage.body))) == ["reply 10", "still queued"], "unfinished messages stay"
        assert session.scalars(select(SmsConversationState)).all() == []
        assert [f.raised_at.date() for f in session.scalars(select(Flag))] == [days_ago(10).date()]
        erasure = session.scalars(select(Erasure)).one()
        assert (erasure.requested_by, erasure.reason, erasure.residents) == ("retention", "retention", 2)
    lines = [json.loads(line) for line in settings.outbox_path.read_text().splitlines()]
    assert [line["body"] for line in lines] == ["reply 10"]
    assert report.compacted

    again = purge_expired(app_sessions, settings, now=NOW)
    assert again.handled == 0 and again.erasure is None, "nothing left to purge"


def test_the_worker_job_purges_at_most_once_an_hour_among_workers(settings: Settings, app_sessions: sessionmaker) -> None:
    clock = [NOW]
    one, two = (RetentionPurge(app_sessions, settings, clock=lambda: clock[0], tracker_urls=[]) for _ in range(2))
    assert one.run() is not None
    assert two.run() is None, "another worker purged this hour"
    clock[0] = NOW + timedelta(minutes=59)
    assert one.run() is None and two.run() is None
    clock[0] = NOW + timedelta(minutes=61)
    assert two.run() is not None
    assert "retention" in [job.name for job in default_jobs(settings, app_sessions)]


def test_periods_come_from_the_configuration(settings: Settings) -> None:
    policy = retention_policy(dataclasses.replace(settings, extra={"RETENTION_CONVERSATION_DAYS": "90", "RETENTION_INBOUND_DAYS": "7"}))
    assert (policy.conversation, policy.closed_case, policy.inbound) == (timedelta(days=90), timedelta(days=730), timedelta(days=7))
    assert policy.keeps(state="new", lawful_basis="vital_interests", closed_at=None, now=NOW)
    assert not policy.keeps(state="new", lawful_basis="consent", closed_at=None, now=NOW)
    assert not policy.keeps(state="closed", lawful_basis="public_task", closed_at=days_ago(731), now=NOW)
    assert PURPOSES == ("suggestions", "follow_up", "sharing", "remember", "loneliness")


@pytest.mark.postgres
def test_the_purge_on_postgresql(pg_engine: Engine, settings: Settings) -> None:
    sessions = make_sessionmaker(pg_engine)
    refs = seed(sessions, settings)
    events = SQLTrackerStore.SQLEvent.__table__
    with pg_engine.begin() as conn:
        events.create(conn)
        for sender, last in ((LAPSED, 400), (RECENT, 10), (ONLY_IN_RASA, 400)):
            for event in tracker(sender, days_ago(last)).events:
                conn.execute(insert(events).values(sender_id=sender, type_name=event.type_name, timestamp=event.timestamp,
                                                   data=json.dumps(event.as_dict())))

    report = purge_expired(sessions, settings, now=NOW, tracker_urls=[str(pg_engine.url)])

    assert report.erasure is not None and report.erasure.residents == 2 and not report.compacted
    with pg_engine.connect() as conn:
        assert set(conn.execute(select(events.c.sender_id)).scalars()) == {RECENT}
    with sessions() as session:
        assert set(session.scalars(select(Resident.sender_id))) == {RECENT, IN_CASEWORK}
        assert set(session.scalars(select(Case.reference))) == {refs["lapsed_safeguarding"], refs["recent_case"], refs["open_case"]}
        assert [r.message_id[-2:] for r in session.scalars(select(InboundMessage))] == ["10"]
