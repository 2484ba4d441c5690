"""Groups people start themselves, over real HTTP against `python -m web` (no Rasa) on SQLite: the public
form (good, bad, from another site), the console's decisions (signed in, same origin, the session's CSRF
token), the private change link, and the Open Referral API showing an approved group with who approved it
and when, and never a declined one."""
from __future__ import annotations

import json
import re
import secrets
import urllib.parse
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from casework.outbox.messages import OutboxMessage
from casework.proposed_groups.models import ProposedGroup
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_http import Client

JO_PHONE, CAT_PHONE = "07700 900001", "07700 900002"
JO_PASSWORD, CAT_PASSWORD = "jo approves the groups", "cat covers birkenhead"  # noqa: S105
REFERENCE = re.compile(r'id="reference">(GP-\d{5})<')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("groups-http")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}", GROUP_RATE_LIMIT="3,20") as running:
        running.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44")
        running.add("Cat Birkenhead", CAT_PHONE, CAT_PASSWORD, patch="CH41")
        yield running


def group_fields(**changes: str) -> list[tuple[str, str]]:
    fields = {"name": "Liscard Walking Football", "description": "Gentle walking football for over 60s. No running, no tackles, tea after.",
              "venue": "Central Park pitches", "address": "Central Park Avenue", "town": "Wallasey", "postcode": "CH44 5TN",
              "frequency": "weekly", "start_time": "2pm", "end_time": "3.30pm", "cost": "£2", "contact": "0151 496 0888",
              "publish": "yes", "proposer_name": "Dave Roberts", "proposer_role": "organiser", "proposer_contact": "07700 900655",
              "form_id": secrets.token_urlsafe(18), **changes}
    days = fields.pop("days", "Wednesday")
    return [*fields.items(), *(("days", day) for day in days.split(",") if day)]


def propose(server: ConsoleServer, fields: list[tuple[str, str]], *, origin: str | None = "own") -> tuple[int, str]:
    status, body, _ = Client(server).send("/groups/new", fields, origin=origin)  # type: ignore[arg-type]  # pairs: days repeat
    return status, body


def api(server: ConsoleServer, path: str) -> dict:
    status, body, _ = Client(server).send(path)
    assert status == 200, body[:300]
    return json.loads(body)


def test_the_form_is_a_page_without_script(server: ConsoleServer) -> None:
    status, body, headers = Client(server).send("/groups/new")
    assert status == 200 and 'name="form_id"' in body and "<script" not in body
    assert "script-src" not in headers["Content-Security-Policy"] and headers["Cache-Control"] == "no-store"


def test_a_good_group_is_kept_and_shown_nowhere_until_approved(server: ConsoleServer) -> None:
    status, body = propose(server, group_fields())
    assert status == 200, body[:500]
    reference = REFERENCE.search(body)[1]  # type: ignore[index]
    with server.sessions() as session:
        assert session.scalars(select(ProposedGroup.state).where(ProposedGroup.reference == reference)).one() == "proposed"
    assert api(server, "/openreferral/services?search=walking")["contents"] == []


def test_mistakes_are_explained_beside_each_field_and_what_was_good_is_kept(server: ConsoleServer) -> None:
    status, body = propose(server, group_fields(name="", postcode="ZZ99 9ZZ", end_time="1pm", proposer_contact="not a number", days=""))
    assert status == 400
    for said in ("Tell us the group&#39;s name", "We could not find that postcode", "The end time must be after the start time",
                 "Enter a phone number like 07700 900123", "Choose the day or days it meets"):
        assert said in body, said
    assert 'value="Central Park Avenue"' in body and 'value="Dave Roberts"' in body and "Gentle walking football" in body
    assert 'id="postcode" name="postcode" value="ZZ99 9ZZ"' in body and 'aria-invalid="true"' in body
    with server.sessions() as session:
        assert session.scalars(select(ProposedGroup).where(ProposedGroup.area.is_(None))).all() == []


def test_a_form_posted_from_another_site_keeps_nothing(server: ConsoleServer) -> None:
    with server.sessions() as session:
        before = len(session.scalars(select(ProposedGroup.id)).all())
    for origin in ("https://evil.example", None):
        status, body = propose(server, group_fields(name="Forged group"), origin=origin)
        assert status == 403 and "send the form again from this page" in body
    with server.sessions() as session:
        assert len(session.scalars(select(ProposedGroup.id)).all()) == before


def test_the_same_form_sent_twice_is_one_proposal(server: ConsoleServer) -> None:
    fields = group_fields(name="Twice sent club")
    first, second = propose(server, fields), propose(server, fields)
    assert REFERENCE.search(first[1])[1] == REFERENCE.search(second[1])[1]  # type: ignore[index]


