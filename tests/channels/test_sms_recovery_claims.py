"""Recovery and delivery-status logic in process, against a real migrated SQLite database.

The end-to-end proof (a real Rasa killed mid-turn) is in test_sms_recovery.py, the intake's own
recovery loop in test_intake.py; these pin down the claim/answer compare-and-sets, the tracker
replay and the early status callbacks precisely.
"""
from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from sqlalchemy import func, select, update
from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault, answer_through_outbox, claim_unanswered, mark_answered, record_inbound
from casework.models import InboundMessage, utcnow
from casework.outbox.delivery_status import EarlyStatusCallback, record_status
from casework.outbox.messages import OutboxMessage, enqueue_sms
from casework.outbox.sender import OutboxSender, RetryPolicy
from casework.outbox.transport import Sent
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.records import set_opted_out, touch_resident
from channels.rasa_turns import replies_in_tracker
from service.settings import Settings, load_settings

KEY = "test-encryption-key"
NUMBER = "+447700900321"
SENDER = sms_sender_id(NUMBER, key="test-hash-key")
LONG_AGO = timedelta(minutes=10)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(),
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        twilio_account_sid="",
        twilio_auth_token="test-twilio-auth-token",
        twilio_from_number="",
        phone_hash_key="test-hash-key",
        phone_encryption_key=KEY,
        sms_reply_deadline_seconds=2.0,
        outbox_path=tmp_path / "outbox.log",
    )


@pytest.fixture
def resident(app_sessions: sessionmaker) -> str:
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=SENDER, channel="sms", phone_encrypted=PhoneVault(KEY).seal(NUMBER))
    return SENDER


def receive(sessions: sessionmaker, message_id: str, body: str = "I like walking", *, age: timedelta = LONG_AGO, channel: str = "sms") -> None:
    with sessions.begin() as session:
        record_inbound(session, channel=channel, message_id=message_id, sender_id=SENDER, body_encrypted=BodyVault(KEY).seal(body))
        session.execute(update(InboundMessage).where(InboundMessage.message_id == message_id).values(received_at=utcnow() - age))


def state(sessions: sessionmaker, message_id: str) -> str:
    with sessions.begin() as session:
        return session.scalars(select(InboundMessage.state).where(InboundMessage.message_id == message_id)).one()


def replies_queued(sessions: sessionmaker) -> list[str]:
    with sessions.begin() as session:
        return list(session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "reply").order_by(OutboxMessage.id)))


def claim(sessions: sessionmaker, *, lease: timedelta = timedelta(minutes=5)):
    with sessions.begin() as session:
        return claim_unanswered(session, received_before=utcnow() - timedelta(seconds=30), stale_claims_before=utcnow() - lease)


# --- claims ----------------------------------------------------------------------------------
def test_only_old_unanswered_sms_messages_are_claimed_and_only_once(app_sessions, resident) -> None:
    receive(app_sessions, "SMold")
    receive(app_sessions, "SMnew", age=timedelta(seconds=1))
    receive(app_sessions, "WEBold", channel="webchat")
    receive(app_sessions, "SManswered")
    with app_sessions.begin() as session:
        assert mark_answered(session, "SManswered", state="answered", reply_text="hi")

    claims = claim(app_sessions)
    assert [c.message_id for c in claims] == ["SMold"]
    assert BodyVault(KEY).open(claims[0].body_encrypted) == "I like walking"
    assert state(app_sessions, "SMold") == "recovering"
    assert claim(app_sessions) == [], "a second sweeper (another replica) gets nothing"


def test_a_claim_whose_recoverer_died_is_taken_again_and_the_old_claim_cannot_answer(app_sessions, resident, settings) -> None:
    receive(app_sessions, "SMx")
    first = claim(app_sessions)[0]
    second = claim(app_sessions, lease=timedelta(0))[0]  # the first claim counts as stale now
    assert second.claimed_at != first.claimed_at
    with app_sessions.begin() as session:
        late = answer_through_outbox(session, "SMx", sender_id=SENDER, reply_text="old", settings=settings,
                                     from_states=("recovering",), claimed_at=first.claimed_at)
    with app_sessions.begin() as session:
        current = answer_through_outbox(session, "SMx", sender_id=SENDER, reply_text="new", settings=settings,
                                        from_states=("recovering",), claimed_at=second.claimed_at)
    assert (late, current) == (False, True)
    assert replies_queued(app_sessions) == ["new"]


