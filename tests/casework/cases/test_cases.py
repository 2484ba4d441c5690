"""Opening cases: references, alerts queued in the same transaction, reuse of a resident's open case."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, select

from casework.cases.alerts import AlertQueued
from casework.cases.audit import trail
from casework.cases.models import Alert, Case, CaseReason
from casework.cases.opening import CaseworkError, Reason, UnknownCase, open_case
from casework.cases.reading import case_detail, case_file, list_cases
from casework.outbox.messages import OutboxMessage
from service.text import is_gsm

REFERENCE = re.compile(r"^[A-Z]{2,3}-[0-9]{3,6}$")
# A Wednesday afternoon in London: inside the default working hours.
WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


def crisis(sessions, settings, sender_id="sms:abc", *, priority="urgent", category="suicidal", message_id="SM1",
           text="i want to end it all", area=None, now=WEDNESDAY):
    with sessions.begin() as session:
        return open_case(session, sender_id=sender_id, area=area, priority=priority,
                         reasons=[Reason(category=category, rule=f"{category}:test", message_id=message_id, excerpt=text)],
                         lawful_basis="vital_interests", settings=settings, now=now)


def test_the_migration_builds_every_case_table(casework_engine):
    tables = set(inspect(casework_engine).get_table_names())
    assert {"connector", "rota_shift", "case_record", "case_reason", "case_note", "alert", "report", "api_token",
            "audit_event"} <= tables


def test_the_migration_matches_the_models(casework_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import casework.cases.models as case_models
    from service.database import Base

    ours = {t.name for t in Base.metadata.sorted_tables if t.name in {m.__tablename__ for m in (
        case_models.Connector, case_models.RotaShift, case_models.Case, case_models.CaseReason, case_models.CaseNote,
        case_models.Alert, case_models.Report, case_models.ApiToken, case_models.AuditEvent)}}
    with casework_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # A name in quotes: a test elsewhere may add a table whose name merely contains one of ours.
    assert [d for d in diff if any(f"'{name}'" in repr(d) for name in ours)] == []


def test_private_columns_carry_the_key_rotation_markers():
    import casework.cases.models as m

    sealed = {(c.table.name, c.name, c.info["sealed"]) for t in m.Base.metadata.sorted_tables for c in t.columns
              if "sealed" in c.info}
    assert ("connector", "mobile_encrypted", "phone") in sealed
    assert {("case_record", "subject_encrypted", "body"), ("case_reason", "excerpt_encrypted", "body"),
            ("case_note", "text_encrypted", "body"), ("report", "worry_encrypted", "body")} <= sealed
    assert m.Connector.__table__.c.phone_hash.info == {"keyed_hash": "phone"}
    # every *_encrypted column of the case tables says which vault sealed it
    for table in (m.Connector, m.Case, m.CaseReason, m.CaseNote, m.Report):
        for column in table.__table__.columns:
            if column.name.endswith("_encrypted"):
                assert column.info.get("sealed") in ("phone", "body"), column


def test_a_case_gets_an_unguessable_reference_and_alerts_at_once(sessions, casework_settings, add_connector):
    jo = add_connector("Jo Connector", "07700 900001", patch="CH41")
    opened = crisis(sessions, casework_settings, area="CH41 5AB")
    assert REFERENCE.match(opened.reference) and opened.reference.startswith("WC-")
    assert opened.priority == "urgent" and opened.state == "new" and not opened.reused
    assert [(a.connector_id, a.channel) for a in opened.alerts_queued] == [(jo, "sms"), (jo, "email")]
    assert opened.connector_alerted and opened.acknowledge_by == opened.alerts_queued[0].due_at
    assert (opened.acknowledge_by - WEDNESDAY).total_seconds() == 600
    with sessions() as session:
        sms, email = (session.get(OutboxMessage, a.outbox_message_id) for a in opened.alerts_queued)
        case = session.scalars(select(Case)).one()
        assert case.area == "CH41" and case.alert_version == 1
    assert sms.state == "queued" and sms.recipient_sender_id == f"connector:{jo}" and sms.purpose == "alert"
    assert sms.body == f"URGENT case {opened.reference}, CH41: thoughts of suicide or self-harm. Reply ACK {opened.reference} to take it."
    assert is_gsm(sms.body) and len(sms.body) <= 160
    assert email.recipient_encrypted == "jo@council.example" and opened.reference in email.subject
    # nothing the resident wrote leaves casework in an alert
    assert "end it" not in sms.body and "end it" not in email.body


def test_references_are_distinct(sessions, casework_settings):
    references = {crisis(sessions, casework_settings, sender_id=f"sms:{n}", message_id=f"SM{n}").reference for n in range(60)}
    assert len(references) == 60 and all(REFERENCE.match(r) for r in references)


def test_the_case_and_its_alert_commit_together_or_not_at_all(sessions, casework_settings, add_connector):
    add_connector("Jo Connector", "07700 900001")
    with pytest.raises(RuntimeError), sessions.begin() as session:
        open_case(session, sender_id="sms:abc", priority="urgent", reasons=[Reason("danger", "danger:test")],
                  lawful_basis="vital_interests", settings=casework_settings, now=WEDNESDAY)
        raise RuntimeError("the intake failed after opening the case")
    with sessions() as session:
        assert session.scalars(select(Case)).all() == []
        assert session.scalars(select(OutboxMessage)).all() == []


def test_an_open_case_is_reused_and_raised_and_an_urgent_raise_alerts_again(sessions, casework_settings, add_connector):
    add_connector("Jo Connector", "07700 900001")
    first = crisis(sessions, casework_settings, priority="routine", category="isolated", message_id="SM1")
    assert first.priority == "routine" and len(first.alerts_queued) == 2
    again = crisis(sessions, casework_settings, priority="routine", category="isolated", message_id="SM2")
    assert again.reference == first.reference and again.reused and again.alerts_queued == []
    assert again.connector_alerted  # the first alert is still pending
    raised = crisis(sessions, casework_settings, priority="urgent", category="suicidal", message_id="SM3")
    assert raised.reference == first.reference and raised.priority == "urgent"
    assert len(raised.alerts_queued) == 2 and raised.alerts_queued[0].step == 1
    with sessions() as session:
        states = session.execute(select(Alert.step, Alert.state).order_by(Alert.id)).all()
        assert states == [(0, "superseded"), (0, "superseded"), (1, "queued"), (1, "queued")]
        assert len(session.scalars(select(CaseReason)).all()) == 3
        body = session.get(OutboxMessage, raised.alerts_queued[0].outbox_message_id).body
    assert body.startswith("URGENT") and "thoughts of suicide" in body
    actions = [e.action for e in _trail(sessions, first.reference)]
    assert actions.count("reason_added") == 2 and "priority_raised" in actions


def test_the_same_message_twice_adds_one_reason(sessions, casework_settings):
    crisis(sessions, casework_settings, message_id="SM1")
    crisis(sessions, casework_settings, message_id="SM1")
    with sessions() as session:
        assert len(session.scalars(select(CaseReason)).all()) == 1


def test_a_closed_case_is_not_reused(sessions, casework_settings, add_connector):
    from casework.cases.lifecycle import close_case

    jo = add_connector("Jo Connector", "07700 900001")
    first = crisis(sessions, casework_settings, message_id="SM1")
    with sessions.begin() as session:
        close_case(session, reference=first.reference, outcome="supported", by=jo, settings=casework_settings)
    second = crisis(sessions, casework_settings, message_id="SM2")
    assert second.reference != first.reference and not second.reused


def test_a_case_with_nobody_to_alert_says_so(sessions, casework_settings):
    opened = crisis(sessions, casework_settings)
    assert opened.alerts_queued == [] and not opened.connector_alerted and opened.acknowledge_by is None
    assert "nobody_to_alert" in [e.action for e in _trail(sessions, opened.reference)]


def test_bad_requests_are_refused(sessions, casework_settings):
    with sessions.begin() as session:
        for wrong in (
            {"sender_id": "sms:a", "subject": "the man at 12"},
            {"sender_id": "sms:a", "priority": "whenever"},
            {"sender_id": "sms:a", "lawful_basis": "because"},
            {"sender_id": "sms:a", "reasons": []},
        ):
            arguments = {"priority": "urgent", "reasons": [Reason("danger", "x")], "lawful_basis": "vital_interests",
                         "settings": casework_settings, **wrong}
            with pytest.raises(CaseworkError):
                open_case(session, **arguments)


def test_detail_has_no_private_words_and_the_file_has_them_with_every_read_logged(sessions, casework_settings, add_connector):
    jo = add_connector("Jo Connector", "07700 900001")
    opened = crisis(sessions, casework_settings, text="i want to end it all")
    with sessions.begin() as session:
        detail = case_detail(session, opened.reference.lower().replace("-", ""), viewed_by="api:test")
    assert detail.reference == opened.reference and detail.state == "new" and detail.acknowledged_by is None
    assert [(a.to, a.channel, a.state) for a in detail.alerts] == [("Jo Connector", "sms", "queued"),
                                                                   ("Jo Connector", "email", "queued")]
    assert "end it" not in repr(detail)
    with sessions.begin() as session:
        file = case_file(session, opened.reference, viewed_by=f"connector:{jo}", settings=casework_settings)
    assert file.excerpts[0][1] == "i want to end it all"
    with sessions() as session:
        stored = session.scalars(select(CaseReason.excerpt_encrypted)).one()
    assert "end it" not in stored
    actions = [(e.actor, e.action) for e in _trail(sessions, opened.reference)]
    assert ("api:test", "viewed") in actions and (f"connector:{jo}", "file_read") in actions
    with sessions() as session, pytest.raises(UnknownCase):
        case_detail(session, "WC-1")


def test_cases_are_listed_most_urgent_first(sessions, casework_settings):
    routine = crisis(sessions, casework_settings, sender_id="sms:1", priority="routine", message_id="a")
    urgent = crisis(sessions, casework_settings, sender_id="sms:2", priority="urgent", message_id="b")
    high = crisis(sessions, casework_settings, sender_id="sms:3", priority="high", message_id="c")
    with sessions() as session:
        listed = list_cases(session)
        assert [c.reference for c in listed] == [urgent.reference, high.reference, routine.reference]
        assert [c.reference for c in list_cases(session, priority="high")] == [high.reference]


def _trail(sessions, reference):
    with sessions() as session:
        return trail(session, reference)


def test_alert_queued_is_a_plain_value():
    assert AlertQueued.__dataclass_params__.frozen  # type: ignore[attr-defined]
