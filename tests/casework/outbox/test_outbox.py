"""The outbox table and its two entry points: enqueue_sms / enqueue_email and record_status."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from casework.models import Resident, as_utc, utcnow
from casework.outbox.delivery_status import record_status
from casework.outbox.messages import OutboxError, OutboxMessage, UnknownRecipient, enqueue_email, enqueue_sms, state_of


def test_migration_creates_the_outbox_table_with_its_indexes(casework_engine):
    inspector = inspect(casework_engine)
    columns = {c["name"] for c in inspector.get_columns("outbox_message")}
    assert {
        "id", "channel", "recipient_sender_id", "recipient_encrypted", "body", "purpose",
        "created_at", "not_before", "expires_at", "state", "attempts", "next_attempt_at",
        "last_error", "provider_sid", "provider_status", "status_updated_at",
    } <= columns
    index_names = {i["name"] for i in inspector.get_indexes("outbox_message")}
    assert "ix_outbox_message_due" in index_names
    uniques = inspector.get_unique_constraints("outbox_message")
    assert any(u["column_names"] == ["provider_sid"] for u in uniques)


def test_migration_matches_the_model(casework_engine):
    """Alembic's autogenerate finds nothing to add for the outbox: model and migration agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from service.database import Base

    with casework_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    outbox_diff = [d for d in diff if "outbox_message" in repr(d)]
    assert outbox_diff == []


def test_enqueue_sms_stores_the_encrypted_number_and_is_due_now(sessions, add_resident, vault, casework_settings):
    sender_id = add_resident("07700 900123")
    with sessions.begin() as session:
        message_id = enqueue_sms(
            session, sender_id=sender_id, body="Knit and natter, Tuesdays 2pm.", purpose="reply",
            settings=casework_settings,
        )
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert message.state == "queued"
        assert message.channel == "sms"
        assert message.attempts == 0
        assert "07700" not in message.recipient_encrypted and "900123" not in message.recipient_encrypted
        assert vault.open(message.recipient_encrypted) == "+447700900123"
        assert message.expires_at is None
        assert as_utc(message.next_attempt_at) <= utcnow()


def test_enqueue_sms_validity_counts_from_not_before(sessions, add_resident, casework_settings):
    sender_id = add_resident("07700 900124")
    later = utcnow() + timedelta(hours=20)
    with sessions.begin() as session:
        message_id = enqueue_sms(
            session, sender_id=sender_id, body="How did the lunch club go?", purpose="follow_up",
            settings=casework_settings, not_before=later, valid_for=timedelta(hours=2),
        )
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert as_utc(message.next_attempt_at) == later
        assert as_utc(message.expires_at) == later + timedelta(hours=2)


def test_enqueue_sms_to_an_opted_out_resident_is_recorded_as_blocked_without_the_number(
    sessions, add_resident, casework_settings
):
    sender_id = add_resident("07700 900125", opted_out=True)
    with sessions.begin() as session:
        message_id = enqueue_sms(
            session, sender_id=sender_id, body="Hello again", purpose="follow_up", settings=casework_settings
        )
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert message.state == "blocked_opted_out"
        assert message.recipient_encrypted is None
        assert message.next_attempt_at is None
        assert state_of(session, message_id) == "blocked_opted_out"


def test_enqueue_sms_to_an_unknown_sender_raises_and_stores_nothing(sessions, casework_settings):
    with pytest.raises(UnknownRecipient):
        with sessions.begin() as session:
            enqueue_sms(session, sender_id="sms:nobody", body="Hi", purpose="reply", settings=casework_settings)
    with sessions() as session:
        assert session.scalars(select(OutboxMessage)).all() == []


def test_enqueue_sms_to_a_web_chat_resident_raises(sessions, casework_settings):
    with sessions.begin() as session:
        session.add(Resident(sender_id="web:abc", channel="web"))
    with pytest.raises(UnknownRecipient):
        with sessions.begin() as session:
            enqueue_sms(session, sender_id="web:abc", body="Hi", purpose="reply", settings=casework_settings)


@pytest.mark.parametrize("body", ["", "   ", "x" * 1601])
def test_enqueue_sms_refuses_empty_or_over_long_bodies(sessions, add_resident, casework_settings, body):
    sender_id = add_resident("07700 900126")
    with pytest.raises(OutboxError):
        with sessions.begin() as session:
            enqueue_sms(session, sender_id=sender_id, body=body, purpose="reply", settings=casework_settings)


def test_enqueue_email_refuses_header_injection(sessions):
    with pytest.raises(OutboxError):
        with sessions.begin() as session:
            enqueue_email(session, to_address="a@example.org\r\nBcc: x@evil.example", subject="s",
                          body="b", purpose="alert")
    with pytest.raises(OutboxError):
        with sessions.begin() as session:
            enqueue_email(session, to_address="a@example.org", subject="s\nBcc: x@evil.example",
                          body="b", purpose="alert")


