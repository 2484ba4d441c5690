"""Reminding a volunteer whose training question is unanswered (the worker's job: jobs.training_reminders).

A module not answered for TRAINING_REMIND_AFTER_DAYS (3) is asked again, with a kind word, at most
TRAINING_REMINDERS (2) times; after that it waits for them, and their page in the console says so.
As the "did you go?" check-ins: only in texting hours (CHECK_IN_HOURS), never into a conversation in
progress, only while they are in training, and never to a number that texted STOP (looked at again
after another TRAINING_REMIND_AFTER_DAYS, in case they texted START). A module held back because their
number had texted STOP when they were moved to training goes the same way, as itself, once they have
texted START.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases.models import Volunteer, VolunteerTraining
from casework.conversation.inbound import BodyVault
from casework.follow_ups.check_ins import CONVERSATION_GAP, check_in_hours
from casework.good_neighbours.training import TrainingText, first_name, module_text, reminder_text, training_settings
from casework.models import Resident, as_utc, utcnow
from service.settings import Settings

__all__ = ["DueReminder", "due_reminders", "mark_reminded", "stop_reminding"]


@dataclass(frozen=True)
class DueReminder:
    training_id: int
    reference: str
    sender_id: str
    text: TrainingText
    send_until: datetime  # the end of these texting hours: it never arrives at night
    purpose: str  # the outbox's: training_reminder, or training for a held module sent at last


def due_reminders(session: Session, *, settings: Settings, now: datetime | None = None, limit: int = 50) -> list[DueReminder]:
    """Reminders to text now. Outside texting hours: none, and nothing is read."""
    now = as_utc(now) or utcnow()
    until = check_in_hours(settings).texting.open_until(now)
    if until is None:
        return []
    plan = training_settings(settings)
    rows = session.execute(select(VolunteerTraining, Volunteer).join(Volunteer, Volunteer.id == VolunteerTraining.volunteer_id)
                           .where(VolunteerTraining.state.in_(("asked", "held")), VolunteerTraining.remind_at <= now)
                           .order_by(VolunteerTraining.remind_at).limit(limit)).all()
    vault = BodyVault.for_settings(settings)
    due: list[DueReminder] = []
    for row, volunteer in rows:
        if volunteer.state != "in_training":
            row.remind_at = None  # paused or gone meanwhile: resuming texts the module afresh
            continue
        resident = session.scalars(select(Resident).where(Resident.sender_id == row.sender_id)).first()
        if resident is None or not resident.phone_encrypted:
            row.remind_at = None  # no number left to text
            continue
        if resident.opted_out:
            row.remind_at = now + plan.remind_after  # look again later: they may text START
            continue
        last_contact = as_utc(resident.last_contact_at)
        if last_contact is not None and last_contact > now - CONVERSATION_GAP:
            continue  # they are texting us now: a reminder would be read as an answer to something else
        try:
            first = first_name(vault.open(volunteer.name_encrypted))
        except InvalidToken:
            first = "there"
        # A module held while their number had texted STOP was never sent: it goes now, itself.
        held = row.state == "held"
        text = module_text(row.module, first=first) if held else reminder_text(row.module, first=first)
        due.append(DueReminder(row.id, volunteer.reference, row.sender_id, text, until, "training" if held else "training_reminder"))
    return due


def mark_reminded(session: Session, training_id: int, *, settings: Settings, now: datetime | None = None) -> None:
    """The reminder (or a held module) is queued: the question is asked, and the next reminder (if any is left) is set."""
    now = as_utc(now) or utcnow()
    row = session.get(VolunteerTraining, training_id)
    if row is None:
        return
    plan = training_settings(settings)
    if row.state != "held":  # a held module sent at last is its first asking, not a reminder
        row.reminders += 1
    row.state, row.texted_at = "asked", now
    row.remind_at = now + plan.remind_after if row.reminders < plan.reminders else None


def stop_reminding(session: Session, training_id: int) -> None:
    """No more reminders for this question (one could not be queued): it waits for them, as after the last."""
    row = session.get(VolunteerTraining, training_id)
    if row is not None:
        row.remind_at = None
