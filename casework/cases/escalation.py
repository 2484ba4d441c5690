"""Escalation: an alert nobody acknowledged in time goes to the next person on duty, then the manager.

The worker runs `Escalator.run` every pass (about once a second). Each pass:
1. copies delivery news from the outbox into pending alerts (queued -> sent, or -> failed);
2. escalates every case whose pending alerts are past their deadline, or could not be delivered at
   all (no point waiting ten minutes for an SMS that failed and an email that bounced);
3. alerts cases that nobody could be alerted about before (no one on duty then);
4. sends the alerts of steps 2 and 3 (`casework.cases.alerts.send_held`): per case to a person with a few,
   one summary SMS and email to a person with more than ALERT_SUMMARY_THRESHOLD at once, so the
   first connector added to a backlog, or the next person when a batch escalates, is not flooded.

Who is next: the case's alert order now (casework.cases.connectors: the area's connectors in the order
they were added, then managers), starting after the person who did not answer; after the last
manager it starts again from the top, so an unacknowledged urgent case keeps asking rather than
going quiet. Cases summarised together escalate together (one deadline per priority, set in one
pass), so their escalation is summarised again. Every step is in the audit trail, and the old
alert rows say when and to whom they were escalated.

Two workers (or a worker and an ACK) never both act on one case: each step is a compare-and-set on
the case's `alert_version` (PostgreSQL also skips cases another worker has locked, SKIP LOCKED, and
waits for those before sending, so a backlog several workers share is still one summary).
Deadlines come from the alert rows, written when the alert was queued: urgent and high in wall-clock
seconds, routine in working seconds (casework.working_hours), so routine escalation waits for
working hours too.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.cases import audit
from casework.cases.alert_settings import AlertSettings, alert_settings
from casework.cases.alerts import HeldAlertsTaken, alert_connector, next_step, pending_alerts, send_held, start_alerting, sync_delivery
from casework.cases.connectors import ConnectorInfo, alert_order, list_connectors, on_duty
from casework.cases.models import PENDING_ALERT_STATES, Alert, Case, Connector
from casework.models import as_utc, utcnow
from service.settings import Settings

__all__ = ["EscalationReport", "Escalator", "escalate_due"]

log = logging.getLogger(__name__)

ACTOR = "worker"


@dataclass
class EscalationReport:
    synced: int = 0
    escalated: int = 0
    started: int = 0
    skipped: int = 0
    summaries: int = 0  # one SMS and one email each, for many cases to one person

    @property
    def handled(self) -> int:
        return self.escalated + self.started

    def __str__(self) -> str:
        return (f"{self.escalated} escalated, {self.started} first alerts, {self.summaries} summaries, "
                f"{self.synced} delivery updates")


class _NothingToDo(Exception):
    """Roll the step's transaction back: the case no longer needs it."""


