"""The checks a volunteer's offer needs before they are ready, and a manager recording one as seen.

References for everyone. A DBS check for anyone who would be alone with a resident: visits and driving
(a befriending call or helping at a group is not). What is kept is that a manager saw it, the date they
saw it, and who recorded it: never the certificate, its number or what it says. A manager who saw
something that rules a volunteer out does not record it as seen.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.models import VOLUNTEER_CHECKS, Volunteer, VolunteerCheck
from casework.cases.opening import CaseworkError

__all__ = ["NEEDS_DBS", "checks_needed", "checks_seen", "checks_missing", "checks_missing_for", "record_check"]

NEEDS_DBS = frozenset({"visits", "driving"})


def checks_needed(roles: Iterable[str]) -> tuple[str, ...]:
    return VOLUNTEER_CHECKS if NEEDS_DBS & set(roles) else ("references",)


def checks_seen(session: Session, volunteer_id: int) -> dict[str, date]:
    rows = session.execute(select(VolunteerCheck.kind, VolunteerCheck.seen_on).where(VolunteerCheck.volunteer_id == volunteer_id))
    return {kind: seen_on for kind, seen_on in rows}


def checks_missing(session: Session, volunteer: Volunteer) -> tuple[str, ...]:
    seen = checks_seen(session, volunteer.id)
    return tuple(kind for kind in checks_needed(volunteer.roles.split(",")) if kind not in seen)


def checks_missing_for(session: Session, reference: str) -> tuple[str, ...]:
    """The checks still to record for this volunteer (none for a reference that is nobody's)."""
    volunteer = session.scalars(select(Volunteer).where(Volunteer.reference == reference)).first()
    return checks_missing(session, volunteer) if volunteer is not None else ()


def record_check(session: Session, *, volunteer: Volunteer, kind: str, seen_on: date, actor: str, now: datetime, today: date) -> None:
    """Record (or correct the date of) one check seen; `today` is the local date, no check is seen later."""
    if kind not in VOLUNTEER_CHECKS:
        raise CaseworkError(f"a check is one of {', '.join(VOLUNTEER_CHECKS)}")
    if seen_on > today:
        raise CaseworkError("the date a check was seen cannot be in the future")
    row = session.scalars(select(VolunteerCheck).where(VolunteerCheck.volunteer_id == volunteer.id, VolunteerCheck.kind == kind)).first()
    if row is None:
        session.add(VolunteerCheck(volunteer_id=volunteer.id, kind=kind, seen_on=seen_on, recorded_at=now, recorded_by=actor[:64]))
    else:
        row.seen_on, row.recorded_at, row.recorded_by = seen_on, now, actor[:64]
    audit.record(session, actor=actor, action="volunteer_check", case_reference=volunteer.reference, at=now,
                 detail=f"{kind} seen on {seen_on.isoformat()}")
