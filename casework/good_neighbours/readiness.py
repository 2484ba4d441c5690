"""A volunteer's state changing, and the one rule of being ready.

Ready means trained and approved, with the checks their offer needs recorded (casework.good_neighbours
.checks). Approval and training may finish in either order (a manager may approve while the last
module is still unanswered), so whichever comes last moves them to ready, here. A paused or departed
volunteer is not moved: pausing is a decision of its own, undone only by resuming.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.models import VOLUNTEER_STATES, Volunteer
from casework.good_neighbours.checks import checks_missing

__all__ = ["move", "is_ready", "settle"]


def move(session: Session, volunteer: Volunteer, to: str, *, actor: str, now: datetime, why: str = "") -> None:
    """Change the state, with who and when on the volunteer and in the audit trail (under their reference)."""
    if to not in VOLUNTEER_STATES:
        raise ValueError(f"not a volunteer state: {to}")
    before = volunteer.state
    volunteer.state, volunteer.state_changed_at, volunteer.state_changed_by = to, now, actor[:64]
    if to == "ready" and volunteer.ready_at is None:
        volunteer.ready_at = now  # the first time only: resuming after a pause is not a new volunteer ready
    audit.record(session, actor=actor, action="volunteer_state", case_reference=volunteer.reference, at=now,
                 detail=f"{before} -> {to}" + (f": {why}" if why else ""))


def is_ready(session: Session, volunteer: Volunteer) -> bool:
    return (volunteer.approved_at is not None and volunteer.training_completed_at is not None
            and not checks_missing(session, volunteer))


def settle(session: Session, volunteer: Volunteer, *, actor: str, now: datetime) -> str:
    """Ready, if they now are and are not paused or gone; their state either way."""
    if volunteer.state in ("applied", "in_training") and is_ready(session, volunteer):
        move(session, volunteer, "ready", actor=actor, now=now, why="trained and approved")
    return volunteer.state
