"""The intake with the safety screen's learned layer: a crisis in words no rule knows reaches a person,
wherever it comes in the conversation and on either channel; without the model the rules still answer.
Real SQLite database, the Rasa stand-in over real HTTP; texts written for these tests."""
from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases.models import Case, CaseReason
from casework.cases.reading import case_detail
from casework.safety.rules_layer import screen
from casework.safety.screen import SafetyScreen
from channels.bot_client import BotClient
from channels.incoming import Incoming
from channels.intake import Intake
from service.settings import Settings
from tests.channels.rasa_standin import TOKEN, RasaStandIn
from tests.channels.test_intake import run, sms
from tests.channels.test_intake_casework import connector  # noqa: F401  (a connector on duty, so alerts are queued)

NOT_BREATHING_RIGHT = "my wife is slumped in her chair and I cant get any sense out of her, her breathing sounds like rattling"
GOODBYE = ("I've put the dog's lead and his food by the door for my neighbour. Tomorrow is our wedding anniversary and "
           "I'll be with Mary again by then")
PARCELS = ("I deliver parcels and the old lady at the end house hasn't taken anything in for a fortnight, the windows are all "
           "steamed up and I can hear the radio")


def reasons(sessions: sessionmaker) -> list[tuple[str, str, str, float | None, str]]:
    with sessions() as session:
        return [(r.category, r.rule, r.layer, r.score, c.priority)
                for r, c in session.execute(select(CaseReason, Case).join(Case, Case.id == CaseReason.case_id).order_by(CaseReason.id))]


def test_the_texts_are_ones_no_rule_catches() -> None:
    assert all(screen(text).category is None for text in (NOT_BREATHING_RIGHT, GOODBYE, PARCELS))


def test_a_crisis_only_the_model_reads_opens_an_urgent_case_that_says_which_layer_and_how_sure(settings, app_sessions, connector) -> None:  # noqa: F811
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(sms(NOT_BREATHING_RIGHT, 1)), list(rasa.texts)

    outcome, bot_texts = run(settings, app_sessions, scenario)
    assert "999" in (outcome.text or "")
    assert bot_texts == [], "the bot never sees it"
    [(category, rule, layer, score, priority)] = reasons(app_sessions)
    assert (category, rule, layer, priority) == ("danger", "model.danger", "model", "urgent")
    assert score is not None and 0.5 < score <= 1.0
    with app_sessions() as session:
        reference = session.scalars(select(Case.reference)).one()
        [reason] = case_detail(session, reference).reasons
    assert (reason.layer, reason.score) == ("model", score), "the connector's view of the case says why"


def test_mid_conversation_after_a_numbered_choice_the_same_crisis_is_screened_the_same(settings, app_sessions, connector) -> None:  # noqa: F811
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("choose", 1))  # the bot offers numbered choices
        crisis = await intake.receive(sms(GOODBYE, 2))
        return crisis, list(rasa.texts)

    crisis, bot_texts = run(settings, app_sessions, scenario)
    assert "116 123" in (crisis.text or "")
    assert bot_texts == ["choose"]
    assert [(c, layer, p) for c, _, layer, _, p in reasons(app_sessions)] == [("suicidal", "model", "urgent")]


def test_in_web_chat_too(settings, app_sessions, connector) -> None:  # noqa: F811
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(Incoming("webchat", "web:m:00000001", "web:m", "any walking groups near me"))
        return await intake.receive(Incoming("webchat", "web:m:00000002", "web:m", GOODBYE)), list(rasa.texts)

    crisis, bot_texts = run(settings, app_sessions, scenario)
    assert "116 123" in (crisis.text or "")
    assert bot_texts == ["any walking groups near me"]
    assert [layer for _, _, layer, _, _ in reasons(app_sessions)] == ["model"]


def test_a_workers_worry_the_model_reads_starts_the_report_flow(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms(PARCELS, 1))
        return list(rasa.texts)

    assert run(settings, app_sessions, scenario) == ["/report_concern"]
    assert reasons(app_sessions) == [], "the report flow opens the case, about the person described"


def test_without_the_model_the_rules_still_answer_and_nothing_else_changes(settings: Settings, app_sessions: sessionmaker, tmp_path) -> None:
    import asyncio

    rules_only = SafetyScreen.load(head_path=tmp_path / "missing.npz")

    async def main() -> Any:
        rasa = RasaStandIn()
        await rasa.start()
        intake = Intake(dataclasses.replace(settings, rasa_urls=(rasa.url,)), app_sessions, BotClient((rasa.url,), token=TOKEN),
                        safety=rules_only)
        try:
            crisis = await intake.receive(sms("ive fallen over and cant get up", 1))
            unread = await intake.receive(sms(NOT_BREATHING_RIGHT, 2))
            return crisis, unread, list(rasa.texts)
        finally:
            await intake.bot.close()
            await rasa.stop()

    crisis, unread, bot_texts = asyncio.run(main())
    assert rules_only.status == "failing"
    assert "999" in (crisis.text or "")
    assert bot_texts == [NOT_BREATHING_RIGHT], "with the rules alone the bot answers what no rule reads"
    assert "999" not in (unread.text or "")