def test_the_live_webhook_and_recovery_answer_a_message_exactly_once(app_sessions, resident, settings) -> None:
    receive(app_sessions, "SMy")
    taken = claim(app_sessions)[0]
    with app_sessions.begin() as session:
        assert answer_through_outbox(session, "SMy", sender_id=SENDER, reply_text="from recovery", settings=settings,
                                     from_states=("recovering",), claimed_at=taken.claimed_at)
    with app_sessions.begin() as session:
        # The slow live turn finishing afterwards (send_late) and a TwiML answer both lose.
        assert not answer_through_outbox(session, "SMy", sender_id=SENDER, reply_text="late", settings=settings)
        assert not mark_answered(session, "SMy", state="answered", reply_text="twiml")
    assert replies_queued(app_sessions) == ["from recovery"]
    with app_sessions.begin() as session:
        row = session.scalars(select(InboundMessage).where(InboundMessage.message_id == "SMy")).one()
        assert (row.state, row.reply_text, row.body_encrypted) == ("deferred", "from recovery", None)


def test_a_reply_to_a_resident_who_opted_out_meanwhile_is_blocked_not_sent(app_sessions, resident, settings) -> None:
    receive(app_sessions, "SMz")
    with app_sessions.begin() as session:
        set_opted_out(session, SENDER, True)
        assert answer_through_outbox(session, "SMz", sender_id=SENDER, reply_text="hello", settings=settings)
    with app_sessions.begin() as session:
        assert session.scalars(select(OutboxMessage.state)).all() == ["blocked_opted_out"]


# --- tracker replay --------------------------------------------------------------------------
def conversation(*, with_message: str | None) -> list:
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hello", message_id="SMfirst"),
        BotUttered("Hello! What do you enjoy?"),
        ActionExecuted("action_listen"),
    ]
    if with_message:
        events += [
            UserUttered("I like walking", message_id=with_message),
            BotUttered("Which area?", data={"buttons": [{"title": "Wallasey", "payload": "/inform"}]}),
            ActionExecuted("action_listen"),
            UserUttered("CH44 5TN", message_id="SMthird"),
            BotUttered("Here are three groups"),
        ]
    return events


def test_replies_in_tracker_are_the_bot_messages_of_that_turn_only() -> None:
    replies = replies_in_tracker(conversation(with_message="SMsecond"), "SMsecond")
    assert replies == [{"text": "Which area?", "buttons": [{"title": "Wallasey", "payload": "/inform"}]}]
    assert replies_in_tracker(conversation(with_message=None), "SMsecond") is None
    assert replies_in_tracker([UserUttered("hi", message_id="SMsilent"), ActionExecuted("action_listen")], "SMsilent") == []


# --- delivery status -------------------------------------------------------------------------
class AcceptingTwilio:
    """A transport that accepts every message with a fixed SID (the HTTP path is tested elsewhere)."""

    def __init__(self, sid: str) -> None:
        self.sid = sid

    def send(self, message):
        return Sent(provider_sid=self.sid, provider_status="queued")


def test_a_status_callback_that_beats_the_worker_is_applied_when_the_sid_is_stored(app_sessions, resident, settings) -> None:
    sid = "SM" + "e" * 32
    with app_sessions.begin() as session:
        outbox_id = enqueue_sms(session, sender_id=SENDER, body="Walking group, Tuesdays", purpose="reply", settings=settings)
        assert record_status(session, sid, "sent") is False
        assert record_status(session, sid, "delivered") is False
    sender = OutboxSender(app_sessions, vault=PhoneVault(KEY), sms=AcceptingTwilio(sid), email=AcceptingTwilio(sid), policy=RetryPolicy())
    assert sender.send_due().sent == 1
    with app_sessions.begin() as session:
        message = session.get(OutboxMessage, outbox_id)
        assert (message.provider_sid, message.provider_status, message.state) == (sid, "delivered", "delivered")
        assert session.scalar(select(func.count()).select_from(EarlyStatusCallback)) == 0
        # Twilio's own late copy of "sent" changes nothing.
        assert record_status(session, sid, "sent") is False
        assert session.get(OutboxMessage, outbox_id).provider_status == "delivered"


def test_an_early_callback_is_swept_up_by_the_next_callback_if_the_worker_missed_it(app_sessions, resident, settings) -> None:
    sid = "SM" + "f" * 32
    with app_sessions.begin() as session:
        outbox_id = enqueue_sms(session, sender_id=SENDER, body="Knit and natter", purpose="reply", settings=settings)
        record_status(session, sid, "undelivered", error_code="30003")
    with app_sessions.begin() as session:  # the SID stored by a transaction that raced the callback
        session.get(OutboxMessage, outbox_id).provider_sid = sid
    with app_sessions.begin() as session:
        record_status(session, "SM" + "0" * 32, "sent")  # any later callback
        message = session.get(OutboxMessage, outbox_id)
        assert (message.provider_status, message.state) == ("undelivered", "undelivered")
        assert "30003" in (message.last_error or "")
