"""How the audit trail's actors read to a manager: a connector by today's name with their id, the
service's own parts in words; the trail itself keeps the id (a name can change, the record must not)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from casework.cases import audit
from casework.cases.connectors import add_connector
from casework.cases.models import AuditEvent, Connector
from tests.jobs.test_erasure import settings_for


@pytest.mark.parametrize(("actor", "shown"), [
    ("connector:3", "Jo Bloggs (connector 3)"),
    ("connector:4", "connector 4"),  # no such connector here: the id alone, never a guess
    ("api:crm", "the API token 'crm'"),
    ("worker", "the worker"),
    ("intake", "the intake (a text or web chat message)"),
    ("bot", "the chat bot"),
    ("cli", "the command line"),
    ("cli:Sam Manager", "Sam Manager (command line)"),
    ("resident:sms", "the resident, by text"),
    ("retention", "the retention purge"),
    ("something:new", "something:new"),  # an actor added later reads as stored until it has words
    ("connector:x", "connector:x"),
])
def test_each_actor_reads_in_words(actor: str, shown: str) -> None:
    assert audit.describe_actor(actor, {3: "Jo Bloggs"}) == shown


def test_connectors_are_named_as_they_are_now_and_the_trail_keeps_their_id(app_sessions: sessionmaker, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with app_sessions.begin() as session:
        jo = add_connector(session, name="Jo Bloggs", phone="+447700900001", email="jo@council.example", patch="", settings=settings).id
        gone = add_connector(session, name="Al Left", phone="+447700900002", email="al@council.example", patch="", settings=settings).id
        session.execute(update(Connector).where(Connector.id == gone).values(active=False))
        audit.record(session, actor=audit.connector_actor(jo), action="file_read", case_reference="WC-1")
        audit.record(session, actor="worker", action="alerted", case_reference="WC-1", detail=f"connector:{gone} by sms, step 0")
    with app_sessions.begin() as session:
        session.execute(update(Connector).where(Connector.id == jo).values(name="Jo Smith"))
    with app_sessions() as session:
        shown = audit.described(session, audit.trail(session, "WC-1"))
        stored = session.scalars(select(AuditEvent.actor).order_by(AuditEvent.id)).all()
    assert [(e.actor, e.who, e.detail) for e in shown] == [
        (f"connector:{jo}", f"Jo Smith (connector {jo})", ""),
        ("worker", "the worker", f"Al Left (connector {gone}) by sms, step 0"),  # deactivated since: still named
    ]
    assert stored == [f"connector:{jo}", "worker"]


def test_a_detail_names_only_what_reads_as_a_connector() -> None:
    names = {3: "Jo Bloggs"}
    assert audit.describe_detail("reassigned from connector:3 to connector:12", names) == \
        "reassigned from Jo Bloggs (connector 3) to connector 12"
    assert audit.describe_detail("recipient sms:connector:3x; api:connector:3", names) == "recipient sms:connector:3x; api:connector:3"
