"""Loneliness, measured (casework.loneliness, texted by the worker's job jobs.loneliness): who is asked and
when (after support, with consent, in texting hours, never to an opted-out number or into a conversation,
never over another open question, never again after a no), the answers one at a time, the score kept and
the follow-up about eight weeks on. Real migrated SQLite; the clock is a Wednesday afternoon (London is
on UTC in November)."""
from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.cases.lifecycle import close_case
from casework.cases.opening import Reason, open_case
from casework.conversation.inbound import BodyVault
from casework.conversation.questions import LONELINESS, answer_open_question, open_questions
from casework.follow_ups.models import FollowUp
from casework.loneliness.answers import answer_loneliness, question_text
from casework.loneliness.asking import due_questions
from casework.loneliness.measures import loneliness_settings, measure_loneliness
from casework.loneliness.models import LonelinessScore
from casework.loneliness.scale import item_answer, score_of
from casework.models import InboundMessage, Resident, utcnow
from casework.outbox.messages import OutboxMessage
from casework.privacy.consent import consent_history, decision_on
from casework.residents.records import set_opted_out
from casework.texts import render
from jobs.loneliness import send_due_loneliness_questions
from jobs.worker import default_jobs
from service.settings import Settings, SettingsError

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # Wednesday 14:00 in London
NIGHT = datetime(2026, 11, 25, 22, 30, tzinfo=timezone.utc)
_numbers = itertools.count(900700)
_messages = itertools.count(1)


@pytest.fixture
def resident(add_resident, sessions: sessionmaker) -> str:
    sender = add_resident(f"+447700{next(_numbers)}")
    with sessions.begin() as session:  # they last texted yesterday: no conversation in progress
        session.execute(update(Resident).where(Resident.sender_id == sender).values(last_contact_at=NOW - timedelta(days=1)))
    return sender


def supported(sessions: sessionmaker, sender: str, support: str = "suggestion", area: str | None = "CH44", at: datetime = NOW):
    with sessions.begin() as session:
        return measure_loneliness(session, sender_id=sender, support=support, area=area, now=at)


def row_of(sessions: sessionmaker, sender: str) -> LonelinessScore:
    with sessions() as session:
        row = session.scalars(select(LonelinessScore).where(LonelinessScore.sender_id == sender)).one()
        session.expunge(row)
        return row


def texts_to(sessions: sessionmaker, sender: str) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient_sender_id == sender,
                                                                     OutboxMessage.purpose == "loneliness").order_by(OutboxMessage.id)))


def reply(sessions: sessionmaker, settings: Settings, sender: str, text: str, *, at: datetime):
    """A text as the intake handles it: recorded first (at `at`), then offered to the open questions."""
    message_id = f"SM{next(_messages):032d}"
    with sessions.begin() as session:
        session.add(InboundMessage(channel="sms", message_id=message_id, sender_id=sender, received_at=at))
        session.flush()
        return answer_loneliness(session, sender_id=sender, message_id=message_id, text=text, settings=settings, now=at)


def asked(sessions: sessionmaker, settings: Settings, sender: str, at: datetime = NOW) -> None:
    supported(sessions, sender, at=at)
    assert send_due_loneliness_questions(sessions, settings, now=at).handled == 1


# --- the scale --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [("1", 1), ("2", 2), ("3", 3), ("two", 2), ("Often", 3), ("hardly ever", 1),
                                             ("some of the time", 2), ("id say 1", 1), ("3 thanks", 3), ("sometimes x", 2),
                                             ("all the time really", 3)])
def test_a_short_reply_answers_a_question(text: str, value: int) -> None:
    assert item_answer(text) == value


@pytest.mark.parametrize("text", ["", "ok", "4", "1 or 2", "i often go to the choir on 3 tuesdays", "any knitting groups", "yes"])
def test_anything_else_is_not_an_answer(text: str) -> None:
    assert item_answer(text) is None


def test_a_score_is_the_sum_of_three_answers() -> None:
    assert (score_of("111"), score_of("213"), score_of("333")) == (3, 6, 9)
    with pytest.raises(ValueError):
        score_of("21")


def test_every_text_fits_one_sms_segment() -> None:
    for name in ("loneliness_consent", "loneliness_declined", "loneliness_thanks_first", "loneliness_thanks_follow_up"):
        assert len(render(name)) <= 160, name
    for number in (1, 2, 3):
        assert len(question_text(number)) <= 160
    assert render("loneliness_consent") == ("Would you answer 3 quick questions about how you've been feeling? "
                                            "Reply 1 for yes or 2 for no")