def _sent_message(sessions, add_resident, casework_settings, sid="SM" + "a" * 32):
    sender_id = add_resident("07700 900127")
    with sessions.begin() as session:
        message_id = enqueue_sms(
            session, sender_id=sender_id, body="Alert", purpose="alert", settings=casework_settings
        )
        message = session.get(OutboxMessage, message_id)
        message.state = "sent"
        message.provider_sid = sid
        message.provider_status = "queued"
    return message_id, sender_id


def test_status_moves_forward_and_is_deduplicated(sessions, add_resident, casework_settings):
    message_id, _ = _sent_message(sessions, add_resident, casework_settings)
    sid = "SM" + "a" * 32
    with sessions.begin() as session:
        assert record_status(session, sid, "sent") is True
    with sessions.begin() as session:
        assert record_status(session, sid, "sent") is False  # Twilio retried the callback
    with sessions.begin() as session:
        assert record_status(session, sid, "delivered") is True
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert (message.state, message.provider_status) == ("delivered", "delivered")
        assert message.status_updated_at is not None


@pytest.mark.parametrize("late", ["queued", "sending", "sent", "delivered", "undelivered", "failed"])
def test_delivered_never_moves_backwards(sessions, add_resident, casework_settings, late):
    message_id, _ = _sent_message(sessions, add_resident, casework_settings)
    sid = "SM" + "a" * 32
    with sessions.begin() as session:
        assert record_status(session, sid, "delivered") is True
    with sessions.begin() as session:
        assert record_status(session, sid, late) is False
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert (message.state, message.provider_status) == ("delivered", "delivered")


def test_out_of_order_callbacks_keep_the_furthest_status(sessions, add_resident, casework_settings):
    message_id, _ = _sent_message(sessions, add_resident, casework_settings)
    sid = "SM" + "a" * 32
    with sessions.begin() as session:
        assert record_status(session, sid, "undelivered", error_code="30003") is True
        assert record_status(session, sid, "sent") is False
        assert record_status(session, sid, "delivered") is False  # a failure is final
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert message.state == "undelivered"
        assert "30003" in message.last_error


def test_unknown_sid_and_unknown_status_change_nothing(sessions, add_resident, casework_settings):
    _sent_message(sessions, add_resident, casework_settings)
    with sessions.begin() as session:
        assert record_status(session, "SM" + "b" * 32, "delivered") is False
        assert record_status(session, "SM" + "a" * 32, "teleported") is False
        assert record_status(session, "SM" + "a" * 32, "") is False


def test_status_callback_with_21610_opts_the_resident_out(sessions, add_resident, casework_settings):
    _, sender_id = _sent_message(sessions, add_resident, casework_settings)
    with sessions.begin() as session:
        waiting = enqueue_sms(session, sender_id=sender_id, body="Later", purpose="follow_up",
                              settings=casework_settings)
    with sessions.begin() as session:
        assert record_status(session, "SM" + "a" * 32, "failed", error_code="21610") is True
    with sessions() as session:
        resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).one()
        assert resident.opted_out is True
        assert session.get(OutboxMessage, waiting).state == "blocked_opted_out"


STATUS_ORDER = {"queued": 1, "sending": 2, "sent": 3, "delivered": 4, "undelivered": 4, "failed": 4}


def _reset_accepted_message(sessions, add_resident, settings, sid):
    """One message per test database, put back to "just accepted by Twilio" for each example."""
    with sessions() as session:
        exists = session.scalars(select(OutboxMessage.id).where(OutboxMessage.provider_sid == sid)).first()
    if exists is None:
        sender_id = add_resident("07700 900128")
        with sessions.begin() as session:
            message_id = enqueue_sms(session, sender_id=sender_id, body="x", purpose="alert", settings=settings)
            session.get(OutboxMessage, message_id).provider_sid = sid
    with sessions.begin() as session:
        message = session.scalars(select(OutboxMessage).where(OutboxMessage.provider_sid == sid)).one()
        message.state, message.provider_status = "sent", "queued"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(STATUS_ORDER)), min_size=1, max_size=8))
def test_any_order_of_callbacks_only_ever_moves_forward(sessions, add_resident, casework_settings, statuses):
    sid = "SM" + "c" * 32
    _reset_accepted_message(sessions, add_resident, casework_settings, sid)

    seen = ["queued"]
    for status in statuses:
        with sessions.begin() as session:
            changed = record_status(session, sid, status)
            stored = session.scalars(select(OutboxMessage.provider_status).where(OutboxMessage.provider_sid == sid)).one()
        assert STATUS_ORDER[stored] >= STATUS_ORDER[seen[-1]]
        assert changed == (stored != seen[-1])
        seen.append(stored)
    first_final = next((s for s in statuses if STATUS_ORDER[s] == 4), None)
    if first_final is not None:
        assert seen[-1] == first_final  # the first final status wins and stays
