"""The worker starts a pass as soon as the outbox holds something due, instead of waiting out its interval."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select

from casework.cases import Reason, open_case
from casework.outbox import OutboxMessage
from casework.worker import Job, Worker, default_jobs


def test_an_alert_queued_between_passes_goes_at_once(sessions, casework_settings, add_connector):
    add_connector("Jo Connector", "07700 900001")
    worker = Worker(sessions, default_jobs(casework_settings, sessions), interval=30)
    loop = threading.Thread(target=worker.run, kwargs={"handle_signals": False})
    loop.start()
    try:
        while worker.loops < 1:
            time.sleep(0.01)
        started = time.monotonic()
        with sessions.begin() as session:
            open_case(session, sender_id="sms:r", priority="urgent", reasons=[Reason("danger", "t")],
                      lawful_basis="vital_interests", settings=casework_settings)
        while time.monotonic() - started < 10:
            with sessions() as session:
                if set(session.scalars(select(OutboxMessage.state))) == {"sent"}:
                    break
            time.sleep(0.02)
        took = time.monotonic() - started
    finally:
        worker.stop()
        loop.join(timeout=10)
    assert took < 2, f"the alert waited {took:.1f} s for a 30 s pass"


def test_a_failing_job_that_is_always_due_keeps_the_normal_pace(sessions):
    runs = []

    def broken():
        runs.append(time.monotonic())
        raise RuntimeError("bug")

    worker = Worker(sessions, [Job("broken", broken, due=lambda: True)], interval=0.5)
    loop = threading.Thread(target=worker.run, kwargs={"handle_signals": False})
    loop.start()
    time.sleep(1.2)
    worker.stop()
    loop.join(timeout=10)
    assert 2 <= len(runs) <= 4
