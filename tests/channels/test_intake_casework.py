"""The intake and casework together: a crisis reaches a connector, who acknowledges by text; the
screen's question, a request for a person, a web-chat resident's contact; the spool when the database
is down. Real SQLite database, the Rasa stand-in over real HTTP."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.cases.models import Alert, Case
from casework.cases.reading import case_detail
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import sms_sender_id
from channels.incoming import Incoming
from channels.intake import Intake
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import run, sms, with_notice
from tests.service_stack import free_port

CONNECTOR = "+447700900777"
REFERENCE = re.compile(r"\b[A-Z]{2,3}-[0-9]{3,6}\b")


@pytest.fixture
def connector(settings: Settings, app_sessions: sessionmaker) -> int:
    with app_sessions.begin() as session:
        return add_connector(session, name="Ada Lovelace", phone=CONNECTOR, email="ada@council.example", patch="CH44 CH45",
                             role="connector", settings=settings).id


def from_connector(body: str, n: int, settings: Settings) -> Incoming:
    return Incoming("sms", f"SM{n:032x}", sms_sender_id(CONNECTOR, key=settings.phone_hash_key), body)


def cases(sessions: sessionmaker) -> list[tuple[str, str, str]]:
    with sessions() as session:
        return [(c.reference, c.priority, c.state) for c in session.scalars(select(Case).order_by(Case.id))]


def alerts_to_connectors(sessions: sessionmaker) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose != "reply").order_by(OutboxMessage.id)))


def test_a_crisis_opens_an_urgent_case_alerts_the_connector_and_says_so_with_the_reference(settings, app_sessions, connector) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        crisis = await intake.receive(sms("slipped in the garden last night and cant get up", 1))
        ack = await intake.receive(from_connector("ack", 2, settings))
        return crisis, ack, list(rasa.texts)

    crisis, ack, bot_texts = run(settings, app_sessions, scenario)
    [(reference, priority, state)] = cases(app_sessions)
    assert priority == "urgent" and state == "acknowledged"
    assert "999" in (crisis.text or "") and reference in (crisis.text or "") and "has been told" in (crisis.text or "")
    assert any(reference in body for body in alerts_to_connectors(app_sessions)), "an alert to the connector was queued"
    assert reference in (ack.text or ""), "the connector's ACK is answered by casework"
    assert bot_texts == [], "neither text went to the resident bot"
    with app_sessions() as session:
        detail = case_detail(session, reference)
        assert detail.acknowledged_by == "Ada Lovelace"
        assert session.scalars(select(Alert.state).where(Alert.channel == "sms")).first() == "acknowledged"


def test_with_no_connector_registered_the_reply_promises_nothing(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("my nephew takes my money and wont let me out", 1))

    outcome = run(settings, app_sessions, scenario)
    [(reference, priority, _)] = cases(app_sessions)
    assert priority == "urgent"
    assert reference in (outcome.text or "") and "has been told" not in (outcome.text or "")


def test_the_screens_question_then_yes_opens_a_high_case_and_no_opens_none(settings, app_sessions, connector) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        asked = await intake.receive(sms("honestly whats the use of me", 1))
        answered = await intake.receive(sms("yeah sometimes", 2))
        return asked, answered, list(rasa.texts)

    asked, answered, texts = run(settings, app_sessions, scenario)
    assert "ending your life" in (asked.text or "") and "116 123" in (asked.text or "")
    assert cases(app_sessions)[0][1] == "high"
    assert "116 123" in (answered.text or "") and cases(app_sessions)[0][0] in (answered.text or "")
    assert texts == []


def test_no_to_the_question_is_heard_and_the_conversation_goes_on(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("im nothing but a nuisance to my kids", 1))
        no = await intake.receive(sms("no im ok", 2))
        later = await intake.receive(sms("any walking groups", 3))
        return no, later

    no, later = run(settings, app_sessions, scenario)
    assert "glad" in (no.text or "") and cases(app_sessions) == []
    assert later.text == "You said: any walking groups"


def test_talk_and_can_someone_ring_me_open_a_case_with_its_reference(settings, app_sessions, connector) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("TALK", 1)), await intake.receive(sms("can someone ring me please", 2)), list(rasa.texts)

    talk, again, texts = run(settings, app_sessions, scenario)
    [(reference, priority, _)] = cases(app_sessions)
    assert priority == "routine"
    assert "connector" in (talk.text or "") and reference in (talk.text or "")
    assert reference in (again.text or ""), "a second request adds to the same case"
    assert texts == []


def test_a_web_chat_resident_who_needs_a_person_is_asked_how_to_be_reached(settings, app_sessions, connector) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        asked = await intake.receive(Incoming("webchat", "web:z:00000001", "web:z", "got no gas and no food till my pension"))
        given = await intake.receive(Incoming("webchat", "web:z:00000002", "web:z", "07700 900 123 after 2pm"))
        return asked, given

    asked, given = run(settings, app_sessions, scenario)
    assert "phone number" in (asked.text or "")
    assert "added that" in (given.text or "")
    with app_sessions() as session:
        sealed = session.scalars(select(Case.contact_encrypted)).one()
        assert sealed and "07700" not in sealed, "kept, and sealed"


def test_a_neighbours_worry_goes_to_the_report_flow(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        first = await intake.receive(sms("the man across the road hasnt opened his curtains in days", 1))
        await intake.receive(sms("not seen him for a week either", 2))  # an answer to the report's questions
        return first, list(rasa.texts)

    outcome, texts = run(settings, app_sessions, scenario)
    assert texts == ["/report_concern", "not seen him for a week either"], "the flow starts once; answers reach it as words"
    assert cases(app_sessions) == [], "the report flow opens the case, about the neighbour"


def test_a_crisis_while_the_database_is_down_is_spooled_then_becomes_a_case_with_an_alert(settings, app_sessions, connector, tmp_path: Path) -> None:
    from casework.cases.spool import drain_spool
    from service.database import make_engine, make_sessionmaker

    spooled = dataclasses.replace(settings, extra={**settings.extra, "CRISIS_SPOOL_PATH": str(tmp_path / "spool.jsonl")})
    dead = make_sessionmaker(make_engine(f"postgresql+psycopg2://nobody@127.0.0.1:{free_port()}/gone"))

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("someone is trying to break in", 1))

    outcome = run(spooled, dead, scenario)
    assert "999" in (outcome.text or "") and "has been told" not in (outcome.text or "")
    spool = (tmp_path / "spool.jsonl").read_text()
    assert "break in" not in spool, "sealed on disk"
    drain_spool(app_sessions, spooled)
    [(reference, priority, _)] = cases(app_sessions)
    assert priority == "urgent" and any(reference in body for body in alerts_to_connectors(app_sessions))


def test_what_a_resident_says_about_themselves_is_flagged_with_the_rule_that_saw_it(settings, app_sessions) -> None:
    from casework.models import Flag

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("im 81 and just lost my husband, any lunch clubs", 1))

    outcome = run(settings, app_sessions, scenario)
    assert outcome.text == with_notice("You said: im 81 and just lost my husband, any lunch clubs"), "the conversation goes on"
    with app_sessions() as session:
        flags = {(f.reason, f.source) for f in session.scalars(select(Flag))}
    assert ("aged_65_plus", "aged_65_plus.stated_age") in flags
    assert any(reason == "bereaved" for reason, _ in flags)
