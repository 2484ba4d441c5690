"""Casework on the real PostgreSQL server: every migration, the inbound log, recovery claims, the outbox."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from casework.conversation.inbound import answer_through_outbox, claim_unanswered, mark_answered, record_inbound
from casework.models import InboundMessage, utcnow
from casework.outbox.delivery_status import record_status
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.records import set_opted_out, touch_resident
from service.database import make_sessionmaker
from service.settings import load_settings


def test_all_migrations_build_every_table(pg_engine: Engine) -> None:
    tables = set(inspect(pg_engine).get_table_names())
    assert {"resident", "inbound_message", "flag", "heartbeat", "outbox_message", "directory_service"} <= tables


def test_a_message_is_recorded_once_and_answered_once(pg_engine: Engine) -> None:
    sessions = make_sessionmaker(pg_engine)
    with sessions.begin() as session:
        assert record_inbound(session, channel="sms", message_id="SM1", sender_id="sms:a").is_new
    with sessions.begin() as session:
        again = record_inbound(session, channel="sms", message_id="SM1", sender_id="sms:a")
        assert not again.is_new and again.state == "received"
    with sessions.begin() as session:
        assert mark_answered(session, "SM1", state="answered", reply_text="hello")
    with sessions.begin() as session:
        assert not mark_answered(session, "SM1", state="answered", reply_text="hello again")
        assert record_inbound(session, channel="sms", message_id="SM1", sender_id="sms:a").reply_text == "hello"


def test_recovery_claims_are_compare_and_set_on_postgres(pg_engine: Engine) -> None:
    sessions = make_sessionmaker(pg_engine)
    settings = dataclasses.replace(load_settings(), phone_hash_key="k", phone_encryption_key="e")
    sender = sms_sender_id("+447700900123", key="k")
    with sessions.begin() as session:
        touch_resident(session, sender_id=sender, channel="sms", phone_encrypted=PhoneVault("e").seal("+447700900123"))
        record_inbound(session, channel="sms", message_id="SM2", sender_id=sender)
    later = utcnow() + timedelta(seconds=1)
    with sessions.begin() as session:
        claims = claim_unanswered(session, received_before=later, stale_claims_before=utcnow() - timedelta(minutes=5))
    assert [c.message_id for c in claims] == ["SM2"]
    with sessions.begin() as session:  # a second sweep finds nothing: the claim holds
        assert claim_unanswered(session, received_before=later, stale_claims_before=utcnow() - timedelta(minutes=5)) == []
    claim = claims[0]
    with sessions.begin() as session:
        assert answer_through_outbox(session, "SM2", sender_id=sender, reply_text="Sorry for the wait", settings=settings,
                                     from_states=("recovering",), claimed_at=claim.claimed_at)
    with sessions.begin() as session:
        assert session.scalars(select(InboundMessage.state).where(InboundMessage.message_id == "SM2")).one() == "deferred"
        queued = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_sender_id == sender)).one()
        assert queued.state == "queued" and queued.body == "Sorry for the wait"
        queued.provider_sid = "SM" + "f" * 32
    with sessions.begin() as session:
        assert record_status(session, "SM" + "f" * 32, "delivered")
        assert not record_status(session, "SM" + "f" * 32, "sent")  # never backwards


def test_an_opted_out_resident_is_never_queued_on_postgres(pg_engine: Engine) -> None:
    sessions = make_sessionmaker(pg_engine)
    settings = load_settings()
    with sessions.begin() as session:
        touch_resident(session, sender_id="sms:b", channel="sms", phone_encrypted=PhoneVault("e").seal("+447700900124"))
        set_opted_out(session, "sms:b", True)
        record_inbound(session, channel="sms", message_id="SM3", sender_id="sms:b")
        assert answer_through_outbox(session, "SM3", sender_id="sms:b", reply_text="hi", settings=settings)
    with sessions.begin() as session:
        blocked = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_sender_id == "sms:b")).one()
        assert blocked.state == "blocked_opted_out" and blocked.recipient_encrypted is None
