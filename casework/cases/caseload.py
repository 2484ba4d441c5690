"""What a connector may see and do in the console, and what they see: their queue, a case, overdue alerts.

Who may see a case: managers; its owner; whoever acknowledged it; anyone ever alerted about it; the
connectors whose patch covers its area (a team covering a patch sees its cases). The same rule decides
who may take a case by text (casework.cases.acknowledgement).
Who may act on it (assign, plan or record a visit, close): managers and its owner, or, while nobody
owns it, anyone who may see it. Anyone who may see it may acknowledge it and add a note.
Every list and case read here is in the audit trail (the lists without personal data: counts and filters).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.connectors import covers
from casework.cases.models import OPEN_CASE_STATES, PENDING_ALERT_STATES, PRIORITIES, Alert, Case, Connector
from casework.cases.opening import CaseworkError, UnknownCase, normalise_reference
from casework.cases.reading import CaseFile, CaseSummary, case_file, list_cases
from casework.models import as_utc, utcnow
from service.settings import Settings

__all__ = [
    "NotAllowed",
    "Access",
    "OverdueAlert",
    "access",
    "require",
    "my_queue",
    "all_cases",
    "open_case_file",
    "overdue_alerts",
    "require_manager",
]


class NotAllowed(CaseworkError):
    """This connector may not see or do that."""


@dataclass(frozen=True)
class Access:
    reference: str
    may_see: bool
    may_act: bool  # assign, plan or record a visit, close
    is_manager: bool
    is_owner: bool


@dataclass(frozen=True)
class OverdueAlert:
    """An alert a manager should know about: past its deadline (the worker is behind), or already escalated."""

    reference: str
    priority: str
    area: str | None
    case_state: str
    to: str
    channels: tuple[str, ...]
    state: str
    step: int  # 0: first alert; 1 and more: escalations so far
    due_at: datetime
    past_deadline: bool


def _active(session: Session, connector_id: int) -> Connector:
    connector = session.get(Connector, connector_id)
    if connector is None or not connector.active:
        raise NotAllowed("only an active connector may use the console")
    return connector


def require_manager(session: Session, connector_id: int) -> Connector:
    connector = _active(session, connector_id)
    if connector.role != "manager":
        raise NotAllowed("only a manager may do that")
    return connector


def access(session: Session, *, reference: str, connector_id: int) -> Access:
    """What `connector_id` may do with the case (raises UnknownCase)."""
    connector = _active(session, connector_id)
    case = session.scalars(select(Case).where(Case.reference == normalise_reference(reference))).first()
    if case is None:
        raise UnknownCase(f"no case {reference}")
    manager = connector.role == "manager"
    owner = case.owner_id == connector.id
    alerted = session.scalars(select(Alert.id).where(Alert.case_id == case.id, Alert.connector_id == connector.id)).first()
    may_see = (manager or owner or case.acknowledged_by_id == connector.id or alerted is not None
               or covers(connector.patch or "", case.area))
    return Access(case.reference, may_see, manager or owner or (case.owner_id is None and may_see), manager, owner)


def require(session: Session, *, reference: str, connector_id: int, act: bool = False) -> Access:
    """Raise NotAllowed unless `connector_id` may see (or, with `act`, act on) the case."""
    found = access(session, reference=reference, connector_id=connector_id)
    if not found.may_see or (act and not found.may_act):
        audit.record(session, actor=audit.connector_actor(connector_id), action="refused", case_reference=found.reference,
                     detail="acting on" if act else "viewing")
        raise NotAllowed(f"case {found.reference} is not yours to {'change' if act else 'see'}")
    return found


def my_queue(session: Session, *, connector_id: int, now: datetime | None = None) -> list[CaseSummary]:
    """Open cases this connector owns or has been alerted about and not yet answered: urgent first, then oldest."""
    _active(session, connector_id)
    cases = list_cases(session, states=OPEN_CASE_STATES, involving=connector_id, now=now)
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed", detail=f"own queue: {len(cases)} cases")
    return cases


def all_cases(session: Session, *, connector_id: int, states: Sequence[str] | None = None, priority: str | None = None,
              area: str | None = None, limit: int = 200, now: datetime | None = None) -> list[CaseSummary]:
    """Every case, filtered (managers only)."""
    require_manager(session, connector_id)
    cases = list_cases(session, states=states, priority=priority, area=area, limit=limit, now=now)
    filters = "; ".join(f for f in (f"states {','.join(states)}" if states else "", f"priority {priority}" if priority else "",
                                    f"area {area}" if area else "") if f)
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed",
                 detail=f"all cases{': ' + filters if filters else ''}: {len(cases)} cases")
    return cases


def open_case_file(session: Session, *, reference: str, connector_id: int, settings: Settings) -> tuple[CaseFile, Access]:
    """The case with what is private to the person, for a connector who may see it; the read is audit-logged."""
    allowed = require(session, reference=reference, connector_id=connector_id)
    return case_file(session, allowed.reference, viewed_by=audit.connector_actor(connector_id), settings=settings), allowed


def overdue_alerts(session: Session, *, connector_id: int, now: datetime | None = None) -> list[OverdueAlert]:
    """Pending alerts past their deadline, and pending escalations (managers only), most urgent first."""
    require_manager(session, connector_id)
    now = as_utc(now) or utcnow()
    rows = session.execute(
        select(Alert, Case, Connector.name).join(Case, Case.id == Alert.case_id).join(Connector, Connector.id == Alert.connector_id)
        .where(Alert.state.in_(PENDING_ALERT_STATES), Case.state != "closed")
        .order_by(Alert.due_at, Alert.id)
    ).all()
    grouped: dict[tuple[int, int, int], OverdueAlert] = {}
    for alert, case, name in rows:
        due_at = as_utc(alert.due_at) or now
        past = due_at <= now
        if not past and alert.step == 0:
            continue  # a first alert still within its time: nothing for a manager to do yet
        key = (case.id, alert.connector_id, alert.step)
        seen = grouped.get(key)
        if seen is not None:
            grouped[key] = OverdueAlert(seen.reference, seen.priority, seen.area, seen.case_state, seen.to,
                                        (*seen.channels, alert.channel), seen.state, seen.step, seen.due_at,
                                        seen.past_deadline or past)
            continue
        grouped[key] = OverdueAlert(case.reference, case.priority, case.area, case.state, name, (alert.channel,), alert.state,
                                    alert.step, due_at, past)
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    found = sorted(grouped.values(), key=lambda a: (not a.past_deadline, rank.get(a.priority, len(rank)), a.due_at))
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed", detail=f"overdue alerts: {len(found)}")
    return found
