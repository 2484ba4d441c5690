"""A resident's wish for company through the one intake, in SMS and web chat: a request for a person
(the case, its promise rule) and a befriending request beside it, decided before the bot; loneliness
in the same words is the same request; a search for befriending groups goes to the bot. Real migrated
SQLite, the Rasa stand-in over real HTTP."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from casework.befriending.tables import BefriendingRequest
from casework.cases.models import Case
from casework.texts import render
from channels.incoming import Incoming
from channels.intake import Intake
from channels.responses import render_response
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms


def requests(app_sessions) -> list[tuple[str, str, str]]:
    with app_sessions() as session:
        return [(r.sender_id, r.channel, r.wants) for r in session.scalars(select(BefriendingRequest))]


def test_by_text_a_request_and_its_case_and_never_the_bot(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms("im so lonely since my husband died, could someone ring me for a chat now and then", 1)), rasa.texts

    outcome, bot_heard = run(settings, app_sessions, scenario)
    assert bot_heard == [] and render("befriending_requested") in (outcome.text or "")
    assert requests(app_sessions) == [(SENDER, "sms", "call")]
    with app_sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.reference in (outcome.text or "") and case.priority == "routine"


def test_in_web_chat_the_request_asks_how_to_reach_them(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(Incoming("webchat", "web-1", "web:doris", "id love a befriender, someone to visit me for a cuppa"))

    outcome = run(settings, app_sessions, scenario)
    assert requests(app_sessions) == [("web:doris", "webchat", "visit")]
    assert render("befriending_requested") in (outcome.text or "")
    assert render_response("utter_ask_contact", channel="webchat") in (outcome.text or ""), "a connector needs a way to reach them"


def test_a_search_for_befriending_groups_is_the_bots(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("any befriending near heswall", 1))
        return rasa.texts

    assert run(settings, app_sessions, scenario) == ["any befriending near heswall"]
    assert requests(app_sessions) == []
