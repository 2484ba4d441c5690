"""What a connector does with a case after taking it: assign, plan a visit, record it, add notes, close.

    new -> acknowledged -> visit_planned -> visited -> closed (with an outcome)

A visit can be re-planned and a second one recorded; a case can be closed from any open state (a
duplicate, someone who moved away). Every change is audit-logged in the caller's transaction.
Acknowledging is casework.cases.acknowledgement.acknowledge_case (the same for SMS and the console).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alerts import close_pending
from casework.cases.models import Case, CaseNote, Connector
from casework.cases.opening import CaseworkError, UnknownCase, normalise_reference
from casework.cases.reports import notify_reporters
from casework.conversation.inbound import BodyVault
from casework.loneliness.measures import measure_loneliness
from casework.models import as_utc, utcnow
from service.settings import Settings

__all__ = ["OUTCOMES", "WrongState", "CaseClosed", "assign_case", "plan_visit", "record_visit", "add_note", "close_case"]

OUTCOMES = ("supported", "referred_on", "declined", "no_contact", "no_further_action", "duplicate")
HELPED = "supported"  # the outcome after which a resident is asked how lonely they feel (casework.loneliness)
NOTE_LENGTH = 4000


class WrongState(CaseworkError):
    """The case is not in a state that allows this (e.g. planning a visit before anyone took it)."""


@dataclass(frozen=True)
class CaseClosed:
    reference: str
    outcome: str
    reporters_notified: int


def _case(session: Session, reference: str) -> Case:
    case = session.scalars(select(Case).where(Case.reference == normalise_reference(reference))).first()
    if case is None:
        raise UnknownCase(f"no case {reference}")
    return case


def _connector(session: Session, connector_id: int) -> Connector:
    connector = session.get(Connector, connector_id)
    if connector is None or not connector.active:
        raise CaseworkError(f"no active connector {connector_id}")
    return connector


def _require(case: Case, *states: str, doing: str) -> None:
    if case.state not in states:
        raise WrongState(f"cannot {doing}: case {case.reference} is {case.state.replace('_', ' ')}")


def assign_case(session: Session, *, reference: str, connector_id: int, by: int, now: datetime | None = None) -> str:
    """Make `connector_id` the case's owner (a manager handing it on). Returns the owner's name."""
    now = as_utc(now) or utcnow()
    case = _case(session, reference)
    _require(case, "new", "acknowledged", "visit_planned", "visited", doing="assign it")
    owner = _connector(session, connector_id)
    before = case.owner_id
    case.owner_id = owner.id
    case.updated_at = now
    audit.record(session, actor=audit.connector_actor(by), action="assigned", case_reference=case.reference, at=now,
                 detail=f"owner connector:{before} -> connector:{owner.id}" if before else f"owner connector:{owner.id}")
    return owner.name


def plan_visit(session: Session, *, reference: str, at: datetime, by: int, now: datetime | None = None) -> None:
    now = as_utc(now) or utcnow()
    case = _case(session, reference)
    _require(case, "acknowledged", "visit_planned", "visited", doing="plan a visit")
    case.state = "visit_planned"
    case.visit_planned_for = as_utc(at)
    case.updated_at = now
    audit.record(session, actor=audit.connector_actor(by), action="visit_planned", case_reference=case.reference,
                 at=now, detail=f"for {as_utc(at).isoformat(timespec='minutes')}")  # type: ignore[union-attr]


def record_visit(session: Session, *, reference: str, by: int, at: datetime | None = None, now: datetime | None = None) -> None:
    now = as_utc(now) or utcnow()
    case = _case(session, reference)
    _require(case, "acknowledged", "visit_planned", "visited", doing="record a visit")
    case.state = "visited"
    case.visited_at = as_utc(at) or now
    case.updated_at = now
    audit.record(session, actor=audit.connector_actor(by), action="visited", case_reference=case.reference, at=now,
                 detail=f"at {case.visited_at.isoformat(timespec='minutes')}")


def add_note(session: Session, *, reference: str, text: str, by: int, settings: Settings,
             now: datetime | None = None) -> None:
    now = as_utc(now) or utcnow()
    text = text.strip()
    if not text:
        raise CaseworkError("a note needs some text")
    case = _case(session, reference)
    _connector(session, by)
    session.add(CaseNote(case_id=case.id, author_id=by, at=now,
                         text_encrypted=BodyVault.for_settings(settings).seal(text[:NOTE_LENGTH])))
    case.updated_at = now
    audit.record(session, actor=audit.connector_actor(by), action="note_added", case_reference=case.reference, at=now,
                 detail=f"{min(len(text), NOTE_LENGTH)} characters")


def close_case(session: Session, *, reference: str, outcome: str, by: int, settings: Settings,
               now: datetime | None = None) -> CaseClosed:
    """Close with an outcome; pending alerts are superseded and reporters who asked are told (nothing private)."""
    now = as_utc(now) or utcnow()
    if outcome not in OUTCOMES:
        raise CaseworkError(f"outcome must be one of {', '.join(OUTCOMES)}")
    case = _case(session, reference)
    _require(case, "new", "acknowledged", "visit_planned", "visited", doing="close it")
    close_pending(session, case.id, acknowledged_by=None, now=now)
    case.state = "closed"
    case.outcome = outcome
    case.closed_at = now
    case.updated_at = now
    case.alert_version = (case.alert_version or 0) + 1
    audit.record(session, actor=audit.connector_actor(by), action="closed", case_reference=case.reference, at=now,
                 detail=f"outcome {outcome}")
    notified = notify_reporters(session, case=case, settings=settings, now=now)
    if outcome == HELPED and case.subject_kind == "resident" and case.sender_id:
        # Support given: whether they feel less lonely for it is asked, with consent (casework.loneliness).
        measure_loneliness(session, sender_id=case.sender_id, support="case", area=case.area, now=now)
    return CaseClosed(case.reference, outcome, notified)
