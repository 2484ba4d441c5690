"""The fixed interface, as checks outside the suite use it: `python -m casework ...` run as a process,
and the JSON API of the web app (started as `python -m web` on a free port) with the token it printed."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.cases.acknowledgement import handle_connector_message
from casework.cases.models import ApiToken, AuditEvent, Connector
from casework.cases.opening import Reason, open_case
from casework.residents.identity import phone_hash
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import ROOT, load_settings
from tests.service_stack import web_alone

KEYS = {"PHONE_HASH_KEY": "cli-test-hash", "PHONE_ENCRYPTION_KEY": "cli-test-encryption", "WEBCHAT_SECRET": "cli-test-web"}


@pytest.fixture
def deployment(tmp_path: Path) -> dict:
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(database)
    upgrade_engine(engine)
    engine.dispose()
    env = {**os.environ, **KEYS, "DATABASE_URL": database, "ENVIRONMENT": "test", "VAR_DIR": str(tmp_path),
           "PYTHONPATH": str(ROOT), "OUTBOX_PATH": str(tmp_path / "outbox.log")}
    settings = dataclasses.replace(load_settings(), database_url=database, phone_hash_key=KEYS["PHONE_HASH_KEY"],
                                   phone_encryption_key=KEYS["PHONE_ENCRYPTION_KEY"], outbox_path=tmp_path / "outbox.log",
                                   extra={"CRISIS_SPOOL_PATH": str(tmp_path / "spool.jsonl")})
    return {"env": env, "settings": settings, "sessions": make_sessionmaker(make_engine(database))}


def casework(deployment: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casework", *args], env=deployment["env"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def web(deployment: dict) -> Iterator[str]:
    """The web app alone (no Rasa) on the deployment's database, folder and keys; a loopback development
    service, as the CLI's (no PUBLIC_BASE_URL)."""
    folder = Path(deployment["env"]["VAR_DIR"])
    with web_alone(folder, {**KEYS, "DATABASE_URL": deployment["env"]["DATABASE_URL"], "PUBLIC_BASE_URL": None}) as stack:
        yield stack.web_url


