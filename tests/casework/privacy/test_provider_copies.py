"""Twilio's own copies of a resident's texts are deleted through its API when we erase them, and when
messages pass their retention period; retried while Twilio is unreachable, never in dry-run mode.
A local stand-in that speaks Twilio's REST API; real migrated SQLite."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault, mark_answered, record_inbound
from casework.models import utcnow
from casework.outbox.messages import OutboxMessage, enqueue_sms
from casework.outbox.sender import build_sender
from casework.privacy.provider_copies import ProviderCopy, record_reply_sid
from casework.privacy.retention import purge_casework, retention_policy
from jobs.erasure import erase_senders
from jobs.provider_copies import ProviderCopyDeleter
from service.settings import Settings
from tests.twilio_standin import Answer, TwilioStandin

ACCOUNT_SID = "AC" + "2" * 32
AUTH_TOKEN = "standin-auth-token"
INBOUND = ["SM" + f"{n:032x}" for n in (101, 102)]
TWIML_REPLY = "SM" + f"{201:032x}"  # the SID Twilio reports to the reply's <Message action> URL


@pytest.fixture
def twilio() -> Iterator[TwilioStandin]:
    with TwilioStandin(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN) as standin:
        yield standin


@pytest.fixture
def live(casework_settings: Settings, twilio: TwilioStandin) -> Settings:
    return dataclasses.replace(casework_settings, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                               twilio_from_number="+447700900000", twilio_api_base=twilio.base_url)


def texted_and_answered(sessions: sessionmaker, settings: Settings, sender: str) -> str:
    """Two texts in, one reply out through Twilio (the stand-in gives it its SID); returns that SID."""
    vault = BodyVault.for_settings(settings)
    with sessions.begin() as session:
        for sid in INBOUND:
            record_inbound(session, channel="sms", message_id=sid, sender_id=sender, body_encrypted=vault.seal("knitting in wallasey"))
            mark_answered(session, sid, state="answered", reply_text="For knitting near Wallasey: ...")
        enqueue_sms(session, sender_id=sender, body="For knitting near Wallasey: ...", purpose="reply", settings=settings)
    build_sender(settings, sessions).send_due()
    with sessions() as session:
        sent = session.scalars(select(OutboxMessage.provider_sid)).one()
    assert sent and sent.startswith("SM")
    return sent


def copies(sessions: sessionmaker) -> dict[str, tuple[str, str, int]]:
    with sessions() as session:
        return {c.message_sid: (c.reason, c.state, c.attempts) for c in session.scalars(select(ProviderCopy))}


def test_erasing_a_resident_deletes_twilios_copies_of_their_texts(
        live: Settings, sessions: sessionmaker, add_resident: Callable[..., str], twilio: TwilioStandin) -> None:
    sender = add_resident("+447700900123")
    reply = texted_and_answered(sessions, live, sender)
    report = erase_senders([sender], live, requested_by="test", reason="resident_request", sessions=sessions, tracker_urls=[])
    assert report.provider_copies == 3
    assert copies(sessions) == {sid: ("erasure", "pending", 0) for sid in [*INBOUND, reply]}, "queued, holding SIDs only"
    run = ProviderCopyDeleter(sessions, live).run()
    assert (run.deleted, run.gone, run.retrying) == (3, 0, 0)
    assert sorted(twilio.deleted) == sorted([*INBOUND, reply])
    assert {state for _, state, _ in copies(sessions).values()} == {"deleted"}
    assert ProviderCopyDeleter(sessions, live).run().handled == 0, "each copy is deleted once"


def test_a_copy_twilio_no_longer_holds_is_gone_and_an_outage_is_retried(
        live: Settings, sessions: sessionmaker, add_resident: Callable[..., str], twilio: TwilioStandin) -> None:
    sender = add_resident("+447700900124")
    texted_and_answered(sessions, live, sender)
    erase_senders([sender], live, requested_by="test", reason="resident_request", sessions=sessions, tracker_urls=[])
    twilio.deleted.append(INBOUND[0])  # deleted in Twilio's console meanwhile: 404
    twilio.script(Answer(503, {"code": 20500, "message": "Service unavailable", "status": 503}))
    first = ProviderCopyDeleter(sessions, live).run()
    assert (first.deleted, first.gone, first.retrying) == (1, 1, 1)
    assert ProviderCopyDeleter(sessions, live).run().handled == 0, "the failed one waits before trying again"
    later = ProviderCopyDeleter(sessions, live).run(now=utcnow() + timedelta(minutes=2))
    assert later.deleted == 1
    assert sorted(state for _, state, _ in copies(sessions).values()) == ["deleted", "deleted", "gone"]


def test_retention_queues_the_copies_of_messages_past_their_period(
        live: Settings, sessions: sessionmaker, add_resident: Callable[..., str], twilio: TwilioStandin) -> None:
    sender = add_resident("+447700900125")
    reply = texted_and_answered(sessions, live, sender)
    policy = retention_policy(live)
    with sessions.begin() as session:
        assert purge_casework(session, policy=policy, now=utcnow(), settings=live).provider_copies == 0, "not yet"
    with sessions.begin() as session:
        purged = purge_casework(session, policy=policy, now=utcnow() + policy.inbound + timedelta(days=1), settings=live)
    assert purged.provider_copies == 3
    assert {sid: reason for sid, (reason, _, _) in copies(sessions).items()} == {sid: "retention" for sid in [*INBOUND, reply]}


def test_in_dry_run_mode_there_are_no_copies_to_delete(
        casework_settings: Settings, sessions: sessionmaker, add_resident: Callable[..., str]) -> None:
    sender = add_resident("+447700900126")
    with sessions.begin() as session:
        record_inbound(session, channel="sms", message_id=INBOUND[0], sender_id=sender, body_encrypted=None)
    report = erase_senders([sender], casework_settings, requested_by="test", reason="resident_request", sessions=sessions, tracker_urls=[])
    assert report.provider_copies == 0 and copies(sessions) == {}
    assert ProviderCopyDeleter(sessions, casework_settings).run().handled == 0


def answered_by_twiml(sessions: sessionmaker, settings: Settings, sender: str) -> str:
    """A text answered in the webhook's TwiML, whose SID Twilio then reported (channels.sms_webhook)."""
    inbound = "SM" + f"{103:032x}"
    with sessions.begin() as session:
        record_inbound(session, channel="sms", message_id=inbound, sender_id=sender, body_encrypted=None)
        mark_answered(session, inbound, state="answered", reply_text="Text STOP to stop")
        assert record_reply_sid(session, inbound, TWIML_REPLY, settings=settings) == "recorded"
    return inbound


