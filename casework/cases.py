"""Cases: open one (or add to the resident's open one), alert a connector at once, and read them back.

`open_case` runs inside the caller's transaction and queues the alerts in it (the outbox pattern),
so a case is never recorded without its alert, nor an alert sent for a case that was rolled back.
Everything returned is a plain dataclass; private parts (what the resident wrote, a third party's
description) are only in `case_file`, whose every read is audit-logged.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from casework import audit
from casework.alert_settings import AlertSettings, alert_settings
from casework.alerts import AlertQueued, alert_connector, close_pending, next_step, pending_alerts, start_alerting, window
from casework.case_models import PENDING_ALERT_STATES, PRIORITIES, Alert, Case, CaseNote, CaseReason, Connector, Report
from casework.connectors import alert_order, covers, postcode_district
from casework.identity import PhoneVault
from casework.inbound import BodyVault
from casework.models import Resident, as_utc, utcnow
from service.settings import Settings

__all__ = [
    "LAWFUL_BASES",
    "EXCERPT_LENGTH",
    "Reason",
    "CaseOpened",
    "CaseworkError",
    "UnknownCase",
    "open_case",
    "place_case",
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
    "normalise_reference",
]

log = logging.getLogger(__name__)

# GDPR Article 6 bases; safeguarding someone at risk is usually vital_interests or public_task.
LAWFUL_BASES = ("vital_interests", "public_task", "consent", "legitimate_interests", "legal_obligation")
# Enough of the message for a connector to see why; the whole conversation stays in Rasa's store.
EXCERPT_LENGTH = 200
_REFERENCE_TRIES = 20


class CaseworkError(ValueError):
    """A casework request that cannot be carried out as asked (the message says why)."""


class UnknownCase(CaseworkError):
    pass


@dataclass(frozen=True)
class Reason:
    """Why a case is opened: a safety-screen category (or "request", "report"...) and the rule that fired."""

    category: str
    rule: str
    message_id: str | None = None
    excerpt: str | None = None  # the resident's words; sealed before storage
    layer: str = "rules"  # which layer of the safety screen raised it: "rules" or "model"
    score: float | None = None  # the model's probability, when the model raised it


@dataclass(frozen=True)
class CaseOpened:
    reference: str
    priority: str
    state: str
    reused: bool
    alerts_queued: list[AlertQueued] = field(default_factory=list)
    # Someone has been or is being told about this case (alerts queued now or earlier, or it is
    # acknowledged): the condition for a reply that promises a connector will be in touch.
    connector_alerted: bool = False

    @property
    def acknowledge_by(self) -> datetime | None:
        """When the alert just queued must be taken, or it escalates (for "we will look at it by ...")."""
        return min((a.due_at for a in self.alerts_queued), default=None)


def _rank(priority: str) -> int:
    return PRIORITIES.index(priority)


def normalise_reference(text: str) -> str:
    """"wc4821" / "Wc-4821." -> "WC-4821" (the letters and digits the connector typed)."""
    letters = "".join(ch for ch in text if ch.isalpha()).upper()
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"{letters}-{digits}" if letters else digits


def _new_reference(session: Session, prefix: str, tries: int) -> str:
    # Five random digits (90,000 references) is short enough to type in an ACK; after repeated
    # collisions the space grows to six digits rather than failing a crisis.
    digits = 5 if tries < _REFERENCE_TRIES // 2 else 6
    while True:
        reference = f"{prefix}-{secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1)}"
        if session.scalars(select(Case.id).where(Case.reference == reference)).first() is None:
            return reference


def _insert_case(session: Session, build: dict, prefix: str) -> Case:
    """Insert with a fresh random reference; a reference taken meanwhile by another transaction is retried."""
    for tries in range(_REFERENCE_TRIES):
        case = Case(reference=_new_reference(session, prefix, tries), **build)
        if session.get_bind().dialect.name == "sqlite":
            # SQLite has one writer at a time, so the check above cannot be overtaken. And a SAVEPOINT
            # must not be the first write: pysqlite then has no BEGIN open, so RELEASE commits the
            # insert even if the caller's transaction later rolls back (checked with SQLAlchemy 1.4).
            session.add(case)
            session.flush()
            return case
        try:
            with session.begin_nested():
                session.add(case)
        except IntegrityError:
            log.info("case reference %s taken concurrently; trying another", case.reference)
            continue
        return case
    raise CaseworkError("could not find a free case reference")


def _add_reasons(session: Session, case: Case, reasons: Sequence[Reason], priority: str, vault: BodyVault,
                 now: datetime) -> int:
    known = {m for m in session.scalars(select(CaseReason.message_id).where(CaseReason.case_id == case.id)) if m}
    added = 0
    for reason in reasons:
        if reason.message_id and reason.message_id in known:
            continue  # the same message handled twice (a redelivery, a spool drained after the intake recorded it)
        excerpt = (reason.excerpt or "").strip()[:EXCERPT_LENGTH]
        session.add(CaseReason(
            case_id=case.id, rule=reason.rule[:64], category=reason.category[:32], priority=priority, layer=reason.layer[:8],
            score=reason.score, message_id=reason.message_id, excerpt_encrypted=vault.seal(excerpt) if excerpt else None, raised_at=now,
        ))
        if reason.message_id:
            known.add(reason.message_id)
        added += 1
    session.flush()
    return added


def _is_alerted(session: Session, case: Case) -> bool:
    if case.acknowledged_by_id is not None:
        return True
    return session.scalars(
        select(Alert.id).where(Alert.case_id == case.id, Alert.state.in_((*PENDING_ALERT_STATES, "acknowledged")))
    ).first() is not None


def open_case(
    session: Session,
    *,
    sender_id: str | None = None,
    subject: str | None = None,
    area: str | None = None,
    priority: str,
    reasons: Sequence[Reason],
    lawful_basis: str,
    settings: Settings,
    source: str = "safety_screen",
    contact: str | None = None,
    actor: str = "intake",
    now: datetime | None = None,
) -> CaseOpened:
    """Open a case about a resident (`sender_id`) or a described third party (`subject`) and alert at once.

    A resident's open case is reused: the reasons are added, the priority raised if this one is more
    urgent, and a raise to urgent alerts afresh (owner first). `area` may be a postcode or a district;
    anything else is ignored (the case then goes to everyone on duty). `contact` is how to reach a
    resident with no SMS number (web chat): sealed, shown only in the case file.
    """
    if (sender_id is None) == (subject is None):
        raise CaseworkError("a case is about a resident (sender_id) or a described third party (subject), not both")
    if priority not in PRIORITIES:
        raise CaseworkError(f"priority must be one of {', '.join(PRIORITIES)}")
    if lawful_basis not in LAWFUL_BASES:
        raise CaseworkError(f"lawful_basis must be one of {', '.join(LAWFUL_BASES)}")
    if not reasons:
        raise CaseworkError("a case needs at least one reason")
    now = as_utc(now) or utcnow()
    policy = alert_settings(settings)
    vault = BodyVault.for_settings(settings)
    district = postcode_district(area)
    categories = ", ".join(sorted({r.category for r in reasons}))

    existing = None
    if sender_id is not None:
        existing = session.scalars(
            select(Case).where(Case.sender_id == sender_id, Case.state != "closed").order_by(Case.created_at.desc())
        ).first()
    if existing is not None:
        return _reuse(session, existing, reasons=reasons, priority=priority, district=district, contact=contact,
                      vault=vault, policy=policy, categories=categories, actor=actor, now=now)

    case = _insert_case(session, {
        "subject_kind": "resident" if sender_id else "third_party",
        "sender_id": sender_id,
        "subject_encrypted": vault.seal(subject) if subject else None,
        "contact_encrypted": vault.seal(contact) if contact else None,
        "area": district,
        "priority": priority,
        "state": "new",
        "source": source[:32],
        "lawful_basis": lawful_basis,
        "created_at": now,
        "updated_at": now,
        "alert_version": 0,
    }, policy.reference_prefix)
    _add_reasons(session, case, reasons, priority, vault, now)
    audit.record(session, actor=actor, action="opened", case_reference=case.reference, at=now,
                 detail=f"{priority} {case.subject_kind} case from {source}; reasons: {categories}; "
                        f"area {district or 'unknown'}; basis {lawful_basis}")
    queued = start_alerting(session, case=case, policy=policy, now=now, actor=actor)
    log.info("case %s opened (%s, %s), %s alerts queued", case.reference, priority, categories, len(queued))
    return CaseOpened(case.reference, case.priority, case.state, reused=False, alerts_queued=queued,
                      connector_alerted=bool(queued))


def place_case(session: Session, *, reference: str, area: str | None, settings: Settings, actor: str = "intake",
               now: datetime | None = None) -> str | None:
    """The resident said where they are after their case opened without an area: the case gets its
    district, and while nobody has taken it, the first connector whose patch covers it is alerted too
    (see `_place`). The district set, or None (no such case, no district in `area`, or it has one)."""
    now = as_utc(now) or utcnow()
    district = postcode_district(area)
    case = session.scalars(select(Case).where(Case.reference == reference)).first()
    if case is None or district is None or case.area:
        return None
    _place(session, case, district, policy=alert_settings(settings), actor=actor, now=now)
    return district


def _place(session: Session, case: Case, district: str, *, policy: AlertSettings, actor: str, now: datetime) -> None:
    """Give a case with no area its district; while nobody has taken it, alert the first connector whose
    patch covers it, unless they were alerted already (whoever was told keeps their alert: the first
    to ACK takes the case)."""
    case.area, case.updated_at = district, now
    audit.record(session, actor=actor, action="area_added", case_reference=case.reference, at=now,
                 detail=f"area {district}, said by the resident after the case opened")
    if case.state != "new":
        return
    local = [c for c in alert_order(session, area=district, at=now, ignore_rota=case.priority == "urgent") if covers(c.patch, district)]
    told = {alert.connector_id for alert in pending_alerts(session, case.id)}
    if local and local[0].id not in told:
        queued = alert_connector(session, case=case, connector=local[0], step=next_step(session, case.id), policy=policy, now=now)
        case.alert_version = (case.alert_version or 0) + 1
        audit.record(session, actor=actor, action="alerted", case_reference=case.reference, at=now,
                     detail=f"connector:{local[0].id} by sms and email (the case's patch), step {queued[0].step}")


def _reuse(session: Session, case: Case, *, reasons: Sequence[Reason], priority: str, district: str | None,
           contact: str | None, vault: BodyVault, policy, categories: str, actor: str,  # type: ignore[no-untyped-def]
           now: datetime) -> CaseOpened:
    added = _add_reasons(session, case, reasons, priority, vault, now)
    if district and not case.area:
        _place(session, case, district, policy=policy, actor=actor, now=now)
    if contact:
        case.contact_encrypted = vault.seal(contact)
    case.updated_at = now
    if added:
        audit.record(session, actor=actor, action="reason_added", case_reference=case.reference, at=now,
                     detail=f"{priority}: {categories}")
    queued: list[AlertQueued] = []
    if _rank(priority) < _rank(case.priority):
        before, case.priority = case.priority, priority
        audit.record(session, actor=actor, action="priority_raised", case_reference=case.reference, at=now,
                     detail=f"{before} -> {priority}")
        if priority == "urgent":
            # A new crisis on a known case: whoever was being told about the old priority is
            # superseded, and the owner (who knows the resident) hears first.
            close_pending(session, case.id, acknowledged_by=None, now=now)
            queued = start_alerting(session, case=case, policy=policy, now=now, actor=actor, owner_first=True)
        else:
            latest = now + window(policy, priority)
            for alert in pending_alerts(session, case.id):
                if (as_utc(alert.due_at) or latest) > latest:
                    alert.due_at = latest
            case.alert_version = (case.alert_version or 0) + 1
    return CaseOpened(case.reference, case.priority, case.state, reused=True, alerts_queued=queued,
                      connector_alerted=bool(queued) or _is_alerted(session, case))


# --- reading cases ---------------------------------------------------------------------------
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
