"""The fixed interface, end to end against a private copy of the whole service (real Rasa, action
server, web app and worker writing into their own var folder): "FORGET ME" by SMS, then "DELETE", erases
that resident. Afterwards no file under the folder (the SQLite database and its WAL, Rasa's tracker
file, the outbox file, the spool, every process's log) holds any text that resident sent, or their
number; and the service carries on, greeting them afresh if they text again.
"""
from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.residents.identity import sms_sender_id
from tests.channels.test_sms_webhook import reply_text
from tests.service_stack import ServiceStack, private_stack
from tests.twilio_signing import post_form, sms_form

pytestmark = pytest.mark.service

NUMBER = "+447700900431"
# Words nobody else sends, so finding one anywhere is a leak.
SAID = [
    "hello",
    "I like zumba with Mavis Oakenshott",
    "Fernhollow Quillington",
    "i have fallen at Larkspur Mews and cant get up",
]


@pytest.fixture(scope="module")
def stack() -> Iterator[ServiceStack]:
    with private_stack(Path(tempfile.mkdtemp(prefix="connector-forget-me-"))) as stack:
        yield stack


def text(stack: ServiceStack, body: str) -> str:
    status, twiml = post_form(stack, sms_form(body, sender=NUMBER), timeout=60)
    assert status == 200, twiml
    return reply_text(twiml)


def erasures(stack: ServiceStack) -> int:
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as conn:
        return int(conn.execute("SELECT count(*) FROM erasure").fetchone()[0])


def found_in_files(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    """`grep -ri` over every file under the folder, raw bytes (SQLite pages, WAL frames, logs)."""
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        hits += [(path.name, needle) for needle in needles if needle.lower().encode() in data]
    return hits


def test_forget_me_then_yes_leaves_nothing_the_resident_sent_in_any_file(stack: ServiceStack) -> None:
    folder = Path(stack.env["VAR_DIR"])
    replies = [text(stack, body) for body in SAID]
    assert "FORGET ME" in replies[0], "the first reply carried the privacy notice"
    assert "999" in replies[-1] and re.search(r"\bWC-\d+", replies[-1]), "the fall opened a case"
    needles = [said for said in SAID if said != "hello"] + ["Oakenshott", "Fernhollow", "Quillington", "Larkspur"]
    needles += [NUMBER, "0" + NUMBER[3:], NUMBER[1:], NUMBER[3:]]
    assert {needle for _, needle in found_in_files(folder, needles)} >= {"Oakenshott", "Fernhollow"}, "the check sees Rasa's file"

    asked = text(stack, "FORGET ME")
    done = text(stack, "DELETE")
    assert "Reply DELETE to delete everything" in asked
    assert "Ref ER-" in done and "short record of case WC-" in done, "the case kept for safeguarding is named"
    deadline = time.monotonic() + 60
    while erasures(stack) == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert erasures(stack) == 1, "the worker carried out the request"

    # The Erasure row is committed before the files are rewritten (the outbox file, then the database
    # rebuilt and its WAL emptied): wait for those steps, then nothing may be left anywhere.
    deadline = time.monotonic() + 60
    while found_in_files(folder, needles) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert found_in_files(folder, needles) == []
    pseudonym = sms_sender_id(NUMBER, key=stack.env["PHONE_HASH_KEY"]).removeprefix("sms:")
    logs = {path.name for path in folder.glob("*.log")} - {"outbox.log"}
    assert [hit for hit in found_in_files(folder, [pseudonym]) if hit[0] not in logs] == [], "nor their pseudonym, outside the logs"

    again = text(stack, "hello")
    assert "What do you enjoy" in again and "FORGET ME" in again, "texting again starts afresh"
