"""The loneliness questions answered through the one intake (casework.conversation.questions -> casework.loneliness): a
check-in answered "went" starts the measure; the worker texts the consent question; "1" and three answers
keep a score and never reach the bot; "2" is for good; STOP and a crisis are answered as themselves and end
the round. Real migrated SQLite, the Rasa stand-in over real HTTP."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from casework.follow_ups.models import FollowUp
from casework.loneliness.answers import question_text
from casework.loneliness.asking import mark_asked
from casework.loneliness.measures import measure_loneliness
from casework.loneliness.models import LonelinessScore
from casework.models import InboundMessage, as_utc, utcnow
from casework.outbox.messages import OutboxMessage
from casework.privacy.consent import decision_on
from casework.texts import render
from channels.intake import Intake
from jobs.loneliness import send_due_loneliness_questions
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms
from tests.channels.test_intake_follow_ups import agreed_and_asked


def asked_a_minute_ago(sessions: sessionmaker) -> None:
    """The consent question went a minute ago, whatever the hour the test runs at (the job's texting hours
    are tests/casework/loneliness's), and their texts so far came the hour before (the job never texts
    into a conversation)."""
    now = utcnow()
    with sessions.begin() as session:
        session.execute(update(LonelinessScore).values(asked_at=now - timedelta(minutes=1)))
        session.execute(update(InboundMessage).where(InboundMessage.received_at > now - timedelta(hours=1))
                        .values(received_at=now - timedelta(hours=1)))


def consent_asked(sessions: sessionmaker) -> None:
    """Support given (a case closed as supported, say) and the worker's consent question texted."""
    with sessions.begin() as session:
        assert measure_loneliness(session, sender_id=SENDER, support="case", area="CH44").started
        mark_asked(session, session.scalars(select(LonelinessScore.id)).one())
    asked_a_minute_ago(sessions)


def score_row(sessions: sessionmaker) -> tuple[str, str, int | None, str | None]:
    with sessions() as session:
        row = session.scalars(select(LonelinessScore)).one()
        return row.state, row.support, row.first_score, row.answers


def test_went_then_yes_and_three_answers_keep_a_score_and_never_reach_the_bot(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await agreed_and_asked(intake, app_sessions, settings)
        went = await intake.receive(sms("yes it was lovely", 3))
        with app_sessions() as session:  # the worker's pass two hours after the check-in (texting hours)
            ask_at = as_utc(session.scalars(select(FollowUp.ask_at)).one())
        assert ask_at is not None and send_due_loneliness_questions(app_sessions, settings, now=ask_at + timedelta(hours=2)).handled == 1
        asked_a_minute_ago(app_sessions)
        replies = [await intake.receive(sms(text, n)) for n, text in enumerate(("1", "often", "2", "3 thanks"), start=4)]
        return went, replies, rasa.texts

    went, replies, bot_heard = run(settings, app_sessions, scenario)
    assert went.state == "answered"
    with app_sessions() as session:
        consent = session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "loneliness")).one()
        assert decision_on(session, SENDER, "loneliness") is True
    assert consent == render("loneliness_consent")
    assert [r.text for r in replies[:3]] == [question_text(1), question_text(2), question_text(3)]
    assert replies[3].text == render("loneliness_thanks_first") + "\n" + render("loneliness_someone_to_talk_to", silver_line="0800 4 70 80 90")
    assert all(r.state == "answered" for r in replies)
    assert bot_heard == ["knitting in wallasey"], "the answers were casework's, never the bot's"
    assert score_row(app_sessions) == ("due", "suggestion", 8, None), "the follow-up round waits about eight weeks"


def test_no_is_for_good(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        consent_asked(app_sessions)
        return await intake.receive(sms("no thanks", 2)), rasa.texts

    declined, bot_heard = run(settings, app_sessions, scenario)
    assert declined.text == render("loneliness_declined") and bot_heard == ["hello"]
    assert score_row(app_sessions)[0] == "declined"
    with app_sessions.begin() as session:
        session.execute(LonelinessScore.__table__.delete())
        assert measure_loneliness(session, sender_id=SENDER, support="befriending").why_not == "declined", "never asked again"


def test_stop_mid_questions_is_an_opt_out_and_ends_the_round(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        consent_asked(app_sessions)
        agreed = await intake.receive(sms("1", 2))
        stop = await intake.receive(sms("STOP", 3))
        start = await intake.receive(sms("START", 4))
        after = await intake.receive(sms("2", 5))
        return agreed, stop, start, after, rasa.texts

    agreed, stop, start, after, bot_heard = run(settings, app_sessions, scenario)
    assert agreed.text == question_text(1)
    assert (stop.state, stop.text) == ("opt_out", None)
    assert after.text == "You said: 2" and bot_heard == ["hello", "2"], "after STOP and START a 2 is no answer: the bot's"
    assert score_row(app_sessions) == ("lapsed", "case", None, None)
    with app_sessions() as session:
        assert decision_on(session, SENDER, "loneliness") is False, "STOP withdrew what they had agreed"


def test_a_crisis_mid_questions_is_answered_as_one_and_not_taken_for_an_answer(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        consent_asked(app_sessions)
        await intake.receive(sms("yes", 2))
        await intake.receive(sms("3", 3))
        crisis = await intake.receive(sms("I have taken all my tablets, 2 boxes", 4))
        after = await intake.receive(sms("2", 5))
        return crisis, after, rasa.texts

    crisis, after, bot_heard = run(settings, app_sessions, scenario)
    assert crisis.state == "screened" and "999" in (crisis.text or "")
    assert question_text(3) not in (crisis.text or "")
    assert bot_heard == ["hello", "2"]
    assert score_row(app_sessions) == ("lapsed", "case", None, None)
