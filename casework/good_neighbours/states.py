"""Where a volunteer stands, and every change to it: who made it and when, on the volunteer and in the
audit trail under their reference (what the console's history shows).

    applied ──> in_training ──> ready        ready: trained and approved, the checks their offer
       │             │            │          needs recorded (casework.good_neighbours.readiness)
       └────────> paused <────────┘          resume: back to where training and approval put them
    any of them ──> left

- `start_training`: in training; the first module not yet done is queued for texting hours
  (casework.good_neighbours.training). A connector does it after ringing them, so the texts are expected.
- `record_checks`: a manager saw their references or DBS check, on a date.
- `approve`: a manager approves them once the checks are recorded; ready when trained too.
- `record_training_done`: training done another way (or for set-up: `volunteers trained`); ready when approved.
- `pause`, `resume`, `leave`: a question waiting for them is held (no reminders) or stopped.
- `note_details`: their interests and when they are free, as the connector heard them.

Each takes the actor as the audit trail names them (connector:3, cli:jo); who may is decided before
(casework.good_neighbours.access). WrongVolunteerState says why a change cannot be made now.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.models import Volunteer, VolunteerTraining
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.checks import checks_missing, record_check
from casework.good_neighbours.readiness import is_ready, move, settle
from casework.good_neighbours.training import complete_training, hold_training, send_next_module
from casework.good_neighbours.volunteers import UnknownVolunteer, normalise_reference
from casework.models import as_utc, utcnow
from service.settings import Settings

__all__ = ["WrongVolunteerState", "TrainingStarted", "start_training", "record_checks", "approve", "record_training_done", "pause",
           "resume", "leave", "note_details", "local_today"]

TEXT_LENGTH = 200
CHECK_WORDS = {"references": "references", "dbs": "DBS check"}


class WrongVolunteerState(CaseworkError):
    """That change cannot be made where the volunteer stands now; the message says why."""


def _volunteer(session: Session, reference: str) -> Volunteer:
    volunteer = session.scalars(select(Volunteer).where(Volunteer.reference == normalise_reference(reference))).first()
    if volunteer is None:
        raise UnknownVolunteer(reference)
    return volunteer


def _not_left(volunteer: Volunteer) -> None:
    if volunteer.state == "left":
        raise WrongVolunteerState("they have left; a new sign-up starts afresh")


def local_today(settings: Settings, now: datetime | None = None) -> date:
    """Today where the service works (WORKING_TIMEZONE): the latest a check can have been seen."""
    return (as_utc(now) or utcnow()).astimezone(alert_settings(settings).working_hours.zone).date()


@dataclass(frozen=True)
class TrainingStarted:
    state: str
    module: str | None  # the module queued, or held
    texted: bool  # queued for texting hours
    why_not: str | None  # no_number | opted_out | all_done


def start_training(session: Session, *, reference: str, actor: str, settings: Settings, now: datetime | None = None) -> TrainingStarted:
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    _not_left(volunteer)
    if volunteer.training_completed_at is not None:
        raise WrongVolunteerState("their training is already complete")
    if volunteer.state not in ("applied", "paused"):
        raise WrongVolunteerState("they are already in training" if volunteer.state == "in_training" else f"they are {volunteer.state}")
    move(session, volunteer, "in_training", actor=actor, now=now)
    sent = send_next_module(session, volunteer, actor=actor, settings=settings, now=now)
    return TrainingStarted(volunteer.state, sent.module, sent.texted, sent.why_not)


def record_checks(session: Session, *, reference: str, actor: str, seen: Mapping[str, date], settings: Settings,
                  now: datetime | None = None) -> str:
    """Record each check seen (kind -> the date it was seen); returns their state (ready, if that was all)."""
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    _not_left(volunteer)
    if not seen:
        raise CaseworkError("give the date the references or the DBS check were seen")
    today = local_today(settings, now)
    for kind, seen_on in seen.items():
        record_check(session, volunteer=volunteer, kind=kind, seen_on=seen_on, actor=actor, now=now, today=today)
    session.flush()
    return settle(session, volunteer, actor=actor, now=now)


def approve(session: Session, *, reference: str, actor: str, now: datetime | None = None) -> str:
    """A manager's approval, once the checks their offer needs are recorded; returns their state."""
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    _not_left(volunteer)
    missing = checks_missing(session, volunteer)
    if missing:
        raise WrongVolunteerState(f"record their {' and '.join(CHECK_WORDS[kind] for kind in missing)} first")
    if volunteer.approved_at is None:
        volunteer.approved_at, volunteer.approved_by = now, actor[:64]
        audit.record(session, actor=actor, action="volunteer_approved", case_reference=volunteer.reference, at=now,
                     detail="checks recorded" + ("" if volunteer.training_completed_at else "; ready once training is complete"))
    return settle(session, volunteer, actor=actor, now=now)


def record_training_done(session: Session, *, reference: str, actor: str, settings: Settings, now: datetime | None = None) -> str:
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    _not_left(volunteer)
    return complete_training(session, volunteer, actor=actor, settings=settings, now=now)


def pause(session: Session, *, reference: str, actor: str, now: datetime | None = None) -> str:
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    if volunteer.state not in ("applied", "in_training", "ready"):
        raise WrongVolunteerState(f"they are {volunteer.state.replace('_', ' ')}")
    held = hold_training(session, volunteer, stop=False)
    move(session, volunteer, "paused", actor=actor, now=now, why=f"{held} training question held" if held else "")
    return volunteer.state


def resume(session: Session, *, reference: str, actor: str, settings: Settings, now: datetime | None = None) -> str:
    """Back to where their training and approval put them; a module still to do is texted again."""
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    if volunteer.state != "paused":
        raise WrongVolunteerState("only a paused volunteer can be resumed")
    started = session.scalars(select(VolunteerTraining.id).where(VolunteerTraining.volunteer_id == volunteer.id).limit(1)).first()
    if is_ready(session, volunteer):
        move(session, volunteer, "ready", actor=actor, now=now, why="resumed")
    elif volunteer.training_completed_at is not None or started is not None:
        move(session, volunteer, "in_training", actor=actor, now=now, why="resumed")
        if volunteer.training_completed_at is None:
            send_next_module(session, volunteer, actor=actor, settings=settings, now=now)
    else:
        move(session, volunteer, "applied", actor=actor, now=now, why="resumed")
    return volunteer.state


def leave(session: Session, *, reference: str, actor: str, now: datetime | None = None) -> str:
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    _not_left(volunteer)
    hold_training(session, volunteer, stop=True)
    move(session, volunteer, "left", actor=actor, now=now)
    return volunteer.state


def note_details(session: Session, *, reference: str, actor: str, settings: Settings, interests: str, availability: str,
                 now: datetime | None = None) -> None:
    """Their interests and when they are free, sealed; the audit trail says what changed, never the words."""
    now = as_utc(now) or utcnow()
    volunteer = _volunteer(session, reference)
    vault = BodyVault.for_settings(settings)
    interests, availability = " ".join(interests.split())[:TEXT_LENGTH], " ".join(availability.split())[:TEXT_LENGTH]
    changed = []
    if interests != (vault.open_or_none(volunteer.interests_encrypted) or ""):
        volunteer.interests_encrypted = vault.seal(interests) if interests else None
        changed.append("interests")
    if availability and availability != vault.open_or_none(volunteer.availability_encrypted):
        volunteer.availability_encrypted = vault.seal(availability)
        changed.append("when free")
    if changed:
        audit.record(session, actor=actor, action="volunteer_details", case_reference=volunteer.reference, at=now,
                     detail=f"{' and '.join(changed)} updated")
