"""A live match's check-ins: both sides asked two weeks after it went live and then monthly, from the usual number,
in texting hours, never to an opted-out number or into a conversation, once per due date however often the worker
runs; their 1, 2 or 3 read through casework.conversation.questions (a bare one to the befriending number too, not passed on);
"not for me" and "a problem" told to the connector; unanswered, never asked again."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from casework.befriending.check_ins import answer_match_check_in, check_in_answer, check_ins_of
from casework.befriending.relay import end_by_text
from casework.befriending.tables import BefriendingCheckIn, BefriendingText
from casework.conversation.inbound import BodyVault
from casework.conversation.questions import MATCH_CHECK_IN, answer_open_question, open_questions
from casework.models import InboundMessage, Resident, utcnow
from casework.outbox.messages import OutboxMessage
from casework.residents.records import set_opted_out
from casework.texts import render
from jobs.match_check_ins import send_due_match_check_ins
from service.settings import Settings
from tests.casework.befriending.conftest import BEFRIENDING, NOW, match_row, message_id

LIVE = NOW + timedelta(minutes=5)  # conftest's live_match: the volunteer's yes, five minutes on
DUE = LIVE + timedelta(days=14)  # Wednesday 9 December, 14:05: texting hours


def quiet(sessions: sessionmaker, *senders: str, at: datetime = NOW) -> None:
    """Their last text to us was at `at` (not the real clock's now, which the test's times are not)."""
    with sessions.begin() as session:
        session.execute(update(Resident).where(Resident.sender_id.in_(senders)).values(last_contact_at=at))


def reply(sessions: sessionmaker, settings: Settings, sender_id: str, text: str, *, at: datetime, to: str | None = None) -> str | None:
    """A text as casework.conversation.questions hands it to the check-in's room (`to` a befriending number: as the relay's door
    does), at the test's time: recorded first, then read; the reply, or None (not an answer)."""
    mid = message_id()
    with sessions.begin() as session:
        session.add(InboundMessage(channel="sms", message_id=mid, sender_id=sender_id, received_at=at))
        session.flush()
        found = answer_match_check_in(session, sender_id=sender_id, message_id=mid, text=text, settings=settings, now=at, relayed_on=to)
        return found.text if found else None


def asked(sessions: sessionmaker) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "befriending_check_in").order_by(OutboxMessage.id)))


def check_ins(sessions: sessionmaker) -> list[BefriendingCheckIn]:
    with sessions() as session:
        return list(session.scalars(select(BefriendingCheckIn).order_by(BefriendingCheckIn.due_at, BefriendingCheckIn.side)))


def test_both_are_asked_two_weeks_after_it_went_live_from_the_usual_number_once(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    assert send_due_match_check_ins(sessions, settings, now=DUE - timedelta(minutes=1)).handled == 0, "not before two weeks"
    assert send_due_match_check_ins(sessions, settings, now=DUE).handled == 2
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(minutes=1)).handled == 0, "once per due date"
    texts = asked(sessions)
    assert [(m.recipient_sender_id, m.from_number) for m in texts] == [(resident, None), (helper, None)], "from the usual number"
    assert texts[0].body == render("match_check_in_first", other="Margaret")
    assert texts[1].body == render("match_check_in_first", other="Doris")
    with sessions() as session:
        assert MATCH_CHECK_IN in open_questions(session, resident) and MATCH_CHECK_IN in open_questions(session, helper)
    rows = check_ins(sessions)
    assert [(r.side, r.round, r.state) for r in rows] == [("resident", 1, "asked"), ("volunteer", 1, "asked"),
                                                          ("resident", 2, "due"), ("volunteer", 2, "due")]
    assert {r.due_at.replace(tzinfo=None) for r in rows[2:]} == {(DUE + timedelta(days=30)).replace(tzinfo=None)}, "then monthly"


def test_answers_are_recorded_and_the_connector_told_of_not_for_me_and_a_problem(sessions, settings, live_match, add_connector) -> None:
    add_connector("Jo Wallasey", "07700 900001", patch="CH44")
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    send_due_match_check_ins(sessions, settings, now=DUE)
    assert reply(sessions, settings, helper, "1", at=DUE + timedelta(hours=1)) == render("match_check_in_thanks_well")
    problem = reply(sessions, settings, resident, "3 she never rings when she says", at=DUE + timedelta(hours=2))
    assert problem == render("match_check_in_thanks_problem")
    match_id = match_row(sessions, match).id
    with sessions() as session:
        assert MATCH_CHECK_IN not in open_questions(session, resident)
        told = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_sender_id.like("connector:%"),
                                                           OutboxMessage.body.like("%check-in%"))).all()
        summary = check_ins_of(session, match_id)
    assert [m.body for m in told] == [render("match_check_in_problem_sms", reference=match, side="resident",
                                             console_url=f"https://connect.example.org/console/befriending/{match}")]
    assert told[0].not_before.replace(tzinfo=None) <= (DUE + timedelta(hours=2)).replace(tzinfo=None), "a problem: at once"
    answered = [(c.side, c.answer, c.connector_told) for c in summary if c.state == "answered"]
    assert answered == [("resident", "problem", "yes"), ("volunteer", "well", None)]
    assert reply(sessions, settings, resident, "2", at=DUE + timedelta(hours=3)) is None, "answered once"

    # The next month: "not for me" tells the connector too (in working hours).
    quiet(sessions, resident, helper, at=DUE)
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(days=30)).handled == 2
    assert asked(sessions)[-1].body == render("match_check_in", other="Doris")
    assert reply(sessions, settings, helper, "not for me", at=DUE + timedelta(days=30, hours=1)) is not None
    with sessions() as session:
        bodies = session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient_sender_id.like("connector:%"))).all()
    assert any("the volunteer said it is not for them" in body for body in bodies)


