"""The one intake, in process: a real migrated SQLite database, a Rasa stand-in over real HTTP."""
from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.models import Flag, InboundMessage
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import PhoneVault, sms_sender_id
from channels.bot_client import BotClient
from channels.incoming import Incoming
from channels.intake import Intake
from channels.recovery import Recovery
from channels.responses import render_response
from service.settings import Settings
from tests.channels.rasa_standin import TOKEN, RasaStandIn
from tests.service_stack import free_port

KEY = "test-encryption-key"
NUMBER = "+447700900432"
SENDER = sms_sender_id(NUMBER, key="test-hash-key")


def with_notice(text: str, channel: str = "sms") -> str:
    """A new resident's first reply carries the privacy notice (casework.privacy.consent)."""
    return text + "\n\n" + notice(channel)


def notice(channel: str = "sms") -> str:
    return render_response("utter_privacy_notice", channel=channel, values={"privacy_url": "http://localhost:8000/privacy"})


def sms(body: str, n: int) -> Incoming:
    return Incoming("sms", f"SM{n:032x}", SENDER, body, phone_sealed=PhoneVault(KEY).seal(NUMBER))


def run(settings: Settings, sessions: sessionmaker, scenario: Callable[[Intake, RasaStandIn], Awaitable[Any]], *, rasa_up: bool = True) -> Any:
    async def main() -> Any:
        rasa = RasaStandIn()
        if rasa_up:
            await rasa.start()
        intake = Intake(dataclasses.replace(settings, rasa_urls=(rasa.url,)), sessions, BotClient((rasa.url,), token=TOKEN))
        try:
            return await scenario(intake, rasa)
        finally:
            await intake.bot.close()
            await rasa.stop()

    return asyncio.run(main())


def inbound_states(sessions: sessionmaker) -> list[tuple[str, str]]:
    with sessions() as session:
        return [(r.message_id[-2:], r.state) for r in session.scalars(select(InboundMessage).order_by(InboundMessage.id))]


def queued_replies(sessions: sessionmaker) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "reply").order_by(OutboxMessage.id)))


