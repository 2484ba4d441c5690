"""GET /api/outcomes and the console's outcomes pages and door-knock form over plain HTTP, against a real
`python -m web` on SQLite and on PostgreSQL holding the seeded fortnight (tests/casework/outcomes_seed.py)."""
from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from casework.befriending.matches import answer_match, propose
from casework.befriending.requests import note_request, request_company
from casework.cases.connectors import add_connector
from casework.cases.models import AuditEvent
from casework.console.access import set_password
from casework.console.tokens import create_token
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import approve, record_checks, record_training_done
from casework.good_neighbours.texting import sender_for_number
from casework.models import InboundMessage
from casework.outcomes import FIGURES
from casework.outcomes.models import DoorKnock
from tests.casework.outcomes_seed import AREAS, TOTALS, WEEK_1, WEEK_2, WEEKS, seed
from tests.web.console_server import ConsoleServer, console_server, postgres_schema
from tests.web.test_console_http import Client

MANAGER, CONNECTOR = ("07700 900601", "the seed manager's password"), ("07700 900602", "the seed connector's password")
FORTNIGHT = "from=2026-01-05&to=2026-01-18"
LONDON = ZoneInfo("Europe/London")


@dataclass
class Deployment:
    server: ConsoleServer
    token: str
    connector_id: int


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp(f"outcomes-http-{request.param}")

    def ready(server: ConsoleServer) -> Deployment:
        seeded = seed(server.sessions, server.settings, phones=(MANAGER[0], CONNECTOR[0]))
        with server.sessions.begin() as session:
            for phone, password in (MANAGER, CONNECTOR):
                set_password(session, phone=phone, password=password, settings=server.settings)
            # Someone with no patch: the form starts with an empty district.
            add_connector(session, name="Pat Nopatch", phone="07700 900603", email="pat@council.example", patch="",
                          settings=server.settings)
            set_password(session, phone="07700 900603", password="pat has no patch at all", settings=server.settings)
            token = create_token(session, name="commissioners", scopes=["outcomes"]).token
        return Deployment(server, token, seeded.connector_id)

    if request.param == "sqlite":
        with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
            yield ready(running)
        return
    with postgres_schema() as url, console_server(folder, url) as running:
        yield ready(running)


