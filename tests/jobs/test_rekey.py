"""`python -m jobs.rekey`: new PHONE_HASH_KEY and PHONE_ENCRYPTION_KEY without losing anyone.

A resident who opted out, one with a flag, an unanswered message, a queued text and a conversation in
Rasa's tracker store, all written under the old keys; after the re-key everything is found under the
new keys alone, and a second run changes nothing. On SQLite (Rasa's own SQLTrackerStore in its own
file) and on PostgreSQL (the tracker's `events` table in the same database, one transaction).
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import Column, Integer, String, Table, Text, create_engine, insert, select, text
from sqlalchemy.engine import Engine

from casework.conversation.inbound import BodyVault, record_inbound
from casework.models import Flag, InboundMessage, Resident, SmsConversationState
from casework.outbox.messages import OutboxMessage, enqueue_email, enqueue_sms
from casework.residents.flags import raise_flag
from casework.residents.identity import PhoneVault, phone_hash, sms_sender_id
from casework.residents.records import is_opted_out, resolve_sms_sender, set_opted_out, touch_resident
from jobs import rekey as rekey_module
from jobs.rekey import rekey
from service.database import Base, make_sessionmaker
from service.settings import Settings, load_settings

OLD_HASH, NEW_HASH = "old-hash-key", "new-hash-key"
OLD_SEAL, NEW_SEAL = "old-encryption-key", "new-encryption-key"
STOPPED = "+447700900101"  # texted STOP under the old keys
FLAGGED = "+447700900102"  # has a flag, an unanswered message, a queued reply and a conversation
CONNECTOR = "+447700900103"  # a connector in a table added later (keyed hash + sealed number)

# What another helper's table looks like under the conventions: jobs.rekey must find it unaided.
connector_table = Table(
    "rekey_test_connector", Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("mobile_encrypted", Text, info={"sealed": "phone"}),
    Column("phone_hash", String(32), unique=True, info={"keyed_hash": "phone"}),
    Column("duty_sender_id", String(64)),
    extend_existing=True,
)


def settings_with(*, hash_key: str, seal_key: str, old_hash: tuple[str, ...] = (), old_seal: tuple[str, ...] = ()) -> Settings:
    return dataclasses.replace(load_settings(), phone_hash_key=hash_key, phone_encryption_key=seal_key,
                               phone_hash_key_previous=old_hash, phone_encryption_key_previous=old_seal)


BEFORE = settings_with(hash_key=OLD_HASH, seal_key=OLD_SEAL)
DURING = settings_with(hash_key=NEW_HASH, seal_key=NEW_SEAL, old_hash=(OLD_HASH,), old_seal=(OLD_SEAL,))
AFTER = settings_with(hash_key=NEW_HASH, seal_key=NEW_SEAL)


def old_id(number: str) -> str:
    return sms_sender_id(number, key=OLD_HASH)


def new_id(number: str) -> str:
    return sms_sender_id(number, key=NEW_HASH)


def conversation(sender_id: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender_id, [
        ActionExecuted("action_listen", timestamp=1.0),
        UserUttered("I am on my own since my wife died", {"name": "lonely"}, timestamp=2.0),
        BotUttered("I am sorry. Would you like to meet people nearby?", timestamp=3.0),
        ActionExecuted("action_listen", timestamp=4.0),
    ])


def write_before(engine: Engine) -> None:
    """Everything the service writes for two residents and a connector, under the old keys."""
    sessions = make_sessionmaker(engine)
    phones, bodies = PhoneVault.for_settings(BEFORE), BodyVault.for_settings(BEFORE)
    with engine.begin() as conn:
        connector_table.create(conn, checkfirst=True)
    with sessions.begin() as session:
        for number in (STOPPED, FLAGGED):
            touch_resident(session, sender_id=old_id(number), channel="sms", phone_encrypted=phones.seal(number))
        touch_resident(session, sender_id="web:abc", channel="webchat")
        set_opted_out(session, old_id(STOPPED), True)
        raise_flag(session, sender_id=old_id(FLAGGED), reason="loneliness", source="safety_screen", message_id="SM1")
        record_inbound(session, channel="sms", message_id="SM" + "1" * 32, sender_id=old_id(FLAGGED),
                       body_encrypted=bodies.seal("I am on my own since my wife died"))
        enqueue_sms(session, sender_id=old_id(FLAGGED), body="The lunch club meets on Thursdays.", purpose="reply", settings=BEFORE)
        enqueue_email(session, to_address="jo@council.example", subject="Alert", body="Please call.", purpose="alert")
        session.add(SmsConversationState(sender_id=old_id(FLAGGED), choices_json='{"1": "/more"}'))
        session.execute(insert(connector_table).values(
            mobile_encrypted=phones.seal(CONNECTOR), phone_hash=phone_hash(CONNECTOR, key=OLD_HASH),
            duty_sender_id=old_id(CONNECTOR)))


def snapshot(engine: Engine, tracker: Engine | None = None) -> dict[str, list]:
    tables = ["resident", "flag", "inbound_message", "outbox_message", "sms_conversation_state", connector_table.name]
    with engine.connect() as conn:
        state = {name: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))] for name in tables}
    if tracker is not None:
        with tracker.connect() as conn:
            state["events"] = [tuple(row) for row in conn.execute(text("SELECT * FROM events ORDER BY id"))]
    return state


def assert_found_under_the_new_keys_alone(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    phones, bodies = PhoneVault.for_settings(AFTER), BodyVault.for_settings(AFTER)
    with sessions() as session:
        assert resolve_sms_sender(session, STOPPED, AFTER) == new_id(STOPPED)
        assert is_opted_out(session, new_id(STOPPED)), "the opt-out survived"
        assert not is_opted_out(session, new_id(FLAGGED))
        residents = {r.sender_id: r for r in session.scalars(select(Resident))}
        assert set(residents) == {new_id(STOPPED), new_id(FLAGGED), "web:abc"}
        assert phones.open(residents[new_id(FLAGGED)].phone_encrypted) == FLAGGED
        [flag] = session.scalars(select(Flag)).all()
        assert (flag.sender_id, flag.reason, flag.state) == (new_id(FLAGGED), "loneliness", "open")
        [inbound] = session.scalars(select(InboundMessage)).all()
        assert inbound.sender_id == new_id(FLAGGED) and inbound.state == "received"
        assert bodies.open(inbound.body_encrypted) == "I am on my own since my wife died"
        sms, email = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert sms.recipient_sender_id == new_id(FLAGGED) and sms.state == "queued"
        assert phones.open(sms.recipient_encrypted) == FLAGGED
        assert email.recipient_encrypted == "jo@council.example", "a clear email address is not sealed"
        assert session.get(SmsConversationState, new_id(FLAGGED)).choices_json == '{"1": "/more"}'
        connector = session.execute(select(connector_table)).one()
        assert connector.phone_hash == phone_hash(CONNECTOR, key=NEW_HASH)
        assert connector.duty_sender_id == new_id(CONNECTOR)
        assert phones.open(connector.mobile_encrypted) == CONNECTOR
        # Nothing is readable with the old encryption key any more.
        with pytest.raises(InvalidToken):
            PhoneVault.for_settings(BEFORE).open(sms.recipient_encrypted)


# --- before the re-key: the old keys still work ---------------------------------------------------
def test_until_the_rekey_runs_residents_are_found_under_their_old_id(app_engine) -> None:
    write_before(app_engine)
    sessions = make_sessionmaker(app_engine)
    with sessions() as session:
        assert resolve_sms_sender(session, STOPPED, DURING) == old_id(STOPPED)
        assert is_opted_out(session, resolve_sms_sender(session, STOPPED, DURING))
        assert resolve_sms_sender(session, "+447700900999", DURING) == new_id("+447700900999"), "a newcomer gets the new id"
        token = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == old_id(FLAGGED))).one()
        assert PhoneVault.for_settings(DURING).open(token) == FLAGGED
        with pytest.raises(InvalidToken):
            PhoneVault.for_settings(AFTER).open(token)
        body = session.scalars(select(InboundMessage.body_encrypted)).one()
        assert BodyVault.for_settings(DURING).open(body).startswith("I am on my own")
    # New values are sealed under the new key.
    assert PhoneVault.for_settings(AFTER).open(PhoneVault.for_settings(DURING).seal(FLAGGED)) == FLAGGED


def test_without_old_keys_lookups_cost_no_query(app_engine) -> None:
    with make_sessionmaker(app_engine)() as session:
        assert resolve_sms_sender(session, "07700 900101", AFTER) == new_id(STOPPED)


# --- SQLite, with Rasa's own SQLTrackerStore in its own file --------------------------------------
@pytest.fixture
def rasa_store(tmp_path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "rasa-tracker.db"))


def save_conversations(store: SQLTrackerStore, *sender_ids: str) -> None:
    for sender_id in sender_ids:
        asyncio.run(store.save(conversation(sender_id)))


def user_texts(store: SQLTrackerStore, sender_id: str) -> list[str]:
    tracker = asyncio.run(store.retrieve(sender_id))
    return [] if tracker is None else [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_rekey_on_sqlite_keeps_every_opt_out_flag_message_and_conversation(app_engine, rasa_store, capsys) -> None:
    write_before(app_engine)
    save_conversations(rasa_store, old_id(STOPPED), old_id(FLAGGED), "web:abc")

    report = rekey(app_engine, DURING, tracker_engine=rasa_store.engine)

    assert_found_under_the_new_keys_alone(app_engine)
    assert user_texts(rasa_store, new_id(FLAGGED)) == ["I am on my own since my wife died"]
    assert user_texts(rasa_store, new_id(STOPPED)) == ["I am on my own since my wife died"]
    assert user_texts(rasa_store, old_id(FLAGGED)) == []
    assert user_texts(rasa_store, "web:abc") == ["I am on my own since my wife died"], "web ids are left alone"
    assert report.sender_ids == {"resident.sender_id": 2, "flag.sender_id": 1, "inbound_message.sender_id": 1,
                                 "outbox_message.recipient_sender_id": 1, "sms_conversation_state.sender_id": 1,
                                 f"{connector_table.name}.duty_sender_id": 1,
                                 "consent.sender_id": 2}  # the STOP withdrew two purposes (casework.privacy.consent)
    assert report.keyed_hashes == {f"{connector_table.name}.phone_hash": 1}
    assert report.resealed == {"resident.phone_encrypted": 2, "inbound_message.body_encrypted": 1,
                               "outbox_message.recipient_encrypted": 1, f"{connector_table.name}.mobile_encrypted": 1}
    assert (report.tracker_conversations, report.tracker_rows) == (2, 2 * len(conversation("x").events))
    assert report.old_keys_removable

    # The summary holds counts, never an id, a number or a text.
    summary = "\n".join(report.lines())
    for secret in (STOPPED, FLAGGED, STOPPED[1:], old_id(STOPPED)[4:], new_id(STOPPED)[4:], "wife", "lunch club"):
        assert secret not in summary
    assert "can be removed" in summary


def test_a_second_run_changes_nothing(app_engine, rasa_store) -> None:
    write_before(app_engine)
    save_conversations(rasa_store, old_id(FLAGGED))
    rekey(app_engine, DURING, tracker_engine=rasa_store.engine)
    after_first = snapshot(app_engine, rasa_store.engine)

    again = rekey(app_engine, DURING, tracker_engine=rasa_store.engine)

    assert again.changed == 0
    assert snapshot(app_engine, rasa_store.engine) == after_first
    # ... also once the old keys are gone from the settings.
    assert rekey(app_engine, AFTER, tracker_engine=rasa_store.engine).changed == 0
    assert snapshot(app_engine, rasa_store.engine) == after_first


def test_a_dry_run_writes_nothing(app_engine, rasa_store) -> None:
    write_before(app_engine)
    save_conversations(rasa_store, old_id(FLAGGED))
    before = snapshot(app_engine, rasa_store.engine)
    report = rekey(app_engine, DURING, tracker_engine=rasa_store.engine, dry_run=True)
    assert report.changed > 0 and report.tracker_rows > 0
    assert snapshot(app_engine, rasa_store.engine) == before


def test_stopped_half_way_nothing_changed_and_the_next_run_finishes(app_engine, rasa_store, monkeypatch) -> None:
    write_before(app_engine)
    save_conversations(rasa_store, old_id(FLAGGED))
    before = snapshot(app_engine, rasa_store.engine)

    def interrupted(*_: Any) -> None:
        raise KeyboardInterrupt  # after the sender ids were renamed, before anything was re-sealed

    monkeypatch.setattr(rekey_module, "_reseal", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rekey(app_engine, DURING, tracker_engine=rasa_store.engine)
    assert snapshot(app_engine, rasa_store.engine) == before
    monkeypatch.undo()

    # Stopped between the two databases: the application is re-keyed, the tracker not yet.
    rekey(app_engine, DURING, tracker_engine=None)
    assert user_texts(rasa_store, old_id(FLAGGED)) != []
    finish = rekey(app_engine, DURING, tracker_engine=rasa_store.engine)
    assert finish.tracker_conversations == 1 and finish.changed == finish.tracker_rows
    assert user_texts(rasa_store, new_id(FLAGGED)) == ["I am on my own since my wife died"]
    assert_found_under_the_new_keys_alone(app_engine)


def test_a_resident_known_under_both_keys_becomes_one_and_stays_opted_out(app_engine) -> None:
    write_before(app_engine)
    sessions = make_sessionmaker(app_engine)
    with sessions.begin() as session:  # a text recorded under the new key while the rotation was under way
        touch_resident(session, sender_id=new_id(STOPPED), channel="sms", phone_encrypted=PhoneVault.for_settings(DURING).seal(STOPPED))
        raise_flag(session, sender_id=new_id(STOPPED), reason="crisis", source="safety_screen")
        session.add(SmsConversationState(sender_id=new_id(FLAGGED), more_json='["newer"]'))

    report = rekey(app_engine, DURING)

    assert report.merged == {"resident.sender_id": 1, "sms_conversation_state.sender_id": 1}
    with sessions() as session:
        [stopped] = session.scalars(select(Resident).where(Resident.sender_id.in_([old_id(STOPPED), new_id(STOPPED)]))).all()
        assert stopped.sender_id == new_id(STOPPED) and stopped.opted_out is True and stopped.opted_out_at is not None
        assert session.get(SmsConversationState, new_id(FLAGGED)).more_json == '["newer"]'
        assert session.get(SmsConversationState, old_id(FLAGGED)) is None
    assert rekey(app_engine, DURING).changed == 0


def test_a_value_no_key_opens_holds_the_old_keys_back(app_engine) -> None:
    write_before(app_engine)
    with app_engine.begin() as conn:
        conn.execute(text("UPDATE inbound_message SET body_encrypted = :t"),
                     {"t": BodyVault("a-key-nobody-configured").seal("lost")})
    report = rekey(app_engine, DURING)
    assert report.unreadable == {"inbound_message.body_encrypted": 1}
    assert not report.old_keys_removable
    assert "keep the old keys" in "\n".join(report.lines())


def test_the_command_line_prints_a_summary_and_exits_0(app_engine, tmp_path, monkeypatch, capsys) -> None:
    write_before(app_engine)
    tracker_file = tmp_path / "var" / "rasa-tracker.db"
    tracker_file.parent.mkdir()
    save_conversations(SQLTrackerStore(dialect="sqlite", db=str(tracker_file)), old_id(FLAGGED))
    env = {"DATABASE_URL": str(app_engine.url), "VAR_DIR": str(tracker_file.parent), "PHONE_HASH_KEY": NEW_HASH,
           "PHONE_HASH_KEY_PREVIOUS": OLD_HASH, "PHONE_ENCRYPTION_KEY": NEW_SEAL, "PHONE_ENCRYPTION_KEY_PREVIOUS": OLD_SEAL}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)

    assert rekey_module.main([]) == 0

    out = capsys.readouterr().out
    assert "Rasa tracker store: 4 events of 1 conversations re-keyed" in out
    assert FLAGGED not in out and old_id(FLAGGED) not in out
    assert rekey_module.main([]) == 0
    assert "rows changed: 0" in capsys.readouterr().out


# --- PostgreSQL: the tracker's events table in the same database, one transaction -----------------
@pytest.mark.postgres
def test_rekey_on_postgresql(pg_engine) -> None:
    write_before(pg_engine)
    events = SQLTrackerStore.SQLEvent.__table__
    with pg_engine.begin() as conn:
        events.create(conn)
        for sender_id in (old_id(STOPPED), old_id(FLAGGED)):
            for event in conversation(sender_id).events:
                data = event.as_dict()
                conn.execute(insert(events).values(sender_id=sender_id, type_name=event.type_name, timestamp=event.timestamp,
                                                   intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
                                                   action_name=data.get("name"), data=json.dumps(data)))

    report = rekey(pg_engine, DURING, tracker_engine=pg_engine)

    assert_found_under_the_new_keys_alone(pg_engine)
    assert report.tracker_conversations == 2
    with pg_engine.connect() as conn:
        rows = conn.execute(select(events.c.sender_id, events.c.data).where(events.c.type_name == "user")).all()
    assert sorted(r.sender_id for r in rows) == sorted([new_id(STOPPED), new_id(FLAGGED)])
    after_first = snapshot(pg_engine)
    assert rekey(pg_engine, DURING, tracker_engine=pg_engine).changed == 0
    assert snapshot(pg_engine) == after_first


@pytest.mark.postgres
def test_merge_on_postgresql_repoints_and_stays_opted_out(pg_engine) -> None:
    write_before(pg_engine)
    with make_sessionmaker(pg_engine).begin() as session:
        touch_resident(session, sender_id=new_id(STOPPED), channel="sms")
    report = rekey(pg_engine, DURING)
    assert report.merged == {"resident.sender_id": 1}
    with pg_engine.connect() as conn:
        rows = conn.execute(text("SELECT sender_id, opted_out, phone_encrypted FROM resident WHERE sender_id LIKE 'sms:%'")).all()
    by_id = {r.sender_id: r for r in rows}
    assert set(by_id) == {new_id(STOPPED), new_id(FLAGGED)}
    assert by_id[new_id(STOPPED)].opted_out is True
    assert PhoneVault.for_settings(AFTER).open(by_id[new_id(STOPPED)].phone_encrypted) == STOPPED


def test_no_tracker_store_yet(app_engine, tmp_path) -> None:
    write_before(app_engine)
    assert rekey_module.tracker_engine(f"sqlite:///{tmp_path / 'never-ran.db'}", app_engine) is None
    same = rekey_module.tracker_engine(str(app_engine.url), app_engine)
    assert same is app_engine
    report = rekey(app_engine, DURING, tracker_engine=create_engine(f"sqlite:///{tmp_path / 'empty.db'}", future=True))
    assert report.tracker_note == "no events table yet"
