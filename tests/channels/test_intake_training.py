"""A volunteer's training answered through the one intake (casework.conversation.questions -> casework.good_neighbours
.training): their "2" to a module's question is read before the bot and never sent to it; the reply is
training's own words; a text about something else goes to the bot and the question waits; a crisis is
never taken for an answer. Real migrated SQLite, the Rasa stand-in over real HTTP."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from casework.cases.models import VolunteerTraining
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import start_training
from casework.good_neighbours.training import MODULES, wrong_text
from casework.models import utcnow
from casework.texts import render
from channels.intake import Intake
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms


def in_training(sessions: sessionmaker, settings: Settings) -> None:
    """Signed up by text, moved to training by a connector, module 1 texted a minute ago (whatever the
    hour the test runs at: the module itself waits for texting hours, which tests/casework cover)."""
    offer = VolunteerOffer(name="Margaret Jones", area_label="Wallasey", area="CH44", availability="weekday mornings",
                           roles=("befriending_calls",), channel="sms", sender_id=SENDER)
    with sessions.begin() as session:
        reference = sign_up_volunteer(session, offer=offer, settings=settings).reference
        start_training(session, reference=reference, actor="connector:1", settings=settings)
        session.execute(update(VolunteerTraining).values(texted_at=utcnow() - timedelta(minutes=1)))


def modules_done(sessions: sessionmaker) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(VolunteerTraining.module).where(VolunteerTraining.state == "done")))


def test_a_right_answer_is_trainings_and_never_the_bots(settings, app_sessions) -> None:
    first = MODULES[0]

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))  # a resident before they volunteered: the privacy notice is given here
        in_training(app_sessions, settings)
        return await intake.receive(sms(str(first.answer), 2)), rasa.texts

    outcome, bot_heard = run(settings, app_sessions, scenario)
    assert outcome.state == "answered"
    # The next module follows through the outbox, now or in the morning, depending on the hour the test runs.
    assert outcome.text in {render(name, done=1, total=len(MODULES)) for name in ("training_right", "training_right_later")}
    assert bot_heard == ["hello"]
    assert modules_done(app_sessions) == [first.name]


def test_a_wrong_answer_explains_and_asks_again(settings, app_sessions) -> None:
    first = MODULES[0]
    wrong = next(n for n in (1, 2, 3) if n != first.answer)

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        in_training(app_sessions, settings)
        return await intake.receive(sms(str(wrong), 2)), rasa.texts

    outcome, bot_heard = run(settings, app_sessions, scenario)
    assert outcome.text == wrong_text(first.name).render()
    assert bot_heard == ["hello"] and modules_done(app_sessions) == []


def test_something_else_goes_to_the_bot_and_a_crisis_is_answered_as_one(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("hello", 1))
        in_training(app_sessions, settings)
        other = await intake.receive(sms("any knitting groups in wallasey", 2))
        crisis = await intake.receive(sms("I have taken all my tablets, 2 boxes", 3))
        return other, crisis, rasa.texts

    other, crisis, bot_heard = run(settings, app_sessions, scenario)
    assert bot_heard == ["hello", "any knitting groups in wallasey"]
    assert crisis.state == "screened" and "999" in (crisis.text or "")
    assert modules_done(app_sessions) == []
