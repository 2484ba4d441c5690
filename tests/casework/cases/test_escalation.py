"""Escalation with injected time: the next connector of the area, then the manager; routine waits for
working hours; undeliverable alerts move on at once; two workers never escalate one case twice."""
from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from casework.cases.acknowledgement import acknowledge_case
from casework.cases.audit import trail
from casework.cases.connectors import add_shift
from casework.cases.escalation import escalate_due
from casework.cases.models import Alert
from casework.cases.opening import Reason, open_case
from casework.cases.reading import case_detail
from casework.outbox.messages import OutboxMessage
from casework.outbox.sender import build_sender
from jobs.worker import Worker, default_jobs
from service.database import make_sessionmaker
from tests.casework.smtp_standin import SmtpStandin
from tests.twilio_standin import TwilioStandin

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


def later(seconds: float, start: datetime = WEDNESDAY) -> datetime:
    return start + timedelta(seconds=seconds)


@pytest.fixture
def team(add_connector):
    return {
        "bob": add_connector("Bob First", "07700 900001", patch="CH41"),
        "ann": add_connector("Ann Elsewhere", "07700 900002", patch="CH45"),
        "cat": add_connector("Cat Second", "07700 900003", patch="CH41"),
        "mo": add_connector("Mo Manager", "07700 900100", role="manager"),
    }


def open_one(sessions, settings, *, priority="urgent", now=WEDNESDAY, area="CH41", category="danger"):
    with sessions.begin() as session:
        return open_case(session, sender_id="sms:r", area=area, priority=priority, reasons=[Reason(category, "t")],
                         lawful_basis="vital_interests", settings=settings, now=now)


def alerted(sessions, reference):
    """(step, connector name, channel, state, escalated to) for every alert of the case."""
    with sessions() as session:
        detail = case_detail(session, reference)
    return [(a.step, a.to, a.channel, a.state, a.escalated_to) for a in detail.alerts]


def people(sessions, reference):
    """Who was alerted, step by step (one name per step: sms and email go together)."""
    seen = []
    for step, name, *_ in alerted(sessions, reference):
        if len(seen) <= step:
            seen.append(name)
    return seen


