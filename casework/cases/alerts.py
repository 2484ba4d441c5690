"""Alerts: telling a connector about a case, by SMS and by email, through the outbox.

An alert is written in the same transaction as whatever caused it (a case opened, an escalation),
so a process that dies afterwards loses nothing: the worker sends whatever the outbox holds.
Each connector alerted gets two rows here (sms, email) sharing one deadline (`due_at`).

A backlog is one message, not a flood: the worker holds the alerts of a pass and sends them at its
end (`send_held`), one SMS and one email per case to a person with a few, one summary SMS and email
to a person with more than ALERT_SUMMARY_THRESHOLD (the first connector added with 168 cases
waiting got 168 texts and 168 emails). The alert rows stay one per case and channel, the summary's
rows all pointing at the one message, so ACK, deadlines and escalation still work case by case.

What an alert says: priority, reference, area and a one-line reason, and how to acknowledge. No
name, no message text, no address: a connector reads those in the console.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import AlertSettings
from casework.cases.connectors import ConnectorInfo, alert_order, list_connectors
from casework.cases.models import PENDING_ALERT_STATES, PRIORITIES, Alert, Case, CaseReason, Connector
from casework.models import as_utc
from casework.outbox.messages import OutboxMessage, connector_recipient, enqueue_connector_sms, enqueue_email
from casework.texts import priority_word, reason_line, render

__all__ = ["AlertQueued", "HeldAlertsTaken", "HeldSent", "alert_connector", "send_held", "start_alerting", "next_step", "pending_alerts",
           "close_pending", "sync_delivery", "FAILED_DELIVERY"]

log = logging.getLogger(__name__)

# Outbox states after which a message will never reach the connector.
FAILED_DELIVERY = ("failed", "expired", "undelivered", "blocked_opted_out")


@dataclass(frozen=True)
class AlertQueued:
    connector_id: int
    connector_name: str
    channel: str  # sms | email
    outbox_message_id: int | None  # None while held for the end of the worker's pass (send_held)
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


def _values(session: Session, case: Case, *, policy: AlertSettings, due_at: datetime, previous: str | None) -> dict[str, str]:
    """What an alert about `case` may say: priority, reference, area, a one-line reason, the deadline."""
    return {
        "priority": priority_word(case.priority),
        "reference": case.reference,
        "area": case.area or render("area_unknown"),
        "reason": reason_line(_lead_category(session, case)),
        "previous": previous or "",
        "due": due_at.astimezone(policy.working_hours.zone).strftime("%a %d %b %H:%M"),
    }


def _valid_for(priorities: list[str], due_at: datetime, sends_at: datetime) -> timedelta | None:
    # An urgent or high alert that cannot be delivered before its deadline is worthless: let it
    # expire, which escalates at once. A routine one may wait (it is not sent out of hours anyway).
    return None if all(p == "routine" for p in priorities) else due_at - sends_at


def _case_messages(session: Session, *, case: Case, connector: Connector, policy: AlertSettings, sends_at: datetime,
                   due_at: datetime, previous: str | None) -> tuple[int, int]:
    """Queue the SMS and the email about one case; returns their outbox ids (sms, email)."""
    values = _values(session, case, policy=policy, due_at=due_at, previous=previous)
    valid_for = _valid_for([case.priority], due_at, sends_at)
    escalated = "_escalated" if previous else ""
    sms_text = render(f"alert_sms{escalated}{'' if case.area else '_no_area'}", **values)
    sms_id = enqueue_connector_sms(session, connector_id=connector.id, phone_encrypted=connector.mobile_encrypted, body=sms_text,
                                   purpose="alert", not_before=sends_at, valid_for=valid_for)
    email_id = enqueue_email(session, to_address=connector.email, subject=render("alert_email_subject", **values),
                             body=render(f"alert_email_body{escalated}", **values), purpose="alert",
                             recipient_sender_id=connector_recipient(connector.id), not_before=sends_at,
                             valid_for=valid_for)
    return sms_id, email_id


def alert_connector(
    session: Session,
    *,
    case: Case,
    connector: ConnectorInfo,
    step: int,
    policy: AlertSettings,
    now: datetime,
    previous: str | None = None,
    held: bool = False,
) -> list[AlertQueued]:
    """Queue an SMS and an email to `connector` about `case`, in the caller's transaction.

    `held` writes the alert rows (the deadline, what ACK and escalation work from) without their
    messages: the worker holds every alert of a pass and sends them together at its end
    (`send_held`), so a person with a backlog gets one summary rather than one text per case.
    """
    sends_at = policy.sends_at(case.priority, now)
    due_at = policy.due_at(case.priority, now)
    ids: dict[str, int | None] = {"sms": None, "email": None}
    if not held:
        row = session.get(Connector, connector.id)
        assert row is not None
        ids["sms"], ids["email"] = _case_messages(session, case=case, connector=row, policy=policy, sends_at=sends_at,
                                                  due_at=due_at, previous=previous)
    queued = []
    for channel, message_id in ids.items():
        session.add(Alert(case_id=case.id, connector_id=connector.id, channel=channel, outbox_message_id=message_id,
                          state="queued", step=step, created_at=now, due_at=due_at))
        queued.append(AlertQueued(connector.id, connector.name, channel, message_id, due_at, step))
    session.flush()
    if held:
        log.info("case %s: alert %s to connector %s held for the pass's messages, due %s", case.reference, step,
                 connector.id, due_at.isoformat(timespec="seconds"))
    else:
        log.info("case %s: alert %s queued to connector %s (sms %s, email %s), due %s", case.reference, step,
                 connector.id, ids["sms"], ids["email"], due_at.isoformat(timespec="seconds"))
    return queued


class HeldAlertsTaken(Exception):
    """Another worker sent some of these held alerts meanwhile: roll back; what is left goes next pass."""


@dataclass(frozen=True)
class HeldSent:
    alone: int = 0  # cases alerted with their own SMS and email
    summarised: int = 0  # cases alerted inside a summary
    summaries: int = 0  # summaries queued (each one SMS and one email)


@dataclass
class _Waiting:
    """One case's held alert rows to one person, and what its message needs."""

    case: Case
    alerts: list[Alert]
    due_at: datetime
    previous: str | None


