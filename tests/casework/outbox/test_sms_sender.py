"""The outbox sender against a local stand-in of Twilio's Messages API (the real HTTP path).

Time is a clock the test moves, so backoff and expiry are checked exactly, without sleeping.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import socket
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from casework.models import Resident, as_utc, utcnow
from casework.outbox.messages import RELAY, OutboxMessage, enqueue_email, enqueue_sms
from casework.outbox.sender import RetryPolicy, build_sender
from tests.twilio_standin import TwilioStandin

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "standin-auth-token"
FROM_NUMBER = "+447700900000"
NUMBER = "07700 900123"
E164 = "+447700900123"
POLICY = RetryPolicy(base_delay=5, max_delay=600, max_attempts=4, lease=120)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def twilio():
    with TwilioStandin(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN) as standin:
        yield standin


@pytest.fixture
def live_settings(casework_settings, twilio):
    settings = dataclasses.replace(
        casework_settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from_number=FROM_NUMBER,
        twilio_api_base=twilio.base_url,
    )
    assert not settings.sms_dry_run
    return settings


@pytest.fixture
def sender(live_settings, sessions, clock):
    return build_sender(live_settings, sessions, policy=POLICY, clock=clock)


def queue_sms(sessions, settings, sender_id, body="Coffee morning at the library, Fri 10am.", **kwargs):
    with sessions.begin() as session:
        return enqueue_sms(session, sender_id=sender_id, body=body, purpose=kwargs.pop("purpose", "reply"),
                           settings=settings, **kwargs)


def load(sessions, message_id) -> OutboxMessage:
    with sessions() as session:
        return session.get(OutboxMessage, message_id)


def assert_no_number_in(text: str) -> None:
    assert "7700900123" not in text.replace(" ", "")
    assert E164 not in text


def test_201_sends_through_twilios_client_and_records_the_sid(sessions, sender, twilio, add_resident, live_settings):
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))

    report = sender.send_due()

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [received] = twilio.requests
    assert received.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert received.authorization == (ACCOUNT_SID, AUTH_TOKEN)
    assert received.form["To"] == E164
    assert received.form["From"] == FROM_NUMBER
    assert received.form["Body"] == "Coffee morning at the library, Fri 10am."
    assert received.form["StatusCallback"] == "https://connect.example.org/webhooks/sms/status"
    assert "ValidityPeriod" not in received.form
    message = load(sessions, message_id)
    assert message.state == "sent"
    assert message.provider_sid.startswith("SM") and len(message.provider_sid) == 34
    assert message.provider_status == "queued"
    assert message.attempts == 1
    assert message.next_attempt_at is None
    # Sent messages are not sent again.
    assert sender.send_due().handled == 0
    assert len(twilio.requests) == 1


def test_validity_period_is_what_is_left_of_the_message_life(sessions, sender, twilio, add_resident, live_settings):
    queue_sms(sessions, live_settings, add_resident(NUMBER), purpose="alert", valid_for=timedelta(minutes=15))
    sender.send_due()
    validity = int(twilio.requests[0].form["ValidityPeriod"])
    assert 15 * 60 - 5 <= validity <= 15 * 60


def test_429_then_201_waits_for_retry_after(sessions, sender, twilio, add_resident, live_settings, clock):
    twilio.script(TwilioStandin.too_many_requests(retry_after="30"), TwilioStandin.created())
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))

    report = sender.send_due()
    assert (report.sent, report.retried) == (0, 1)
    message = load(sessions, message_id)
    assert message.state == "queued"
    assert "429" in message.last_error
    # Retry-After (30 s) is longer than the first backoff (5 s): it wins.
    assert as_utc(message.next_attempt_at) == clock.now + timedelta(seconds=30)

    clock.advance(29)
    assert sender.send_due().handled == 0
    assert len(twilio.requests) == 1

    clock.advance(1)
    assert sender.send_due().sent == 1
    message = load(sessions, message_id)
    assert (message.state, message.attempts, message.last_error) == ("sent", 2, None)
    assert [r.answered for r in twilio.requests] == [429, 201]


def test_429_with_a_short_retry_after_still_backs_off(sessions, sender, twilio, add_resident, live_settings, clock):
    twilio.script(TwilioStandin.too_many_requests(retry_after="1"))
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    sender.send_due()
    assert as_utc(load(sessions, message_id).next_attempt_at) == clock.now + timedelta(seconds=5)


def test_500_then_201_retries_with_exponential_backoff(sessions, sender, twilio, add_resident, live_settings, clock):
    twilio.script(TwilioStandin.server_error(), TwilioStandin.server_error(), TwilioStandin.created())
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))

    assert sender.send_due().retried == 1
    assert as_utc(load(sessions, message_id).next_attempt_at) == clock.now + timedelta(seconds=5)
    clock.advance(5)
    assert sender.send_due().retried == 1
    assert as_utc(load(sessions, message_id).next_attempt_at) == clock.now + timedelta(seconds=10)
    clock.advance(10)
    assert sender.send_due().sent == 1
    assert [r.answered for r in twilio.requests] == [500, 500, 201]
    assert load(sessions, message_id).attempts == 3


def test_gives_up_after_max_attempts(sessions, sender, twilio, add_resident, live_settings, clock):
    twilio.script(*[TwilioStandin.server_error()] * POLICY.max_attempts)
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    for _ in range(POLICY.max_attempts):
        sender.send_due()
        clock.advance(POLICY.max_delay)
    message = load(sessions, message_id)
    assert message.state == "failed"
    assert "gave up after 4 attempts" in message.last_error
    clock.advance(3600)
    assert sender.send_due().handled == 0
    assert len(twilio.requests) == POLICY.max_attempts


def test_21610_opts_the_resident_out_and_is_not_retried(sessions, sender, twilio, add_resident, live_settings, clock):
    twilio.script(TwilioStandin.unsubscribed())
    sender_id = add_resident(NUMBER)
    first = queue_sms(sessions, live_settings, sender_id)
    second = queue_sms(sessions, live_settings, sender_id, body="And another thing", not_before=clock.now + timedelta(hours=1))

    report = sender.send_due()

    assert (report.failed, report.retried) == (1, 0)
    assert load(sessions, first).state == "failed"
    assert "21610" in load(sessions, first).last_error
    with sessions() as session:
        resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).one()
        assert resident.opted_out is True and resident.opted_out_at is not None
    # The message queued for later is blocked too, and nothing more reaches Twilio.
    assert load(sessions, second).state == "blocked_opted_out"
    clock.advance(7200)
    sender.send_due()
    assert len(twilio.requests) == 1
    with sessions.begin() as session:
        blocked = enqueue_sms(session, sender_id=sender_id, body="Hello?", purpose="follow_up", settings=live_settings)
    assert load(sessions, blocked).state == "blocked_opted_out"


def test_21211_invalid_number_fails_without_retry_and_never_logs_the_number(
    sessions, sender, twilio, add_resident, live_settings, clock, caplog
):
    twilio.script(TwilioStandin.invalid_number(E164))
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    with caplog.at_level(logging.DEBUG):
        report = sender.send_due()
    assert report.failed == 1
    message = load(sessions, message_id)
    assert message.state == "failed"
    assert "21211" in message.last_error
    assert_no_number_in(message.last_error)
    assert_no_number_in(caplog.text)
    assert "***123" in message.last_error
    clock.advance(3600)
    sender.send_due()
    assert len(twilio.requests) == 1
    with sessions() as session:
        assert session.scalars(select(Resident.opted_out)).one() is False


def test_other_4xx_is_permanent(sessions, sender, twilio, add_resident, live_settings):
    twilio.script(TwilioStandin.twilio_error(21408, "Permission to send an SMS has not been enabled"))
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    assert sender.send_due().failed == 1
    assert load(sessions, message_id).state == "failed"


def test_wrong_credentials_keep_the_message_for_later(sessions, live_settings, twilio, add_resident, clock):
    wrong = dataclasses.replace(live_settings, twilio_auth_token="not-the-token")
    sender = build_sender(wrong, sessions, policy=POLICY, clock=clock)
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    report = sender.send_due()
    assert (report.paused, report.retried, report.failed) == (1, 0, 0)
    assert twilio.requests[0].answered == 401
    message = load(sessions, message_id)
    assert (message.state, message.attempts) == ("queued", 0), "a refused login is not this message's attempt"


def test_expired_messages_are_never_sent_late(sessions, sender, twilio, add_resident, live_settings, clock):
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER), purpose="alert", valid_for=timedelta(seconds=60))
    clock.advance(61)
    report = sender.send_due()
    assert report.expired == 1
    assert load(sessions, message_id).state == "expired"
    assert twilio.requests == []


def test_a_retry_that_would_land_after_expiry_expires_now(sessions, sender, twilio, add_resident, live_settings):
    twilio.script(TwilioStandin.too_many_requests(retry_after="120"))
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER), purpose="alert", valid_for=timedelta(seconds=60))
    report = sender.send_due()
    assert report.expired == 1
    message = load(sessions, message_id)
    assert message.state == "expired"
    assert "429" in message.last_error


def test_a_resident_who_opts_out_after_queueing_is_never_texted(sessions, sender, twilio, add_resident, live_settings):
    sender_id = add_resident(NUMBER)
    message_id = queue_sms(sessions, live_settings, sender_id)
    with sessions.begin() as session:
        session.execute(update(Resident).where(Resident.sender_id == sender_id).values(opted_out=True))

    report = sender.send_due()

    assert report.blocked == 1
    message = load(sessions, message_id)
    assert message.state == "blocked_opted_out"
    assert message.recipient_encrypted is None
    assert twilio.requests == []


def test_messages_are_not_sent_before_not_before(sessions, sender, twilio, add_resident, live_settings, clock):
    queue_sms(sessions, live_settings, add_resident(NUMBER), purpose="follow_up",
              not_before=clock.now + timedelta(hours=24))
    assert sender.send_due().handled == 0
    clock.advance(24 * 3600)
    assert sender.send_due().sent == 1


def test_a_message_left_in_sending_by_a_dead_worker_is_sent_again(sessions, sender, twilio, add_resident, live_settings, clock):
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    with sessions.begin() as session:  # what a worker killed mid-send leaves behind
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            state="sending", attempts=1, next_attempt_at=clock.now + timedelta(seconds=POLICY.lease)))
    assert sender.send_due().handled == 0  # the lease is still running
    clock.advance(POLICY.lease)
    assert sender.send_due().sent == 1
    assert load(sessions, message_id).attempts == 2


def test_an_unreachable_twilio_is_retried(sessions, live_settings, add_resident, clock):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = dataclasses.replace(live_settings, twilio_api_base=f"http://127.0.0.1:{port}")
    sender = build_sender(settings, sessions, policy=POLICY, clock=clock)
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    assert sender.send_due().retried == 1
    assert load(sessions, message_id).last_error.startswith("network")


def test_dry_run_writes_a_masked_line_and_marks_sent(sessions, casework_settings, add_resident, clock, caplog):
    assert casework_settings.sms_dry_run
    sender = build_sender(casework_settings, sessions, policy=POLICY, clock=clock)
    message_id = queue_sms(sessions, casework_settings, add_resident(NUMBER), body="Walking group, Sat 9am.")
    with caplog.at_level(logging.INFO):
        assert sender.send_due().sent == 1
    text = casework_settings.outbox_path.read_text()
    [line] = text.splitlines()
    record = json.loads(line)
    assert record["to"] == "***123"
    assert record["channel"] == "sms"
    assert record["body"] == "Walking group, Sat 9am."
    assert record["id"] == message_id
    assert_no_number_in(text)
    assert_no_number_in(caplog.text)
    assert "***123" in caplog.text
    message = load(sessions, message_id)
    assert (message.state, message.provider_status) == ("sent", "dry-run")


def test_dry_run_still_refuses_opted_out_residents(sessions, casework_settings, add_resident, clock):
    sender = build_sender(casework_settings, sessions, policy=POLICY, clock=clock)
    sender_id = add_resident(NUMBER)
    queue_sms(sessions, casework_settings, sender_id)
    with sessions.begin() as session:
        session.execute(update(Resident).where(Resident.sender_id == sender_id).values(opted_out=True))
    assert sender.send_due().blocked == 1
    assert not casework_settings.outbox_path.exists()


def test_email_dry_run_masks_the_address(sessions, casework_settings, clock):
    sender = build_sender(casework_settings, sessions, policy=POLICY, clock=clock)
    with sessions.begin() as session:
        enqueue_email(session, to_address="jo.connector@council.example", subject="Alert: visit needed",
                      body="Please call the office.", purpose="alert")
    assert sender.send_due().sent == 1
    record = json.loads(casework_settings.outbox_path.read_text())
    assert record["channel"] == "email"
    assert record["to"] == "j***@council.example"
    assert record["subject"] == "Alert: visit needed"


def test_retry_after_as_an_http_date(sessions, sender, twilio, add_resident, live_settings, clock):
    from email.utils import format_datetime

    twilio.script(TwilioStandin.too_many_requests(retry_after=format_datetime(utcnow() + timedelta(seconds=40), usegmt=True)))
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    sender.send_due()
    wait = (as_utc(load(sessions, message_id).next_attempt_at) - clock.now).total_seconds()
    assert 35 <= wait <= 41


def test_a_relayed_text_goes_from_its_match_number_sealed_until_it_is_sent(sessions, sender, twilio, add_resident, live_settings):
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER), body="Doris: see you tuesday", purpose=RELAY,
                           from_number="+447700900500")
    assert "Doris" not in load(sessions, message_id).body, "a relayed text's words are sealed in the outbox"

    assert sender.send_due().sent == 1
    [received] = twilio.requests
    assert (received.form["From"], received.form["Body"]) == ("+447700900500", "Doris: see you tuesday")
