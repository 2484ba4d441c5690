"""Issue 17: a backlog arrives as one summary, not a flood. Fifty cases waiting with nobody to alert,
then the first connector is added: one SMS and one email, not fifty of each; and the same when
escalation moves many cases to the next person in one pass. Each case keeps its own alert rows, so
ACK, deadlines and escalation still work case by case."""
from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.cases.acknowledgement import handle_connector_message
from casework.cases.alert_settings import alert_settings
from casework.cases.alerts import start_alerting
from casework.cases.escalation import escalate_due
from casework.cases.models import Alert, AuditEvent, Case
from casework.cases.opening import Reason, open_case
from casework.outbox.messages import OutboxMessage, connector_recipient
from casework.residents.identity import phone_hash
from service.database import make_sessionmaker
from service.settings import SettingsError
from service.text import is_gsm
from tests.casework.cases.test_escalation import _race
from tests.casework.conftest import HASH_KEY

WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # inside the default working hours
CATEGORY = {"urgent": "danger", "high": "scam", "routine": "isolated"}


def later(seconds: float, start: datetime = WEDNESDAY) -> datetime:
    return start + timedelta(seconds=seconds)


def open_cases(sessions, settings, *, urgent=0, high=0, routine=0, now=WEDNESDAY, area="CH41"):
    """References of new cases, one resident each, most urgent opened first."""
    references = []
    with sessions.begin() as session:
        for priority, count in (("urgent", urgent), ("high", high), ("routine", routine)):
            for _ in range(count):
                opened = open_case(session, sender_id=f"sms:r{len(references)}", area=area, priority=priority,
                                   reasons=[Reason(CATEGORY[priority], "t")], lawful_basis="vital_interests",
                                   settings=settings, now=now)
                references.append(opened.reference)
    return references


def messages_to(sessions, connector_id, email):
    """The alert messages the outbox holds for one person: (sms bodies, emails as (subject, body))."""
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "alert").order_by(OutboxMessage.id)).all()
    sms = [m.body for m in rows if m.channel == "sms" and m.recipient_sender_id == connector_recipient(connector_id)]
    mail = [(m.subject, m.body) for m in rows if m.channel == "email" and m.recipient_encrypted == email]
    return sms, mail


def test_adding_the_first_connector_with_fifty_cases_waiting_sends_one_sms_and_one_email(
        sessions, casework_settings, add_connector):
    open_cases(sessions, casework_settings, high=20, routine=30)  # nobody to tell yet
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    report = escalate_due(sessions, casework_settings, now=later(60))
    assert report.started == 50
    sms, mail = messages_to(sessions, jo, "jo@council.example")
    assert (len(sms), len(mail)) == (1, 1), f"{len(sms)} texts and {len(mail)} emails to one person"


def test_the_summary_says_how_many_of_each_priority_the_most_urgent_references_and_where_the_queue_is(
        sessions, casework_settings, add_connector):
    references = open_cases(sessions, casework_settings, urgent=4, high=16, routine=30)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    escalate_due(sessions, casework_settings, now=later(60))
    [sms], [(subject, body)] = messages_to(sessions, jo, "jo@council.example")
    assert sms == (f"50 cases are waiting for your team: 4 urgent, 16 high, 30 routine. Most urgent first: "
                   f"{', '.join(references[:3])}. Reply ACK and a reference to take one, or ACK alone for the most urgent. "
                   f"See them at https://connect.example.org/console/queue")
    assert is_gsm(sms) and len(sms) <= 2 * 153, "two segments at most"
    assert subject == "50 cases are waiting for your team (4 urgent): please acknowledge"
    assert "https://connect.example.org/console/queue" in body
    lines = [line for line in body.splitlines() if " case WC-" in line]
    assert [next(r for r in references if r in line) for line in lines] == references, "every case, most urgent first"
    assert lines[0].startswith(f"URGENT case {references[0]}, CH41: may be in danger now. Acknowledge by Wed 25 Nov 14:11.")


def test_each_summarised_case_keeps_its_own_alert_rows_and_deadline(sessions, casework_settings, add_connector):
    open_cases(sessions, casework_settings, urgent=2, high=2, routine=2)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    escalate_due(sessions, casework_settings, now=later(60))
    with sessions() as session:
        alerts = session.execute(select(Alert, Case.priority).join(Case, Case.id == Alert.case_id)).all()
        sms_id, email_id = (session.scalars(select(OutboxMessage.id).where(OutboxMessage.channel == channel)).one()
                            for channel in ("sms", "email"))
    assert len(alerts) == 12 and {a.connector_id for a, _ in alerts} == {jo} and {a.state for a, _ in alerts} == {"queued"}
    assert {a.outbox_message_id for a, _ in alerts if a.channel == "sms"} == {sms_id}
    assert {a.outbox_message_id for a, _ in alerts if a.channel == "email"} == {email_id}
    deadlines = {priority: {a.due_at.replace(tzinfo=timezone.utc) for a, p in alerts if p == priority} for _, priority in alerts}
    assert deadlines == {"urgent": {later(660)}, "high": {later(3660)}, "routine": {later(60 + 24 * 3600)}}


