"""Twilio refuses our credentials (401/403): sending pauses, the queue waits, /healthz says so, and
sending resumes by itself once the credentials work again. Against the Twilio stand-in's real HTTP."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import timedelta

import pytest

from casework.outbox.provider_state import SMS_PROVIDER, provider_status
from casework.outbox.sender import build_sender
from service.settings import Settings
from tests.casework.outbox.test_sms_sender import AUTH_TOKEN, NUMBER, POLICY, Clock, load, queue_sms
from tests.service_stack import free_port
from tests.twilio_standin import TwilioStandin
from web.health import health, schema_heads

PROBE_EVERY = 60.0


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def twilio():
    with TwilioStandin(account_sid="AC" + "1" * 32, auth_token=AUTH_TOKEN) as standin:
        yield standin


@pytest.fixture
def live_settings(casework_settings, twilio) -> Settings:
    return dataclasses.replace(casework_settings, twilio_account_sid=twilio.account_sid, twilio_auth_token=AUTH_TOKEN,
                               twilio_from_number="+447700900000", twilio_api_base=twilio.base_url,
                               sms_provider_probe_seconds=PROBE_EVERY)


def posts(twilio: TwilioStandin) -> list:
    return [r for r in twilio.requests if r.method == "POST"]


def checks(twilio: TwilioStandin) -> list:
    return [r for r in twilio.requests if r.method == "GET"]


def sms_provider_on_healthz(settings: Settings, sessions) -> dict:
    quiet = dataclasses.replace(settings, rasa_urls=(f"http://127.0.0.1:{free_port()}",), actions_url=f"http://127.0.0.1:{free_port()}")
    _, body = asyncio.run(health(quiet, sessions, schema_heads(settings)))
    return body["components"]["sms_provider"]


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_pause_sending_keep_the_queue_and_resume_by_themselves(
    status, sessions, live_settings, twilio, add_resident, clock, caplog
):
    sender = build_sender(live_settings, sessions, policy=POLICY, clock=clock)
    resident = add_resident(NUMBER)
    short = queue_sms(sessions, live_settings, resident, body="Alert: please call", purpose="alert", valid_for=timedelta(minutes=10))
    kept = [queue_sms(sessions, live_settings, resident, body=f"Reply {n}") for n in range(3)]
    with sessions.begin() as session:
        from casework.outbox.messages import enqueue_email

        email = enqueue_email(session, to_address="jo@council.example", subject="Alert", body="Please call.", purpose="alert")
    assert sms_provider_on_healthz(live_settings, sessions) == {"ready": True, "mode": "twilio"}
    twilio.refuse_credentials(status)

    with caplog.at_level(logging.INFO):
        report = sender.send_due()

    # One refused request, not one per message; every text back in the queue, attempt not counted.
    assert len(posts(twilio)) == 1 and posts(twilio)[0].answered == status
    assert report.paused == 1 and report.failed == 0 and report.retried == 0
    for message_id in (short, *kept):
        message = load(sessions, message_id)
        assert (message.state, message.attempts) == ("queued", 0)
    assert load(sessions, email).state == "sent", "email carries on"
    with sessions() as session:
        assert provider_status(session, SMS_PROVIDER).paused
    failing = sms_provider_on_healthz(live_settings, sessions)
    assert failing["ready"] is False and str(status) in failing["detail"] and failing["since"]
    assert caplog.text.count("SMS sending paused") == 1

    # A worker loops every second: no request at all until the probe is due.
    for _ in range(30):
        clock.advance(1)
        assert sender.send_due().handled == 0
    assert len(twilio.requests) == 1

    # The probe checks the account (texts nobody) and finds it still refused.
    clock.advance(PROBE_EVERY)
    sender.send_due()
    assert [r.answered for r in checks(twilio)] == [status]
    assert len(posts(twilio)) == 1

    # The alert's validity ends while paused: it expires on time, as when sending works.
    clock.advance(10 * 60)
    assert sender.send_due().expired == 1
    assert load(sessions, short).state == "expired"
    assert "paused" in load(sessions, short).last_error

    # The credentials are fixed: at the next probe sending resumes, and the queue goes out.
    twilio.accept_credentials()
    clock.advance(PROBE_EVERY)
    with caplog.at_level(logging.INFO):
        report = sender.send_due()
    assert report.sent == 3
    assert [load(sessions, m).state for m in kept] == ["sent"] * 3
    assert checks(twilio)[-1].answered == 200
    assert "SMS sending resumed" in caplog.text
    with sessions() as session:
        assert not provider_status(session, SMS_PROVIDER).paused
    assert sms_provider_on_healthz(live_settings, sessions) == {"ready": True, "mode": "twilio"}
    # Never more requests than one send plus one check per probe interval.
    assert len(checks(twilio)) <= 1 + (30 + 10 * 60 + 2 * PROBE_EVERY) / PROBE_EVERY


def test_one_worker_probes_and_the_others_see_the_pause(sessions, live_settings, twilio, add_resident, clock):
    first = build_sender(live_settings, sessions, policy=POLICY, clock=clock)
    second = build_sender(live_settings, sessions, policy=POLICY, clock=clock)
    resident = add_resident(NUMBER)
    message_id = queue_sms(sessions, live_settings, resident)
    twilio.refuse_credentials(401)
    first.send_due()
    assert second.send_due().handled == 0, "the second worker does not try: the pause is in the database"
    clock.advance(PROBE_EVERY)
    first.send_due()
    second.send_due()
    assert len(checks(twilio)) == 1, "one credentials check per interval, whichever worker runs it"
    twilio.accept_credentials()
    clock.advance(PROBE_EVERY)
    second.send_due()
    assert load(sessions, message_id).state == "sent"
    assert len(posts(twilio)) == 2


def test_a_rotated_token_pauses_until_the_configuration_has_the_new_one(sessions, live_settings, twilio, add_resident, clock):
    message_id = queue_sms(sessions, live_settings, add_resident(NUMBER))
    twilio.auth_token = "rotated-at-twilio"
    build_sender(live_settings, sessions, policy=POLICY, clock=clock).send_due()
    assert load(sessions, message_id).state == "queued"
    # The operator restarts the worker with the new token.
    fixed = dataclasses.replace(live_settings, twilio_auth_token="rotated-at-twilio")
    clock.advance(PROBE_EVERY)
    assert build_sender(fixed, sessions, policy=POLICY, clock=clock).send_due().sent == 1


def test_a_paused_state_left_by_twilio_clears_in_dry_run(sessions, live_settings, casework_settings, twilio, add_resident, clock):
    twilio.refuse_credentials(401)
    queue_sms(sessions, live_settings, add_resident(NUMBER))
    build_sender(live_settings, sessions, policy=POLICY, clock=clock).send_due()
    assert sms_provider_on_healthz(casework_settings, sessions) == {"ready": True, "mode": "dry-run"}
    clock.advance(PROBE_EVERY)
    assert build_sender(casework_settings, sessions, policy=POLICY, clock=clock).send_due().sent == 1
    with sessions() as session:
        assert not provider_status(session, SMS_PROVIDER).paused