def api(deployment: Deployment, query: str, token: str | None = "valid") -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {deployment.token if token == 'valid' else token}"} if token else {}
    request = urllib.request.Request(f"{deployment.server.url}/api/outcomes?{query}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_api_gives_the_fortnights_figures_with_the_fixed_names(deployment: Deployment) -> None:
    status, body = api(deployment, FORTNIGHT)
    assert status == 200
    for name in ("residents", "conversations", "suggestions", "cases_opened", "cases_acknowledged", "cases_closed", "reports",
                 "scam_cases", "volunteers", "doors_knocked", "median_seconds_to_acknowledge"):
        assert body[name] == TOTALS[name], name
    assert {name: body[name] for name in FIGURES} == TOTALS
    assert (body["from"], body["to"], body["time_zone"]) == ("2026-01-05", "2026-01-18", "Europe/London")
    assert [w["week_starting"] for w in body["weeks"]] == [WEEK_1.isoformat(), WEEK_2.isoformat()]
    for week in body["weeks"]:
        expected = WEEKS[datetime.fromisoformat(week["week_starting"]).date()]
        assert {name: week[name] for name in expected} == expected
    assert [a["area"] for a in body["areas"]] == ["CH41", "CH42", "CH43", None]
    for area in body["areas"]:
        assert {name: area[name] for name in AREAS[area["area"]]} == AREAS[area["area"]]
    assert body["sources"] == {"follow_up_table": "follow_up", "volunteer_table": "volunteer"}  # casework.follow_ups.check_ins, casework.good_neighbours
    with deployment.server.sessions() as session:
        assert session.scalars(select(AuditEvent.detail).where(AuditEvent.actor == "api:commissioners",
                                                               AuditEvent.action == "outcomes_read")).all()


def test_befriending_matches_and_volunteers_ready_move_when_a_volunteer_is_ready_and_a_match_goes_live(deployment: Deployment) -> None:
    """The two good-neighbour figures, for the days around today, before and after a volunteer is made ready and
    matched with a resident (both said yes, live on a befriending number) through casework's own steps."""
    today = datetime.now(LONDON).date()
    around = f"from={(today - timedelta(days=1)).isoformat()}&to={(today + timedelta(days=1)).isoformat()}"
    _, before = api(deployment, around)
    server = deployment.server
    settings = replace(server.settings, befriending_numbers=("+447700900509",),
                       extra={**server.settings.extra, "CHECK_IN_HOURS": "Mon-Sun 00:00-24:00"})  # asked at once, whatever the hour
    with server.sessions.begin() as session:
        helper = sender_for_number(session, "+447700900841", settings)
        volunteer = sign_up_volunteer(session, offer=VolunteerOffer("Margaret Quillby", "Wallasey", "CH44", "weekday mornings",
                                                                    ("befriending_calls",), "sms", helper), settings=settings).reference
        record_checks(session, reference=volunteer, actor="cli:test", settings=settings, seen={"references": today})
        approve(session, reference=volunteer, actor="cli:test")
        record_training_done(session, reference=volunteer, actor="cli:test", settings=settings)
    _, ready = api(deployment, around)
    assert (ready["volunteers_ready"], ready["befriending_matches"]) == (before["volunteers_ready"] + 1, before["befriending_matches"])
    with server.sessions.begin() as session:
        resident = sender_for_number(session, "+447700900842", settings)
        request = request_company(session, sender_id=resident, channel="sms", message_id="SM" + "8" * 32,
                                  text="could someone ring me for a chat now and then, im in wallasey", settings=settings).reference
        note_request(session, reference=request, actor="cli:test", settings=settings, first_name="Doris", interests="", free_times="", wants="")
        propose(session, request_reference=request, volunteer_reference=volunteer, actor="cli:test", settings=settings)
    for n, sender_id in enumerate((resident, helper)):
        with server.sessions.begin() as session:
            session.add(InboundMessage(channel="sms", message_id=f"SM{n}" + "9" * 31, sender_id=sender_id, received_at=datetime.now(LONDON)))
            session.flush()
            assert answer_match(session, sender_id=sender_id, message_id=f"SM{n}" + "9" * 31, text="1", settings=settings) is not None
    status, after = api(deployment, around)
    assert status == 200
    assert (after["volunteers_ready"], after["befriending_matches"]) == (before["volunteers_ready"] + 1, before["befriending_matches"] + 1)
    assert sum(week["befriending_matches"] for week in after["weeks"]) == after["befriending_matches"]
    assert [area["volunteers_ready"] for area in after["areas"] if area["area"] == "CH44"] == [1]


def test_the_api_wants_a_token_and_real_dates(deployment: Deployment) -> None:
    assert api(deployment, FORTNIGHT, token=None)[0] == 401
    assert api(deployment, FORTNIGHT, token="cc_not-a-token")[0] == 401
    for query, words in (("from=2026-13-01&to=2026-01-18", "from must be a date written YYYY-MM-DD"),
                         ("from=05/01/2026&to=2026-01-18", "from must be a date"),
                         ("from=2026-01-05&to=tomorrow", "to must be a date"),
                         ("from=2026-01-18&to=2026-01-05", "from must be on or before to"),
                         ("from=2020-01-01&to=2026-01-05", "at most 1098 days")):
        status, body = api(deployment, query)
        assert status == 400 and words in body["error"], (query, body)
    status, body = api(deployment, "")  # no dates: the 12 weeks to today
    today = datetime.now(LONDON).date()
    assert status == 200 and body["to"] == today.isoformat() and len(body["weeks"]) == 12


def test_only_managers_see_the_dashboard_and_its_csv(deployment: Deployment) -> None:
    server = deployment.server
    assert Client(server).send(f"/console/outcomes?{FORTNIGHT}")[0] == 303  # to sign in first
    connector = Client(server)
    connector.sign_in(*CONNECTOR)
    for path in (f"/console/outcomes?{FORTNIGHT}", f"/console/outcomes.csv?{FORTNIGHT}"):
        status, page, _ = connector.send(path)
        assert status == 403 and "That was not allowed" in page
    manager = Client(server)
    manager.sign_in(*MANAGER)
    status, page, headers = manager.send(f"/console/outcomes?{FORTNIGHT}")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert "From Mon 5 Jan 2026 to Sun 18 Jan 2026." in page
    assert "<dt>Doors knocked</dt><dd>70</dd>" in page and "<dt>Cases opened</dt><dd>4</dd>" in page
    assert "35 minutes" in page  # the median 2,100 seconds to acknowledge
    assert "Why people did not go" in page and "<dt>Getting there</dt><dd>1</dd>" in page  # the seed's Bob
    assert "36 hours" in page  # the median 129,600 seconds to visit
    assert page.count("<svg") == 8 and "<script" not in page  # 4 week by week, 3 area by area, the change in loneliness
    status, page, _ = manager.send("/console/outcomes?from=2026-01-18&to=2026-01-05")
    assert status == 400 and "The start date must be on or before the end date" in page
    assert 'value="2026-01-18"' in page and 'aria-invalid="true"' in page

    status, text, headers = manager.send(f"/console/outcomes.csv?{FORTNIGHT}")
    headers = {name.lower(): value for name, value in headers.items()}
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["content-disposition"] == 'attachment; filename="outcomes-2026-01-05-to-2026-01-18.csv"'
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["breakdown"], r["label"]) for r in rows] == [
        ("period", "2026-01-05 to 2026-01-18"), ("week starting", "2026-01-05"), ("week starting", "2026-01-12"),
        ("area", "CH41"), ("area", "CH42"), ("area", "CH43"), ("area", "not known")]
    assert {name: float(rows[0][name]) for name in FIGURES} == TOTALS
    assert rows[3]["residents"] == "" and rows[3]["cases_opened"] == "2" and rows[6]["median_seconds_to_acknowledge"] == ""
    assert manager.send("/console/outcomes.csv?from=nonsense")[0] == 400
    with server.sessions() as session:
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "outcomes_read")).all()
    assert "dashboard: 2026-01-05 to 2026-01-18" in details and "csv: 2026-01-05 to 2026-01-18" in details


