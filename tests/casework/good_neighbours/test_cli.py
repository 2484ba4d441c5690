"""The fixed interface other tools rely on, run as a process: `python -m casework volunteers approve --phone
E164` records the checks the volunteer's offer needs and approves them; `volunteers trained --phone E164`
records their training complete; the volunteer found by the number, which is never stored in the clear."""
from __future__ import annotations

import dataclasses
import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.cases.models import AuditEvent, Volunteer, VolunteerCheck
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import local_today
from casework.good_neighbours.texting import sender_for_number
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import ROOT, load_settings

KEYS = {"PHONE_HASH_KEY": "cli-volunteer-hash", "PHONE_ENCRYPTION_KEY": "cli-volunteer-encryption", "WEBCHAT_SECRET": "cli-volunteer-web"}
DRIVER = "07700 900444"  # texted the sign-up
WEB_HELPER = "+447700900445"  # left this number in web chat


@pytest.fixture
def deployment(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(database)
    upgrade_engine(engine)
    env = {**os.environ, **KEYS, "DATABASE_URL": database, "ENVIRONMENT": "test", "VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT),
           "OUTBOX_PATH": str(tmp_path / "outbox.log")}
    settings = dataclasses.replace(load_settings(), database_url=database, phone_hash_key=KEYS["PHONE_HASH_KEY"],
                                   phone_encryption_key=KEYS["PHONE_ENCRYPTION_KEY"], outbox_path=tmp_path / "outbox.log")
    yield env, settings, make_sessionmaker(engine)
    engine.dispose()


def volunteers(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casework", "volunteers", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_approve_and_trained_by_phone(deployment):
    env, settings, sessions = deployment
    with sessions.begin() as session:
        sender = sender_for_number(session, "+447700900444", settings)
        driver = sign_up_volunteer(session, offer=VolunteerOffer("Pat", "Wallasey", "CH44", "evenings", ("driving",), "sms", sender),
                                   settings=settings).reference
        helper = sign_up_volunteer(session, offer=VolunteerOffer("Ravi", "Margate", "CT9", "saturdays", ("group_helper",), "webchat",
                                                                 "web:ravi", contact="07700 900445"), settings=settings).reference

    approved = volunteers(env, "approve", "--phone", DRIVER)
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.strip() == f"{driver}: checks recorded as seen today: references, dbs; approved; applied (ready once their training is complete)"
    trained = volunteers(env, "trained", "--phone", "+447700900444")
    assert trained.returncode == 0, trained.stderr
    assert trained.stdout.strip() == f"{driver}: training complete; ready"

    assert volunteers(env, "trained", "--phone", WEB_HELPER).stdout.strip() == f"{helper}: training complete; applied (ready once approved)"
    assert volunteers(env, "approve", "--phone", WEB_HELPER).stdout.strip() == f"{helper}: checks recorded as seen today: references; approved; ready"
    again = volunteers(env, "approve", "--phone", WEB_HELPER)
    assert again.returncode == 0 and again.stdout.strip() == f"{helper}: approved; ready", "running it twice changes nothing"

    listed = volunteers(env, "list", "--state", "ready").stdout
    assert driver in listed and helper in listed and "Pat" not in listed
    # The references are five random digits (GN-41444), so only the whole local number says a number leaked.
    assert "900444" not in listed and "900445" not in listed, "no volunteer's number is listed in any form"
    with sessions() as session:
        assert {v.reference: v.state for v in session.scalars(select(Volunteer))} == {driver: "ready", helper: "ready"}
        assert {c.seen_on for c in session.scalars(select(VolunteerCheck))} == {local_today(settings)}
        actors = set(session.scalars(select(AuditEvent.actor).where(AuditEvent.case_reference == driver)))
    assert f"cli:{getpass.getuser()}" in actors


def test_a_number_that_is_no_volunteer_is_refused(deployment):
    env, _, _ = deployment
    nobody = volunteers(env, "approve", "--phone", "07700 900446")
    assert nobody.returncode == 2 and "no volunteer" in nobody.stderr
    assert volunteers(env, "trained", "--phone", "not a number").returncode == 2
