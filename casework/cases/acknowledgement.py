"""Acknowledgement: a connector takes a case, by replying ACK to an alert or in the console.

`handle_connector_message` is the intake's door for texts from a registered connector's number: it
returns None for anyone else (the sender is then a resident), and otherwise always a reply, so a
connector's text never reaches the resident bot. Accepted forms, in any case and spacing:
"ACK WC-48213", "ack wc48213", "Ack wc-48213.", "ACK 48213" (digits alone, if they name one case the
connector may see), and "ACK" alone for the most urgent case alerted to the connector that is still waiting (the oldest
of those).

Only a connector who may see the case (casework.cases.caseload.access: a manager, its owner, whoever took it,
anyone alerted about it) may take it by text, as in the console. To anyone else a reference is
answered exactly as one that does not exist, so a text reveals neither a case nor who holds it; the
refusal is in the audit trail.

Acknowledging closes all the case's pending alerts (the acknowledger's `acknowledged`, everyone
else's `superseded`), so escalation stops. It is a compare-and-set on the case's alert version, so
an escalation running at the same moment either happens first (and its new alert is closed too) or
sees the change and does nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.alerts import close_pending, pending_alerts
from casework.cases.caseload import access
from casework.cases.connectors import connector_for_phone_hash
from casework.cases.models import PENDING_ALERT_STATES, PRIORITIES, Alert, Case, Connector
from casework.cases.opening import UnknownCase, normalise_reference
from casework.models import as_utc, utcnow
from casework.texts import priority_word, render
from service.settings import Settings

__all__ = ["Acknowledgement", "ConnectorReply", "acknowledge_case", "handle_connector_message", "parse_ack"]

_ACK = re.compile(r"^\W*ack(?:nowledged?)?(?:\W+(?P<ref>[a-z]{2,3}\W{0,2}\d{3,6}|\d{3,6}))?\W*$", re.IGNORECASE)
_COMPARE_AND_SET_TRIES = 5


@dataclass(frozen=True)
class Acknowledgement:
    reference: str
    # acknowledged | already_yours | already_taken | closed
    outcome: str
    connector_id: int
    acknowledged_by: str | None  # who holds it (the other connector's name for already_taken)
    acknowledged_at: datetime | None
    alerts_closed: int = 0


@dataclass(frozen=True)
class ConnectorReply:
    """The text to send back to a connector, and what (if anything) was acknowledged."""

    text: str
    connector_id: int
    reference: str | None = None
    acknowledged: bool = False


def parse_ack(text: str) -> tuple[bool, str | None]:
    """(is an ACK, the reference typed or None). "ack wc4821" -> (True, "WC-4821")."""
    match = _ACK.match(text or "")
    if not match:
        return False, None
    return True, normalise_reference(match["ref"]) if match["ref"] else None


def _awaiting(session: Session, case: Case) -> bool:
    return case.state == "new" or bool(pending_alerts(session, case.id))


def acknowledge_case(
    session: Session, *, reference: str, connector_id: int, via: str = "console", now: datetime | None = None
) -> Acknowledgement:
    """`connector_id` takes the case (raises UnknownCase). The first to acknowledge becomes its owner."""
    now = as_utc(now) or utcnow()
    for _ in range(_COMPARE_AND_SET_TRIES):
        case = session.scalars(select(Case).where(Case.reference == normalise_reference(reference))).first()
        if case is None:
            raise UnknownCase(f"no case {reference}")
        session.refresh(case)
        if case.state == "closed":
            return Acknowledgement(case.reference, "closed", connector_id, None, as_utc(case.acknowledged_at))
        if not _awaiting(session, case):
            holder = session.get(Connector, case.acknowledged_by_id) if case.acknowledged_by_id else None
            outcome = "already_yours" if case.acknowledged_by_id == connector_id else "already_taken"
            return Acknowledgement(case.reference, outcome, connector_id, holder.name if holder else None,
                                   as_utc(case.acknowledged_at))
        version = case.alert_version
        taken = session.execute(
            update(Case).where(Case.id == case.id, Case.alert_version == version, Case.state != "closed")
            .values(alert_version=version + 1).execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            continue  # an escalation (or another ACK) changed the alerts meanwhile: look again
        session.refresh(case)
        closed = close_pending(session, case.id, acknowledged_by=connector_id, now=now)
        if case.state == "new":
            case.state = "acknowledged"
            case.acknowledged_at = now
            case.acknowledged_by_id = connector_id
        if case.owner_id is None:
            case.owner_id = connector_id
        case.updated_at = now
        audit.record(session, actor=audit.connector_actor(connector_id), action="acknowledged",
                     case_reference=case.reference, at=now, detail=f"via {via}; {closed} pending alerts closed")
        session.flush()
        name = session.scalars(select(Connector.name).where(Connector.id == connector_id)).one()
        return Acknowledgement(case.reference, "acknowledged", connector_id, name, now, closed)
    raise RuntimeError(f"case {reference} kept changing while being acknowledged")


def _latest_waiting(session: Session, connector_id: int) -> Case | None:
    """Of the cases alerted to this connector that nobody has taken yet, the most urgent, then the one
    waiting longest: what a bare ACK takes (a routine case raised a minute ago never jumps a crisis)."""
    rows = session.execute(
        select(Alert.state, Case).join(Case, Case.id == Alert.case_id)
        .where(Alert.connector_id == connector_id, Case.state != "closed")
        .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(40)
    ).all()
    waiting = {case.id: case for state, case in rows if state in PENDING_ALERT_STATES or _awaiting(session, case)}
    # Every alert still pending, however many: a summary of fifty (casework.cases.alerts.send_held) must not
    # leave its urgent cases behind the forty latest rows.
    waiting.update((case.id, case) for case in session.scalars(
        select(Case).join(Alert, Alert.case_id == Case.id)
        .where(Alert.connector_id == connector_id, Alert.state.in_(PENDING_ALERT_STATES), Case.state != "closed")
    ).unique())
    if not waiting:
        return None
    rank = {priority: i for i, priority in enumerate(PRIORITIES)}
    return min(waiting.values(), key=lambda c: (rank.get(c.priority, len(rank)), as_utc(c.created_at) or c.created_at, c.id))


def _find_by_digits(session: Session, digits: str, connector_id: int) -> str | None:
    """The one case ending in these digits that the connector may see (digits alone never reach
    another patch's case)."""
    matches = session.scalars(select(Case.reference).where(Case.reference.like(f"%-{digits}"))).all()
    visible = [m for m in matches if access(session, reference=m, connector_id=connector_id).may_see]
    return visible[0] if len(visible) == 1 else None


def handle_connector_message(
    session: Session, *, phone_hash: str, text: str, settings: Settings, now: datetime | None = None
) -> ConnectorReply | None:
    """The reply to a text from a connector's number, or None when the number is not a connector's.

    `phone_hash` is casework.residents.identity.phone_hash of the sender's number (the intake's "sms:" id
    without its prefix). Runs in the caller's transaction.
    """
    connector = connector_for_phone_hash(session, phone_hash)
    if connector is None:
        return None
    example = f"{alert_settings(settings).reference_prefix}-12345"
    is_ack, reference = parse_ack(text)
    waiting = _latest_waiting(session, connector.id)
    if not is_ack:
        if waiting is not None:
            return ConnectorReply(render("connector_help_pending", reference=waiting.reference,
                                         priority=priority_word(waiting.priority)), connector.id, waiting.reference)
        return ConnectorReply(render("connector_help", example=example), connector.id)
    if reference is None:
        if waiting is None:
            return ConnectorReply(render("ack_nothing_pending", example=example), connector.id)
        reference = waiting.reference
    elif "-" not in reference:
        reference = _find_by_digits(session, reference, connector.id) or reference
    unknown = ConnectorReply(render("ack_unknown_reference", reference=reference,
                                    example=waiting.reference if waiting else example), connector.id)
    try:
        allowed = access(session, reference=reference, connector_id=connector.id)
    except UnknownCase:
        return unknown
    if not allowed.may_see:
        audit.record(session, actor=audit.connector_actor(connector.id), action="refused", case_reference=allowed.reference,
                     detail="acknowledging by text: not theirs to see", at=now)
        return unknown
    try:
        result = acknowledge_case(session, reference=reference, connector_id=connector.id, via="sms", now=now)
    except UnknownCase:
        return unknown
    if result.outcome == "acknowledged":
        text_out = render("ack_done", name=connector.name.split()[0], reference=result.reference)
    elif result.outcome == "already_yours":
        text_out = render("ack_already_yours", reference=result.reference)
    elif result.outcome == "already_taken":
        at = result.acknowledged_at
        when = at.astimezone(alert_settings(settings).working_hours.zone).strftime("%H:%M %d %b") if at else ""
        text_out = render("ack_already_taken", reference=result.reference, other=result.acknowledged_by or "someone",
                          time=when)
    else:
        text_out = render("ack_closed", reference=result.reference)
    return ConnectorReply(text_out, connector.id, result.reference, acknowledged=result.outcome == "acknowledged")
