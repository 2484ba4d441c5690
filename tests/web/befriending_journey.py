"""What the befriending tests share: a real `python -m web` (tests/web/console_server.py) with a
befriending number and texting hours all day (so no test depends on the hour it runs), signed SMS to
it exactly as Twilio sends them (tests/twilio_signing.py), a volunteer made ready through the command
line, and a look at everything a number could leak into."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from casework.befriending.tables import BefriendingMatch, BefriendingRequest
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import note_details
from casework.good_neighbours.texting import sender_for_number
from casework.outbox.messages import OutboxMessage, opened_body
from casework.outbox.sender import build_sender
from casework.sealing import vault_for
from tests.service_stack import ROOT
from tests.twilio_signing import WEBHOOK, new_sid, sign
from tests.web.console_server import KEYS, ConsoleServer, console_server

MAIN_NUMBER = "+447700900999"  # tests/twilio_signing.sms_form's To: the service's usual number
BEFRIENDING_NUMBER = "+447700900500"
ENV = {"BEFRIENDING_NUMBERS": BEFRIENDING_NUMBER, "CHECK_IN_HOURS": "Mon-Sun 00:00-24:00",
       "WORKING_HOURS": "Mon-Sun 00:00-24:00"}
_TWIML = re.compile(r"<Message[^>]*>(.*?)</Message>", re.S)


@contextmanager
def befriending_server(folder: Path) -> Iterator[ConsoleServer]:
    with console_server(folder, f"sqlite:///{folder / 'app.db'}", **ENV) as running:
        yield running


def text(server: ConsoleServer, number: str, body: str, *, to: str = MAIN_NUMBER) -> str:
    """A signed inbound SMS through the real webhook; the TwiML reply's words ("" for none)."""
    sid = new_sid()
    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": number, "To": to, "Body": body, "NumMedia": "0"}
    request = urllib.request.Request(server.url + WEBHOOK, data=urllib.parse.urlencode(form).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "X-Twilio-Signature": sign(server.url + WEBHOOK, form)})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 200
        twiml = reply.read().decode()
    found = _TWIML.search(twiml)
    return found.group(1).replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", '"') if found else ""


def casework_cli(server: ConsoleServer, *args: str) -> str:
    """`python -m casework ...` against the server's database, as a manager would run it; its output."""
    env = {**os.environ, **KEYS, **ENV, "DATABASE_URL": server.settings.database_url, "ENVIRONMENT": "test",
           "PUBLIC_BASE_URL": server.url}
    done = subprocess.run([sys.executable, "-m", "casework", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def ready_volunteer(server: ConsoleServer, number: str, name: str, *, area: str = "CH44", area_label: str = "Wallasey",
                    roles: tuple[str, ...] = ("befriending_calls",), free: str = "weekday mornings", interests: str = "") -> str:
    """Signed up by text, then approved and trained through the command line (the fixed interface)."""
    with server.sessions.begin() as session:
        sender = sender_for_number(session, number, server.settings)
        reference = sign_up_volunteer(session, offer=VolunteerOffer(name, area_label, area, free, roles, "sms", sender),
                                      settings=server.settings).reference
    if interests:
        with server.sessions.begin() as session:
            note_details(session, reference=reference, actor="cli:test", settings=server.settings, interests=interests, availability=free)
    casework_cli(server, "volunteers", "approve", "--phone", number)
    casework_cli(server, "volunteers", "trained", "--phone", number)
    return reference


def request_of(server: ConsoleServer) -> list[str]:
    with server.sessions() as session:
        return list(session.scalars(select(BefriendingRequest.reference).order_by(BefriendingRequest.id)))


def match_state(server: ConsoleServer, reference: str) -> str:
    with server.sessions() as session:
        return session.scalars(select(BefriendingMatch.state).where(BefriendingMatch.reference == reference)).one()


def outbox(server: ConsoleServer, purpose: str | None = None) -> list[tuple[str | None, str, str | None, str]]:
    """(recipient, purpose, from number, body as sent) of every outbox message, oldest first (relayed bodies opened)."""
    bodies = vault_for("body", server.settings)
    with server.sessions() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(m.recipient_sender_id, m.purpose, m.from_number, opened_body(m.purpose, m.body, bodies) or "")
                for m in rows if purpose is None or m.purpose == purpose]


def send_outbox(server: ConsoleServer) -> list[dict]:
    """The worker's sender, in process (dry run): what it wrote to the outbox file."""
    build_sender(server.settings, server.sessions).send_due(limit=500)
    path = server.settings.outbox_path
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def shapes_of(number: str) -> tuple[str, ...]:
    """How a number may be written: +447700900801, 07700900801, 07700 900801, 7700900801, 900801."""
    national = "0" + number[3:]
    return (number, national, f"{national[:5]} {national[5:]}", number[3:], number[-6:])


def leaks(numbers: Iterable[str], texts: Iterable[str]) -> list[str]:
    """Every text that shows any of these numbers in any shape."""
    shapes = [shape for number in numbers for shape in shapes_of(number)]
    return [t[:120] for t in texts if any(shape in (t or "").replace("&#43;", "+") for shape in shapes)]
