"""The intake and casework.residents.memory together: the answer to "Shall I remember...?" and CLEAR are
settled without the bot; anything else drops the question and goes on to the bot; FORGET ME is still
full erasure; web chat is never remembered. Real SQLite database, the Rasa stand-in over real HTTP."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault
from casework.privacy.consent import current_consent
from casework.residents.memory import offer_to_remember, remembered
from channels.incoming import Incoming
from channels.intake import Intake
from channels.responses import render_response
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms


def said(name: str) -> str:
    return render_response(name, channel="sms")


def offer(intake: Intake, sessions: sessionmaker) -> None:
    """What action_activity_details does after an activity's details (actions/remember.py)."""
    with sessions.begin() as session:
        assert offer_to_remember(session, sender_id=SENDER, interest="singing", place="CH60 1AB", vault=intake.bodies)


def memory(settings: Settings, sessions: sessionmaker) -> tuple[str, str] | None:
    with sessions() as session:
        found = remembered(session, SENDER, BodyVault.for_settings(settings))
        return (found.interest, found.place) if found else None


def consent(sessions: sessionmaker) -> bool:
    with sessions() as session:
        return current_consent(session, SENDER)["remember"]


def test_one_remembers_and_clear_forgets_without_the_bot(settings: Settings, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("singing near CH60 1AB", 1))
        offer(intake, app_sessions)
        agreed = await intake.receive(sms("1", 2))
        kept = memory(settings, app_sessions), consent(app_sessions)
        cleared = await intake.receive(sms("CLEAR", 3))
        again = await intake.receive(sms("forget what i like", 4))
        return agreed, kept, cleared, again, list(rasa.texts)

    agreed, kept, cleared, again, texts = run(settings, app_sessions, scenario)
    assert agreed.text == said("utter_remember_agreed") and "CLEAR" in (agreed.text or "")
    assert kept == (("singing", "CH60 1AB"), True)
    assert cleared.text == again.text == said("utter_memory_cleared")
    assert memory(settings, app_sessions) is None and consent(app_sessions) is False
    assert texts == ["singing near CH60 1AB"], "only the first text went to the bot"


def test_two_declines_and_anything_else_goes_on_to_the_bot(settings: Settings, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        offer(intake, app_sessions)
        moved_on = await intake.receive(sms("tell me about 3", 2))
        dropped = memory(settings, app_sessions)
        late_one = await intake.receive(sms("1", 3))
        return moved_on, dropped, late_one, list(rasa.texts)

    moved_on, dropped, late_one, texts = run(settings, app_sessions, scenario)
    assert dropped is None and "tell me about 3" in (moved_on.text or "")
    assert texts == ["hello", "tell me about 3", "1"], "once dropped, a 1 is the bot's again"
    assert late_one.text != said("utter_remember_agreed")


def test_more_leaves_the_question_open(settings: Settings, app_sessions: sessionmaker) -> None:
    """Long details push the question into the part MORE brings: MORE must not drop it."""
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        offer(intake, app_sessions)
        await intake.receive(sms("MORE", 2))
        return await intake.receive(sms("1", 3))

    agreed = run(settings, app_sessions, scenario)
    assert agreed.text == said("utter_remember_agreed")
    assert memory(settings, app_sessions) == ("singing", "CH60 1AB")


def test_a_no(settings: Settings, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        offer(intake, app_sessions)
        return await intake.receive(sms("no thanks", 2)), list(rasa.texts)

    declined, texts = run(settings, app_sessions, scenario)
    assert declined.text == said("utter_remember_declined") and texts == ["hello"]
    assert memory(settings, app_sessions) is None and consent(app_sessions) is False


def test_forget_me_is_still_full_erasure_and_web_chat_clear_is_the_bots(settings: Settings, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        forget = await intake.receive(sms("forget me", 2))
        web = await intake.receive(Incoming("webchat", "web-msg-1", "web:abc123", "clear"))
        return forget, web, list(rasa.texts)

    forget, web, texts = run(settings, app_sessions, scenario)
    assert "Reply DELETE to delete everything" in (forget.text or "")
    assert texts == ["hello", "clear"] and "clear" in (web.text or "")