def _previous(session: Session, alert: Alert) -> str | None:
    """Who did not answer before this person (the step before, escalated to them): "Not yet acknowledged by"."""
    if not alert.step:
        return None
    return session.scalars(
        select(Connector.name).join(Alert, Alert.connector_id == Connector.id)
        .where(Alert.case_id == alert.case_id, Alert.step == alert.step - 1, Alert.state == "escalated",
               Alert.escalated_to_id == alert.connector_id)
    ).first()


def send_held(session: Session, *, policy: AlertSettings, queue_url: str, now: datetime, actor: str) -> HeldSent:
    """Queue the messages of held alerts (see `alert_connector`), in the caller's transaction.

    Grouped by person and by when they may go (a routine alert out of hours waits for working hours,
    urgent and high never do). A group of up to `policy.summary_threshold` cases gets the usual SMS
    and email per case; a bigger one gets one SMS and one email for all of them: the counts by
    priority, the most urgent references (what ACK needs), the console queue, and in the email a
    line per case. Every alert row keeps its own case and deadline, and points at the message that
    carries it, so delivery, ACK and escalation still work case by case. Raises `HeldAlertsTaken`
    when another worker sent some of them first.
    """
    query = (select(Alert, Case).join(Case, Case.id == Alert.case_id)
             .where(Alert.state == "queued", Alert.outbox_message_id.is_(None)).order_by(Alert.id))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Alert, skip_locked=True)  # another worker is sending those
    groups: dict[tuple[int, datetime], dict[int, _Waiting]] = {}
    for alert, case in session.execute(query).all():
        created = as_utc(alert.created_at) or now
        key = (alert.connector_id, policy.sends_at(case.priority, created))
        waiting = groups.setdefault(key, {}).get(case.id)
        if waiting is None:
            waiting = groups[key][case.id] = _Waiting(case, [], due(alert), _previous(session, alert))
        waiting.alerts.append(alert)
    rank = {priority: i for i, priority in enumerate(PRIORITIES)}
    alone = summarised = summaries = 0
    for (connector_id, sends_at), by_case in groups.items():
        connector = session.get(Connector, connector_id)
        assert connector is not None
        # Most urgent first, then the longest waiting: the order a bare ACK takes them in.
        cases = sorted(by_case.values(), key=lambda w: (rank.get(w.case.priority, len(rank)),
                                                        as_utc(w.case.created_at) or now, w.case.id))
        if len(cases) <= policy.summary_threshold:
            for waiting in cases:
                sms_id, email_id = _case_messages(session, case=waiting.case, connector=connector, policy=policy,
                                                  sends_at=sends_at, due_at=waiting.due_at, previous=waiting.previous)
                _link(session, waiting.alerts, sms_id=sms_id, email_id=email_id)
                log.info("case %s: alert to connector %s queued (sms %s, email %s)", waiting.case.reference,
                         connector_id, sms_id, email_id)
            alone += len(cases)
            continue
        sms_id, email_id = _summary_messages(session, cases, connector=connector, policy=policy, sends_at=sends_at,
                                             queue_url=queue_url)
        _link(session, [a for w in cases for a in w.alerts], sms_id=sms_id, email_id=email_id)
        audit.record(session, actor=actor, action="alerts_summarised", at=now,
                     detail=f"connector:{connector_id}: {len(cases)} cases in one sms and email "
                            f"(outbox {sms_id}, {email_id})")
        log.warning("connector %s: %s alerts at once, sent as one summary (sms %s, email %s)", connector_id,
                    len(cases), sms_id, email_id)
        summarised += len(cases)
        summaries += 1
    return HeldSent(alone, summarised, summaries)