def get(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_connectors_are_added_and_listed_masked(deployment):
    added = casework(deployment, "connectors", "add", "--name", "Jo Bloggs", "--phone", "+447700900123", "--email",
                     "jo@council.example", "--patch", "CH41 CH42")
    assert added.returncode == 0, added.stderr
    assert "Jo Bloggs" in added.stdout and "***123" in added.stdout and "7700900123" not in added.stdout
    manager = casework(deployment, "connectors", "add", "--name", "Mo Manager", "--phone", "07700 900124", "--email",
                       "mo@council.example", "--patch", "CH41", "--role", "manager")
    assert manager.returncode == 0, manager.stderr
    again = casework(deployment, "connectors", "add", "--name", "Jo Again", "--phone", "07700900123", "--email",
                     "jo2@council.example", "--patch", "CH41")
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong = casework(deployment, "connectors", "add", "--name", "X", "--phone", "+447700900125", "--email", "x@y.z",
                     "--patch", "CH41", "--role", "boss")
    assert wrong.returncode == 2
    listed = casework(deployment, "connectors", "list")
    assert listed.returncode == 0
    assert [line.split()[1] for line in listed.stdout.splitlines()] == ["Jo", "Mo"]
    assert "***123" in listed.stdout and "7700900123" not in listed.stdout and "900124" not in listed.stdout
    with deployment["sessions"]() as session:
        rows = session.scalars(select(Connector).order_by(Connector.id)).all()
        assert [(r.role, r.patch) for r in rows] == [("connector", "CH41 CH42"), ("manager", "CH41")]
        assert rows[0].phone_hash == phone_hash("+447700900123", key=KEYS["PHONE_HASH_KEY"])


def test_a_shift_is_added_in_local_time(deployment):
    casework(deployment, "connectors", "add", "--name", "Jo Bloggs", "--phone", "+447700900123", "--email",
             "jo@council.example", "--patch", "CH41")
    shift = casework(deployment, "rota", "add", "--connector", "1", "--from", "2026-07-01 09:00", "--to", "2026-07-01 17:00")
    assert shift.returncode == 0, shift.stderr
    assert "Wed 01 Jul 09:00 to Wed 01 Jul 17:00" in shift.stdout  # shown back in London time (BST)
    assert casework(deployment, "rota", "add", "--connector", "9", "--from", "2026-07-01 09:00", "--to",
                    "2026-07-01 17:00").returncode == 2


def test_the_tokens_last_line_opens_the_api(deployment, web):
    settings, sessions = deployment["settings"], deployment["sessions"]
    for args in (("--name", "Jo Bloggs", "--phone", "+447700900123", "--email", "jo@council.example", "--patch", "CH41"),
                 ("--name", "Mo Manager", "--phone", "+447700900124", "--email", "mo@council.example", "--role", "manager")):
        assert casework(deployment, "connectors", "add", *args).returncode == 0
    created = casework(deployment, "tokens", "create", "--name", "council crm", "--scope", "cases")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    with sessions() as session:
        assert token not in repr(session.scalars(select(ApiToken.token_sha256)).all())
    with sessions.begin() as session:
        opened = open_case(session, sender_id="sms:resident", area="CH41 5AB", priority="urgent",
                           reasons=[Reason("suicidal", "suicidal:end_it", "SM1", "i want to end it all")],
                           lawful_basis="vital_interests", settings=settings)
    reference = opened.reference

    assert get(f"{web}/api/cases/{reference}")[0] == 401
    assert get(f"{web}/api/cases/{reference}", "cc_not-a-token")[0] == 401
    assert get(f"{web}/api/cases", "cc_not-a-token")[0] == 401
    assert get(f"{web}/api/cases/WC-1", token)[0] == 404

    status, case = get(f"{web}/api/cases/{reference}", token)
    assert status == 200
    assert {k: case[k] for k in ("reference", "state", "priority", "area", "acknowledged_by")} == {
        "reference": reference, "state": "new", "priority": "urgent", "area": "CH41", "acknowledged_by": None}
    assert [(a["to"], a["channel"], a["state"], a["acknowledged_at"]) for a in case["alerts"]] == [
        ("Jo Bloggs", "sms", "queued", None), ("Jo Bloggs", "email", "queued", None)]
    assert all(a["created_at"] for a in case["alerts"])
    assert "end it" not in json.dumps(case)

    with sessions.begin() as session:  # Jo texts back
        reply = handle_connector_message(session, phone_hash=phone_hash("+447700900123", key=KEYS["PHONE_HASH_KEY"]),
                                         text=f"ack {reference.lower()}", settings=settings)
    assert reply is not None and reply.acknowledged
    status, case = get(f"{web}/api/cases/{reference.lower().replace('-', '')}", token)
    assert status == 200 and case["state"] == "acknowledged" and case["acknowledged_by"] == "Jo Bloggs"
    assert {a["state"] for a in case["alerts"]} == {"acknowledged"} and all(a["acknowledged_at"] for a in case["alerts"])
    assert ("api:council crm", "viewed") in {(e["actor"], e["action"]) for e in case["history"]}

    status, listing = get(f"{web}/api/cases?state=acknowledged", token)
    assert status == 200 and [c["reference"] for c in listing["cases"]] == [reference]
    assert get(f"{web}/api/cases?state=lost", token)[0] == 400

    assert casework(deployment, "tokens", "revoke", "--name", "council crm").returncode == 0
    assert get(f"{web}/api/cases/{reference}", token)[0] == 401


def test_a_token_reads_only_what_its_scope_allows(deployment, web):
    """Finding: a token made for /api/outcomes read /api/cases too."""
    refused = casework(deployment, "tokens", "create", "--name", "no scope")
    assert refused.returncode != 0 and "cases" in refused.stderr and "outcomes" in refused.stderr
    assert casework(deployment, "tokens", "create", "--name", "odd", "--scope", "everything").returncode != 0
    with deployment["sessions"]() as session:
        assert session.scalars(select(ApiToken)).all() == []  # nothing made by either refusal
    figures = casework(deployment, "tokens", "create", "--name", "commissioners", "--scope", "outcomes").stdout.strip().splitlines()[-1]
    crm = casework(deployment, "tokens", "create", "--name", "crm", "--scope", "cases").stdout.strip().splitlines()[-1]
    both = casework(deployment, "tokens", "create", "--name", "both", "--scope", "cases", "--scope", "outcomes").stdout.strip().splitlines()[-1]
    with deployment["sessions"].begin() as session:
        reference = open_case(session, sender_id="sms:resident", area="CH41 5AB", priority="routine",
                              reasons=[Reason("isolated", "isolated:no_one", "SM1", "no one")],
                              lawful_basis="legitimate_interests", settings=deployment["settings"]).reference

    for url in (f"{web}/api/cases", f"{web}/api/cases/{reference}"):
        status, body = get(url, figures)
        assert status == 403 and "cases" in body["error"]
        assert get(url, crm)[0] == 200 and get(url, both)[0] == 200
    status, body = get(f"{web}/api/outcomes", crm)
    assert status == 403 and "outcomes" in body["error"]
    assert get(f"{web}/api/outcomes", figures)[0] == 200 and get(f"{web}/api/outcomes", both)[0] == 200

    listed = casework(deployment, "tokens", "list").stdout
    assert "commissioners" in listed and "outcomes" in listed and "cases,outcomes" in listed
    with deployment["sessions"]() as session:
        events = {(e.actor, e.action) for e in session.scalars(select(AuditEvent))}
    assert ("api:commissioners", "refused") in events and ("api:crm", "refused") in events
    assert ("api:commissioners", "viewed") not in events and ("api:commissioners", "listed") not in events