def test_urgent_goes_to_the_next_connector_then_the_manager_then_round_again(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    assert escalate_due(sessions, casework_settings, now=later(599)).escalated == 0
    assert escalate_due(sessions, casework_settings, now=later(600)).escalated == 1
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second"]
    assert alerted(sessions, opened.reference)[:2] == [(0, "Bob First", "sms", "escalated", "Cat Second"),
                                                       (0, "Bob First", "email", "escalated", "Cat Second")]
    assert escalate_due(sessions, casework_settings, now=later(1199)).escalated == 0  # Cat has her own 10 minutes
    escalate_due(sessions, casework_settings, now=later(1200))
    escalate_due(sessions, casework_settings, now=later(1800))
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second", "Mo Manager", "Bob First"]
    with sessions() as session:
        bodies = [session.get(OutboxMessage, a.outbox_message_id).body for a in session.scalars(
            select(Alert).where(Alert.channel == "sms").order_by(Alert.step))]
    assert "Not yet acknowledged by Bob First" in bodies[1] and "Not yet acknowledged by Cat Second" in bodies[2]
    steps = [e for e in _trail(sessions, opened.reference) if e.action == "escalated"]
    assert len(steps) == 3 and steps[0].actor == "worker"
    assert steps[0].detail.startswith(f"connector:{team['bob']} not acknowledged in time; now connector:{team['cat']}")


def test_escalation_is_idempotent(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    assert escalate_due(sessions, casework_settings, now=later(600)).escalated == 1
    assert escalate_due(sessions, casework_settings, now=later(600)).escalated == 0
    assert escalate_due(sessions, casework_settings, now=later(601)).escalated == 0
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second"]


def test_an_acknowledged_case_is_not_escalated(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    with sessions.begin() as session:
        acknowledge_case(session, reference=opened.reference, connector_id=team["bob"], via="sms", now=later(300))
    assert escalate_due(sessions, casework_settings, now=later(3600)).escalated == 0
    assert {s for _, _, _, s, _ in alerted(sessions, opened.reference)} == {"acknowledged"}


def test_the_next_connector_can_acknowledge_after_an_escalation(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    escalate_due(sessions, casework_settings, now=later(600))
    with sessions.begin() as session:
        acknowledge_case(session, reference=opened.reference, connector_id=team["cat"], via="sms", now=later(700))
    states = [(name, state) for _, name, _, state, _ in alerted(sessions, opened.reference)]
    assert states == [("Bob First", "escalated")] * 2 + [("Cat Second", "acknowledged")] * 2


def test_high_waits_an_hour(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings, priority="high", category="scam")
    assert escalate_due(sessions, casework_settings, now=later(3599)).escalated == 0
    assert escalate_due(sessions, casework_settings, now=later(3600)).escalated == 1
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second"]


def test_routine_waits_for_working_hours_to_go_and_to_escalate(sessions, casework_settings, team):
    saturday_night = datetime(2026, 11, 28, 22, 0, tzinfo=LONDON).astimezone(timezone.utc)
    monday_nine = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON).astimezone(timezone.utc)
    opened = open_one(sessions, casework_settings, priority="routine", now=saturday_night, category="isolated")
    [sms, email] = opened.alerts_queued
    assert sms.due_at == datetime(2026, 11, 30, 17, 0, tzinfo=LONDON)  # a working day from Monday 09:00
    with sessions() as session:
        message = session.get(OutboxMessage, sms.outbox_message_id)
        assert message.next_attempt_at.replace(tzinfo=timezone.utc) == monday_nine
    # the sender leaves it alone until then
    sender = build_sender(casework_settings, sessions, clock=lambda: later(3600, saturday_night))
    assert sender.send_due().sent == 0
    assert escalate_due(sessions, casework_settings, now=later(8 * 3600 - 1, monday_nine)).escalated == 0
    assert escalate_due(sessions, casework_settings, now=later(8 * 3600, monday_nine)).escalated == 1


def test_urgent_never_waits_for_working_hours(sessions, casework_settings, team):
    saturday_night = datetime(2026, 11, 28, 22, 0, tzinfo=timezone.utc)
    opened = open_one(sessions, casework_settings, now=saturday_night)
    assert opened.alerts_queued[0].due_at == saturday_night + timedelta(seconds=600)
    assert escalate_due(sessions, casework_settings, now=later(600, saturday_night)).escalated == 1


def test_the_deadlines_are_configurable(sessions, casework_settings, team):
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, "ALERT_ACK_SECONDS_URGENT": "30"})
    open_one(sessions, settings)
    assert escalate_due(sessions, settings, now=later(29)).escalated == 0
    assert escalate_due(sessions, settings, now=later(30)).escalated == 1


def test_an_alert_that_cannot_be_delivered_moves_on_at_once(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    with sessions.begin() as session:
        session.execute(update(OutboxMessage).values(state="failed", last_error="21211"))
    report = escalate_due(sessions, casework_settings, now=later(5))
    assert report.escalated == 1 and report.synced == 2
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second"]
    assert "could not be delivered" in [e for e in _trail(sessions, opened.reference) if e.action == "escalated"][0].detail


def test_one_channel_failing_is_not_enough_to_move_on(sessions, casework_settings, team):
    open_one(sessions, casework_settings)
    with sessions.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.channel == "sms").values(state="failed"))
        session.execute(update(OutboxMessage).where(OutboxMessage.channel == "email").values(state="sent"))
    report = escalate_due(sessions, casework_settings, now=later(5))
    assert report.escalated == 0
    with sessions() as session:
        assert dict(session.execute(select(Alert.channel, Alert.state)).all()) == {"sms": "failed", "email": "sent"}


def test_a_deactivated_connectors_alert_moves_on_at_once(sessions, casework_settings, team):
    from casework.cases.connectors import set_active

    opened = open_one(sessions, casework_settings)
    with sessions.begin() as session:
        set_active(session, team["bob"], False)
    assert escalate_due(sessions, casework_settings, now=later(5)).escalated == 1
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second"]


def test_escalation_follows_the_rota(sessions, casework_settings, team):
    with sessions.begin() as session:
        for who in ("bob", "mo"):
            add_shift(session, connector_id=team[who], starts_at=later(-3600), ends_at=later(8 * 3600))
    opened = open_one(sessions, casework_settings)
    escalate_due(sessions, casework_settings, now=later(600))
    assert people(sessions, opened.reference) == ["Bob First", "Mo Manager"]  # Cat is not on duty