# --- who is asked, and when --------------------------------------------------------------------------

def test_support_starts_the_measure_once_and_only_for_someone_who_can_be_texted(sessions, casework_settings, resident, add_resident):
    assert supported(sessions, resident).started
    assert supported(sessions, resident, support="case").why_not == "already", "one first score per resident"
    assert supported(sessions, "web:abc").why_not == "not_sms"
    stopped = add_resident(f"+447700{next(_numbers)}", opted_out=True)
    assert supported(sessions, stopped).why_not == "opted_out"
    row = row_of(sessions, resident)
    assert (row.support, row.area, row.round, row.state) == ("suggestion", "CH44", "first", "due")


def test_the_consent_question_goes_in_texting_hours_and_once(sessions, casework_settings, resident):
    supported(sessions, resident, at=NIGHT - timedelta(hours=1))
    assert send_due_loneliness_questions(sessions, casework_settings, now=NIGHT).handled == 0, "quiet hours: nothing"
    assert texts_to(sessions, resident) == []
    morning = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    assert send_due_loneliness_questions(sessions, casework_settings, now=morning).handled == 1
    assert send_due_loneliness_questions(sessions, casework_settings, now=morning + timedelta(minutes=1)).handled == 0
    assert texts_to(sessions, resident) == [render("loneliness_consent")]
    with sessions() as session:
        message = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "loneliness")).one()
        assert message.expires_at.replace(tzinfo=timezone.utc) == datetime(2026, 11, 26, 21, 0, tzinfo=timezone.utc), "never at night"
    assert row_of(sessions, resident).state == "consent_asked"


def test_nothing_goes_to_an_opted_out_number_into_a_conversation_or_over_another_question(sessions, casework_settings, resident):
    supported(sessions, resident)
    with sessions.begin() as session:
        set_opted_out(session, resident, True)
    assert send_due_loneliness_questions(sessions, casework_settings, now=NOW).handled == 0
    with sessions.begin() as session:
        set_opted_out(session, resident, False)
        session.execute(update(Resident).where(Resident.sender_id == resident).values(last_contact_at=NOW - timedelta(minutes=10)))
    assert send_due_loneliness_questions(sessions, casework_settings, now=NOW).handled == 0, "they are texting us now"
    with sessions.begin() as session:
        session.add(FollowUp(sender_id=resident, activity_id="svc", activity_name="Knit and Natter", meets_at=NOW - timedelta(days=1),
                             state="asked", offered_at=NOW - timedelta(days=3), asked_at=NOW - timedelta(hours=1)))
    assert send_due_loneliness_questions(sessions, casework_settings, now=NOW + timedelta(hours=1)).handled == 0, "a check-in waits"
    assert send_due_loneliness_questions(sessions, casework_settings, now=NOW + timedelta(days=4)).handled == 1, "once it has lapsed"
    assert texts_to(sessions, resident) == [render("loneliness_consent")]


def test_a_question_that_could_not_go_within_a_week_is_dropped(sessions, casework_settings, resident):
    supported(sessions, resident)
    with sessions.begin() as session:
        set_opted_out(session, resident, True)
    assert send_due_loneliness_questions(sessions, casework_settings, now=NOW + timedelta(days=8)).handled == 0
    assert row_of(sessions, resident).state == "expired"


def test_the_follow_up_wait_is_a_setting(casework_settings) -> None:
    assert loneliness_settings(casework_settings).follow_up_after == timedelta(days=56)
    assert loneliness_settings(dataclasses.replace(casework_settings, extra={"LONELINESS_FOLLOW_UP_DAYS": "60"})).follow_up_after == \
        timedelta(days=60)
    with pytest.raises(SettingsError):
        loneliness_settings(dataclasses.replace(casework_settings, extra={"LONELINESS_FOLLOW_UP_DAYS": "soon"}))
    names = [job.name for job in default_jobs(casework_settings, sessionmaker())]
    assert names.index("check_ins") < names.index("loneliness") < names.index("outbox"), "after the check-ins, before the sender"


# --- the answers ---------------------------------------------------------------------------------------

