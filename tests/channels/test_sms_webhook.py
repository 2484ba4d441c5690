"""The SMS webhook against the running service, with requests signed by Twilio's RequestValidator."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.etree import ElementTree

import pytest

from casework.residents.identity import sms_sender_id
from tests.service_stack import ServiceStack
from tests.twilio_signing import new_sid, post_form, sign, sms_form


def reply_text(twiml: str) -> str:
    root = ElementTree.fromstring(twiml)
    assert root.tag == "Response"
    return "\n".join(m.text or "" for m in root.findall("Message"))


def db_rows(service: ServiceStack, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(service.database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute(query, args).fetchall()


def unique_number() -> str:
    import random

    return "+4477009" + "".join(random.choice("0123456789") for _ in range(5))


def text(service: ServiceStack, body: str, sender: str, **extra: str) -> str:
    status, twiml = post_form(service, sms_form(body, sender=sender, **extra))
    assert status == 200, twiml
    return reply_text(twiml)


@pytest.mark.service
def test_a_resident_gets_nearby_activities_by_sms(service: ServiceStack) -> None:
    number = unique_number()
    greeting = text(service, "Hello", number)
    assert "groups, clubs and activities" in greeting
    assert "What do you enjoy" in greeting
    asking = text(service, "I like walking", number)
    assert "Text your postcode or town" in asking, "the domain's `channel: sms` variant is used"
    suggestions = text(service, "CH44 5TN", number)
    assert "1. " in suggestions and "(" in suggestions and "miles away" in suggestions, suggestions
    assert "walking" in suggestions.lower()
    # Plain GSM-7 for basic phones: no curly quotes, no emoji.
    assert all(ord(c) < 0x2000 for c in suggestions)


@pytest.mark.service
@pytest.mark.parametrize(
    "how",
    ["missing", "tampered body", "wrong url", "wrong token"],
)
def test_unsigned_or_forged_requests_are_refused_and_nothing_is_processed(service: ServiceStack, how: str) -> None:
    form = sms_form("I like walking", sender=unique_number())
    public = service.env["PUBLIC_BASE_URL"] + "/webhooks/sms/webhook"
    signature = {
        "missing": "",
        "tampered body": sign(public, {**form, "Body": "something else"}),
        "wrong url": sign(service.web_url + "/webhooks/sms/webhook", form),
        "wrong token": sign(public, form, token="not-the-token"),
    }[how]
    status, body = post_form(service, form, signature=signature)
    assert status == 403
    assert "<Message>" not in body
    assert db_rows(service, "SELECT count(*) FROM inbound_message WHERE message_id = ?", form["MessageSid"]) == [(0,)]


@pytest.mark.service
def test_a_redelivered_message_gets_the_same_reply_and_runs_once(service: ServiceStack) -> None:
    number = unique_number()
    form = sms_form("hello", sender=number)
    first = post_form(service, form)
    second = post_form(service, form)
    assert first[0] == second[0] == 200
    assert reply_text(first[1]) == reply_text(second[1]) != ""
    assert db_rows(service, "SELECT count(*) FROM inbound_message WHERE message_id = ?", form["MessageSid"]) == [(1,)]
    tracker_db = Path(service.env["VAR_DIR"]) / "rasa-tracker.db"
    with sqlite3.connect(tracker_db) as conn:
        seen = conn.execute(
            "SELECT count(*) FROM events WHERE type_name = 'user' AND data LIKE ?", (f'%{form["MessageSid"]}%',)
        ).fetchone()
    assert seen == (1,)


@pytest.mark.service
def test_stop_opts_out_and_nothing_more_is_sent_until_start(service: ServiceStack) -> None:
    number = unique_number()
    text(service, "hello", number)
    assert text(service, "  Stop. ", number) == ""
    opted = db_rows(service, "SELECT opted_out FROM resident WHERE sender_id IN (SELECT sender_id FROM inbound_message ORDER BY id DESC LIMIT 1)")
    assert opted == [(1,)]
    last_sender = "(SELECT sender_id FROM inbound_message ORDER BY id DESC LIMIT 1)"
    assert db_rows(service, f"SELECT count(*) FROM flag WHERE reason = 'opted_out' AND sender_id IN {last_sender}") == [(1,)]
    assert text(service, "I like singing", number) == ""
    assert "Welcome back" in text(service, "START", number)
    assert "Which area" in text(service, "singing", number) or "What do you enjoy" in text(service, "hello", number)


@pytest.mark.service
def test_help_and_media_only_messages_get_a_plain_reply(service: ServiceStack) -> None:
    number = unique_number()
    assert "Text STOP to stop" in text(service, "help", number)
    assert "only read text" in text(service, "", number, NumMedia="1", MediaUrl0="https://api.twilio.com/media/x")


@pytest.mark.service
def test_the_safety_screen_answers_with_checked_numbers_and_flags_a_connector(service: ServiceStack) -> None:
    number = unique_number()
    reply = text(service, "I can't go on, I want to end it all", number)
    assert "116 123" in reply and "999" in reply
    flags = db_rows(service, "SELECT reason, source FROM flag WHERE sender_id = (SELECT sender_id FROM inbound_message ORDER BY id DESC LIMIT 1)")
    # The case's area is not known from the text, so the reply asked where they are (casework.cases.triage.AREA_FLAG).
    assert sorted(flags) == [("area_asked", "safety_screen"), ("suicidal", "safety_screen")]
    assert "Which town or postcode are you in?" in reply and reply.index("116 123") < reply.index("Which town")


@pytest.mark.service
def test_phone_numbers_are_never_stored_or_logged_in_the_clear(service: ServiceStack) -> None:
    number = unique_number()
    text(service, "hello", number)
    text(service, "I like bowls", number)
    digits = number.removeprefix("+")
    folder = Path(service.env["VAR_DIR"])
    for path in folder.iterdir():
        if path.is_file():
            assert digits.encode() not in path.read_bytes(), f"{number} found in clear in {path.name}"
    # The service is shared by every test file of this worker, whose tests write residents of their own (web chat,
    # an erased resident's tombstone, made-up ids): none holds the number, and this one is known by its keyed hash.
    senders = [s for (s,) in db_rows(service, "SELECT sender_id FROM resident")]
    assert not any(digits in s for s in senders)
    assert sms_sender_id(number, key=service.env["PHONE_HASH_KEY"]) in senders


@pytest.mark.service
def test_malformed_requests_get_a_clear_error_not_a_500(service: ServiceStack) -> None:
    form = sms_form("hello", sid="not-a-sid")
    status, body = post_form(service, form)
    assert status == 400 and "MessageSid" in body
    status, body = post_form(service, sms_form("hello", sender="not a number"))
    assert status == 400 and "From" in body
    long_body = "walking " * 400
    status, body = post_form(service, sms_form(long_body, sender=unique_number(), sid=new_sid()))
    assert status == 200