def test_a_case_nobody_could_be_told_about_is_alerted_when_someone_is_on_duty(sessions, casework_settings, add_connector):
    opened = open_one(sessions, casework_settings, priority="high", category="scam")
    assert opened.alerts_queued == []
    assert escalate_due(sessions, casework_settings, now=later(5)).started == 0
    add_connector("Late Arrival", "07700 900009")
    report = escalate_due(sessions, casework_settings, now=later(10))
    assert report.started == 1
    assert people(sessions, opened.reference) == ["Late Arrival"]
    assert escalate_due(sessions, casework_settings, now=later(11)).started == 0


def test_two_workers_at_once_escalate_a_case_once(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    _race(lambda: escalate_due(sessions, casework_settings, now=later(600)))
    assert people(sessions, opened.reference) == ["Bob First", "Cat Second"]


def test_two_workers_at_once_on_postgres(pg_engine, casework_settings):
    from casework.cases.connectors import add_connector

    pg = make_sessionmaker(pg_engine)
    with pg.begin() as session:
        for n, name in enumerate(("Bob First", "Cat Second")):
            add_connector(session, name=name, phone=f"0770090000{n}", email=f"c{n}@council.example", patch="CH41",
                          settings=casework_settings)
    cases = [open_one(pg, casework_settings, area="CH41")]
    with pg.begin() as session:  # and a second resident's case, to give the workers more to share
        cases.append(open_case(session, sender_id="sms:other", area="CH41", priority="urgent",
                               reasons=[Reason("danger", "t")], lawful_basis="vital_interests",
                               settings=casework_settings, now=WEDNESDAY))
    results = _race(lambda: escalate_due(pg, casework_settings, now=later(600)), workers=4)
    assert sum(r.escalated for r in results) == 2
    for opened in cases:
        assert people(pg, opened.reference) == ["Bob First", "Cat Second"]


# An urgent alert is valid until its deadline (an alert that cannot arrive in time expires and escalates), so
# the deadline must outlast sending Cat's SMS and then her email on a loaded machine: with 1 s her email once
# expired before its turn.
DEADLINE = 4


def test_the_worker_sends_alerts_by_twilio_and_smtp_and_escalates(sessions, casework_settings, team):
    account, token = "AC" + "2" * 32, "standin-token"
    with TwilioStandin(account_sid=account, auth_token=token) as twilio, SmtpStandin() as smtp:
        settings = dataclasses.replace(casework_settings, twilio_account_sid=account, twilio_auth_token=token,
                                       twilio_from_number="+447700900000", twilio_api_base=twilio.base_url,
                                       smtp_url=smtp.url, extra={**casework_settings.extra, "ALERT_ACK_SECONDS_URGENT": str(DEADLINE)})
        opened = open_one(sessions, settings, now=None)
        worker = Worker(sessions, default_jobs(settings, sessions))
        assert worker.run_once()
        [sms] = twilio.requests
        assert sms.form["To"] == "+447700900001" and f"ACK {opened.reference}" in sms.form["Body"]
        [mail] = smtp.delivered
        assert mail.recipients == ["bob@council.example"] and opened.reference in mail.message["Subject"]
        assert {s for _, _, _, s, _ in alerted(sessions, opened.reference)} == {"queued"}
        threading.Event().wait(DEADLINE + 0.1)
        assert worker.run_once()  # syncs "sent", escalates (past the deadline), sends Cat's alert
        assert [r.form["To"] for r in twilio.requests] == ["+447700900001", "+447700900003"]
        assert [m.recipients for m in smtp.delivered] == [["bob@council.example"], ["cat@council.example"]]
    assert [(name, state) for _, name, channel, state, _ in alerted(sessions, opened.reference) if channel == "sms"] == [
        ("Bob First", "escalated"), ("Cat Second", "queued")]


def _race(run, workers: int = 2):
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def one():
        barrier.wait()
        try:
            results.append(run())
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _trail(sessions, reference):
    with sessions() as session:
        return trail(session, reference)