def test_yes_then_three_answers_keep_a_score_and_the_follow_up_comes_eight_weeks_on(sessions, casework_settings, resident):
    asked(sessions, casework_settings, resident)
    minute = timedelta(minutes=1)
    assert reply(sessions, casework_settings, resident, "1", at=NOW + minute).texts == (question_text(1),)
    assert reply(sessions, casework_settings, resident, "often", at=NOW + 2 * minute).texts == (question_text(2),)
    assert reply(sessions, casework_settings, resident, "2", at=NOW + 3 * minute).texts == (question_text(3),)
    scored = reply(sessions, casework_settings, resident, "3", at=NOW + 4 * minute)
    assert (scored.outcome, scored.score) == ("scored", 8)
    assert scored.texts == (render("loneliness_thanks_first"), render("loneliness_someone_to_talk_to", silver_line="0800 4 70 80 90"))
    row = row_of(sessions, resident)
    assert (row.first_score, row.round, row.state, row.answers, row.follow_up_score) == (8, "follow_up", "due", None, None)
    assert row.due_at.replace(tzinfo=timezone.utc) == NOW + 4 * minute + timedelta(days=56)
    with sessions() as session:
        assert decision_on(session, resident, "loneliness") is True

    # About eight weeks on (a Wednesday afternoon): the follow-up's own question, then the same three.
    later = NOW + timedelta(days=56, hours=1)
    assert send_due_loneliness_questions(sessions, casework_settings, now=later - timedelta(days=1)).handled == 0, "not yet"
    assert send_due_loneliness_questions(sessions, casework_settings, now=later).handled == 1
    assert texts_to(sessions, resident)[-1] == render("loneliness_follow_up_consent")
    for n, text in enumerate(("yes please", "2", "1", "some of the time"), start=1):
        answer = reply(sessions, casework_settings, resident, text, at=later + n * minute)
    assert (answer.outcome, answer.score, answer.texts) == ("scored", 5, (render("loneliness_thanks_follow_up"),))
    row = row_of(sessions, resident)
    assert (row.first_score, row.follow_up_score, row.state) == (8, 5, "done")
    assert send_due_loneliness_questions(sessions, casework_settings, now=later + timedelta(days=60)).handled == 0, "that was the last"


def test_no_is_for_good(sessions, casework_settings, resident):
    asked(sessions, casework_settings, resident)
    declined = reply(sessions, casework_settings, resident, "2", at=NOW + timedelta(minutes=1))
    assert declined.texts == (render("loneliness_declined"),)
    with sessions.begin() as session:
        session.execute(update(LonelinessScore).values(state="due"))  # even were it due again, as if by some other support
        assert decision_on(session, resident, "loneliness") is False
    assert send_due_loneliness_questions(sessions, casework_settings, now=NOW + timedelta(days=1)).handled == 0
    assert row_of(sessions, resident).state == "declined"
    with sessions.begin() as session:
        session.execute(LonelinessScore.__table__.delete())
    assert supported(sessions, resident, support="case").why_not == "declined", "never asked again"


def test_a_reply_that_is_no_answer_lapses_the_round_and_keeps_nothing(sessions, casework_settings, resident):
    asked(sessions, casework_settings, resident)
    reply(sessions, casework_settings, resident, "1", at=NOW + timedelta(minutes=1))
    reply(sessions, casework_settings, resident, "2", at=NOW + timedelta(minutes=2))
    assert reply(sessions, casework_settings, resident, "any knitting groups in wallasey", at=NOW + timedelta(minutes=3)) is None
    row = row_of(sessions, resident)
    assert (row.state, row.answers, row.first_score) == ("lapsed", None, None)
    assert reply(sessions, casework_settings, resident, "3", at=NOW + timedelta(minutes=4)) is None, "nothing waits now"


def test_an_answer_days_late_or_after_another_message_is_not_one(sessions, casework_settings, resident, add_resident):
    asked(sessions, casework_settings, resident)
    assert reply(sessions, casework_settings, resident, "1", at=NOW + timedelta(days=4)) is None
    assert row_of(sessions, resident).state == "lapsed"
    other = add_resident(f"+447700{next(_numbers)}")
    with sessions.begin() as session:
        session.execute(update(Resident).where(Resident.sender_id == other).values(last_contact_at=NOW - timedelta(days=1)))
    asked(sessions, casework_settings, other)
    with sessions.begin() as session:  # a crisis text came first (the intake answered it as one, before any question)
        session.add(InboundMessage(channel="sms", message_id="SM-crisis", sender_id=other, received_at=NOW + timedelta(minutes=1),
                                   state="screened"))
    assert reply(sessions, casework_settings, other, "1", at=NOW + timedelta(minutes=2)) is None
    assert row_of(sessions, other).state == "lapsed"


