"""Which connector may see and change which volunteer, for the console.

Managers: every volunteer, and only they record checks, approve, and record training done another way.
A connector: the volunteers they were told about, those whose district their patch covers, and those
with no district we know (as a case with no area goes to everyone); they ring them, move them to
training, pause them, resume them and mark them left. A volunteer someone may not see reads as no
such volunteer (the refusal is in the audit trail): a "not allowed" would tell them the reference is real.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.caseload import NotAllowed
from casework.cases.connectors import covers
from casework.cases.models import Connector, Volunteer
from casework.good_neighbours.volunteers import UnknownVolunteer, VolunteerSummary, list_volunteers, normalise_reference

__all__ = ["VisibleVolunteers", "may_see", "require_volunteer", "visible_volunteers"]


def _active(session: Session, connector_id: int) -> Connector:
    connector = session.get(Connector, connector_id)
    if connector is None or not connector.active:
        raise NotAllowed("only an active connector may use the console")
    return connector


def may_see(connector: Connector, *, district: str | None, told_to: int | None) -> bool:
    return connector.role == "manager" or told_to == connector.id or district is None or covers(connector.patch, district)


def require_volunteer(session: Session, *, reference: str, connector_id: int, manage: bool = False) -> str:
    """The volunteer's reference when this connector may see them (and, with `manage`, is a manager).
    UnknownVolunteer when there is none, or none they may see; NotAllowed when they may see but not manage."""
    connector = _active(session, connector_id)
    wanted = normalise_reference(reference)[:16]
    found = session.execute(select(Volunteer.reference, Volunteer.area, Volunteer.connector_id).where(Volunteer.reference == wanted)).first()
    if found is None or not may_see(connector, district=found.area, told_to=found.connector_id):
        if found is not None:
            audit.record(session, actor=audit.connector_actor(connector_id), action="volunteer_refused", case_reference=found.reference,
                         detail="not in their patch")
        raise UnknownVolunteer(wanted)
    if manage and connector.role != "manager":
        raise NotAllowed("only a manager may do that")
    return str(found.reference)


@dataclass(frozen=True)
class VisibleVolunteers:
    volunteers: list[VolunteerSummary]  # those shown (the state and area asked for)
    by_state: dict[str, int]  # every volunteer they may see, counted by state


def visible_volunteers(session: Session, *, connector_id: int, state: str | None = None, area: str | None = None) -> VisibleVolunteers:
    """The volunteers this connector may see, in one state and district (or the start of one: "CH4") when
    asked; the listing is audited (counts only)."""
    connector = _active(session, connector_id)
    every = [v for v in list_volunteers(session) if may_see(connector, district=v.district, told_to=v.connector_id)]
    district = (area or "").strip().upper()
    shown = [v for v in every if (not state or v.state == state) and (v.district or "").startswith(district)]
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed",
                 detail=f"volunteers: {len(shown)} of {len(every)}" + (f"; state {state}" if state else "") + (f"; area {district}" if district else ""))
    return VisibleVolunteers(shown, dict(Counter(v.state for v in every)))
