"""A manager's changes to the team from the console: connectors added or deactivated, rota shifts.

Each checks that the person asking is an active manager and is audit-logged under their name
(connector:<id>), with ids and times only: never a number or an address.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.caseload import NotAllowed, require_manager
from casework.cases.connectors import (
    ConnectorError,
    ConnectorInfo,
    ShiftInfo,
    add_connector,
    add_shift,
    list_connectors,
    list_shifts,
    remove_shift,
    set_active,
)
from casework.console.access import end_sessions
from casework.models import as_utc, utcnow
from service.settings import Settings

__all__ = ["team", "rota", "add_member", "set_member_active", "add_rota_shift", "remove_rota_shift"]


def team(session: Session, *, by: int) -> list[ConnectorInfo]:
    require_manager(session, by)
    people = list_connectors(session)
    audit.record(session, actor=audit.connector_actor(by), action="listed", detail=f"connectors: {len(people)}")
    return people


def rota(session: Session, *, by: int, now: datetime | None = None) -> list[ShiftInfo]:
    """Shifts not yet over."""
    require_manager(session, by)
    shifts = list_shifts(session, ending_after=as_utc(now) or utcnow())
    audit.record(session, actor=audit.connector_actor(by), action="listed", detail=f"rota: {len(shifts)} shifts to come")
    return shifts


def add_member(session: Session, *, by: int, name: str, phone: str, email: str, patch: str, role: str,
               settings: Settings) -> ConnectorInfo:
    require_manager(session, by)
    added = add_connector(session, name=name, phone=phone, email=email, patch=patch, role=role, settings=settings)
    audit.record(session, actor=audit.connector_actor(by), action="connector_added",
                 detail=f"{added.role} connector:{added.id}; patch {' '.join(added.patch) or '-'}")
    return added


def set_member_active(session: Session, *, by: int, connector_id: int, active: bool) -> bool:
    """Deactivate (alerts stop, console sessions end) or reactivate a connector; returns whether it changed."""
    require_manager(session, by)
    if connector_id == by and not active:
        raise NotAllowed("a manager cannot deactivate themselves (ask another manager)")
    changed = set_active(session, connector_id, active)
    ended = 0 if active else end_sessions(session, connector_id)
    if changed:
        audit.record(session, actor=audit.connector_actor(by), action="connector_activated" if active else "connector_deactivated",
                     detail=f"connector:{connector_id}" + ("" if active else f"; {ended} console sessions ended"))
    return changed


def add_rota_shift(session: Session, *, by: int, connector_id: int, starts_at: datetime, ends_at: datetime) -> ShiftInfo:
    require_manager(session, by)
    shift = add_shift(session, connector_id=connector_id, starts_at=starts_at, ends_at=ends_at)
    audit.record(session, actor=audit.connector_actor(by), action="shift_added",
                 detail=f"shift {shift.id}: connector:{connector_id} {shift.starts_at.isoformat(timespec='minutes')} to "
                        f"{shift.ends_at.isoformat(timespec='minutes')}")
    return shift


def remove_rota_shift(session: Session, *, by: int, shift_id: int) -> ShiftInfo:
    require_manager(session, by)
    removed = remove_shift(session, shift_id)
    if removed is None:
        raise ConnectorError(f"no shift {shift_id}")
    audit.record(session, actor=audit.connector_actor(by), action="shift_removed",
                 detail=f"shift {shift_id}: connector:{removed.connector_id} {removed.starts_at.isoformat(timespec='minutes')} to "
                        f"{removed.ends_at.isoformat(timespec='minutes')}")
    return removed
