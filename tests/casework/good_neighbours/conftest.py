"""Volunteers signed up through casework.good_neighbours.sign_up in the migrated SQLite database of the
casework fixtures, and their texts: the clock is a Wednesday afternoon in texting hours unless a test
says otherwise (London is on UTC in November)."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.cases.models import Volunteer
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.training import answer_training
from casework.models import InboundMessage, Resident
from casework.outbox.messages import OutboxMessage
from service.settings import Settings

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # Wednesday 14:00 in London
_numbers = itertools.count(900500)


def number() -> str:
    return f"+447700{next(_numbers)}"


@pytest.fixture
def sign_up(sessions: sessionmaker, casework_settings: Settings, add_resident: Callable[..., str]) -> Callable[..., tuple[str, str]]:
    """Sign a volunteer up by text (or web chat, leaving `contact`); returns their reference and the sender id
    their training is texted to."""

    def make(*, roles: tuple[str, ...] = ("befriending_calls",), name: str = "Margaret Jones", area: str | None = "CH44",
             channel: str = "sms", contact: str | None = None, opted_out: bool = False, now: datetime = NOW) -> tuple[str, str]:
        sender = add_resident(number(), opted_out=opted_out) if channel == "sms" else f"web:{next(_numbers)}"
        offer = VolunteerOffer(name=name, area_label="Wallasey", area=area, availability="weekday mornings", roles=roles,
                               channel=channel, sender_id=sender, contact=contact)
        with sessions.begin() as session:
            reference = sign_up_volunteer(session, offer=offer, settings=casework_settings, now=now).reference
            texted = session.scalars(select(Volunteer.sms_sender_id).where(Volunteer.reference == reference)).one()
            # They texted the sign-up an hour before the test's clock (not at the machine's own time).
            session.execute(update(Resident).where(Resident.sender_id.in_([sender, texted or sender]))
                            .values(first_contact_at=now - timedelta(hours=1), last_contact_at=now - timedelta(hours=1)))
        return reference, texted or sender

    return make


def volunteer(session: Session, reference: str) -> Volunteer:
    return session.scalars(select(Volunteer).where(Volunteer.reference == reference)).one()


def texts_to(session: Session, sender_id: str, purpose: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient_sender_id == sender_id).order_by(OutboxMessage.id)
    if purpose:
        query = query.where(OutboxMessage.purpose == purpose)
    return list(session.scalars(query))


_message_ids = itertools.count(1)


def reply(sessions: sessionmaker, settings: Settings, sender_id: str, text: str, *, at: datetime):
    """A text from the volunteer as the intake handles it: recorded first (at `at`), then offered to training."""
    message_id = f"SM{next(_message_ids):032d}"
    with sessions.begin() as session:
        session.add(InboundMessage(channel="sms", message_id=message_id, sender_id=sender_id, received_at=at))
        session.flush()
        return answer_training(session, sender_id=sender_id, message_id=message_id, text=text, settings=settings, now=at)
