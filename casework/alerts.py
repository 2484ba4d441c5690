"""Alerts: telling a connector about a case, by SMS and by email, through the outbox.

An alert is written in the same transaction as whatever caused it (a case opened, an escalation),
so a process that dies afterwards loses nothing: the worker sends whatever the outbox holds.
Each connector alerted gets two rows here (sms, email) sharing one deadline (`due_at`).

What an alert says: priority, reference, area and a one-line reason, and how to acknowledge. No
name, no message text, no address: a connector reads those in the console.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from casework import audit
from casework.alert_settings import AlertSettings
from casework.case_models import PENDING_ALERT_STATES, PRIORITIES, Alert, Case, CaseReason, Connector
from casework.connectors import ConnectorInfo, alert_order, list_connectors
from casework.outbox import OutboxMessage, as_utc, connector_recipient, enqueue_connector_sms, enqueue_email
from casework.texts import priority_word, reason_line, render

__all__ = ["AlertQueued", "alert_connector", "start_alerting", "next_step", "pending_alerts", "close_pending", "sync_delivery", "FAILED_DELIVERY"]

log = logging.getLogger(__name__)

# Outbox states after which a message will never reach the connector.
FAILED_DELIVERY = ("failed", "expired", "undelivered", "blocked_opted_out")


@dataclass(frozen=True)
class AlertQueued:
    connector_id: int
    connector_name: str
    channel: str  # sms | email
    outbox_message_id: int
    due_at: datetime
    step: int


def _lead_category(session: Session, case: Case) -> str | None:
    """The first reason that asked for the case's present priority: the one worth a line in the alert."""
    reasons = session.execute(
        select(CaseReason.priority, CaseReason.category).where(CaseReason.case_id == case.id)
        .order_by(CaseReason.raised_at, CaseReason.id)
    ).all()
    for priority, category in reasons:
        if priority == case.priority:
            return category
    ranked = sorted(reasons, key=lambda r: PRIORITIES.index(r[0]) if r[0] in PRIORITIES else len(PRIORITIES))
    return ranked[0][1] if ranked else None


def alert_connector(
    session: Session,
    *,
    case: Case,
    connector: ConnectorInfo,
    step: int,
    policy: AlertSettings,
    now: datetime,
    previous: str | None = None,
) -> list[AlertQueued]:
    """Queue an SMS and an email to `connector` about `case`, in the caller's transaction."""
    mobile = session.scalars(select(Connector.mobile_encrypted).where(Connector.id == connector.id)).one()
    sends_at = policy.sends_at(case.priority, now)
    due_at = policy.due_at(case.priority, now)
    # An urgent or high alert that cannot be delivered before its deadline is worthless: let it
    # expire, which escalates at once. A routine one may wait (it is not sent out of hours anyway).
    valid_for = None if case.priority == "routine" else due_at - sends_at
    values = {
        "priority": priority_word(case.priority),
        "reference": case.reference,
        "area": case.area or render("area_unknown"),
        "reason": reason_line(_lead_category(session, case)),
        "previous": previous or "",
        "due": due_at.astimezone(policy.working_hours.zone).strftime("%a %d %b %H:%M"),
    }
    escalated = "_escalated" if previous else ""
    sms_text = render(f"alert_sms{escalated}{'' if case.area else '_no_area'}", **values)
    sms_id = enqueue_connector_sms(session, connector_id=connector.id, phone_encrypted=mobile, body=sms_text,
                                   purpose="alert", not_before=sends_at, valid_for=valid_for)
    email_id = enqueue_email(session, to_address=connector.email, subject=render("alert_email_subject", **values),
                             body=render(f"alert_email_body{escalated}", **values), purpose="alert",
                             recipient_sender_id=connector_recipient(connector.id), not_before=sends_at,
                             valid_for=valid_for)
    queued = []
    for channel, message_id in (("sms", sms_id), ("email", email_id)):
        session.add(Alert(case_id=case.id, connector_id=connector.id, channel=channel, outbox_message_id=message_id,
                          state="queued", step=step, created_at=now, due_at=due_at))
        queued.append(AlertQueued(connector.id, connector.name, channel, message_id, due_at, step))
    session.flush()
    log.info("case %s: alert %s queued to connector %s (sms %s, email %s), due %s", case.reference, step,
             connector.id, sms_id, email_id, due_at.isoformat(timespec="seconds"))
    return queued


def pending_alerts(session: Session, case_id: int) -> list[Alert]:
    return list(session.scalars(
        select(Alert).where(Alert.case_id == case_id, Alert.state.in_(PENDING_ALERT_STATES)).order_by(Alert.id)
    ))