def test_erasure_deletes_twilios_copy_of_a_reply_sent_as_twiml(
        live: Settings, sessions: sessionmaker, add_resident: Callable[..., str], twilio: TwilioStandin) -> None:
    sender = add_resident("+447700900127")
    inbound = answered_by_twiml(sessions, live, sender)
    report = erase_senders([sender], live, requested_by="test", reason="resident_request", sessions=sessions, tracker_urls=[])
    assert report.provider_copies == 2
    assert copies(sessions) == {inbound: ("erasure", "pending", 0), TWIML_REPLY: ("erasure", "pending", 0)}
    assert ProviderCopyDeleter(sessions, live).run().deleted == 2
    assert sorted(twilio.deleted) == sorted([inbound, TWIML_REPLY])


def test_retention_queues_twilios_copy_of_a_reply_sent_as_twiml(
        live: Settings, sessions: sessionmaker, add_resident: Callable[..., str]) -> None:
    inbound = answered_by_twiml(sessions, live, add_resident("+447700900128"))
    policy = retention_policy(live)
    with sessions.begin() as session:
        purged = purge_casework(session, policy=policy, now=utcnow() + policy.inbound + timedelta(days=1), settings=live)
    assert purged.provider_copies == 2
    assert {sid: reason for sid, (reason, _, _) in copies(sessions).items()} == {inbound: "retention", TWIML_REPLY: "retention"}


def test_a_reply_sid_reported_late_or_twice_is_never_left_at_twilio(
        live: Settings, sessions: sessionmaker, add_resident: Callable[..., str]) -> None:
    sender = add_resident("+447700900129")
    inbound = answered_by_twiml(sessions, live, sender)
    second = "SM" + f"{202:032x}"
    with sessions.begin() as session:
        assert record_reply_sid(session, inbound, TWIML_REPLY, settings=live) == "known", "Twilio reports each status"
        assert record_reply_sid(session, inbound, "not-a-sid", settings=live) == "ignored"
        assert record_reply_sid(session, inbound, second, settings=live) == "queued", "one SID is kept: the other goes now"
    assert copies(sessions) == {second: ("extra_reply", "pending", 0)}
    erase_senders([sender], live, requested_by="test", reason="resident_request", sessions=sessions, tracker_urls=[])
    late = "SM" + f"{203:032x}"
    with sessions.begin() as session:
        assert record_reply_sid(session, inbound, late, settings=live) == "queued", "erased before Twilio reported it"
    assert copies(sessions)[late] == ("erasure", "pending", 0)