def test_the_dashboard_reads_dates_typed_day_first_and_says_what_is_wrong_with_one(deployment: Deployment) -> None:
    manager = Client(deployment.server)
    manager.sign_in(*MANAGER)
    status, page, _ = manager.send("/console/outcomes")
    assert status == 200 and page.count('type="text"') == 2 and 'type="date"' not in page
    assert page.count("For example, 27 3 2026") == 2 and 'aria-describedby="from-hint"' in page
    # As the form sends what was typed: day, month, year, with spaces or slashes.
    for typed in ("from=5+1+2026&to=18%2F01%2F2026", "from=05.01.2026&to=18+Jan+2026", FORTNIGHT):
        status, page, _ = manager.send(f"/console/outcomes?{typed}")
        assert status == 200 and "From Mon 5 Jan 2026 to Sun 18 Jan 2026." in page, typed
        assert 'name="from" type="text" value="5 1 2026"' in page and 'name="to" type="text" value="18 1 2026"' in page
        assert 'href="/console/outcomes.csv?from=2026-01-05&amp;to=2026-01-18"' in page  # the CSV link stays ISO
    status, text, _ = manager.send("/console/outcomes.csv?from=5+1+2026&to=18%2F1%2F2026")
    assert status == 200 and "2026-01-05 to 2026-01-18" in text

    status, page, _ = manager.send("/console/outcomes?from=31+2+2026&to=1%2F13%2F2026")
    assert status == 400 and page.count('aria-invalid="true"') == 2
    assert "The start date must be a real date: February 2026 has 28 days" in page
    assert "The end date must be a real date: write the day first, then the month as a number from 1 to 12" in page
    assert 'value="31 2 2026"' in page and 'value="1/13/2026"' in page  # kept as typed
    assert 'aria-describedby="from-hint from-error"' in page and '<a href="#to">' in page
    for typed, words in (("from=yesterday", "The start date must be written as day, month and year, for example 27 3 2026"),
                         ("to=5+1", "The end date must include a year"),
                         ("from=5+1+26", "The start date must have the year in full, with 4 numbers"),
                         ("from=5+1+1926", "The start date must be in a year from 2000 to 2099"),
                         ("from=18+1+2026&to=5+1+2026", "The start date must be on or before the end date")):
        status, page, _ = manager.send(f"/console/outcomes?{typed}")
        assert status == 400 and words in page, typed
    assert 'value="18 1 2026"' in page
    assert manager.send("/console/outcomes.csv?from=31+2+2026")[0] == 400