def test_a_few_cases_still_get_an_alert_each(sessions, casework_settings, add_connector):
    references = open_cases(sessions, casework_settings, urgent=1, high=1, routine=1)  # the threshold: 3
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    escalate_due(sessions, casework_settings, now=later(60))
    sms, mail = messages_to(sessions, jo, "jo@council.example")
    assert len(sms) == len(mail) == 3
    assert sms[0] == f"URGENT case {references[0]}, CH41: may be in danger now. Reply ACK {references[0]} to take it."
    assert [subject for subject, _ in mail] == [f"{p} case {r}: please acknowledge"
                                                for p, r in zip(("URGENT", "High priority", "Routine"), references)]


def test_the_threshold_is_a_setting(sessions, casework_settings, add_connector):
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, "ALERT_SUMMARY_THRESHOLD": "1"})
    open_cases(sessions, settings, high=2)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    escalate_due(sessions, settings, now=later(60))
    [sms], [_] = messages_to(sessions, jo, "jo@council.example")
    assert sms.startswith("2 cases are waiting for your team: 0 urgent, 2 high, 0 routine.")
    for wrong in ("0", "three", "-1"):
        with pytest.raises(SettingsError, match="ALERT_SUMMARY_THRESHOLD"):
            alert_settings(dataclasses.replace(casework_settings, extra={"ALERT_SUMMARY_THRESHOLD": wrong}))


def test_many_escalating_at_once_reach_the_next_person_as_one_summary(sessions, casework_settings, add_connector):
    bob = add_connector("Bob First", "07700 900001", patch="CH41")
    cat = add_connector("Cat Second", "07700 900003", patch="CH41")
    references = open_cases(sessions, casework_settings, urgent=10)  # each alerted to Bob as it opened
    assert len(messages_to(sessions, bob, "bob@council.example")[0]) == 10
    report = escalate_due(sessions, casework_settings, now=later(600))
    assert report.escalated == 10 and report.summaries == 1
    [sms], [(subject, body)] = messages_to(sessions, cat, "cat@council.example")
    assert sms.startswith("10 cases not yet acknowledged by Bob First are waiting for your team: 10 urgent, 0 high, 0 routine. "
                          f"Most urgent first: {', '.join(references[:3])}.")
    assert "not yet acknowledged by Bob First" in body and all(r in body for r in references)
    with sessions() as session:
        escalated = session.execute(select(Alert.connector_id, Alert.state, Alert.escalated_to_id, Alert.step)).all()
    assert sorted(set(escalated)) == [(bob, "escalated", cat, 0), (cat, "queued", None, 1)]
    assert escalate_due(sessions, casework_settings, now=later(601)).escalated == 0  # Cat has her own ten minutes


def test_a_summarised_backlog_escalates_summarised_priority_by_priority(sessions, casework_settings, add_connector):
    open_cases(sessions, casework_settings, urgent=5, high=15, routine=30)
    bob = add_connector("Bob First", "07700 900001", patch="CH41")
    cat = add_connector("Cat Second", "07700 900003", patch="CH41")
    escalate_due(sessions, casework_settings, now=later(60))
    assert [len(m) for m in messages_to(sessions, bob, "bob@council.example")] == [1, 1]
    escalate_due(sessions, casework_settings, now=later(660))  # the urgent deadline: 10 minutes
    [urgent], _ = messages_to(sessions, cat, "cat@council.example")
    assert urgent.startswith("5 cases not yet acknowledged by Bob First are waiting for your team: 5 urgent, 0 high, 0 routine.")
    escalate_due(sessions, casework_settings, now=later(3660))  # the high deadline: an hour
    sms, mail = messages_to(sessions, cat, "cat@council.example")
    assert len(sms) == len(mail) == 2 and sms[1].startswith("15 cases not yet acknowledged by Bob First")
    assert len(messages_to(sessions, bob, "bob@council.example")[0]) == 2  # and round again: the urgent ones back to Bob
    assert messages_to(sessions, bob, "bob@council.example")[0][1].startswith("5 cases not yet acknowledged by Cat Second")


