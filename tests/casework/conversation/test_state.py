"""What an SMS resident's next short reply refers to (casework.conversation.state), on the real
migrated SQLite database: choices and MORE kept, and a row written only when what is offered changes."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import sessionmaker

from casework.conversation.state import choices_for, remember_reply, take_more
from casework.models import SmsConversationState, utcnow

SENDER = "sms:conversation-state-test"


def test_a_reply_offering_nothing_writes_nothing(sessions: sessionmaker) -> None:
    with sessions.begin() as session:
        remember_reply(session, SENDER, choices={}, more=[])
    with sessions.begin() as session:
        assert session.get(SmsConversationState, SENDER) is None
        assert choices_for(session, SENDER) == {} and take_more(session, SENDER) is None


def test_choices_and_more_are_kept_and_read_in_order(sessions: sessionmaker) -> None:
    with sessions.begin() as session:
        remember_reply(session, SENDER, choices={"1": "/details", "2": "/talk"}, more=["part two", "part three"])
    with sessions.begin() as session:
        assert choices_for(session, SENDER) == {"1": "/details", "2": "/talk"}
        assert take_more(session, SENDER) == "part two"
    with sessions.begin() as session:
        assert take_more(session, SENDER) == "part three"
    with sessions.begin() as session:
        assert take_more(session, SENDER) is None


def test_the_same_offer_again_is_not_rewritten_and_a_new_one_replaces_it(sessions: sessionmaker) -> None:
    long_ago = utcnow() - timedelta(days=3)
    with sessions.begin() as session:
        remember_reply(session, SENDER, choices={"1": "/details"}, more=[])
    with sessions.begin() as session:
        session.get(SmsConversationState, SENDER).updated_at = long_ago
    with sessions.begin() as session:
        remember_reply(session, SENDER, choices={"1": "/details"}, more=[])
    with sessions.begin() as session:
        row = session.get(SmsConversationState, SENDER)
        assert row.updated_at.replace(tzinfo=None) == long_ago.replace(tzinfo=None)
        remember_reply(session, SENDER, choices={}, more=[])
    with sessions.begin() as session:
        row = session.get(SmsConversationState, SENDER)
        assert row.choices_json is None and row.updated_at.replace(tzinfo=None) > long_ago.replace(tzinfo=None)
        assert choices_for(session, SENDER) == {}