def test_a_door_knock_is_checked_kept_as_typed_when_wrong_and_saved_when_right(deployment: Deployment) -> None:
    server = deployment.server
    client = Client(server)
    client.sign_in(*CONNECTOR)
    status, page, _ = client.send("/console/doorknocks")
    today = datetime.now(LONDON).date().isoformat()
    assert status == 200
    assert f'name="held_on" type="date" value="{today}"' in page and 'name="area" class="short" value="CH41"' in page
    assert page.count('inputmode="numeric"') == 6
    token = client.csrf("/console/doorknocks")
    typed = {"csrf": token, "held_on": today, "area": "ch42", "streets": "Borough Road", "doors_knocked": "12",
             "doors_answered": "15", "conversations": "lots", "people_signposted": "0", "people_referred": "0",
             "volunteers_signed_up": "0", "notes": "Number 9 would like a call"}
    status, page, _ = client.send("/console/doorknocks", typed)
    assert status == 400
    assert "Doors answered cannot be more than doors knocked" in page and "Enter a whole number, like 12" in page
    assert 'value="Borough Road"' in page and 'value="lots"' in page and "Number 9 would like a call</textarea>" in page
    assert '<a href="#doors_answered">' in page and 'aria-describedby="conversations-error" aria-invalid="true"' in page

    status, _, headers = client.send("/console/doorknocks", {**typed, "doors_answered": "8", "conversations": "6"})
    assert status == 303 and headers["Location"] == "/console/doorknocks?done=door_knock_saved"
    status, page, _ = client.send("/console/doorknocks?done=door_knock_saved")
    assert "The door-knock is saved" in page and "Number 9 would like a call" in page and "Borough Road" in page
    with server.sessions() as session:
        saved = session.scalars(select(DoorKnock).where(DoorKnock.streets == "Borough Road")).one()
    assert (saved.area, saved.doors_knocked, saved.doors_answered, saved.conversations, saved.connector_id) == (
        "CH42", 12, 8, 6, deployment.connector_id)

    assert client.send("/console/doorknocks", {**typed, "csrf": "forged"})[0] == 403
    assert client.send("/console/doorknocks", typed, origin="https://elsewhere.example")[0] == 403
    other = Client(server)
    other.sign_in("07700 900603", "pat has no patch at all")
    status, page, _ = other.send("/console/doorknocks")
    assert 'name="area" class="short" value=""' in page and "Number 9" not in page  # only your own notes
    tomorrow = (datetime.now(LONDON).date() + timedelta(days=1)).isoformat()
    status, page, _ = other.send("/console/doorknocks", {**typed, "csrf": other.csrf("/console/doorknocks"),
                                                          "held_on": tomorrow, "doors_answered": "1", "conversations": "1"})
    assert status == 400 and "The date cannot be in the future" in page