def _summary_messages(session: Session, cases: list[_Waiting], *, connector: Connector, policy: AlertSettings,
                      sends_at: datetime, queue_url: str) -> tuple[int, int]:
    """Queue one SMS and one email about many cases (most urgent first); returns their outbox ids."""
    counts = {priority: sum(1 for w in cases if w.case.priority == priority) for priority in PRIORITIES}
    top = cases[0].case.priority
    previous = {w.previous for w in cases}
    escalated = "" if None in previous else "_escalated"
    values = {
        "count": len(cases),
        **counts,
        "lead": ", ".join([w.case.reference for w in cases if w.case.priority == top][:3]),
        "queue_url": queue_url,
        "previous": previous.pop() if len(previous) == 1 else render("alert_summary_previous_several"),
        "cases": "\n".join(render("alert_summary_email_case", **_values(session, w.case, policy=policy, due_at=w.due_at,
                                                                         previous=None)) for w in cases),
    }
    # The first deadline is the summary's: past it the message is worthless, and expiring escalates.
    valid_for = _valid_for([w.case.priority for w in cases], min(w.due_at for w in cases), sends_at)
    sms_id = enqueue_connector_sms(session, connector_id=connector.id, phone_encrypted=connector.mobile_encrypted,
                                   body=render(f"alert_summary_sms{escalated}", **values), purpose="alert",
                                   not_before=sends_at, valid_for=valid_for)
    email_id = enqueue_email(session, to_address=connector.email, subject=render("alert_summary_email_subject", **values),
                             body=render(f"alert_summary_email_body{escalated}", **values), purpose="alert",
                             recipient_sender_id=connector_recipient(connector.id), not_before=sends_at,
                             valid_for=valid_for)
    return sms_id, email_id


def _link(session: Session, alerts: list[Alert], *, sms_id: int, email_id: int) -> None:
    """Point held alert rows at their message: a compare-and-set, so two workers never send one alert twice."""
    for channel, message_id in (("sms", sms_id), ("email", email_id)):
        ids = [a.id for a in alerts if a.channel == channel]
        linked = session.execute(
            update(Alert).where(Alert.id.in_(ids), Alert.outbox_message_id.is_(None))
            .values(outbox_message_id=message_id).execution_options(synchronize_session=False)
        ).rowcount
        if linked != len(ids):
            raise HeldAlertsTaken(f"{len(ids) - int(linked or 0)} held alerts already sent by another worker")


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
    # office hours, an email being retried), unless it is a summary other cases' alerts still need.
    # A message the sender has already claimed is left alone.
    session.flush()
    still_needed = exists().where(Alert.outbox_message_id == OutboxMessage.id, Alert.state.in_(PENDING_ALERT_STATES))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(Alert.outbox_message_id).where(Alert.case_id == case_id,
                                                                         Alert.state.in_(("acknowledged", "superseded")))),
               OutboxMessage.state == "queued", ~still_needed)
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
    held: bool = False,
) -> list[AlertQueued]:
    """Alert the first person in the case's alert order (see casework.cases.connectors), in the caller's transaction.
    `held`: see `alert_connector`.

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
    queued = alert_connector(session, case=case, connector=first, step=next_step(session, case.id), policy=policy, now=now,
                             held=held)
    case.alert_version = (case.alert_version or 0) + 1
    audit.record(session, actor=actor, action="alerted", case_reference=case.reference, at=now,
                 detail=f"connector:{first.id} by sms and email, step {queued[0].step}, "
                        f"acknowledge by {queued[0].due_at.isoformat(timespec='seconds')}")
    return queued
