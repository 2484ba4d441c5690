"""Open a case (or add to the resident's open one) and alert a connector at once; give a case its
district when the resident says where they are (`place_case`). Reading cases back is
casework.cases.reading.

`open_case` runs inside the caller's transaction and queues the alerts in it (the outbox pattern),
so a case is never recorded without its alert, nor an alert sent for a case that was rolled back.
What the resident wrote is sealed before it is stored. (`CaseworkError`, the error every casework
request raises when it cannot be carried out as asked, is declared here.)
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import AlertSettings, alert_settings
from casework.cases.alerts import AlertQueued, alert_connector, close_pending, next_step, pending_alerts, start_alerting, window
from casework.cases.connectors import alert_order, covers, postcode_district
from casework.cases.models import PENDING_ALERT_STATES, PRIORITIES, Alert, Case, CaseReason
from casework.conversation.inbound import BodyVault
from casework.models import as_utc, utcnow
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
