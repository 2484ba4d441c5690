"""The console's doors over plain HTTP, against a real `python -m web` on SQLite and on PostgreSQL:
cookie flags, CSRF and origin refusals, session expiry, sign-out and the manager-only pages."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import select, update

from casework.cases.models import AuditEvent, CaseNote
from casework.console.access import session_digest
from casework.console.models import ConsoleSession
from casework.models import utcnow
from tests.web.console_server import CSRF, ConsoleServer, console_server, postgres_schema

JO_PHONE, MO_PHONE = "07700 900001", "07700 900100"
JO_PASSWORD, MO_PASSWORD = "jo knocks on doors all day", "mo manages the whole team"  # noqa: S105


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp(f"console-http-{request.param}")
    if request.param == "sqlite":
        with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
            yield running
        return
    with postgres_schema() as url, console_server(folder, url) as running:
        yield running


@pytest.fixture(scope="module")
def people(server: ConsoleServer) -> dict[str, int]:
    return {"jo": server.add("Jo Bloggs", JO_PHONE, JO_PASSWORD, patch="CH41"),
            "mo": server.add("Mo Manager", MO_PHONE, MO_PASSWORD, role="manager")}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Client:
    """A browser as the server sees it: a cookie jar, our own Origin on POSTs, redirects not followed."""

    def __init__(self, server: ConsoleServer) -> None:
        self.server = server
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def send(self, path: str, form: dict[str, str] | None = None, *, origin: str | None = "own") -> tuple[int, str, dict[str, str]]:
        headers = {}
        if form is not None and origin is not None:
            headers["Origin"] = self.server.url if origin == "own" else origin
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.server.url + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=20) as reply:
                return reply.status, reply.read().decode(), dict(reply.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def sign_in(self, phone: str, password: str) -> tuple[int, str, dict[str, str]]:
        _, page, _ = self.send("/console/login")
        return self.send("/console/login", {"csrf": CSRF.search(page)[1], "phone": phone, "password": password})

    def csrf(self, path: str = "/console/queue") -> str:
        status, page, _ = self.send(path)
        assert status == 200, (status, page[:300])
        return CSRF.search(page)[1]


def test_the_sign_in_cookie_is_httponly_strict_and_only_for_the_console(server, people):
    client = Client(server)
    status, _, headers = client.sign_in(JO_PHONE, JO_PASSWORD)
    assert status == 303 and headers["Location"] == "/console/queue"
    cookie = next(c for c in client.jar if c.name == "console_session")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.get_nonstandard_attr("SameSite") == "Strict"
    assert cookie.path == "/console" and cookie.secure is False, "Secure only when served over https"
    assert headers["Cache-Control"] == "no-store"
    with server.sessions() as session:
        assert cookie.value not in session.scalars(select(ConsoleSession.token_sha256)).all()


def test_a_sign_in_posted_from_elsewhere_or_without_the_form_token_is_refused(server, people):
    client = Client(server)
    _, page, _ = client.send("/console/login")
    token = CSRF.search(page)[1]
    form = {"csrf": token, "phone": JO_PHONE, "password": JO_PASSWORD}
    assert client.send("/console/login", form, origin="https://evil.example")[0] == 403
    assert client.send("/console/login", form, origin=None)[0] == 403
    assert client.send("/console/login", {**form, "csrf": "guessed"})[0] == 403
    assert Client(server).send("/console/login", form)[0] == 403, "another browser has no matching cookie"
    # Each page sets a fresh form token: the one from the last refusal's page is the one that works now.
    _, page, _ = client.send("/console/login", form)
    assert client.send("/console/login", {**form, "csrf": CSRF.search(page)[1]})[0] == 303


def test_a_post_without_the_right_csrf_token_or_origin_changes_nothing(server, people):
    reference = server.crisis(sender="sms:http-csrf")
    client = Client(server)
    client.sign_in(JO_PHONE, JO_PASSWORD)
    token = client.csrf(f"/console/cases/{reference}")
    path = f"/console/cases/{reference}/note"
    for form, origin in (({"text": "no token"}, "own"), ({"text": "wrong token", "csrf": token[:-2] + "xx"}, "own"),
                         ({"text": "from elsewhere", "csrf": token}, "https://evil.example"),
                         ({"text": "no origin", "csrf": token}, None)):
        status, page, _ = client.send(path, form, origin=origin)
        assert status == 403 and "not allowed" in page, (form, origin)
    with server.sessions() as session:
        assert session.scalars(select(CaseNote)).all() == []
    status, _, headers = client.send(path, {"text": "rang, no answer", "csrf": token})
    assert status == 303 and headers["Location"] == f"/console/cases/{reference}?done=note_added"
    with server.sessions() as session:
        assert len(session.scalars(select(CaseNote)).all()) == 1


def test_every_form_checks_where_it_came_from_and_who_sent_it_first(server, people):
    """web.console.routes.base: an unknown action is no such page before anything else; then the origin,
    before the form is read; a form posted signed out goes back, after sign-in, to the page it was on."""
    client = Client(server)
    for path in ("/console/cases/WC-00000/shout", "/console/connectors/1/promote"):
        assert client.send(path, {"csrf": "x"}, origin="https://evil.example")[0] == 404, path
    for path, back in (("/console/rota", "/console/rota"), ("/console/rota/1/remove", "/console/rota"),
                       ("/console/connectors", "/console/connectors"), ("/console/connectors/1/activate", "/console/connectors"),
                       ("/console/doorknocks", "/console/doorknocks"), ("/console/residents/export", "/console/residents"),
                       ("/console/residents/erase", "/console/residents"),
                       ("/console/cases/WC-00000/note", "/console/cases/WC-00000")):
        status, page, _ = client.send(path, {"csrf": "x"}, origin="https://evil.example")
        assert status == 403 and "did not come from this console" in page, path
        status, _, headers = client.send(path, {"csrf": "x"})
        assert status == 303 and headers["Location"] == "/console/login?" + urllib.parse.urlencode({"next": back}), path


def test_an_expired_session_sends_the_browser_back_to_sign_in(server, people):
    client = Client(server)
    client.sign_in(JO_PHONE, JO_PASSWORD)
    assert client.send("/console/queue")[0] == 200
    with server.sessions.begin() as session:
        session.execute(update(ConsoleSession).where(ConsoleSession.connector_id == people["jo"])
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    status, _, headers = client.send("/console/queue")
    assert status == 303 and headers["Location"] == "/console/login?next=%2Fconsole%2Fqueue"
    token = next(c.value for c in client.jar if c.name == "console_session")
    with server.sessions() as session:
        assert session.scalars(select(ConsoleSession).where(ConsoleSession.token_sha256 == session_digest(token))).all() == []


def test_an_idle_session_ends_too(server, people):
    client = Client(server)
    client.sign_in(JO_PHONE, JO_PASSWORD)
    with server.sessions.begin() as session:
        session.execute(update(ConsoleSession).where(ConsoleSession.connector_id == people["jo"])
                        .values(last_seen_at=utcnow() - timedelta(minutes=61)))
    assert client.send("/console/queue")[0] == 303


def test_signing_out_ends_the_session_on_the_server(server, people):
    client = Client(server)
    client.sign_in(JO_PHONE, JO_PASSWORD)
    stolen = next(c.value for c in client.jar if c.name == "console_session")
    status, _, headers = client.send("/console/logout", {"csrf": client.csrf()})
    assert status == 303 and headers["Location"] == "/console/login?done=signed_out"
    replay = Client(server)
    request = urllib.request.Request(server.url + "/console/queue", headers={"Cookie": f"console_session={stolen}"})
    try:
        with replay.opener.open(request, timeout=10) as reply:
            status = reply.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 303, "a copied cookie is worthless after sign-out"


def test_manager_pages_are_for_managers(server, people):
    connector, manager = Client(server), Client(server)
    connector.sign_in(JO_PHONE, JO_PASSWORD)
    manager.sign_in(MO_PHONE, MO_PASSWORD)
    for path in ("/console/cases", "/console/alerts", "/console/rota", "/console/connectors"):
        assert connector.send(path)[0] == 403, path
        assert manager.send(path)[0] == 200, path
    status, _, _ = connector.send("/console/rota", {"csrf": connector.csrf(), "connector": str(people["jo"]),
                                                    "starts": "2026-12-24T09:00", "ends": "2026-12-24T17:00"})
    assert status == 403
    with server.sessions() as session:
        assert session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "shift_added")).all() == []


def test_a_case_the_learned_model_raised_says_so_and_how_sure(server, people):
    reference = server.crisis(sender="sms:http-model", words="ive given the dog to next door and im ready now", layer="model", score=0.934)
    client = Client(server)
    client.sign_in(JO_PHONE, JO_PASSWORD)
    status, page, _ = client.send(f"/console/cases/{reference}")
    assert status == 200
    assert "Raised by the learned model (93% sure), where no rule fired" in page
    assert "Rule model.suicidal" not in page


def test_a_connector_cannot_open_someone_elses_case(server, people):
    elsewhere = server.crisis(sender="sms:http-elsewhere", area="ZZ9")  # nobody's patch: alerted to everyone on duty
    server.add("Di Other", "07700 900004", "di has her own patch now", patch="CH43")
    client = Client(server)
    client.sign_in("07700 900004", "di has her own patch now")
    # Alerted to Jo first; Di was never told: the same answer as no such case (test_console_privacy.py).
    assert client.send(f"/console/cases/{elsewhere}")[0] == 404
    assert client.send("/console/cases/WC-00000")[0] == 404


def test_signed_in_the_sign_in_page_moves_on_and_a_lapsed_form_comes_back_to_its_case(server, people):
    reference = server.crisis(sender="sms:http-lapsed")
    client = Client(server)
    client.sign_in(JO_PHONE, JO_PASSWORD)
    status, _, headers = client.send("/console/login?next=%2Fconsole%2Fcases%2F" + reference)
    assert status == 303 and headers["Location"] == f"/console/cases/{reference}"
    assert client.send("/console/login?next=https://evil.example/")[2]["Location"] == "/console/queue"
    token = client.csrf(f"/console/cases/{reference}")
    with server.sessions.begin() as session:
        session.execute(update(ConsoleSession).where(ConsoleSession.connector_id == people["jo"])
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    status, _, headers = client.send(f"/console/cases/{reference}/acknowledge", {"csrf": token})
    assert status == 303 and headers["Location"] == f"/console/login?next=%2Fconsole%2Fcases%2F{reference}"


def test_all_cases_shows_open_cases_unless_asked_for_every_state(server, people):
    from casework.cases.lifecycle import close_case

    reference = server.crisis(sender="sms:http-closed", area="CH41")
    with server.sessions.begin() as session:
        close_case(session, reference=reference, outcome="duplicate", by=people["mo"], settings=server.settings)
    manager = Client(server)
    manager.sign_in(MO_PHONE, MO_PASSWORD)
    assert reference not in manager.send("/console/cases")[1]
    assert reference in manager.send("/console/cases?state=all")[1]
    assert reference in manager.send("/console/cases?state=closed&area=ch41")[1]
    assert reference not in manager.send("/console/cases?state=closed&area=CH42")[1]


def test_a_manager_exports_and_erases_a_residents_data_and_reads_the_audit_log(server, people):
    import json

    from casework.models import Resident
    from casework.residents.identity import PhoneVault, sms_sender_id
    from casework.residents.records import touch_resident

    number = "+447700900555"
    sender = sms_sender_id(number, key=server.settings.phone_hash_key)
    with server.sessions.begin() as session:
        touch_resident(session, sender_id=sender, channel="sms", phone_encrypted=PhoneVault.for_settings(server.settings).seal(number))
    reference = server.crisis(sender=sender, area="CH41", priority="high", words="whats the point of anything")
    connector, manager = Client(server), Client(server)
    connector.sign_in(JO_PHONE, JO_PASSWORD)
    manager.sign_in(MO_PHONE, MO_PASSWORD)
    for path in ("/console/residents", "/console/audit"):
        assert connector.send(path)[0] == 403, path
        assert manager.send(path)[0] == 200, path

    status, body, headers = manager.send("/console/residents/export", {"csrf": manager.csrf(), "phone": "07700 900555", "format": "json"})
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    assert reference in json.dumps(json.loads(body))
    status, _, _ = connector.send("/console/residents/export", {"csrf": connector.csrf(), "phone": "07700 900555", "format": "json"})
    assert status == 403

    status, page, _ = manager.send("/console/residents/erase", {"csrf": manager.csrf(), "phone": "07700 900555", "confirm": "no"})
    assert status == 400 and "Nothing was erased" in page
    with server.sessions() as session:
        assert session.scalars(select(Resident.id).where(Resident.sender_id == sender)).first() is not None
    status, page, _ = manager.send("/console/residents/erase", {"csrf": manager.csrf(), "phone": "07700 900555", "confirm": "ERASE"})
    assert status == 200 and "Erased" in page
    with server.sessions() as session:
        assert session.scalars(select(Resident.id).where(Resident.sender_id == sender)).first() is None

    status, log, _ = manager.send("/console/audit")
    assert status == 200 and "subject_access" in log
    status, log, _ = manager.send(f"/console/audit?reference={reference}")
    assert status == 200 and reference in log
