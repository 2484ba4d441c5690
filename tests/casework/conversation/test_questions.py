"""Which questions a sender has open (casework.conversation.questions), read once a message on the real migrated
SQLite database: the intake asks only those rooms, so a question this misses would never be answered."""
from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from casework.conversation.questions import AREA, CHECK_IN, CHECK_IN_OFFER, CONTACT, DIRECT_QUESTION, REMEMBER, open_questions
from casework.follow_ups.models import FollowUp
from casework.models import utcnow
from casework.residents.flags import raise_flag

SENDER = "sms:questions-test"
SOMEONE_ELSE = "sms:someone-else"


def _follow_up(state: str, sender_id: str = SENDER) -> FollowUp:
    return FollowUp(sender_id=sender_id, activity_id="a1", activity_name="Walking group", meets_at=utcnow(), state=state)


def test_nothing_asked_is_nothing_open(sessions: sessionmaker) -> None:
    with sessions.begin() as session:
        raise_flag(session, sender_id=SENDER, reason="lives_alone", source="signals")  # a flag, not a question
        session.add(_follow_up("agreed"))  # agreed: the check-in is not sent yet, so nothing is asked
        assert open_questions(session, SENDER) == frozenset()


def test_every_kind_of_question_is_named_and_only_for_its_sender(sessions: sessionmaker) -> None:
    with sessions.begin() as session:
        for reason in (AREA, CONTACT, DIRECT_QUESTION, REMEMBER):
            raise_flag(session, sender_id=SENDER, reason=reason, source="test")
        session.add_all([_follow_up("offered"), _follow_up("asked"), _follow_up("offered", SOMEONE_ELSE)])
        raise_flag(session, sender_id=SOMEONE_ELSE, reason=AREA, source="test")
        session.flush()
        assert open_questions(session, SENDER) == {AREA, CONTACT, DIRECT_QUESTION, REMEMBER, CHECK_IN_OFFER, CHECK_IN}
        assert open_questions(session, SOMEONE_ELSE) == {AREA, CHECK_IN_OFFER}


def test_an_answered_question_is_no_longer_open(sessions: sessionmaker) -> None:
    with sessions.begin() as session:
        raise_flag(session, sender_id=SENDER, reason=AREA, source="test").state = "answered"
        session.add(_follow_up("answered"))
        session.flush()
        assert open_questions(session, SENDER) == frozenset()
