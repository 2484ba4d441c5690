"""A crisis text or TALK that says where the person is opens its case in that area and alerts that
patch's connectors; where it says nothing, the resident is asked (after the safety answer, never
before it) and their answer places the case and alerts the patch. Real SQLite, the Rasa stand-in."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.cases.models import Alert, Case
from channels.intake import Intake
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import run, sms

WIRRAL_NORTH, THANET = "+447700900701", "+447700900702"


@pytest.fixture
def team(settings: Settings, app_sessions: sessionmaker) -> dict[str, int]:
    """Added in this order, so anyone but the patch's own connector would be alerted first by the fallback."""
    with app_sessions.begin() as session:
        thanet = add_connector(session, name="Tam Thanet", phone=THANET, email="tam@council.example", patch="CT9 CT10",
                               role="connector", settings=settings).id
        wirral = add_connector(session, name="Wil Wirral", phone=WIRRAL_NORTH, email="wil@council.example", patch="CH41 CH44 CH45",
                               role="connector", settings=settings).id
    return {"thanet": thanet, "wirral": wirral}


def case_and_alerted(sessions: sessionmaker) -> tuple[str | None, set[int]]:
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        return case.area, set(session.scalars(select(Alert.connector_id).where(Alert.case_id == case.id)))


@pytest.mark.parametrize("text, district", [
    ("i live on my own in birkenhead CH41 2PX and i want to end it all tonight", "CH41"),
    ("im in wallasey and ive taken all my tablets, i want to die", "CH44"),
    ("theres a man at my door in new brighton and he wont go away, im scared", "CH45"),
])
def test_a_crisis_that_says_where_opens_its_case_there_and_alerts_that_patch(settings, app_sessions, team, text, district) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms(text, 1))

    answer = run(settings, app_sessions, scenario)
    area, alerted = case_and_alerted(app_sessions)
    assert area == district
    assert alerted == {team["wirral"]}, "the patch's connector, not the first one added"
    assert "999" in (answer.text or "") and "which town or postcode" not in (answer.text or "").lower()


def test_talk_naming_a_town_alerts_that_patch(settings, app_sessions, team) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("can someone ring me please, im in margate", 1))

    run(settings, app_sessions, scenario)
    assert case_and_alerted(app_sessions) == ("CT9", {team["thanet"]})


def test_where_the_area_is_unknown_the_resident_is_asked_after_the_safety_answer_and_the_case_follows(settings, app_sessions, team) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        crisis = await intake.receive(sms("i cant deal with this any more i want to end it all", 1))
        where = await intake.receive(sms("wallasey", 2))
        return crisis, where, list(rasa.texts)

    crisis, where, bot_texts = run(settings, app_sessions, scenario)
    text = crisis.text or ""
    assert "116 123" in text and "Which town or postcode are you in?" in text
    assert text.index("116 123") < text.index("Which town"), "the safety answer comes first"
    assert "passed that on" in (where.text or "")
    area, alerted = case_and_alerted(app_sessions)
    assert area == "CH44" and team["wirral"] in alerted, "the patch's connector is alerted once the place is known"
    assert bot_texts == []


def test_an_answer_that_names_no_place_drops_the_question_and_the_conversation_goes_on(settings, app_sessions, team) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("i want to end it all", 1))
        await intake.receive(sms("i like knitting", 2))
        again = await intake.receive(sms("wallasey", 3))
        return list(rasa.texts), again

    bot_texts, _ = run(settings, app_sessions, scenario)
    assert "i like knitting" in bot_texts, "not an answer: it goes to the bot"
    assert case_and_alerted(app_sessions)[0] is None, "the question was asked once; a later word is not its answer"


def test_an_acknowledged_case_gets_its_area_without_alerting_anyone_else(settings, app_sessions, team) -> None:
    from casework.residents.identity import sms_sender_id
    from channels.incoming import Incoming

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("i want to end it all", 1))
        await intake.receive(Incoming("sms", f"SM{2:032x}", sms_sender_id(THANET, key=settings.phone_hash_key), "ack"))
        return await intake.receive(sms("im in wallasey", 3))

    run(settings, app_sessions, scenario)
    area, alerted = case_and_alerted(app_sessions)
    assert area == "CH44" and alerted == {team["thanet"]}, "Tam took it: nobody else is alerted"


def test_a_crisis_spooled_while_the_database_was_down_opens_its_case_where_it_said(settings, app_sessions, team, tmp_path) -> None:
    import dataclasses

    from casework.cases.spool import drain_spool
    from service.database import make_engine, make_sessionmaker
    from tests.service_stack import free_port

    spooled = dataclasses.replace(settings, extra={**settings.extra, "CRISIS_SPOOL_PATH": str(tmp_path / "spool.jsonl")})
    dead = make_sessionmaker(make_engine(f"postgresql+psycopg2://nobody@127.0.0.1:{free_port()}/gone"))

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("someone is trying to break in, im at home in margate", 1))

    run(spooled, dead, scenario)
    drain_spool(app_sessions, spooled)
    assert case_and_alerted(app_sessions) == ("CT9", {team["thanet"]})
