"""What the console gives away, over plain HTTP against a real `python -m web` on SQLite and on PostgreSQL
started mid key rotation (PHONE_HASH_KEY new, the old one in PHONE_HASH_KEY_PREVIOUS):
- the manager's erase finds a resident under every sender id their number has, the old key's too, and
  says so when nothing is held rather than showing an erasure reference for nobody;
- a case that is not yours to see answers exactly as a reference that does not exist, on every route
  that takes a reference, so the console does not tell who is signed in which references are real.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from casework.cases.caseload import access
from casework.cases.models import AuditEvent, Case, CaseNote
from casework.models import Resident
from casework.privacy.models import Erasure
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.records import touch_resident
from tests.web.console_server import KEYS, ConsoleServer, console_server, postgres_schema
from tests.web.test_console_http import Client

OLD_KEY, NEW_KEY = KEYS["PHONE_HASH_KEY"], "console-test-hash-after-the-rotation"
ROTATION = {"PHONE_HASH_KEY": NEW_KEY, "PHONE_HASH_KEY_PREVIOUS": OLD_KEY}
JO = ("07700 900201", "jo covers the CH41 patch")
DI = ("07700 900202", "di covers the CH43 patch")
MO = ("07700 900203", "mo manages everyone here")
# Every route that takes a reference, with a form good enough to get past its own checks.
CASE_POSTS = {
    "acknowledge": {},
    "assign": {"connector": "1"},
    "plan": {"at": "2026-12-24T10:30"},
    "visit": {"text": "knocked, no answer"},
    "note": {"text": "rang, no answer"},
    "close": {"outcome": "duplicate", "text": "closing it"},
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp(f"console-privacy-{request.param}")

    def rotated(running: ConsoleServer) -> ConsoleServer:
        # The test's own settings as the server's: connectors are hashed under the new key, as it signs in.
        settings = dataclasses.replace(running.settings, phone_hash_key=NEW_KEY, phone_hash_key_previous=(OLD_KEY,))
        return dataclasses.replace(running, settings=settings)

    if request.param == "sqlite":
        with console_server(folder, f"sqlite:///{folder / 'app.db'}", **ROTATION) as running:
            yield rotated(running)
        return
    with postgres_schema() as url, console_server(folder, url, **ROTATION) as running:
        yield rotated(running)


@pytest.fixture(scope="module")
def people(server: ConsoleServer) -> dict[str, int]:
    return {"jo": server.add("Jo Patch", JO[0], JO[1], patch="CH41"), "di": server.add("Di Elsewhere", DI[0], DI[1], patch="CH43"),
            "mo": server.add("Mo Manager", MO[0], MO[1], role="manager")}


def signed_in(server: ConsoleServer, who: tuple[str, str]) -> Client:
    client = Client(server)
    status, _, _ = client.sign_in(*who)
    assert status == 303
    return client


def erasures(server: ConsoleServer) -> int:
    with server.sessions() as session:
        return session.scalar(select(func.count()).select_from(Erasure)) or 0


def test_the_console_erases_a_resident_known_only_under_the_old_key(server, people):
    number = "+447700900777"
    old_sender = sms_sender_id(number, key=OLD_KEY)
    with server.sessions.begin() as session:
        touch_resident(session, sender_id=old_sender, channel="sms", phone_encrypted=PhoneVault.for_settings(server.settings).seal(number))
    reference = server.crisis(sender=old_sender, area="CH41", words="i want to end it all tonight")
    with server.sessions() as session:
        assert session.scalars(select(Case.sender_id).where(Case.reference == reference)).one() == old_sender
    manager = signed_in(server, MO)
    before = erasures(server)

    status, page, _ = manager.send("/console/residents/erase", {"csrf": manager.csrf(), "phone": "07700 900777", "confirm": "ERASE"})

    assert status == 200 and "Erased. Reference" in page, page[-2000:]
    with server.sessions() as session:
        assert session.scalars(select(Resident.id).where(Resident.sender_id == old_sender)).first() is None
        assert session.scalars(select(Case.id).where(Case.sender_id == old_sender)).all() == []
        assert session.scalars(select(Erasure.residents).order_by(Erasure.id.desc())).first() == 2, "the new key's id and the old one's"
    assert erasures(server) == before + 1


def test_erasing_a_number_nobody_holds_says_so_and_makes_no_erasure(server, people):
    manager = signed_in(server, MO)
    before = erasures(server)

    status, page, _ = manager.send("/console/residents/erase", {"csrf": manager.csrf(), "phone": "07700 900888", "confirm": "ERASE"})

    assert status == 404
    assert "We hold nothing about that number. Nothing was erased." in page
    assert "Erased" not in page and "Reference" not in page
    assert erasures(server) == before
    with server.sessions() as session:
        assert session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "nothing_to_erase")).all() == [f"connector:{people['mo']}"]


def _alike(page: str, reference: str) -> str:
    return page.replace(reference, "<reference>")


def _headers(headers: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items() if name.lower() != "date"}


def test_a_case_not_yours_to_see_answers_as_a_reference_that_does_not_exist(server, people):
    reference = server.crisis(sender="sms:privacy-not-di", area="CH41")
    made_up = reference.split("-")[0] + "-00000"
    with server.sessions() as session:
        assert not access(session, reference=reference, connector_id=people["di"]).may_see, "CH41 is Jo's patch, not Di's"
        assert session.scalars(select(Case.id).where(Case.reference == made_up)).first() is None
    di = signed_in(server, DI)

    hidden_status, hidden, hidden_headers = di.send(f"/console/cases/{reference}")
    missing_status, missing, missing_headers = di.send(f"/console/cases/{made_up}")
    assert (hidden_status, missing_status) == (404, 404)
    assert _alike(hidden, reference) == _alike(missing, made_up)
    assert _headers(hidden_headers) == _headers(missing_headers)

    token = di.csrf()
    for action, form in CASE_POSTS.items():
        hidden_status, hidden, _ = di.send(f"/console/cases/{reference}/{action}", {**form, "csrf": token})
        missing_status, missing, _ = di.send(f"/console/cases/{made_up}/{action}", {**form, "csrf": token})
        assert (hidden_status, missing_status) == (404, 404), action
        assert _alike(hidden, reference) == _alike(missing, made_up), action

    with server.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert (case.owner_id, case.acknowledged_by_id, case.visit_planned_for, case.visited_at, case.closed_at) == (None,) * 5
        assert session.scalars(select(CaseNote).where(CaseNote.case_id == case.id)).all() == []
        refusals = session.scalars(select(AuditEvent.actor).where(AuditEvent.case_reference == reference,
                                                                  AuditEvent.action == "refused")).all()
        assert refusals == [f"connector:{people['di']}"] * (1 + len(CASE_POSTS)), "each look is still in the audit trail"


def test_someone_who_may_see_a_case_but_not_change_it_is_still_told_no(server, people):
    reference = server.crisis(sender="sms:privacy-seen", area="CH41")
    manager, jo = signed_in(server, MO), signed_in(server, JO)
    assert manager.send(f"/console/cases/{reference}/acknowledge", {"csrf": manager.csrf()})[0] == 303  # Mo owns it now
    assert jo.send(f"/console/cases/{reference}")[0] == 200, "Jo's patch: Jo may read it"
    status, page, _ = jo.send(f"/console/cases/{reference}/assign", {"csrf": jo.csrf(), "connector": str(people["jo"])})
    assert status == 403 and "That was not allowed" in page
    assert jo.send(f"/console/cases/{reference}/note", {"csrf": jo.csrf(), "text": "spoke to a neighbour"})[0] == 303
