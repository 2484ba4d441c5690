"""The loneliness questions over Twilio's real webhook: signed requests (Twilio's RequestValidator) to a
real `python -m web` process, with Rasa stopped (the answers are casework's and never wait for the bot)."""
from __future__ import annotations

import dataclasses
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from casework.loneliness.answers import question_text
from casework.loneliness.asking import mark_asked
from casework.loneliness.measures import measure_loneliness
from casework.loneliness.models import LonelinessScore
from casework.models import Resident, utcnow
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.texts import render
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import Settings, load_settings
from tests.service_stack import ServiceStack, web_alone
from tests.twilio_signing import sign, sms_form

NUMBER = "+447700900871"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceStack]:
    folder = tmp_path_factory.mktemp("loneliness-sms")
    engine = make_engine(f"sqlite:///{folder / 'app.db'}")
    upgrade_engine(engine)
    engine.dispose()
    with web_alone(folder) as stack:
        yield stack


def settings_of(stack: ServiceStack) -> Settings:
    return dataclasses.replace(load_settings(), environment="test", database_url=stack.database_url,
                               phone_hash_key=stack.env["PHONE_HASH_KEY"], phone_encryption_key=stack.env["PHONE_ENCRYPTION_KEY"])


def text(stack: ServiceStack, body: str) -> str:
    form = sms_form(body, sender=NUMBER)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign(stack.env["PUBLIC_BASE_URL"] + "/webhooks/sms/webhook", form)}
    request = urllib.request.Request(stack.web_url + "/webhooks/sms/webhook", data=urllib.parse.urlencode(form).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=15) as reply:
        assert reply.status == 200
        root = ElementTree.fromstring(reply.read().decode())
    return "\n".join(m.text or "" for m in root.findall("Message"))


def test_a_resident_answers_the_three_questions_by_text(web: ServiceStack) -> None:
    settings = settings_of(web)
    sender = sms_sender_id(NUMBER, key=settings.phone_hash_key)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions.begin() as session:  # a resident whose case was closed as supported; the worker's question went a minute ago
            session.add(Resident(sender_id=sender, channel="sms", phone_encrypted=PhoneVault.for_settings(settings).seal(NUMBER),
                                 opted_out=False, privacy_notice_at=utcnow() - timedelta(days=3)))
            session.flush()
            assert measure_loneliness(session, sender_id=sender, support="case", area="CH41 2AA").started
            mark_asked(session, session.scalars(select(LonelinessScore.id)).one(), now=utcnow() - timedelta(minutes=1))

        assert text(web, "Yes") == question_text(1)
        assert text(web, "2") == question_text(2)
        assert text(web, "hardly ever") == question_text(3)
        assert text(web, "2") == render("loneliness_thanks_first")

        with sessions() as session:
            row = session.scalars(select(LonelinessScore)).one()
            assert (row.first_score, row.area, row.round, row.state, row.answers) == (5, "CH41", "follow_up", "due", None)
    finally:
        engine.dispose()
    with sqlite3.connect(web.database_url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT count(*) FROM inbound_message WHERE body_encrypted IS NOT NULL").fetchone() == (0,), \
            "their texts are kept only until answered"
        assert "hardly" not in " ".join(str(v) for row in conn.execute("SELECT * FROM loneliness_score") for v in row)
