"""The worker starts a pass as soon as the outbox holds something due, instead of waiting out its interval;
a job that fails does not make it run faster. Both wait for the event (tests/waiting.py), not a time."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases.opening import Reason, open_case
from casework.outbox.messages import OutboxMessage
from jobs.worker import Job, Worker, default_jobs
from tests.waiting import wait_for

# An hour between passes: an alert that goes within the minute went because the worker woke for it.
LONG_INTERVAL = 3600.0
WOKEN_WITHIN = 60.0


def all_sent(sessions: sessionmaker) -> bool:
    with sessions() as session:
        return set(session.scalars(select(OutboxMessage.state))) == {"sent"}


def test_an_alert_queued_between_passes_goes_at_once(sessions, casework_settings, add_connector):
    add_connector("Jo Connector", "07700 900001")
    worker = Worker(sessions, default_jobs(casework_settings, sessions), interval=LONG_INTERVAL)
    finished: list[bool] = []
    run_once = worker.run_once

    def counted_pass() -> bool:
        finished.append(run_once())
        return finished[-1]

    worker.run_once = counted_pass  # type: ignore[method-assign]
    loop = threading.Thread(target=worker.run, kwargs={"handle_signals": False})
    loop.start()
    try:
        # The first pass over, the worker is waiting for the next: the alert is queued between passes.
        wait_for(lambda: finished, WOKEN_WITHIN, "the worker's first pass to finish")
        with sessions.begin() as session:
            open_case(session, sender_id="sms:r", priority="urgent", reasons=[Reason("danger", "t")],
                      lawful_basis="vital_interests", settings=casework_settings)
        wait_for(lambda: all_sent(sessions), WOKEN_WITHIN,
                 f"the alert to go without waiting for the next pass ({LONG_INTERVAL:.0f} s away)", every=0.02)
    finally:
        worker.stop()
        loop.join(timeout=10)


def test_a_failing_job_that_is_always_due_keeps_the_normal_pace(sessions):
    interval = 1.0
    runs = []

    def broken():
        runs.append(time.monotonic())
        raise RuntimeError("bug")

    worker = Worker(sessions, [Job("broken", broken, due=lambda: True)], interval=interval)
    # When each pass starts (the worker waits `interval` from there): the job's own start would also
    # carry the heartbeat's write, which a loaded machine can make slow.
    passes: list[float] = []
    run_once = worker.run_once

    def timed_pass() -> bool:
        passes.append(time.monotonic())
        return run_once()

    worker.run_once = timed_pass  # type: ignore[method-assign]
    loop = threading.Thread(target=worker.run, kwargs={"handle_signals": False})
    loop.start()
    try:
        wait_for(lambda: len(runs) >= 3, 60, "three passes of the broken job")
    finally:
        worker.stop()
        loop.join(timeout=10)
    assert len(passes) - 1 <= len(runs) <= len(passes), "once a pass (the last may have been stopped before it)"
    # Were the failed job still "due", the worker would start a pass at every due check (20 a second).
    gaps = [later - earlier for earlier, later in zip(passes, passes[1:])]
    assert min(gaps) >= 0.5 * interval, f"passes {gaps} s apart at a {interval} s interval"