def test_the_intakes_one_read_names_the_question_and_stop_withdraws_consent(sessions, casework_settings, resident):
    with sessions() as session:
        assert LONELINESS not in open_questions(session, resident)
    asked(sessions, casework_settings, resident)
    with sessions() as session:
        assert open_questions(session, resident) == frozenset({LONELINESS})
    now = utcnow()  # the intake answers by the clock: the question was put a minute ago
    with sessions.begin() as session:
        session.execute(update(LonelinessScore).values(asked_at=now - timedelta(minutes=2)))
    reply(sessions, casework_settings, resident, "1", at=now - timedelta(minutes=1))
    with sessions.begin() as session:
        set_opted_out(session, resident, True)
        assert decision_on(session, resident, "loneliness") is False
        assert [d.source for d in consent_history(session, [resident]) if d.purpose == "loneliness"] == ["loneliness_question", "opt_out"]
    with sessions.begin() as session:
        set_opted_out(session, resident, False)
        # STOP and START were texts of their own, answered as themselves: "2" now is not the second answer.
        session.add(InboundMessage(channel="sms", message_id="SM-stop", sender_id=resident, received_at=now - timedelta(seconds=30)))
        session.add(InboundMessage(channel="sms", message_id="SM-stop-start", sender_id=resident, received_at=now))
        session.flush()
        answered = answer_open_question(session, sender_id=resident, channel="sms", message_id="SM-stop-start", text="2",
                                        settings=casework_settings, vault=BodyVault.for_settings(casework_settings), sms_questions=True)
        assert answered is None
    assert row_of(sessions, resident).state == "lapsed"


# --- support: a case closed as supported, a suggestion taken up ------------------------------------------

def test_a_case_closed_as_supported_starts_the_measure_in_its_area(sessions, casework_settings, resident, add_resident):
    other = add_resident(f"+447700{next(_numbers)}")
    with sessions.begin() as session:
        jo = add_connector(session, name="Jo Bloggs", phone="07700 900991", email="jo@council.example", patch="CH41",
                           settings=casework_settings).id
        helped = open_case(session, sender_id=resident, area="CH41 2AA", priority="routine", source="request",
                           reasons=[Reason("request", "request.call_or_visit")], lawful_basis="consent", settings=casework_settings)
        duplicate = open_case(session, sender_id=other, area="CH41", priority="routine", source="request",
                              reasons=[Reason("request", "request.call_or_visit")], lawful_basis="consent", settings=casework_settings)
    with sessions.begin() as session:
        close_case(session, reference=helped.reference, outcome="supported", by=jo, settings=casework_settings)
        close_case(session, reference=duplicate.reference, outcome="duplicate", by=jo, settings=casework_settings)
    row = row_of(sessions, resident)
    assert (row.support, row.area, row.state) == ("case", "CH41", "due")
    with sessions() as session:
        assert session.scalars(select(LonelinessScore.id).where(LonelinessScore.sender_id == other)).first() is None


def test_a_check_in_answered_went_is_a_suggestion_taken_up(sessions, casework_settings, resident):
    vault = BodyVault.for_settings(casework_settings)
    now = utcnow()  # the intake answers a check-in by the clock
    with sessions.begin() as session:
        session.add(FollowUp(sender_id=resident, activity_id="svc", activity_name="Knit and Natter", meets_at=now - timedelta(days=1),
                             state="asked", offered_at=now - timedelta(days=3), asked_at=now - timedelta(hours=1),
                             interest="knitting", place_encrypted=vault.seal("Wallasey")))
        session.add(InboundMessage(channel="sms", message_id="SM-went", sender_id=resident, received_at=now))
        session.flush()
        answered = answer_open_question(session, sender_id=resident, channel="sms", message_id="SM-went", text="yes it was lovely",
                                        settings=casework_settings, vault=vault, sms_questions=True)
        assert answered is not None
    row = row_of(sessions, resident)
    assert (row.support, row.area, row.state) == ("suggestion", "CH44", "due"), "Wallasey is in CH44 (data/places.csv)"


def test_the_migration_matches_the_model(casework_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from service.database import Base

    with casework_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "loneliness" in repr(d)] == []


def test_due_questions_read_nothing_at_night(sessions, casework_settings, resident):
    supported(sessions, resident)
    with sessions() as session:
        assert due_questions(session, settings=casework_settings, now=NIGHT) == []
