"""The "did you go?" check-in through the one intake: the offer's answer and the check-in's answer are
read before the bot (never sent to it), a "didn't" offers another idea or a connector's call, and the
numbered choice works; STOP and a crisis are never taken for answers. Real migrated SQLite, the Rasa
stand-in over real HTTP, the worker's job called with its clock."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases.models import Case
from casework.conversation.inbound import BodyVault
from casework.follow_ups.check_ins import check_in_hours, offer_follow_up
from casework.follow_ups.models import FollowUp
from casework.models import as_utc, utcnow
from casework.outbox.messages import OutboxMessage
from channels.intake import Intake
from channels.responses import render_response
from jobs.check_ins import send_due_check_ins
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms
from tests.channels.test_intake_casework import connector  # noqa: F401  (fixture)


def offered(sessions: sessionmaker, settings: Settings) -> None:
    """What action_activity_details does after "tell me about 1" (tests/conversations cover that part)."""
    zone = check_in_hours(settings).texting.zone
    tomorrow = utcnow().astimezone(zone).date() + timedelta(days=1)
    with sessions.begin() as session:
        made = offer_follow_up(session, sender_id=SENDER, activity_id="svc-knit", activity_name="Knit and Natter", interest="knitting",
                               place="Wallasey", vault=BodyVault.for_settings(settings),
                               starts=datetime.combine(tomorrow, datetime.min.time()).replace(hour=10), ends=None, settings=settings)
        assert made is not None


def check_in_sent(sessions: sessionmaker, settings: Settings) -> str:
    """The worker's pass at the check-in's own time (the day after, 10:00: inside texting hours)."""
    with sessions() as session:
        ask_at = as_utc(session.scalars(select(FollowUp.ask_at)).one())
    assert ask_at is not None
    assert send_due_check_ins(sessions, settings, now=ask_at).handled == 1
    with sessions() as session:
        return session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "follow_up")).one()


async def agreed_and_asked(intake: Intake, sessions: sessionmaker, settings: Settings) -> None:
    """A search, the offer after a group's details, "1", and the worker's check-in the day after."""
    await intake.receive(sms("knitting in wallasey", 1))
    offered(sessions, settings)
    await intake.receive(sms("1", 2))
    check_in_sent(sessions, settings)


def test_yes_to_the_offer_then_the_check_in_then_didnt_go_and_a_call_from_a_connector(settings, app_sessions, connector) -> None:  # noqa: F811
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("knitting in wallasey", 1))
        offered(app_sessions, settings)
        agreed = await intake.receive(sms("yes please", 2))
        remember = await intake.receive(sms("no thanks", 3))
        check_in = check_in_sent(app_sessions, settings)
        didnt = await intake.receive(sms("no couldnt get a lift", 4))
        call = await intake.receive(sms("2", 5))
        return agreed, remember, check_in, didnt, call, list(rasa.texts)

    agreed, remember, check_in, didnt, call, texts = run(settings, app_sessions, scenario)
    assert (agreed.text or "").startswith("Lovely. I'll text you on ") and "to see how it went" in (agreed.text or "")
    # The next question waited for this answer: one at a time.
    assert (agreed.text or "").endswith("Shall I remember you like knitting near Wallasey, so next time I can start there? "
                                        "Reply 1 for yes or 2 for no.")
    assert remember.text == render_response("utter_remember_declined", channel="sms")
    assert "Did you get to Knit and Natter on " in check_in and "Reply 1 if you went or 2 if you didn't." in check_in
    assert didnt.text == ("Thank you for letting me know, that's quite all right.\n"
                          "Getting there can be the hardest part. A connector may know of a lift or a group nearer you.\n"
                          "Would you like another idea, or a call from a community connector?\n"
                          "Reply 1 for Another idea or 2 for A call from a connector.")
    with app_sessions() as session:
        reference = session.scalars(select(Case.reference)).one()
        row = session.scalars(select(FollowUp)).one()
        assert (row.state, row.went, row.reason) == ("answered", False, "transport")
    assert reference in (call.text or "") and "connector" in (call.text or "")
    assert texts == ["knitting in wallasey"], "the answers to our questions, and TALK, never reach the bot"


def test_didnt_go_then_another_idea_searches_their_interest_again(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await agreed_and_asked(intake, app_sessions, settings)  # "Shall I remember...?" left unanswered: the check-in is newer
        await intake.receive(sms("No sorry", 3))
        idea = await intake.receive(sms("1", 4))
        return idea, list(rasa.texts)

    idea, texts = run(settings, app_sessions, scenario)
    assert texts[-1] == '/search_activities{"interest": "knitting", "place": "Wallasey"}'
    assert idea.text == 'You said: /search_activities{"interest": "knitting", "place": "Wallasey"}'


def test_went_is_glad_and_no_to_the_offer_sends_nothing_later(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await agreed_and_asked(intake, app_sessions, settings)
        went = await intake.receive(sms("yes it was lovely", 3))
        offered(app_sessions, settings)
        declined = await intake.receive(sms("no thanks", 4))
        return went, declined

    went, declined = run(settings, app_sessions, scenario)
    assert went.text == "That's lovely to hear. Thank you for letting me know. Text me any time you'd like more ideas."
    assert declined.text == "That's fine, I won't. Enjoy it, and text me any time."
    with app_sessions() as session:
        assert list(session.scalars(select(FollowUp.state).order_by(FollowUp.id))) == ["answered", "declined"]


def test_stop_or_a_crisis_in_reply_to_the_check_in_is_never_taken_for_an_answer(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await agreed_and_asked(intake, app_sessions, settings)
        crisis = await intake.receive(sms("no. i dont want to be here anymore", 3))
        stop = await intake.receive(sms("STOP", 4))
        return crisis, stop

    crisis, stop = run(settings, app_sessions, scenario)
    assert crisis.state == "screened" and "116 123" in (crisis.text or "")
    assert stop.state == "opt_out"
    with app_sessions() as session:
        assert session.scalars(select(FollowUp.state)).one() == "asked", "neither was recorded as went or didn't"
