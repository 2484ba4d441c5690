"""The volunteers' console pages over plain HTTP, against a real `python -m web` on SQLite and on
PostgreSQL: the same doors as every console page (signed in, same origin, the session's CSRF token),
managers alone record checks and approve, a volunteer outside a connector's patch is no such volunteer,
and opening a volunteer's page is audited."""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from casework.cases.models import AuditEvent, Volunteer, VolunteerCheck
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.texting import sender_for_number
from casework.outbox.messages import OutboxMessage
from tests.web.console_server import ConsoleServer, console_server, postgres_schema
from tests.web.test_console_http import Client

JO_PHONE, CAT_PHONE, MO_PHONE = "07700 900001", "07700 900002", "07700 900100"
JO_PASSWORD, CAT_PASSWORD, MO_PASSWORD = "jo rings the volunteers", "cat covers birkenhead", "mo manages the volunteers"  # noqa: S105


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp(f"console-volunteers-{request.param}")
    if request.param == "sqlite":
        with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
            yield running
        return
    with postgres_schema() as url, console_server(folder, url) as running:
        yield running


@pytest.fixture(scope="module")
def people(server: ConsoleServer) -> dict[str, int]:
    return {"jo": server.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44"),
            "cat": server.add("Cat Birkenhead", CAT_PHONE, CAT_PASSWORD, patch="CH41"),
            "mo": server.add("Mo Manager", MO_PHONE, MO_PASSWORD, role="manager")}


def volunteer(server: ConsoleServer, number: str, *, area: str, roles: tuple[str, ...] = ("visits",)) -> str:
    with server.sessions.begin() as session:
        sender = sender_for_number(session, number, server.settings)
        return sign_up_volunteer(session, offer=VolunteerOffer("Margaret Quillby", "Wallasey", area, "weekday mornings", roles, "sms", sender),
                                 settings=server.settings).reference


def page_of(reference: str) -> str:
    return f"/console/volunteers/{reference}"


def test_a_connector_moves_a_volunteer_to_training_and_a_manager_approves(server, people):
    reference = volunteer(server, "+447700900701", area="CH44")
    jo, mo = Client(server), Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    mo.sign_in(MO_PHONE, MO_PASSWORD)

    status, listing, _ = jo.send("/console/volunteers?state=applied")
    assert status == 200 and reference in listing and "Margaret" not in listing, "the list shows nothing private"
    status, page, _ = jo.send(page_of(reference))
    assert status == 200 and "Margaret Quillby" in page and "tel:+447700900701" in page
    assert "Record checks" not in page and "Move to training" in page, "checks are a manager's"
    with server.sessions() as session:
        read = session.scalars(select(AuditEvent).where(AuditEvent.action == "volunteer_read", AuditEvent.case_reference == reference)).all()
        assert [e.actor for e in read] == [f"connector:{people['jo']}"]

    token = jo.csrf(page_of(reference))
    status, _, headers = jo.send(page_of(reference) + "/training", {"csrf": token})
    assert status == 303 and headers["Location"] == page_of(reference) + "?done=training_started"
    status, _, _ = jo.send(page_of(reference) + "/approve", {"csrf": token})
    assert status == 403, "approving is a manager's"

    token = mo.csrf(page_of(reference))
    status, page, _ = mo.send(page_of(reference) + "/checks", {"csrf": token, "references_seen": "31 2 2026"})
    assert status == 400 and "has no such day" in page
    status, _, headers = mo.send(page_of(reference) + "/checks", {"csrf": token, "references_seen": "2 11 2026"})
    assert headers["Location"].endswith("?done=checks_recorded")
    status, page, _ = mo.send(page_of(reference) + "/approve", {"csrf": token})
    assert status == 409 and "Record their DBS check first." in page, "visits need a DBS check"
    mo.send(page_of(reference) + "/checks", {"csrf": token, "dbs_seen": "3/11/2026"})
    status, _, headers = mo.send(page_of(reference) + "/approve", {"csrf": token})
    assert headers["Location"].endswith("?done=volunteer_approved")
    status, _, headers = mo.send(page_of(reference) + "/trained", {"csrf": token})
    assert headers["Location"].endswith("?done=volunteer_ready")
    with server.sessions() as session:
        ready = session.scalars(select(Volunteer).where(Volunteer.reference == reference)).one()
        assert (ready.state, ready.state_changed_by, ready.approved_by) == ("ready", f"connector:{people['mo']}", f"connector:{people['mo']}")
        assert {c.kind for c in session.scalars(select(VolunteerCheck).where(VolunteerCheck.volunteer_id == ready.id))} == {"references", "dbs"}
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "training")).first() is not None


def test_every_volunteer_form_checks_origin_token_and_sign_in_first(server, people):
    reference = volunteer(server, "+447700900702", area="CH44")
    client = Client(server)
    assert client.send(page_of(reference) + "/promote", {"csrf": "x"}, origin="https://evil.example")[0] == 404
    for action in ("details", "training", "checks", "approve", "trained", "pause", "resume", "left"):
        status, page, _ = client.send(page_of(reference) + f"/{action}", {"csrf": "x"}, origin="https://evil.example")
        assert status == 403 and "did not come from this console" in page, action
        status, _, headers = client.send(page_of(reference) + f"/{action}", {"csrf": "x"})
        assert status == 303 and headers["Location"] == "/console/login?" + urllib.parse.urlencode({"next": page_of(reference)}), action
    client.sign_in(JO_PHONE, JO_PASSWORD)
    token = client.csrf(page_of(reference))
    for form, origin in (({}, "own"), ({"csrf": token[:-2] + "xx"}, "own"), ({"csrf": token}, None)):
        assert client.send(page_of(reference) + "/pause", form, origin=origin)[0] == 403
    with server.sessions() as session:
        assert session.scalars(select(Volunteer.state).where(Volunteer.reference == reference)).one() == "applied"


def test_a_volunteer_outside_the_patch_is_no_such_volunteer(server, people):
    birkenhead = volunteer(server, "+447700900703", area="CH41")  # told to Cat
    jo = Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    assert jo.send(page_of(birkenhead))[0] == 404
    assert jo.send(page_of(birkenhead) + "/pause", {"csrf": jo.csrf()})[0] == 404
    assert jo.send(page_of("GN-00000"))[0] == 404
    assert birkenhead not in jo.send("/console/volunteers")[1]
    with server.sessions() as session:
        refused = session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "volunteer_refused",
                                                                 AuditEvent.case_reference == birkenhead)).all()
        assert refused == [f"connector:{people['jo']}"] * 2
        assert session.scalars(select(Volunteer.state).where(Volunteer.reference == birkenhead)).one() == "applied"


def test_leaving_needs_its_tick(server, people):
    reference = volunteer(server, "+447700900704", area="CH44")
    jo = Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    token = jo.csrf(page_of(reference))
    status, page, _ = jo.send(page_of(reference) + "/left", {"csrf": token})
    assert status == 400 and "Yes, they have left" in page
    status, _, headers = jo.send(page_of(reference) + "/left", {"csrf": token, "confirm": "yes"})
    assert headers["Location"].endswith("?done=volunteer_left")
    status, page, _ = jo.send(page_of(reference))
    assert "Move to training" not in page and "Left" in page
