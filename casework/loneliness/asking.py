"""Which consent questions the worker may text now (jobs.loneliness), and marking one asked.

A round starts with one short text asking whether they would answer 3 quick questions (the follow-up
round reminds them they answered before). It goes, like the "did you go?" check-ins (casework.follow_ups.check_ins):
only in texting hours (CHECK_IN_HOURS: nothing at night, and a text the provider holds past their end is
dropped); never to an opted-out number (looked at again on later passes, in case they text START);
never into a conversation in progress (a text within the last 30 minutes); never while another question
of ours waits for their answer (a check-in, its offer, a training question, a befriending match's check-in,
the screen's or a case's question), since their "1" must answer the question it was meant for; and not at all if it could not go
within a week of its time, or once they said no (or STOP withdrew their consent).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from casework.befriending.check_in_schedule import ANSWER_VALID_FOR as MATCH_CHECK_IN_VALID_FOR
from casework.befriending.tables import BefriendingCheckIn
from casework.cases.models import VolunteerTraining
from casework.cases.triage import AREA_FLAG, CHECK_FLAG, CONTACT_FLAG, QUESTION_VALID_FOR
from casework.follow_ups.check_ins import ANSWER_VALID_FOR, CONVERSATION_GAP, OFFER_VALID_FOR, check_in_hours
from casework.follow_ups.models import FollowUp
from casework.loneliness.measures import PURPOSE
from casework.loneliness.models import LonelinessScore
from casework.models import Flag, Resident, as_utc, utcnow
from casework.privacy.consent import decision_on
from service.settings import Settings

__all__ = ["TOO_LATE_AFTER", "DueQuestion", "due_questions", "mark_asked", "close"]

TOO_LATE_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class DueQuestion:
    """A round's consent question to text now."""

    score_id: int
    sender_id: str
    text: str  # casework/texts.yml: loneliness_consent, or loneliness_follow_up_consent
    send_until: datetime  # the end of the texting hours it goes in: it never arrives at night


def due_questions(session: Session, *, settings: Settings, now: datetime | None = None, limit: int = 50) -> list[DueQuestion]:
    """Consent questions to text now (see the module docstring). Closes the rounds that may no longer go.
    Outside texting hours: none, and nothing is read."""
    now = as_utc(now) or utcnow()
    until = check_in_hours(settings).texting.open_until(now)
    if until is None:
        return []
    rows = list(session.scalars(select(LonelinessScore).where(LonelinessScore.state == "due", LonelinessScore.due_at <= now)
                                .order_by(LonelinessScore.due_at).limit(limit)))
    due: list[DueQuestion] = []
    for row in rows:
        resident = session.scalars(select(Resident).where(Resident.sender_id == row.sender_id)).first()
        if decision_on(session, row.sender_id, PURPOSE) is False:
            row.state = "declined"  # they said no to a round, or STOP withdrew what they had agreed: for good
            continue
        if resident is None or not resident.phone_encrypted or (as_utc(row.due_at) or now) < now - TOO_LATE_AFTER:
            row.state = "expired"
            continue
        if resident.opted_out:
            continue  # nothing to an opted-out number; looked at again on later passes, until too late
        last_contact = as_utc(resident.last_contact_at)
        if last_contact is not None and last_contact > now - CONVERSATION_GAP:
            continue  # they are texting us now: the question would be read as an answer to something else
        if another_question_waits(session, row.sender_id, now):
            continue
        text = "loneliness_consent" if row.round == "first" else "loneliness_follow_up_consent"
        due.append(DueQuestion(row.id, row.sender_id, text, until))
    return due


def another_question_waits(session: Session, sender_id: str, now: datetime) -> bool:
    """Whether a question of ours still waits for this resident's answer, within the time it may be answered (a
    befriending match's check-in too: casework.befriending.check_ins)."""
    check_ins = select(FollowUp.id).where(FollowUp.sender_id == sender_id, or_(
        and_(FollowUp.state == "asked", FollowUp.asked_at > now - ANSWER_VALID_FOR),
        and_(FollowUp.state == "offered", FollowUp.offered_at > now - OFFER_VALID_FOR)))
    training = select(VolunteerTraining.id).where(VolunteerTraining.sender_id == sender_id, VolunteerTraining.state == "asked")
    flags = select(Flag.id).where(Flag.sender_id == sender_id, Flag.state == "open", Flag.reason.in_((AREA_FLAG, CHECK_FLAG, CONTACT_FLAG)),
                                  Flag.raised_at > now - QUESTION_VALID_FOR)
    match_check_ins = select(BefriendingCheckIn.id).where(BefriendingCheckIn.sender_id == sender_id, BefriendingCheckIn.state == "asked",
                                                          BefriendingCheckIn.asked_at > now - MATCH_CHECK_IN_VALID_FOR)
    return any(session.scalars(query.limit(1)).first() is not None for query in (check_ins, training, flags, match_check_ins))


def mark_asked(session: Session, score_id: int, *, now: datetime | None = None) -> None:
    """The consent question is queued: the resident's next reply answers it."""
    row = session.get(LonelinessScore, score_id)
    if row is not None:
        row.state, row.asked_at, row.question, row.answers = "consent_asked", as_utc(now) or utcnow(), None, None


def close(session: Session, score_id: int, state: str = "expired") -> None:
    row = session.get(LonelinessScore, score_id)
    if row is not None:
        row.state = state
