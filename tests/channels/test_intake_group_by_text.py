"""Proposing a group by text through the one intake (casework.proposed_groups.by_text via casework.conversation.questions): what
people really write starts it and searches do not; each answer brings the next question and never reaches the bot;
LEAVE IT, HELP, a crisis and STOP in the middle behave as everywhere else; web chat gets the form's link. Real
migrated SQLite, the Rasa stand-in over real HTTP."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from casework.cases.connectors import add_connector
from casework.outbox.messages import OutboxMessage
from casework.proposed_groups.by_text import _question, offers_a_group
from casework.proposed_groups.models import GroupDraft, ProposedGroup
from casework.proposed_groups.reading import proposal_details
from casework.texts import render
from channels.intake import Incoming, Intake
from service.text import is_gsm, segment_count
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms

OFFERS = [
    "I run a knitting group in Deal, can you list it?",
    "how do I get my lunch club on your list",
    "we've started a walking group",
    "We have just set up a men's shed in Wallasey",
    "i organise a coffee morning at st marys every tuesday",
    "Id like to start a group for widows",
    "can you put our choir on your list please",
    "there's a knitting group at the church, could you list it?",
    "add my group please",
    "I help run a lunch club, how do we get it on your website",
    "we run a friendship group for over 60s",
]
SEARCHES = [
    "I'd like to join a knitting group",
    "any knitting groups in deal",
    "is there a walking group near heswall",
    "i go to a lunch club on tuesdays",
    "can you list the groups in deal",
    "i want to volunteer at a lunch club",
    "i'd like to help at a group",
    "I used to run a choir but i gave it up",
    "ive started going to a pottery class",
    "can you add my name to the knitting group",
    "i run out of things to do",
    "what groups do you have",
]

ANSWERS = [
    ("I run a knitting group in Deal, can you list it?", "group_text_start"),
    ("Deal Knit and Natter", "group_text_about"),
    ("We knit, chat and drink tea. All welcome, beginners too.", "group_text_where"),
    ("St Andrew's church hall, Deal", "group_text_when"),
    ("tuesdays 2 till 4", "group_text_cost"),
    ("£2 with tea and cake", "group_text_contact"),
    ("this number", "group_text_proposer"),
    ("Sue", None),  # the summary, then "1" sends it
]


@pytest.mark.parametrize("text", OFFERS)
def test_what_people_write_about_a_group_they_run_is_recognised(text: str) -> None:
    assert offers_a_group(text)


@pytest.mark.parametrize("text", SEARCHES)
def test_looking_for_a_group_is_not_offering_one(text: str) -> None:
    assert not offers_a_group(text)


def drafts(app_sessions) -> list[GroupDraft]:
    with app_sessions() as session:
        return list(session.scalars(select(GroupDraft)))


def test_the_questions_one_at_a_time_then_1_files_the_proposal_as_the_form_does(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        replies = []
        for n, (body, _) in enumerate(ANSWERS, start=1):
            replies.append((await intake.receive(sms(body, n))).text)
        sealed = drafts(app_sessions)[0].answers_encrypted
        replies.append((await intake.receive(sms("1", 99))).text)
        return replies, rasa.texts, sealed

    replies, bot_heard, sealed = run(settings, app_sessions, scenario)
    assert bot_heard == [], "every answer is casework's"
    for reply, (_, expected) in zip(replies, ANSWERS, strict=False):
        if expected:
            assert reply.startswith(render(expected)), (reply, expected)
    confirm = replies[7]
    assert "Reply 1 to send this to the team, or 2 to leave it" in confirm and "Deal Knit and Natter" in confirm
    assert "Sue" not in sealed and "Knit" not in sealed, "the answers so far wait sealed"
    assert drafts(app_sessions) == [], "nothing waits once it is sent"
    with app_sessions.begin() as session:
        group = session.scalars(select(ProposedGroup)).one()
        assert replies[8] == render("group_text_sent_nobody", reference=group.reference)  # no connector registered here
        assert (group.state, group.area, group.proposer_sender_id, group.state_changed_by) == ("proposed", "CT14", SENDER, "group_text")
        details = proposal_details(session, reference=group.reference, settings=settings, actor="connector:1")
    listing = details.listing
    assert (listing.name, listing.town, listing.address, listing.postcode) == ("Deal Knit and Natter", "Deal", "St Andrew's church hall", "")
    assert (listing.days, listing.frequency, listing.start_time, listing.end_time) == (("Tuesday",), "weekly", "14:00", "16:00")
    assert (listing.cost, listing.contact) == ("£2 with tea and cake", "07700 900432")
    assert (details.proposer.name, details.proposer.role, details.proposer.contact) == ("Sue", "organiser", "07700 900432")


def test_a_connector_is_emailed_that_it_came_by_text(settings, app_sessions) -> None:
    with app_sessions.begin() as session:
        add_connector(session, name="Kim Deal", phone="+447700900777", email="kim@council.example", patch="CT14", settings=settings)

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        for n, (body, _) in enumerate(ANSWERS, start=1):
            await intake.receive(sms(body, n))
        return (await intake.receive(sms("yes please", 99))).text

    sent = run(settings, app_sessions, scenario)
    with app_sessions() as session:
        reference = session.scalars(select(ProposedGroup.reference)).one()
        email = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "group_proposed")).one()
    assert sent == render("group_text_sent", reference=reference)
    assert email.recipient_encrypted == "kim@council.example" and "by text" in email.body and "Sue" not in email.body


def test_leave_it_midway_keeps_nothing_and_the_next_text_goes_to_the_bot(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("we've started a walking group", 1))
        await intake.receive(sms("Deal Strollers", 2))
        left = await intake.receive(sms("leave it", 3))
        await intake.receive(sms("any choirs in deal", 4))
        return left.text, rasa.texts

    left, bot_heard = run(settings, app_sessions, scenario)
    assert left == render("group_text_left")
    assert bot_heard == ["any choirs in deal"]
    assert drafts(app_sessions) == []
    with app_sessions() as session:
        assert session.scalars(select(ProposedGroup)).all() == []


def test_help_midway_says_what_this_is_and_asks_again(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("we've started a walking group", 1))
        return (await intake.receive(sms("HELP", 2))).text, (await intake.receive(sms("Deal Strollers", 3))).text

    helped, then = run(settings, app_sessions, scenario)
    assert helped.startswith(render("group_text_help")) and helped.endswith(render("group_text_name"))
    assert then == render("group_text_about")


def test_a_crisis_midway_gets_its_numbers_and_the_questions_stop(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("I run a knitting group in Deal, can you list it?", 1))
        await intake.receive(sms("Deal Knit and Natter", 2))
        crisis = await intake.receive(sms("i want to end it all tonight", 3))
        after = await intake.receive(sms("tuesdays 2 till 4", 4))
        return crisis, after, rasa.texts

    crisis, after, bot_heard = run(settings, app_sessions, scenario)
    assert crisis.state == "screened" and "Samaritans" in (crisis.text or "")
    assert bot_heard == ["tuesdays 2 till 4"], "not taken for an answer after the crisis"
    assert after.state == "answered" and drafts(app_sessions) == []


def test_stop_midway_opts_out_and_nothing_more_is_asked(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        await intake.receive(sms("how do I get my lunch club on your list", 1))
        stopped = await intake.receive(sms("STOP", 2))
        silent = await intake.receive(sms("Deal Lunch Club", 3))
        await intake.receive(sms("START", 4))
        later = await intake.receive(sms("any choirs in deal", 5))
        return stopped, silent, later, rasa.texts

    stopped, silent, later, bot_heard = run(settings, app_sessions, scenario)
    assert (stopped.state, stopped.text) == ("opt_out", None) and (silent.state, silent.text) == ("opt_out", None)
    assert bot_heard == ["any choirs in deal"], "after START the questions have lapsed"
    assert drafts(app_sessions) == []


def test_web_chat_is_given_the_forms_link(settings, app_sessions) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(Incoming("webchat", "web-1", "web:abc", "I run a knitting group in Deal, can you list it?")), rasa.texts

    outcome, bot_heard = run(settings, app_sessions, scenario)
    assert render("group_text_web", link="http://localhost:8000/groups/new") in (outcome.text or "") and bot_heard == []
    assert drafts(app_sessions) == []


def test_every_question_fits_three_segments_even_with_the_longest_answers() -> None:
    """The question is at the end of each text: past the SMS budget "Reply MORE" would cut it off."""
    longest = {"name": "N" * 120, "where_words": "W" * 200, "when_words": "T" * 200, "cost": "C" * 80, "contact": "x@example.org"}
    for step in ("name", "about", "where", "when", "cost", "contact", "proposer", "confirm"):
        for again in (False, True):
            text = _question(step, again=again, answers=longest)
            assert is_gsm(text) and segment_count(text) <= 3, (step, again, segment_count(text))
    for name in ("group_text_start", "group_text_help", "group_text_left", "group_text_sent", "group_text_sent_nobody"):
        text = render(name, reference="GP-12345")
        assert is_gsm(text) and segment_count(text) <= 2, name
