"""Cases, acknowledgement, escalation, reports and the spool on the real PostgreSQL server."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import inspect, select

from casework.cases.acknowledgement import handle_connector_message
from casework.cases.connectors import add_connector, alert_order
from casework.cases.escalation import escalate_due
from casework.cases.lifecycle import close_case
from casework.cases.models import Case
from casework.cases.opening import Reason, open_case
from casework.cases.reading import case_detail, list_cases
from casework.cases.reports import ReportDetails, open_report
from casework.cases.spool import SpooledCrisis, drain_spool, spool_case, spool_path
from casework.console.tokens import create_token, verify_token
from casework.conversation.inbound import BodyVault
from casework.residents.identity import phone_hash
from service.database import make_sessionmaker
from tests.casework.conftest import ENCRYPTION_KEY, HASH_KEY

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


def team(sessions, settings):
    with sessions.begin() as session:
        for name, number, patch, role in (("Mo Manager", "07700 900100", "", "manager"),
                                          ("Bob First", "07700 900001", "CH41", "connector"),
                                          ("Cat Second", "07700 900002", "CH41", "connector")):
            add_connector(session, name=name, phone=number, email=f"{name.split()[0].lower()}@council.example",
                          patch=patch, role=role, settings=settings)


def crisis(sessions, settings, *, sender="sms:r", message_id="SM1", priority="urgent"):
    with sessions.begin() as session:
        return open_case(session, sender_id=sender, area="CH41", priority=priority,
                         reasons=[Reason("suicidal", "t", message_id, "i want to end it all")],
                         lawful_basis="vital_interests", settings=settings, now=NOW)


def test_the_case_tables_exist(pg_engine):
    assert {"connector", "rota_shift", "case_record", "case_reason", "case_note", "alert", "report", "api_token",
            "audit_event"} <= set(inspect(pg_engine).get_table_names())


def test_open_acknowledge_escalate_and_close_on_postgres(pg_engine, casework_settings):
    sessions = make_sessionmaker(pg_engine)
    team(sessions, casework_settings)
    with sessions() as session:
        assert [c.name for c in alert_order(session, area="CH41", at=NOW)] == ["Bob First", "Cat Second", "Mo Manager"]
    first = crisis(sessions, casework_settings, priority="high")
    again = crisis(sessions, casework_settings, message_id="SM2", priority="urgent")
    assert again.reference == first.reference and again.priority == "urgent" and len(again.alerts_queued) == 2
    assert escalate_due(sessions, casework_settings, now=NOW + timedelta(seconds=600)).escalated == 1
    with sessions.begin() as session:
        reply = handle_connector_message(session, phone_hash=phone_hash("07700 900002", key=HASH_KEY), text="ACK",
                                         settings=casework_settings)
    assert reply is not None and reply.acknowledged and reply.reference == first.reference
    with sessions() as session:
        detail = case_detail(session, first.reference)
    assert detail.state == "acknowledged" and detail.acknowledged_by == "Cat Second"
    assert [(a.to, a.state) for a in detail.alerts] == [("Bob First", "superseded")] * 2 + [
        ("Bob First", "escalated")] * 2 + [("Cat Second", "acknowledged")] * 2
    with sessions.begin() as session:
        close_case(session, reference=first.reference, outcome="supported", by=reply.connector_id,
                   settings=casework_settings)
    with sessions() as session:
        assert [c.state for c in list_cases(session)] == ["closed"]


def test_reports_tokens_and_the_spool_on_postgres(pg_engine, casework_settings):
    sessions = make_sessionmaker(pg_engine)
    team(sessions, casework_settings)
    with sessions.begin() as session:
        opened = open_report(session, report=ReportDetails(relationship="shop_worker", who="an older lady", worry="confused",
                                                           urgency="now", postcode="CH41 1AA"), settings=casework_settings)
        token = create_token(session, name="crm", scopes=["cases"])
    assert opened.priority == "urgent" and opened.connector_alerted
    with sessions() as session:
        assert verify_token(session, token.token).name == "crm"
        assert verify_token(session, token.token).scopes == ("cases",)
    path = spool_path(casework_settings)
    spool_case(path, SpooledCrisis("SM9", "sms:x", "sms", "danger", "t", "help", "2026-11-25T14:00:00+00:00"),
               vault=BodyVault(ENCRYPTION_KEY))
    assert drain_spool(sessions, casework_settings).opened == 1
    assert drain_spool(sessions, casework_settings).handled == 0


def test_a_reference_taken_by_a_concurrent_transaction_is_retried(pg_engine, casework_settings, monkeypatch):
    import casework.cases.opening as cases

    sessions = make_sessionmaker(pg_engine)
    draws = iter([1, 1, 1, 2])  # A draws WC-10001; B draws it too (A has not committed), then again, then WC-10002
    monkeypatch.setattr(cases.secrets, "randbelow", lambda _n: next(draws))
    first = sessions()
    first.begin()
    open_case(first, sender_id="sms:a", priority="urgent", reasons=[Reason("danger", "t")], lawful_basis="vital_interests",
              settings=casework_settings)
    result = {}

    def second():
        with sessions.begin() as session:  # blocks on the unique index until A commits, then retries
            result["reference"] = open_case(session, sender_id="sms:b", priority="urgent", reasons=[Reason("danger", "t")],
                                            lawful_basis="vital_interests", settings=casework_settings).reference

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=0.5)
    first.commit()
    first.close()
    thread.join(timeout=10)
    assert result["reference"] == "WC-10002"
    with sessions() as session:
        assert sorted(session.scalars(select(Case.reference))) == ["WC-10001", "WC-10002"]