def sent_reference(body: str) -> str:
    found = REFERENCE.search(body)
    assert found, body[:500]
    return found[1]


def test_a_connector_approves_and_the_open_referral_api_shows_it_with_its_approval(server: ConsoleServer) -> None:
    reference = sent_reference(propose(server, group_fields(name="Seacombe Walking Netball", description="Walking netball, all abilities"))[1])
    jo, cat = Client(server), Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    cat.sign_in(CAT_PHONE, CAT_PASSWORD)
    status, listing, _ = jo.send("/console/groups?state=proposed")
    assert status == 200 and reference in listing and "Seacombe Walking Netball" in listing and "Dave" not in listing
    assert cat.send(f"/console/groups/{reference}")[0] == 404, "not in Cat's patch: no such group"
    status, page, _ = jo.send(f"/console/groups/{reference}")
    assert status == 200 and "Dave Roberts" in page and "tel:07700900655" in page

    path = f"/console/groups/{reference}/approve"
    token = jo.csrf(f"/console/groups/{reference}")
    assert jo.send(path, {"csrf": "guessed"})[0] == 403
    assert jo.send(path, {"csrf": token}, origin="https://evil.example")[0] == 403
    assert api(server, "/openreferral/services?search=netball")["contents"] == []
    status, _, headers = jo.send(path, {"csrf": token})
    assert status == 303 and headers["Location"] == f"/console/groups/{reference}?done=group_approved"

    [service] = api(server, "/openreferral/services?search=netball")["contents"]
    assert service["name"] == "Seacombe Walking Netball" and service["assurer_email"] == "jo@council.example"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", service["assured_date"])
    one = api(server, f"/openreferral/services/{service['id']}")
    assert one["schedules"][0]["byday"] == "WE" and one["schedules"][0]["opens_at"].startswith("14:00")
    status, page, _ = jo.send(f"/console/groups/{reference}?done=group_approved")
    assert "The group is approved" in page and "Approved</dt>" in page and "Jo Wallasey (connector" in page
    assert jo.send(path, {"csrf": token})[0] == 409, "approved already"


def test_a_declined_group_is_never_in_the_api(server: ConsoleServer) -> None:
    reference = sent_reference(propose(server, group_fields(name="Dubious Crypto Club", description="Invest together"))[1])
    jo = Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    token = jo.csrf(f"/console/groups/{reference}")
    status, page, _ = jo.send(f"/console/groups/{reference}/decline", {"csrf": token, "note": "Selling, not a group"})
    assert status == 400 and "Nothing was changed" in page, "declining needs the tick"
    status, _, headers = jo.send(f"/console/groups/{reference}/decline", {"csrf": token, "note": "Selling, not a group", "confirm": "yes"})
    assert headers["Location"].endswith("?done=group_declined")
    assert api(server, "/openreferral/services?search=crypto")["contents"] == []
    assert all(s["name"] != "Dubious Crypto Club" for s in api(server, "/openreferral/services?per_page=100")["contents"])


def test_asking_for_changes_sends_a_link_to_the_form_filled_in(server: ConsoleServer) -> None:
    reference = sent_reference(propose(server, group_fields(name="Egremont Chess Club", description="Chess and chat"))[1])
    jo = Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    token = jo.csrf(f"/console/groups/{reference}")
    status, page, _ = jo.send(f"/console/groups/{reference}/changes", {"csrf": token, "note": ""})
    assert status == 400 and "say what should change" in page.lower()
    status, _, headers = jo.send(f"/console/groups/{reference}/changes", {"csrf": token, "note": "Which room in the park?"})
    assert headers["Location"].endswith("?done=group_changes_asked_sms")
    with server.sessions() as session:
        text = session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "group_changes")
                               .order_by(OutboxMessage.id.desc())).first()
    assert text and reference in text
    link = urllib.parse.urlsplit(text.split()[-1]).path
    visitor = Client(server)
    status, page, _ = visitor.send(link)
    assert status == 200 and "Which room in the park?" in page and 'value="Egremont Chess Club"' in page
    fields = [(k, v) for k, v in group_fields(name="Egremont Chess Club", venue="The park cafe, back room") if k != "form_id"]
    assert visitor.send(link, fields, origin="https://evil.example")[0] == 403  # type: ignore[arg-type]
    status, page, _ = visitor.send(link, fields)  # type: ignore[arg-type]
    assert status == 200 and reference in page and "Your changes have been sent" in page
    assert visitor.send(link)[0] == 404, "the link works once"
    status, page, _ = jo.send(f"/console/groups/{reference}")
    assert "The park cafe, back room" in page and "Waiting for a decision" in page
