"""Read cases back: a queue's summaries (`list_cases`), a case with its reasons, alerts and history
(`case_detail`), and the private case file for the connector acting on it (`case_file`), whose every
read is audit-logged. Everything returned is a plain dataclass.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from casework.cases import audit
from casework.cases.connectors import postcode_district
from casework.cases.models import PENDING_ALERT_STATES, PRIORITIES, Alert, Case, CaseNote, CaseReason, Connector, Report
from casework.cases.opening import UnknownCase, normalise_reference
from casework.conversation.inbound import BodyVault
from casework.models import Resident, as_utc, utcnow
from casework.residents.identity import PhoneVault
from service.settings import Settings

__all__ = [
    "CaseSummary",
    "ReasonView",
    "AlertView",
    "CaseDetail",
    "NoteView",
    "ReportView",
    "CaseFile",
    "case_detail",
    "case_file",
    "list_cases",
]


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    state: str
    priority: str
    area: str | None
    subject_kind: str
    owner: str | None
    acknowledged_by: str | None
    created_at: datetime
    awaiting_acknowledgement: bool
    overdue: bool  # an alert is past its deadline and not yet escalated (the worker is behind or stopped)


@dataclass(frozen=True)
class ReasonView:
    category: str
    rule: str
    priority: str
    raised_at: datetime
    layer: str = "rules"
    score: float | None = None


@dataclass(frozen=True)
class AlertView:
    to: str
    connector_id: int
    channel: str
    state: str
    step: int
    created_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    escalated_to: str | None


@dataclass(frozen=True)
class CaseDetail:
    """Everything about a case except what is private to the person: safe for the API and alerts."""

    reference: str
    state: str
    priority: str
    area: str | None
    subject_kind: str
    source: str
    lawful_basis: str
    outcome: str | None
    owner: str | None
    acknowledged_by: str | None
    created_at: datetime
    acknowledged_at: datetime | None
    visit_planned_for: datetime | None
    visited_at: datetime | None
    closed_at: datetime | None
    reasons: list[ReasonView]
    alerts: list[AlertView]
    history: list[audit.AuditEntry]


@dataclass(frozen=True)
class NoteView:
    author: str | None
    text: str
    at: datetime


@dataclass(frozen=True)
class ReportView:
    relationship: str
    reporter_contact: str | None
    who: str
    street: str | None
    area: str | None
    worry: str
    urgency: str
    person_knows: bool | None
    notify_on_close: bool
    postcode: str | None = None  # the full postcode, where `area` is only its district
    person_knows_answer: str | None = None  # yes | no | not_sure as the reporter chose; None: not asked


@dataclass(frozen=True)
class CaseFile:
    """The private part of a case, for the connector acting on it: every read is audit-logged."""

    detail: CaseDetail
    subject: str | None  # a third party's description
    contact: str | None  # how to reach a resident without an SMS number
    resident_phone: str | None
    excerpts: list[tuple[ReasonView, str | None]]
    notes: list[NoteView]
    reports: list[ReportView]


def _at(value: datetime | None) -> datetime | None:
    return as_utc(value)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Connector.id, Connector.name).where(Connector.id.in_(wanted))).all())


def _find(session: Session, reference: str) -> Case:
    case = session.scalars(select(Case).where(Case.reference == normalise_reference(reference))).first()
    if case is None:
        raise UnknownCase(f"no case {reference}")
    return case


def case_detail(session: Session, reference: str, *, viewed_by: str | None = None) -> CaseDetail:
    """A case with its reasons (no excerpts), alerts and history. `viewed_by` records the read in the audit trail."""
    case = _find(session, reference)
    reasons = [ReasonView(r.category, r.rule, r.priority, _at(r.raised_at) or r.raised_at, r.layer, r.score) for r in session.scalars(
        select(CaseReason).where(CaseReason.case_id == case.id).order_by(CaseReason.raised_at, CaseReason.id))]
    alerts = list(session.scalars(select(Alert).where(Alert.case_id == case.id).order_by(Alert.step, Alert.id)))
    names = _names(session, {case.owner_id, case.acknowledged_by_id}
                   | {a.connector_id for a in alerts} | {a.escalated_to_id for a in alerts})
    if viewed_by:
        audit.record(session, actor=viewed_by, action="viewed", case_reference=case.reference)
        session.flush()
    return CaseDetail(
        reference=case.reference,
        state=case.state,
        priority=case.priority,
        area=case.area,
        subject_kind=case.subject_kind,
        source=case.source,
        lawful_basis=case.lawful_basis,
        outcome=case.outcome,
        owner=names.get(case.owner_id) if case.owner_id else None,
        acknowledged_by=names.get(case.acknowledged_by_id) if case.acknowledged_by_id else None,
        created_at=_at(case.created_at) or case.created_at,
        acknowledged_at=_at(case.acknowledged_at),
        visit_planned_for=_at(case.visit_planned_for),
        visited_at=_at(case.visited_at),
        closed_at=_at(case.closed_at),
        reasons=reasons,
        alerts=[AlertView(
            to=names.get(a.connector_id, f"connector {a.connector_id}"), connector_id=a.connector_id, channel=a.channel,
            state=a.state, step=a.step, created_at=_at(a.created_at) or a.created_at, due_at=_at(a.due_at) or a.due_at,
            acknowledged_at=_at(a.acknowledged_at), escalated_at=_at(a.escalated_at),
            escalated_to=names.get(a.escalated_to_id) if a.escalated_to_id else None,
        ) for a in alerts],
        history=audit.trail(session, case.reference),
    )


def case_file(session: Session, reference: str, *, viewed_by: str, settings: Settings) -> CaseFile:
    """The case with what is private to the person, decrypted for the connector acting on it; audit-logged."""
    detail = case_detail(session, reference)
    case = _find(session, reference)
    bodies = BodyVault.for_settings(settings)

    def opened(token: str | None) -> str | None:
        return bodies.open(token) if token else None

    phone = None
    if case.sender_id:
        token = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == case.sender_id)).first()
        phone = PhoneVault.for_settings(settings).open(token) if token else None
    reasons = list(session.scalars(
        select(CaseReason).where(CaseReason.case_id == case.id).order_by(CaseReason.raised_at, CaseReason.id)))
    author = aliased(Connector)
    notes = session.execute(
        select(CaseNote, author.name).outerjoin(author, author.id == CaseNote.author_id)
        .where(CaseNote.case_id == case.id).order_by(CaseNote.at, CaseNote.id)
    ).all()
    reports = session.scalars(select(Report).where(Report.case_id == case.id).order_by(Report.id))
    audit.record(session, actor=viewed_by, action="file_read", case_reference=case.reference)
    session.flush()
    return CaseFile(
        detail=detail,
        subject=opened(case.subject_encrypted),
        contact=opened(case.contact_encrypted),
        resident_phone=phone,
        excerpts=[(view, opened(r.excerpt_encrypted)) for view, r in zip(detail.reasons, reasons, strict=True)],
        notes=[NoteView(name, bodies.open(n.text_encrypted), _at(n.at) or n.at) for n, name in notes],
        reports=[ReportView(
            relationship=r.reporter_relationship, reporter_contact=opened(r.reporter_contact_encrypted),
            who=bodies.open(r.who_encrypted), street=opened(r.street_encrypted), area=r.area,
            worry=bodies.open(r.worry_encrypted), urgency=r.urgency, person_knows=r.person_knows,
            notify_on_close=r.notify_on_close, postcode=opened(r.postcode_encrypted), person_knows_answer=r.person_knows_answer,
        ) for r in reports],
    )


def list_cases(
    session: Session,
    *,
    states: Sequence[str] | None = None,
    priority: str | None = None,
    area: str | None = None,
    owner_id: int | None = None,
    involving: int | None = None,
    limit: int = 200,
    now: datetime | None = None,
) -> list[CaseSummary]:
    """Cases, most urgent first, then oldest first (the order a queue is worked in).

    `involving`: only cases this connector owns or has been asked to take and not yet answered (a
    pending alert): their queue.
    """
    now = as_utc(now) or utcnow()
    rank = sql_case({p: i for i, p in enumerate(PRIORITIES)}, value=Case.priority, else_=len(PRIORITIES))
    query = select(Case).order_by(rank, Case.created_at, Case.id).limit(limit)
    if states:
        query = query.where(Case.state.in_(tuple(states)))
    if priority:
        query = query.where(Case.priority == priority)
    if area:
        query = query.where(Case.area == (postcode_district(area) or area.upper()))
    if owner_id is not None:
        query = query.where(Case.owner_id == owner_id)
    if involving is not None:
        alerted = select(Alert.case_id).where(Alert.connector_id == involving, Alert.state.in_(PENDING_ALERT_STATES))
        query = query.where((Case.owner_id == involving) | Case.id.in_(alerted))
    cases = list(session.scalars(query))
    ids = [c.id for c in cases]
    waiting: dict[int, bool] = {}
    if ids:
        for case_id, due_at in session.execute(
            select(Alert.case_id, Alert.due_at).where(Alert.case_id.in_(ids), Alert.state.in_(PENDING_ALERT_STATES))
        ):
            waiting[case_id] = waiting.get(case_id, False) or (as_utc(due_at) or now) <= now
    names = _names(session, {c.owner_id for c in cases} | {c.acknowledged_by_id for c in cases})
    return [CaseSummary(
        reference=c.reference, state=c.state, priority=c.priority, area=c.area, subject_kind=c.subject_kind,
        owner=names.get(c.owner_id) if c.owner_id else None,
        acknowledged_by=names.get(c.acknowledged_by_id) if c.acknowledged_by_id else None,
        created_at=_at(c.created_at) or c.created_at,
        awaiting_acknowledgement=c.id in waiting, overdue=waiting.get(c.id, False),
    ) for c in cases]
