"""Befriending in the migrated SQLite database of the casework fixtures: residents' requests as the
intake records them, ready volunteers (signed up, checks seen, approved, trained), matches and relayed
texts. The clock is a Wednesday afternoon in texting hours (London is on UTC in November)."""
from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.befriending.matches import answer_match, propose
from casework.befriending.relay import Relayed, relay_text
from casework.befriending.requests import note_request, request_company
from casework.befriending.tables import BefriendingMatch
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import approve, note_details, record_checks, record_training_done
from casework.models import InboundMessage
from service.settings import Settings

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # Wednesday 14:00 in London
BEFRIENDING = ("+447700900500", "+447700900501")
_numbers = itertools.count(900700)
_message_ids = itertools.count(1)


def number() -> str:
    return f"+447700{next(_numbers)}"


def message_id() -> str:
    return f"SM{next(_message_ids):032d}"


@pytest.fixture
def settings(casework_settings: Settings) -> Settings:
    return dataclasses.replace(casework_settings, befriending_numbers=BEFRIENDING)


@pytest.fixture
def resident_asks(sessions: sessionmaker, settings: Settings, add_resident: Callable[..., str]) -> Callable[..., tuple[str, str]]:
    """A resident texts a request for company; returns their sender id and the request's reference."""

    def ask(text: str = "could someone ring me for a chat now and then, im in wallasey", *, first_name: str = "Doris",
            interests: str = "", free: str = "") -> tuple[str, str]:
        sender = add_resident(number())
        with sessions.begin() as session:
            reference = request_company(session, sender_id=sender, channel="sms", message_id=message_id(), text=text, settings=settings,
                                        now=NOW).reference
            if first_name or interests or free:
                note_request(session, reference=reference, actor="connector:1", settings=settings, first_name=first_name,
                             interests=interests, free_times=free, wants="", now=NOW)
        return sender, reference

    return ask


@pytest.fixture
def ready_volunteer(sessions: sessionmaker, settings: Settings, add_resident: Callable[..., str]) -> Callable[..., tuple[str, str]]:
    """A volunteer signed up by text, checks seen, approved and trained: ready. Their reference and sender id."""

    def make(name: str = "Margaret Quillby", *, area: str = "CH44", area_label: str = "Wallasey", roles: tuple[str, ...] = ("befriending_calls",),
             free: str = "weekday mornings", interests: str = "", ready: bool = True) -> tuple[str, str]:
        sender = add_resident(number())
        with sessions.begin() as session:
            reference = sign_up_volunteer(session, offer=VolunteerOffer(name, area_label, area, free, roles, "sms", sender), settings=settings,
                                          now=NOW).reference
            note_details(session, reference=reference, actor="connector:1", settings=settings, interests=interests, availability=free, now=NOW)
            if ready:
                record_checks(session, reference=reference, actor="connector:1", settings=settings,
                              seen={"references": date(2026, 11, 20), "dbs": date(2026, 11, 20)}, now=NOW)
                approve(session, reference=reference, actor="connector:1", now=NOW)
                record_training_done(session, reference=reference, actor="connector:1", settings=settings, now=NOW)
        return reference, sender

    return make


def answer(sessions: sessionmaker, settings: Settings, sender_id: str, text: str, *, at: datetime = NOW + timedelta(minutes=5)):
    """A text as the intake handles it: recorded first, then offered to the match's question."""
    mid = message_id()
    with sessions.begin() as session:
        session.add(InboundMessage(channel="sms", message_id=mid, sender_id=sender_id, received_at=at))
        session.flush()
        return answer_match(session, sender_id=sender_id, message_id=mid, text=text, settings=settings, now=at)


def relay(sessions: sessionmaker, settings: Settings, number: str, sender_id: str, text: str, *, at: datetime = NOW + timedelta(minutes=10),
          held: bool = False) -> Relayed:
    with sessions.begin() as session:
        return relay_text(session, number=number, sender_id=sender_id, message_id=message_id(), text=text, settings=settings, now=at,
                          held=held)


@pytest.fixture
def live_match(sessions: sessionmaker, settings: Settings, resident_asks, ready_volunteer) -> Callable[..., tuple[str, str, str]]:
    """A resident's request, a ready volunteer proposed, both said yes: (the match's reference, the resident's sender id, the volunteer's)."""

    def make() -> tuple[str, str, str]:
        resident, request = resident_asks()
        volunteer, helper = ready_volunteer()
        with sessions.begin() as session:
            match = propose(session, request_reference=request, volunteer_reference=volunteer, actor="connector:1", settings=settings,
                            now=NOW).reference
        assert answer(sessions, settings, resident, "1").outcome == "waiting"
        assert answer(sessions, settings, helper, "yes please").outcome == "live"
        return match, resident, helper

    return make


def match_row(sessions: sessionmaker, reference: str) -> BefriendingMatch:
    with sessions() as session:
        return session.scalars(select(BefriendingMatch).where(BefriendingMatch.reference == reference)).one()
