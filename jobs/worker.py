"""The worker process: `python -m jobs.worker`.

Every second it records a heartbeat (so /healthz can tell a stopped worker from a quiet one) and
runs its jobs in order: the crisis spool (crises recorded on disk while the database was down), alert
escalation (casework.cases.escalation: acknowledgement deadlines, so checked every second), the erasures
residents have confirmed (jobs.erasure), the "did you go?" check-ins that are due (jobs.check_ins), the
reminders to volunteers whose training question waits (jobs.training_reminders), the befriending
matches' check-ins that are due (jobs.match_check_ins), the loneliness questions that are due
(jobs.loneliness), the outbox sender,
the retention purge (jobs.retention, at most hourly), then the deletion of Twilio's copies of erased
or purged messages (jobs.provider_copies).

It is built to be left running unattended:
- SIGINT/SIGTERM finish the job in hand, then stop (exit 0);
- a database that is down is logged (once in full, then a line per retry with a slowing pace) and
  retried forever, and its recovery is logged, so the process neither dies nor fails silently;
- one job raising does not stop the others or the loop.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from casework.cases.escalation import Escalator
from casework.cases.spool import drain_spool
from casework.follow_ups.check_ins import check_in_hours
from casework.good_neighbours.training import training_settings
from casework.heartbeat import beat
from casework.loneliness.measures import loneliness_settings
from casework.models import utcnow
from casework.outbox.messages import has_due
from casework.outbox.sender import build_sender
from jobs.check_ins import send_due_check_ins
from jobs.erasure import carry_out_confirmed_erasures
from jobs.loneliness import send_due_loneliness_questions
from jobs.match_check_ins import send_due_match_check_ins
from jobs.provider_copies import ProviderCopyDeleter
from jobs.retention import RetentionPurge
from jobs.training_reminders import send_due_training_reminders
from service.database import make_engine, make_sessionmaker
from service.settings import Settings, load_settings

__all__ = ["Job", "Worker", "default_jobs", "main"]

log = logging.getLogger("jobs.worker")

COMPONENT = "worker"


@dataclass(frozen=True)
class Job:
    """A named piece of periodic work. `run` opens its own sessions and returns anything loggable.

    `due`, if given, is a cheap check the worker makes several times between passes: when it says
    work is waiting (an alert just queued by another process), the next pass starts at once.
    """

    name: str
    run: Callable[[], Any]
    due: Callable[[], bool] | None = None


def default_jobs(settings: Settings, sessions: sessionmaker) -> list[Job]:
    # A setting that cannot be read stops the worker at its start, naming it, rather than failing every pass.
    check_in_hours(settings)
    training_settings(settings)
    loneliness_settings(settings)
    sender = build_sender(settings, sessions)
    escalator = Escalator(sessions, settings)
    purge = RetentionPurge(sessions, settings)
    deleter = ProviderCopyDeleter(sessions, settings)
    # In this order, so one pass turns a spooled crisis into a case, alerts it, and sends the alert;
    # a resident who said YES to "FORGET ME" is erased after their spooled crisis became a case (kept,
    # minimised) and before the outbox could send them anything more.
    return [
        Job("crisis_spool", lambda: drain_spool(sessions, settings)),
        Job("alerts", escalator.run),
        Job("erasures", lambda: carry_out_confirmed_erasures(sessions, settings)),
        Job("check_ins", lambda: send_due_check_ins(sessions, settings)),  # "did you go?", queued for the outbox below
        Job("training_reminders", lambda: send_due_training_reminders(sessions, settings)),  # the same, for volunteers' training
        Job("match_check_ins", lambda: send_due_match_check_ins(sessions, settings)),  # "how is it going?" to both sides of a live match
        # After the check-ins: a check-in queued in this pass is a question waiting, and this one holds back for it (a match's too).
        Job("loneliness", lambda: send_due_loneliness_questions(sessions, settings)),
        Job("outbox", sender.send_due, due=lambda: _outbox_due(sessions)),
        Job("retention", purge.run),  # at most hourly, among all workers
        Job("provider_copies", deleter.run),  # Twilio's copies of erased or purged messages
    ]


def _outbox_due(sessions: sessionmaker) -> bool:
    with sessions() as session:
        return has_due(session, utcnow())


class Worker:
    def __init__(
        self,
        sessions: sessionmaker,
        jobs: Sequence[Job],
        *,
        interval: float = 1.0,
        max_backoff: float = 30.0,
        component: str = COMPONENT,
        due_check_interval: float = 0.05,
    ) -> None:
        self._sessions = sessions
        self.jobs = list(jobs)
        self._interval = interval
        self._due_check_interval = due_check_interval
        self._max_backoff = max_backoff
        self._component = component
        self._stop = threading.Event()
        self._failed_last_pass: set[str] = set()
        self._database_failures = 0
        self.loops = 0

    def stop(self, *_: object) -> None:
        if not self._stop.is_set():
            log.info("worker stopping after the current job")
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run_once(self) -> bool:
        """One pass: heartbeat, then every job. False when the database could not be reached."""
        self.loops += 1
        if not self._beat():
            return False
        self._failed_last_pass.clear()
        for job in self.jobs:
            if self._stop.is_set():
                break
            try:
                result = job.run()
            except SQLAlchemyError as error:
                self._failed_last_pass.add(job.name)
                log.error("job %s: database error: %s", job.name, _brief(error))
            except Exception:
                self._failed_last_pass.add(job.name)
                log.exception("job %s failed; the worker carries on", job.name)
            else:
                _log_result(job.name, result)
        return True

    def _beat(self) -> bool:
        try:
            with self._sessions.begin() as session:
                beat(session, self._component)
        except SQLAlchemyError as error:
            self._database_failures += 1
            if self._database_failures == 1:
                log.exception("database unreachable; the worker keeps retrying")
            else:
                log.error("database still unreachable (%s failures): %s",
                          self._database_failures, _brief(error))
            return False
        if self._database_failures:
            log.warning("database reachable again after %s failures", self._database_failures)
            self._database_failures = 0
        return True

    def _pause(self) -> float:
        if not self._database_failures:
            return self._interval
        # Back off while the database is down, so a long outage is not a log line per second.
        return min(self._max_backoff, self._interval * 2 ** min(self._database_failures, 10))

    def run(self, *, handle_signals: bool = True) -> None:
        if handle_signals:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        log.info("worker started: jobs %s, every %.1f s", ", ".join(j.name for j in self.jobs) or "none",
                 self._interval)
        while not self._stop.is_set():
            started = time.monotonic()
            self.run_once()
            self._wait_until(started + self._pause())
        log.info("worker stopped")

    def _wait_until(self, deadline: float) -> None:
        """Sleep until the next pass, or less when a job's `due` check says work is waiting.

        An urgent alert is queued by another process (the intake); without this it would wait for
        the next pass, up to a whole interval (measured: median 690 ms, max 1.04 s at a 1 s interval).
        """
        # A job that just failed would be "due" again at once: leave it to the normal pace, so a
        # broken job logs once a second rather than twenty times.
        checks = [job.due for job in self.jobs if job.due is not None and job.name not in self._failed_last_pass]
        if self._database_failures:
            checks = []
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if not checks:
                self._stop.wait(left)
                return
            self._stop.wait(min(left, self._due_check_interval))
            try:
                if any(check() for check in checks):
                    return
            except SQLAlchemyError:
                return  # the pass itself reports the database


def _brief(error: BaseException) -> str:
    # SQLAlchemy errors quote the statement and its parameters (message bodies, tokens): keep the
    # first line of the driver's message only.
    original = getattr(error, "orig", None) or error
    return f"{type(original).__name__}: {str(original).splitlines()[0][:200] if str(original) else ''}"


def _log_result(name: str, result: Any) -> None:
    handled = getattr(result, "handled", None)
    if handled:
        log.info("job %s: %s", name, result)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
    # twilio's client logs every request at INFO; its headers are noise here.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    settings = load_settings()
    settings.check()
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    worker = Worker(sessions, default_jobs(settings, sessions))
    try:
        worker.run()
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
