"""A match from a connector's proposal to live: both asked 1/2 through casework.conversation.questions as a training
answer is, a no declines it, both yes make it live on a free befriending number (one number serves many
matches, each person having at most one match on it), no number free waits, END ends it."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.befriending.matches import WrongMatch, give_number, propose
from casework.befriending.relay import end_by_text
from casework.befriending.tables import BefriendingMatch
from casework.cases.models import Volunteer
from casework.conversation.questions import MATCH, open_questions
from casework.conversation.state import remember_reply
from casework.loneliness.models import LonelinessScore
from casework.outbox.messages import OutboxMessage
from casework.texts import render
from tests.casework.befriending.conftest import BEFRIENDING, NOW, answer, match_row, relay


def proposed(sessions, settings, resident_asks, ready_volunteer, **volunteer):
    resident, request = resident_asks()
    reference, helper = ready_volunteer(**volunteer)
    with sessions.begin() as session:
        match = propose(session, request_reference=request, volunteer_reference=reference, actor="connector:1", settings=settings, now=NOW)
    return match.reference, resident, helper


def test_both_are_asked_and_the_question_is_open_for_each(sessions, settings, resident_asks, ready_volunteer) -> None:
    match, resident, helper = proposed(sessions, settings, resident_asks, ready_volunteer)
    with sessions() as session:
        assert MATCH in open_questions(session, resident) and MATCH in open_questions(session, helper)
        asks = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "befriending").order_by(OutboxMessage.id)).all()
    assert [m.recipient_sender_id for m in asks] == [resident, helper]
    assert asks[0].body == render("match_ask_resident_call", volunteer="Margaret", area=render("match_area", area="Wallasey"), shared="")
    assert asks[1].body == render("match_ask_volunteer_call", name="Margaret", resident="Doris", shared="")
    assert all(m.from_number is None for m in asks), "asked from the service's usual number"


def test_a_no_declines_and_the_connector_is_told(sessions, settings, resident_asks, ready_volunteer, add_connector) -> None:
    add_connector("Jo Wallasey", "07700 900001", patch="CH44")
    match, resident, helper = proposed(sessions, settings, resident_asks, ready_volunteer)
    reply = answer(sessions, settings, helper, "no thanks")
    assert (reply.outcome, reply.text) == ("declined", render("match_no"))
    assert match_row(sessions, match).state == "declined"
    with sessions() as session:
        assert MATCH not in open_questions(session, resident), "nothing is left to answer"
        told = session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient_sender_id.like("connector:%"))).all()
    assert any(match in body and "said no" in body for body in told)


def test_a_number_after_newer_numbered_choices_is_theirs_not_the_matchs(sessions, settings, resident_asks, ready_volunteer) -> None:
    match, resident, _ = proposed(sessions, settings, resident_asks, ready_volunteer)
    with sessions.begin() as session:
        remember_reply(session, resident, choices={"1": "/search", "2": "/more"}, more=[])
    assert answer(sessions, settings, resident, "1") is None
    assert match_row(sessions, match).resident_answer is None


def test_not_an_answer_before_the_question_goes_or_when_it_is_not_one(sessions, settings, resident_asks, ready_volunteer) -> None:
    _, resident, _ = proposed(sessions, settings, resident_asks, ready_volunteer)
    assert answer(sessions, settings, resident, "1", at=NOW - timedelta(minutes=1)) is None
    assert answer(sessions, settings, resident, "any knitting in wallasey") is None


def test_both_yes_goes_live_on_a_befriending_number_and_each_is_texted_from_it(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    row = match_row(sessions, match)
    assert (row.state, row.number) == ("live", BEFRIENDING[0])
    with sessions() as session:
        intros = session.scalars(select(OutboxMessage).where(OutboxMessage.from_number == BEFRIENDING[0])).all()
    assert {m.recipient_sender_id for m in intros} == {resident, helper}
    with sessions() as session:  # support whose effect is measured: the resident only, never the volunteer
        measured = session.scalars(select(LonelinessScore)).all()
    assert [(s.sender_id, s.support) for s in measured] == [(resident, "befriending")]


def test_one_number_serves_many_matches_but_each_person_one_match_per_number(sessions, settings, resident_asks, ready_volunteer) -> None:
    first, _, helper = proposed(sessions, settings, resident_asks, ready_volunteer)
    with sessions.begin() as session:
        rows = {m.reference: m for m in session.scalars(select(BefriendingMatch))}
        for m in rows.values():
            m.resident_answer = m.volunteer_answer = "yes"
            give_number(session, m, settings=settings, now=NOW)
    # The same volunteer with a second resident: a second number. Someone else entirely: the first number again.
    resident, request = resident_asks()
    with sessions.begin() as session:
        volunteer = session.scalars(select(BefriendingMatch.volunteer_id)).one()
        same = session.get(Volunteer, volunteer).reference
        second = propose(session, request_reference=request, volunteer_reference=same, actor="connector:1", settings=settings, now=NOW)
    other, other_helper = ready_volunteer("Pat Jones")
    other_resident, other_request = resident_asks()
    with sessions.begin() as session:
        third = propose(session, request_reference=other_request, volunteer_reference=other, actor="connector:1", settings=settings, now=NOW)
        for reference in (second.reference, third.reference):
            m = session.scalars(select(BefriendingMatch).where(BefriendingMatch.reference == reference)).one()
            m.resident_answer = m.volunteer_answer = "yes"
            give_number(session, m, settings=settings, now=NOW)
    assert match_row(sessions, first).number == BEFRIENDING[0]
    assert match_row(sessions, second.reference).number == BEFRIENDING[1]
    assert match_row(sessions, third.reference).number == BEFRIENDING[0]


def test_with_no_number_free_both_yes_waits_and_says_so(sessions, settings, resident_asks, ready_volunteer) -> None:
    none = dataclasses.replace(settings, befriending_numbers=())
    match, resident, helper = proposed(sessions, none, resident_asks, ready_volunteer)
    answer(sessions, none, resident, "yes")
    reply = answer(sessions, none, helper, "1")
    assert (reply.outcome, reply.text) == ("agreed", render("match_agreed_no_number"))
    with sessions.begin() as session:
        row = session.scalars(select(BefriendingMatch)).one()
        assert give_number(session, row, settings=settings, now=NOW), "a number added later makes it live"
    assert match_row(sessions, match).state == "live"


def test_only_a_ready_volunteer_offering_what_is_asked_can_be_proposed(sessions, settings, resident_asks, ready_volunteer) -> None:
    _, request = resident_asks("i would like someone to visit me once a week")
    caller, _ = ready_volunteer("Cal Ler", roles=("befriending_calls",))
    trainee, _ = ready_volunteer("Tray Knee", roles=("visits",), ready=False)
    for volunteer, why in ((caller, "does not offer"), (trainee, "is not ready")):
        with sessions.begin() as session, pytest.raises(WrongMatch, match=why):
            propose(session, request_reference=request, volunteer_reference=volunteer, actor="connector:1", settings=settings, now=NOW)


def test_relayed_both_ways_with_first_names_and_end(sessions, settings, live_match, add_connector) -> None:
    add_connector("Jo Wallasey", "07700 900001", patch="CH44")
    match, resident, helper = live_match()
    assert relay(sessions, settings, BEFRIENDING[0], resident, "hello!").outcome == "relayed"
    assert relay(sessions, settings, BEFRIENDING[0], helper, "hello Doris").outcome == "relayed"
    assert relay(sessions, settings, BEFRIENDING[1], resident, "wrong number").outcome == "no_match"
    with sessions() as session:
        relayed = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "relay").order_by(OutboxMessage.id)).all()
    assert [(m.recipient_sender_id, m.from_number) for m in relayed] == [(helper, BEFRIENDING[0]), (resident, BEFRIENDING[0])]

    with sessions.begin() as session:
        ended = end_by_text(session, number=BEFRIENDING[0], sender_id=helper, message_id="SM-end", settings=settings, now=NOW)
    assert ended.reply == render("relay_end_reply") and match_row(sessions, match).ended_by == "volunteer"
    assert relay(sessions, settings, BEFRIENDING[0], resident, "hello?").reply == render("relay_ended")


def test_at_night_a_relayed_text_waits_for_the_morning_and_the_sender_is_told(sessions, settings, live_match) -> None:
    _, resident, _ = live_match()
    late = relay(sessions, settings, BEFRIENDING[0], resident, "cant sleep, fancy a chat tomorrow?", at=NOW.replace(hour=23))
    assert (late.outcome, late.reply) == ("later", render("relay_later"))
    with sessions() as session:
        sent = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "relay")).one()
    assert sent.not_before.hour == 9  # CHECK_IN_HOURS open at 09:00 (London is on UTC in November)