def test_unanswered_is_never_asked_again_and_next_month_comes_as_usual(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    send_due_match_check_ins(sessions, settings, now=DUE)
    assert reply(sessions, settings, resident, "any knitting in wallasey", at=DUE + timedelta(hours=1)) is None, "the bot's, and it waits"
    assert reply(sessions, settings, resident, "1", at=DUE + timedelta(days=4)) is None, "too late to be its answer"
    for day in range(1, 29):
        assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(days=day)).handled == 0, day
    assert [r.state for r in check_ins(sessions)[:2]] == ["unanswered", "unanswered"]
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(days=30)).handled == 2
    assert len(asked(sessions)) == 4


def test_not_at_night_not_to_an_opted_out_number_not_into_a_conversation(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    night = DUE.replace(hour=22)
    assert send_due_match_check_ins(sessions, settings, now=night).handled == 0, "quiet hours"
    with sessions.begin() as session:
        set_opted_out(session, resident, True)
    quiet(sessions, helper, at=DUE - timedelta(minutes=10))
    assert send_due_match_check_ins(sessions, settings, now=DUE).handled == 0, "STOP; and she is texting us now"
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(hours=1)).handled == 1
    assert [m.recipient_sender_id for m in asked(sessions)] == [helper]
    with sessions.begin() as session:
        set_opted_out(session, resident, False)  # START
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(days=1)).handled == 1
    assert [m.recipient_sender_id for m in asked(sessions)] == [helper, resident]


def test_a_week_late_is_missed_and_an_ended_match_is_asked_no_more(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(days=8)).handled == 0
    rows = check_ins(sessions)
    assert [(r.round, r.state) for r in rows] == [(1, "missed"), (1, "missed"), (2, "due"), (2, "due")]
    with sessions.begin() as session:
        end_by_text(session, number=BEFRIENDING[0], sender_id=resident, message_id=message_id(), settings=settings, now=DUE + timedelta(days=9))
    assert send_due_match_check_ins(sessions, settings, now=DUE + timedelta(days=30)).handled == 0
    assert [r.state for r in check_ins(sessions)] == ["missed", "missed", "closed", "closed"]


def test_a_bare_answer_to_the_befriending_number_is_the_check_ins_and_not_passed_on(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    send_due_match_check_ins(sessions, settings, now=DUE)
    assert reply(sessions, settings, helper, "2 oclock suits me", at=DUE + timedelta(hours=1), to=BEFRIENDING[0]) is None, "chat: passed on"
    taken = reply(sessions, settings, helper, "3", at=DUE + timedelta(hours=2), to=BEFRIENDING[0])
    assert taken == render("match_check_in_thanks_problem_nobody"), "nobody to tell in this test"
    with sessions() as session:
        assert session.scalars(select(BefriendingText)).all() == []
        row = session.scalars(select(BefriendingCheckIn).where(BefriendingCheckIn.sender_id == helper, BefriendingCheckIn.round == 1)).one()
    assert (row.answer, row.connector_told) == ("problem", "nobody")


def test_casework_questions_hands_the_reply_to_the_check_in_by_either_number(sessions, settings, live_match) -> None:
    """The intake's and the relay's one way in (the real clock: a question asked a minute ago)."""
    match, resident, helper = live_match()
    quiet(sessions, resident, helper)
    send_due_match_check_ins(sessions, settings, now=DUE)
    with sessions.begin() as session:
        session.execute(update(BefriendingCheckIn).where(BefriendingCheckIn.state == "asked").values(asked_at=utcnow() - timedelta(minutes=1)))

    def through_questions(sender_id: str, text: str, to: str | None = None) -> list[str] | None:
        mid = message_id()
        with sessions.begin() as session:
            session.add(InboundMessage(channel="sms", message_id=mid, sender_id=sender_id, received_at=utcnow()))
            session.flush()
            found = answer_open_question(session, sender_id=sender_id, channel="sms", message_id=mid, text=text, settings=settings,
                                         vault=BodyVault.for_settings(settings), sms_questions=to is None, match_number=to)
            return [line.text for line in found.lines] if found else None  # type: ignore[attr-defined]

    assert through_questions(resident, "going well thanks") == [render("match_check_in_thanks_well")]
    assert through_questions(helper, "see you at 2", to=BEFRIENDING[0]) is None
    assert through_questions(helper, "2", to=BEFRIENDING[0]) == [render("match_check_in_thanks_not_for_me_nobody")]
    assert [(r.side, r.answer) for r in check_ins(sessions) if r.state == "answered"] == [("resident", "well"), ("volunteer", "not_for_me")]


@pytest.mark.parametrize(("text", "bare", "expected"), [
    ("1", False, "well"), ("its going well thanks", False, "well"), ("Two", False, "not_for_me"), ("not for me", True, "not_for_me"),
    ("3 she keeps asking me for money", False, "problem"), ("3 she keeps asking me for money", True, None), ("a problem", True, "problem"),
    ("2 oclock suits me", True, None), ("see you tuesday", False, None), ("1st of the month", False, None), ("", False, None),
])
def test_what_reads_as_an_answer(text: str, bare: bool, expected: str | None) -> None:
    assert check_in_answer(text, bare=bare) == expected