def test_a_summarised_case_is_acknowledged_by_text_with_or_without_its_reference(sessions, casework_settings, add_connector):
    references = open_cases(sessions, casework_settings, urgent=2, high=20, routine=28)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    escalate_due(sessions, casework_settings, now=later(60))
    bare = text_from(sessions, casework_settings, "07700 900001", "ACK")
    assert bare.acknowledged and bare.reference == references[0], "ACK alone takes the most urgent, not the latest alerted"
    again = text_from(sessions, casework_settings, "07700 900001", "ack")
    assert again.reference == references[1]
    typed = text_from(sessions, casework_settings, "07700 900001", f"ack {references[30].lower()}")
    assert typed.acknowledged and typed.reference == references[30]
    with sessions() as session:
        states = dict(session.execute(select(Case.reference, Case.state)).all())
        alerts = session.execute(select(Case.reference, Alert.state).join(Case, Case.id == Alert.case_id)).all()
        summary = session.scalars(select(OutboxMessage.state).where(OutboxMessage.channel == "sms")).one()
    taken = {references[0], references[1], references[30]}
    assert {r for r, s in states.items() if s == "acknowledged"} == taken
    assert {(r in taken, s) for r, s in alerts} == {(True, "acknowledged"), (False, "queued")}
    assert summary == "queued", "acknowledging one case does not stop the summary the others still need"
    # The twenty high cases nobody took escalate at their deadline: with nobody else, round to Jo again, summarised.
    assert escalate_due(sessions, casework_settings, now=later(3660)).escalated == 20
    sms, _ = messages_to(sessions, jo, "jo@council.example")
    assert len(sms) == 2 and sms[1].startswith("20 cases not yet acknowledged by Jo First")


def test_a_routine_backlog_out_of_hours_waits_for_working_hours_and_urgent_goes_now(sessions, casework_settings,
                                                                                    add_connector):
    saturday_night = datetime(2026, 11, 28, 22, 0, tzinfo=timezone.utc)
    monday_nine = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    open_cases(sessions, casework_settings, urgent=4, routine=10, now=saturday_night)
    # urgent cases went to no one: nobody was active. The first connector is added on Saturday night.
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    assert escalate_due(sessions, casework_settings, now=later(60, saturday_night)).summaries == 2
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_sender_id == connector_recipient(jo),
                                                   OutboxMessage.channel == "sms").order_by(OutboxMessage.next_attempt_at)).all()
        when = [(m.body.split(":")[0], m.next_attempt_at.replace(tzinfo=timezone.utc),
                 m.expires_at and m.expires_at.replace(tzinfo=timezone.utc)) for m in rows]
    assert when == [("4 cases are waiting for your team", later(60, saturday_night), later(660, saturday_night)),
                    ("10 cases are waiting for your team", monday_nine, None)]


def test_alerts_held_by_a_pass_that_died_go_on_the_next(sessions, casework_settings, add_connector):
    open_cases(sessions, casework_settings, high=5)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    with sessions.begin() as session:  # what the pass had done when it died: the alert rows, no messages
        for case in session.scalars(select(Case)):
            start_alerting(session, case=case, policy=alert_settings(casework_settings), now=later(60), actor="worker",
                           held=True)
    assert messages_to(sessions, jo, "jo@council.example") == ([], [])
    report = escalate_due(sessions, casework_settings, now=later(61))
    assert report.started == 0 and report.summaries == 1
    assert [len(m) for m in messages_to(sessions, jo, "jo@council.example")] == [1, 1]
    assert escalate_due(sessions, casework_settings, now=later(62)).summaries == 0


def test_no_number_or_message_is_logged_and_the_summary_is_in_the_audit_trail(sessions, casework_settings, add_connector,
                                                                                caplog):
    open_cases(sessions, casework_settings, high=6)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    with caplog.at_level(logging.DEBUG):
        escalate_due(sessions, casework_settings, now=later(60))
    [sms], [(_, body)] = messages_to(sessions, jo, "jo@council.example")
    assert "900001" not in caplog.text and "jo@council" not in caplog.text
    assert "waiting for your team" not in caplog.text and "scam" not in caplog.text
    with sessions() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "alerts_summarised")).all()
    assert event.actor == "worker" and event.detail.startswith(f"connector:{jo}: 6 cases in one sms and email")
    assert "900001" not in sms + body


def test_two_workers_at_once_send_one_summary(sessions, casework_settings, add_connector):
    open_cases(sessions, casework_settings, high=8)
    jo = add_connector("Jo First", "07700 900001", patch="CH41")
    results = _race(lambda: escalate_due(sessions, casework_settings, now=later(60)))
    assert sum(r.started for r in results) == 8 and sum(r.summaries for r in results) == 1
    assert [len(m) for m in messages_to(sessions, jo, "jo@council.example")] == [1, 1]


def test_four_workers_at_once_on_postgres_send_one_summary(pg_engine, casework_settings):
    from casework.cases.connectors import add_connector

    pg = make_sessionmaker(pg_engine)
    open_cases(pg, casework_settings, urgent=2, high=8)
    with pg.begin() as session:
        jo = add_connector(session, name="Jo First", phone="07700900001", email="jo@council.example", patch="CH41",
                           settings=casework_settings).id
    results = _race(lambda: escalate_due(pg, casework_settings, now=later(60)), workers=4)
    assert sum(r.started for r in results) == 10 and sum(r.summaries for r in results) == 1
    assert [len(m) for m in messages_to(pg, jo, "jo@council.example")] == [1, 1]
    with pg() as session:
        assert session.scalars(select(Alert).where(Alert.outbox_message_id.is_(None))).all() == []


def text_from(sessions, settings, number, text):
    with sessions.begin() as session:
        return handle_connector_message(session, phone_hash=phone_hash(number, key=HASH_KEY), text=text, settings=settings)
