"""What befriending holds about a person, for erasure, subject access and the retention purge.

A person is in a request (theirs, by its sender id), in a match on either side (by its sender ids, or
as the volunteer), in the texts relayed in their matches (each text's words live only in the outbox
row that carried them, sealed) and in their matches' check-ins (each side's answer). Rows with their
sender id go with every other table's in erasure's sweep (jobs.erasure), and whatever points at them with
them (a match's texts and check-ins); the outbox rows of the texts *they sent* are addressed to the other
side, and so are the other side's check-in texts (which name them), so `match_outbox_ids` finds those for
erasure too.

Subject access shows them their request, their matches (the other side by role only, never by name),
the texts they sent through the relay (their own words) and their own answers to the check-ins; a text
relayed to them is listed by when and by whom (role), its words left out, as another person's, and the
other side's check-in answers are left out.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch, BefriendingMatchText, BefriendingRequest, BefriendingText
from casework.conversation.inbound import BodyVault
from casework.models import as_utc
from casework.outbox.messages import OutboxMessage, opened_body

__all__ = ["RelayedRecord", "MatchCheckInRecord", "MatchRecord", "RequestRecord", "matches_of_people", "relayed_outbox_ids", "match_outbox_ids",
           "references_of", "befriending_records"]


def matches_of_people(session: Session, *, sender_ids: Collection[str], volunteer_ids: Collection[int] = ()) -> list[int]:
    """Ids of the matches these people are in, on either side (or as one of these volunteers)."""
    ids = list(sender_ids)
    return sorted(set(session.scalars(select(BefriendingMatch.id).where(or_(
        BefriendingMatch.resident_sender_id.in_(ids), BefriendingMatch.volunteer_sender_id.in_(ids),
        BefriendingMatch.volunteer_id.in_(list(volunteer_ids)))))))


def relayed_outbox_ids(session: Session, match_ids: Collection[int]) -> set[int]:
    """The outbox rows of every text relayed in these matches (both ways)."""
    if not match_ids:
        return set()
    return {i for i in session.scalars(select(BefriendingText.outbox_id).where(BefriendingText.match_id.in_(list(match_ids)))) if i}


def match_outbox_ids(session: Session, match_ids: Collection[int]) -> set[int]:
    """The outbox rows of every text relayed in these matches (both ways), of every check-in texted to either side,
    and of the question and the first text that named the other person to each side."""
    if not match_ids:
        return set()
    asked = session.scalars(select(BefriendingCheckIn.outbox_id).where(BefriendingCheckIn.match_id.in_(list(match_ids))))
    named = session.scalars(select(BefriendingMatchText.outbox_id).where(BefriendingMatchText.match_id.in_(list(match_ids))))
    return relayed_outbox_ids(session, match_ids) | {i for i in asked if i} | set(named)


def references_of(session: Session, *, sender_ids: Collection[str], match_ids: Collection[int]) -> list[str]:
    """Their requests' and these matches' references (their audit trail names nobody, but describes only them)."""
    requests = session.scalars(select(BefriendingRequest.reference).where(BefriendingRequest.sender_id.in_(list(sender_ids))))
    matches = session.scalars(select(BefriendingMatch.reference).where(BefriendingMatch.id.in_(list(match_ids)))) if match_ids else []
    return sorted({*requests, *matches})


@dataclass(frozen=True)
class RelayedRecord:
    at: datetime
    way: str  # sent (by them) | received
    words: str | None  # what they sent; None for a text received (another person's words), or one no longer kept
    outcome: str  # relayed | held | ended


@dataclass(frozen=True)
class MatchCheckInRecord:
    asked_at: datetime | None
    round: int  # 1: two weeks in; then monthly
    answer: str | None  # well | not_for_me | problem; None: not answered (yet)
    answered_at: datetime | None


@dataclass(frozen=True)
class MatchRecord:
    reference: str
    role: str  # resident | volunteer: which side they are
    state: str
    their_answer: str | None
    proposed_at: datetime
    live_at: datetime | None
    ended_at: datetime | None
    texts: list[RelayedRecord] = field(default_factory=list)
    check_ins: list[MatchCheckInRecord] = field(default_factory=list)  # their own side's, texted to them


@dataclass(frozen=True)
class RequestRecord:
    reference: str
    asked_at: datetime
    state: str
    wants: str
    first_name: str | None
    interests: str | None
    free_times: str | None


def befriending_records(session: Session, *, sender_ids: Collection[str], volunteer_ids: Collection[int],
                        bodies: BodyVault) -> tuple[list[RequestRecord], list[MatchRecord]]:
    """Their requests and their matches, for subject access (see the module docstring)."""
    ids = set(sender_ids)
    requests = [RequestRecord(r.reference, as_utc(r.created_at) or r.created_at, r.state, r.wants, bodies.open_or_none(r.first_name_encrypted),
                              bodies.open_or_none(r.interests_encrypted), bodies.open_or_none(r.free_times_encrypted))
                for r in session.scalars(select(BefriendingRequest).where(BefriendingRequest.sender_id.in_(list(ids)))
                                         .order_by(BefriendingRequest.created_at))]
    matches = []
    for match in session.scalars(select(BefriendingMatch).where(BefriendingMatch.id.in_(
            matches_of_people(session, sender_ids=ids, volunteer_ids=volunteer_ids))).order_by(BefriendingMatch.created_at)):
        role = "resident" if match.resident_sender_id in ids else "volunteer"
        texts = []
        for text, message in session.execute(select(BefriendingText, OutboxMessage).outerjoin(OutboxMessage, OutboxMessage.id == BefriendingText.outbox_id)
                                             .where(BefriendingText.match_id == match.id).order_by(BefriendingText.created_at, BefriendingText.id)):
            sent = text.from_side == role
            words = opened_body(message.purpose, message.body, bodies) if sent and message is not None else None
            texts.append(RelayedRecord(as_utc(text.created_at) or text.created_at, "sent" if sent else "received", words, text.outcome))
        check_ins = [MatchCheckInRecord(as_utc(c.asked_at), c.round, c.answer, as_utc(c.answered_at)) for c in session.scalars(
            select(BefriendingCheckIn).where(BefriendingCheckIn.match_id == match.id, BefriendingCheckIn.side == role,
                                             BefriendingCheckIn.asked_at.isnot(None)).order_by(BefriendingCheckIn.asked_at, BefriendingCheckIn.id))]
        matches.append(MatchRecord(match.reference, role, match.state, getattr(match, f"{role}_answer"), as_utc(match.created_at) or match.created_at,
                                   as_utc(match.live_at), as_utc(match.ended_at), texts, check_ins))
    return requests, matches