def close_pending(session: Session, case_id: int, *, acknowledged_by: int | None, now: datetime) -> int:
    """Close a case's pending alerts: the acknowledger's become `acknowledged`, everyone else's `superseded`."""
    closed = 0
    for alert in pending_alerts(session, case_id):
        if acknowledged_by is not None and alert.connector_id == acknowledged_by:
            alert.state = "acknowledged"
            alert.acknowledged_at = now
        else:
            alert.state = "superseded"
        closed += 1
    # Nothing still waiting in the outbox for a closed alert should go out (a routine one waiting for
    # office hours, an email being retried). A message the sender has already claimed is left alone.
    session.flush()
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(Alert.outbox_message_id).where(Alert.case_id == case_id,
                                                                         Alert.state.in_(("acknowledged", "superseded")))),
               OutboxMessage.state == "queued")
        .values(state="expired", last_error="alert closed before it was sent", next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return closed


def sync_delivery(session: Session) -> int:
    """Copy what the outbox knows into pending alert rows: queued -> sent, or -> failed (also when the
    connector has been deactivated). Returns rows moved."""
    def outbox_in(states: tuple[str, ...]):  # type: ignore[no-untyped-def]
        # Correlated on the outbox's primary key: only the few pending alerts are looked at.
        return exists().where(OutboxMessage.id == Alert.outbox_message_id, OutboxMessage.state.in_(states))

    sent = session.execute(
        update(Alert).where(Alert.state == "queued", outbox_in(("sent", "delivered")))
        .values(state="sent").execution_options(synchronize_session=False)
    ).rowcount
    failed = session.execute(
        update(Alert).where(Alert.state.in_(("queued", "sent")), outbox_in(FAILED_DELIVERY))
        .values(state="failed").execution_options(synchronize_session=False)
    ).rowcount
    # A connector deactivated since (left, on leave) will not answer: their email would still go,
    # but waiting out the deadline for them helps nobody.
    gone = session.execute(
        update(Alert).where(Alert.state.in_(("queued", "sent")),
                            Alert.connector_id.in_(select(Connector.id).where(Connector.active.is_(False))))
        .values(state="failed").execution_options(synchronize_session=False)
    ).rowcount
    return int(sent or 0) + int(failed or 0) + int(gone or 0)


def due(alert: Alert) -> datetime:
    value = as_utc(alert.due_at)
    assert value is not None
    return value


def window(policy: AlertSettings, priority: str) -> timedelta:
    return timedelta(seconds=policy.ack_seconds[priority])


def next_step(session: Session, case_id: int) -> int:
    latest = session.scalar(select(func.max(Alert.step)).where(Alert.case_id == case_id))
    return 0 if latest is None else int(latest) + 1


def start_alerting(
    session: Session,
    *,
    case: Case,
    policy: AlertSettings,
    now: datetime,
    actor: str,
    owner_first: bool = False,
    record_nobody: bool = True,
) -> list[AlertQueued]:
    """Alert the first person in the case's alert order (see casework.connectors), in the caller's transaction.

    Nobody on duty: an urgent case goes to whoever is active, rota or not (a crisis does not wait for
    a shift to start); anything else waits, and the escalation job tries again every pass.
    """
    order = alert_order(session, area=case.area, at=now)
    if not order and case.priority == "urgent":
        order = alert_order(session, area=case.area, at=now, ignore_rota=True)
        if order:
            audit.record(session, actor=actor, action="rota_ignored", case_reference=case.reference, at=now,
                         detail="nobody on duty for an urgent case: alerting whoever is active")
    if owner_first and case.owner_id is not None:
        owner = [c for c in list_connectors(session, active_only=True) if c.id == case.owner_id]
        order = owner + [c for c in order if c.id != case.owner_id]
    if not order:
        if record_nobody:
            audit.record(session, actor=actor, action="nobody_to_alert", case_reference=case.reference, at=now,
                         detail="no connector on duty; retried by the worker every pass")
            log.warning("case %s: nobody to alert (add connectors: python -m casework connectors add)", case.reference)
        return []
    first = order[0]
    queued = alert_connector(session, case=case, connector=first, step=next_step(session, case.id), policy=policy, now=now)
    case.alert_version = (case.alert_version or 0) + 1
    audit.record(session, actor=actor, action="alerted", case_reference=case.reference, at=now,
                 detail=f"connector:{first.id} by sms and email, step {queued[0].step}, "
                        f"acknowledge by {queued[0].due_at.isoformat(timespec='seconds')}")
    return queued