def test_a_message_is_recorded_screened_and_answered_by_the_bot(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        first = await intake.receive(sms("I like walking", 1))
        again = await intake.receive(sms("I like walking", 1))  # Twilio redelivers
        return first, again

    first, again = run(settings, app_sessions, scenario)
    assert (first.state, first.text) == ("answered", with_notice("You said: I like walking"))
    assert again.text == first.text, "a redelivery gets the first answer"
    assert inbound_states(app_sessions) == [("01", "answered")]
    with app_sessions() as session:
        assert session.scalars(select(InboundMessage.body_encrypted)).one() is None, "the text is kept only until answered"


def test_numbered_choices_and_opt_out(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        choices = await intake.receive(sms("choose", 1))
        picked = await intake.receive(sms("2", 2))
        stop = await intake.receive(sms("STOP", 3))
        after = await intake.receive(sms("hello", 4))
        return choices, picked, stop, after, list(rasa.texts)

    choices, picked, stop, after, texts = run(settings, app_sessions, scenario)
    assert choices.text == with_notice("Which one?\nReply 1 for Walking or 2 for Singing.")
    assert picked.text == "You said: /singing" and texts == ["choose", "/singing"]
    assert (stop.state, stop.text, after.state, after.text) == ("opt_out", None, "opt_out", None)
    with app_sessions() as session:
        assert session.scalars(select(Flag.reason)).all() == ["opted_out"]


def test_with_rasa_down_messages_wait_crises_are_answered_and_all_are_answered_once_in_order_when_it_is_back(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        waiting = await intake.receive(sms("I like walking", 1))
        crisis = await intake.receive(sms("I want to end it all", 2))
        behind = await intake.receive(sms("and knitting", 3))  # names no place: not an answer to "which town?"
        states_while_down = inbound_states(app_sessions)
        await rasa.start()
        recovery = Recovery(intake)
        answered = await recovery.sweep(received_before=intake_now())
        again = await recovery.sweep(received_before=intake_now())
        return waiting, crisis, behind, states_while_down, answered, again, list(rasa.texts)

    waiting, crisis, behind, while_down, answered, again, texts = run(settings, app_sessions, scenario, rasa_up=False)
    assert (waiting.state, waiting.text, waiting.pending) == ("waiting", None, True)
    assert crisis.state == "screened" and "116 123" in (crisis.text or ""), "a crisis is answered at once, Rasa or not"
    assert behind.state == "waiting", "later messages queue behind the waiting one"
    assert while_down == [("01", "waiting"), ("02", "screened"), ("03", "waiting")]
    assert (answered, again) == (2, 0)
    assert texts == ["I like walking", "and knitting"], "answered in the order they came, each once"
    assert queued_replies(app_sessions) == [with_notice("You said: I like walking"), "You said: and knitting"]
    assert inbound_states(app_sessions) == [("01", "deferred"), ("02", "screened"), ("03", "deferred")]


def test_a_turn_that_finished_before_a_crash_is_replayed_not_run_again(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        await intake.receive(sms("bowls", 2))
        # As if the web app died after Rasa ran the turns but before their answers were recorded:
        # one still has its text, one lost it; and a third never reached Rasa and lost its text too.
        with app_sessions.begin() as session:
            first, second = session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
            first.state, first.body_encrypted = "waiting", intake.bodies.seal("hello")
            second.state, second.body_encrypted = "waiting", None
            session.add(InboundMessage(channel="sms", message_id=f"SM{3:032x}", sender_id=SENDER, state="waiting"))
        answered = await Recovery(intake).sweep(received_before=intake_now())
        return answered, list(rasa.turns)

    answered, turns = run(settings, app_sessions, scenario)
    assert answered == 3 and turns == [f"SM{1:032x}", f"SM{2:032x}"], "each turn ran once; replies came from the tracker"
    replies = queued_replies(app_sessions)
    assert replies[:2] == ["You said: hello", "You said: bowls"]
    assert "having trouble" in replies[2], "a message that can be neither replayed nor run is still answered"


def test_a_turn_past_the_deadline_is_answered_empty_and_its_reply_follows_through_the_outbox(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        rasa.delay = 1.5
        outcome = await intake.receive(sms("I like bowls", 1))
        await asyncio.sleep(1.0)
        return outcome

    outcome = run(settings, app_sessions, scenario)
    assert (outcome.state, outcome.text, outcome.pending) == ("pending", None, True)
    assert queued_replies(app_sessions) == [with_notice("You said: I like bowls")]
    assert inbound_states(app_sessions) == [("01", "deferred")]


def test_web_chat_takes_the_same_path_and_a_late_reply_is_kept_for_the_page(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        now = await intake.receive(Incoming("webchat", "web:abc:00000001", "web:abc", "hello"))
        crisis = await intake.receive(Incoming("webchat", "web:abc:00000002", "web:abc", "someone is trying to break in"))
        await rasa.stop()
        waiting = await intake.receive(Incoming("webchat", "web:abc:00000003", "web:abc", "knitting"))
        await rasa.start()
        await Recovery(intake).sweep(received_before=intake_now())
        return now, crisis, waiting

    now, crisis, waiting = run(settings, app_sessions, scenario)
    assert now.messages == [{"text": "You said: hello"}, {"text": notice("webchat")}]
    assert "999" in crisis.messages[0]["text"]
    assert waiting.pending
    with app_sessions() as session:
        row = session.scalars(select(InboundMessage).where(InboundMessage.message_id == "web:abc:00000003")).one()
        assert (row.state, row.reply_text) == ("deferred", "You said: knitting")
    assert queued_replies(app_sessions) == [], "nothing is texted to a web-chat resident"


@pytest.mark.parametrize(
    ("body", "expected", "state"),
    [
        ("I want to end it all", "116 123", "screened"),
        ("a man at the door won't leave", "999", "screened"),
        ("I like walking", "having trouble", "unrecorded"),
        ("STOP", None, "opt_out"),
    ],
)
def test_with_the_database_down_the_screen_still_answers(settings, body: str, expected: str | None, state: str) -> None:
    from service.database import make_engine, make_sessionmaker

    dead = make_sessionmaker(make_engine(f"postgresql+psycopg2://nobody@127.0.0.1:{free_port()}/gone"))

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms(body, 1))

    outcome = run(settings, dead, scenario)
    assert outcome.state == state
    if expected is None:
        assert outcome.text is None
    else:
        assert expected in (outcome.text or "")


def intake_now() -> Any:
    from casework.models import utcnow

    return utcnow()


def test_the_volunteer_keyword_the_copy_offers_starts_the_volunteer_flow(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("Volunteer!", 1))
        await intake.receive(Incoming("webchat", "web:v:00000001", "web:v", "VOLUNTEER"))
        await intake.receive(sms("i volunteer at the library", 2))
        return list(rasa.texts)

    assert run(settings, app_sessions, scenario) == ["/volunteer", "/volunteer", "i volunteer at the library"]