class Escalator:
    def __init__(self, sessions: sessionmaker, settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._settings = settings
        self._clock = clock

    def run(self) -> EscalationReport:
        now = self._clock()
        policy = alert_settings(self._settings)
        report = EscalationReport()
        with self._sessions.begin() as session:
            report.synced = sync_delivery(session)
        overdue, unalerted = self._candidates(now)
        busy: list[int] = []
        for case_id, version in overdue:
            self._step(case_id, version, now, policy, report, self._escalate, busy)
        for case_id, version in unalerted:
            self._step(case_id, version, now, policy, report, self._first_alert, busy)
        # Every pass, not only after steps above: alerts held by a pass that died before here go now.
        try:
            with self._sessions.begin() as session:
                if busy:
                    # Cases another worker was in the middle of (PostgreSQL): wait for them, so that one
                    # summary covers the whole backlog rather than a summary and the other worker's last few.
                    # In id order, as every worker locks them, so two workers waiting never deadlock.
                    session.execute(select(Case.id).where(Case.id.in_(busy)).order_by(Case.id).with_for_update()).all()
                report.summaries = send_held(session, policy=policy, queue_url=f"{self._settings.public_base_url}/console/queue",
                                             now=now, actor=ACTOR).summaries
        except HeldAlertsTaken:
            report.skipped += 1
        return report

    def _candidates(self, now: datetime) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        with self._sessions() as session:
            rows = session.execute(
                select(Alert.case_id, Alert.state, Alert.due_at, Case.alert_version)
                .join(Case, Case.id == Alert.case_id)
                .where(Alert.state.in_(PENDING_ALERT_STATES), Case.state != "closed")
            ).all()
            by_case: dict[int, tuple[int, list[tuple[str, datetime]]]] = {}
            for case_id, state, due_at, version in rows:
                by_case.setdefault(case_id, (version, []))[1].append((state, as_utc(due_at) or now))
            overdue = [(case_id, version) for case_id, (version, alerts) in by_case.items()
                       if _needs_escalation(alerts, now)]
            # Cases nobody has been alerted about yet (nobody was on duty): only worth a look when
            # someone could be alerted now, which saves a query per case on every pass.
            unalerted: list[tuple[int, int]] = []
            waiting = session.execute(
                select(Case.id, Case.alert_version, Case.priority)
                .where(Case.state == "new", ~Case.id.in_(select(Alert.case_id).where(Alert.state.in_(PENDING_ALERT_STATES))))
            ).all()
            if waiting:
                anyone_on_duty = bool(on_duty(session, at=now))
                anyone_active = anyone_on_duty or bool(list_connectors(session, active_only=True))
                unalerted = [(case_id, version) for case_id, version, priority in waiting
                             if anyone_on_duty or (priority == "urgent" and anyone_active)]
        return sorted(overdue), sorted(unalerted)

    def _step(self, case_id: int, version: int, now: datetime, policy: AlertSettings, report: EscalationReport,
              action: Callable[[Session, Case, datetime, AlertSettings, EscalationReport], None], busy: list[int]) -> None:
        try:
            with self._sessions.begin() as session:
                if session.get_bind().dialect.name == "postgresql":
                    locked = session.scalars(
                        select(Case.id).where(Case.id == case_id).with_for_update(skip_locked=True)).first()
                    if locked is None:  # another worker is on it right now
                        busy.append(case_id)
                        raise _NothingToDo
                taken = session.execute(
                    update(Case).where(Case.id == case_id, Case.alert_version == version, Case.state != "closed")
                    .values(alert_version=version + 1).execution_options(synchronize_session=False)
                ).rowcount
                if taken != 1:  # acknowledged, escalated by another worker, or closed since we looked
                    raise _NothingToDo
                case = session.get(Case, case_id)
                assert case is not None
                action(session, case, now, policy, report)
        except _NothingToDo:
            report.skipped += 1

    def _escalate(self, session: Session, case: Case, now: datetime, policy: AlertSettings,
                  report: EscalationReport) -> None:
        pending = pending_alerts(session, case.id)
        if not _needs_escalation([(a.state, as_utc(a.due_at) or now) for a in pending], now):
            raise _NothingToDo
        current_id = max(pending, key=lambda a: (a.step, a.id)).connector_id
        current = session.get(Connector, current_id)
        undeliverable = all(a.state == "failed" for a in pending)
        order = alert_order(session, area=case.area, at=now)
        if not order and case.priority == "urgent":
            order = alert_order(session, area=case.area, at=now, ignore_rota=True)
        target = _next_after(order, current_id)
        for alert in pending:
            alert.state = "escalated"
            alert.escalated_at = now
            alert.escalated_to_id = target.id if target else None
        why = "could not be delivered" if undeliverable else "not acknowledged in time"
        if target is None:
            audit.record(session, actor=ACTOR, action="escalation_stuck", case_reference=case.reference, at=now,
                         detail=f"connector:{current_id} {why}; nobody on duty to escalate to (retried every pass)")
            log.error("case %s: alert %s; nobody on duty to escalate to", case.reference, why)
            report.escalated += 1
            return
        queued = alert_connector(session, case=case, connector=target, step=next_step(session, case.id), policy=policy,
                                 now=now, previous=current.name if current else None, held=True)
        audit.record(session, actor=ACTOR, action="escalated", case_reference=case.reference, at=now,
                     detail=f"connector:{current_id} {why}; now connector:{target.id} ({target.role}), "
                            f"step {queued[0].step}, acknowledge by {queued[0].due_at.isoformat(timespec='seconds')}")
        log.warning("case %s escalated: connector %s %s; alerting connector %s", case.reference, current_id, why, target.id)
        report.escalated += 1

    def _first_alert(self, session: Session, case: Case, now: datetime, policy: AlertSettings,
                     report: EscalationReport) -> None:
        if case.state != "new" or pending_alerts(session, case.id):
            raise _NothingToDo
        if not start_alerting(session, case=case, policy=policy, now=now, actor=ACTOR, record_nobody=False, held=True):
            raise _NothingToDo
        report.started += 1


def _needs_escalation(alerts: list[tuple[str, datetime]], now: datetime) -> bool:
    return bool(alerts) and (any(due <= now for _, due in alerts) or all(state == "failed" for state, _ in alerts))


def _next_after(order: list[ConnectorInfo], current_id: int) -> ConnectorInfo | None:
    """The person after `current_id` in the alert order, round again from the top after the last."""
    if not order:
        return None
    ids = [c.id for c in order]
    if current_id in ids:
        return order[(ids.index(current_id) + 1) % len(order)]
    return order[0]


def escalate_due(sessions: sessionmaker, settings: Settings, *, now: datetime | None = None) -> EscalationReport:
    """One escalation pass at `now` (tests pass a time; the worker uses the clock)."""
    moment = as_utc(now) or utcnow()
    return Escalator(sessions, settings, clock=lambda: moment).run()
