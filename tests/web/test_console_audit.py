"""The console's audit log names people (and keeps their connector number) and the service's own parts
in words, against a real `python -m web` on SQLite; the audit table still holds the ids."""
from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from casework.cases import audit
from casework.cases.models import AuditEvent, Connector
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_http import Client

JO = ("07700 900301", "jo reads the cases in CH41")
MO = ("07700 900302", "mo manages the whole team")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder: Path = tmp_path_factory.mktemp("console-audit")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
        yield running


def test_the_audit_log_shows_who_by_name_and_number(server: ConsoleServer) -> None:
    jo = server.add("Jo Bloggs", JO[0], JO[1], patch="CH41")
    server.add("Mo Manager", MO[0], MO[1], role="manager")
    reference = server.crisis(sender="sms:audit-names")
    reader = Client(server)
    reader.sign_in(*JO)
    assert reader.send(f"/console/cases/{reference}")[0] == 200  # reading a case is audited under Jo's id
    with server.sessions.begin() as session:
        audit.record(session, actor="api:crm", action="read", case_reference=reference)
        audit.record(session, actor="worker", action="escalated", case_reference=reference)
    manager = Client(server)
    manager.sign_in(*MO)

    status, page, _ = manager.send(f"/console/audit?reference={reference}")
    shown = html.unescape(page)
    assert status == 200
    for words in (f"by Jo Bloggs (connector {jo})", "by the API token 'crm'", "by the worker"):
        assert words in shown, words
    assert f"connector:{jo}" not in shown

    with server.sessions.begin() as session:  # a name corrected later: the page follows, the record does not change
        session.execute(update(Connector).where(Connector.id == jo).values(name="Jo Smith"))
    shown = html.unescape(manager.send(f"/console/audit?reference={reference}")[1])
    assert f"by Jo Smith (connector {jo})" in shown and "Jo Bloggs" not in shown
    with server.sessions() as session:
        actors = set(session.scalars(select(AuditEvent.actor).where(AuditEvent.case_reference == reference)))
    assert f"connector:{jo}" in actors and not any("Jo" in actor for actor in actors)
