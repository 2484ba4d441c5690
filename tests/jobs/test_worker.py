"""The worker loop: heartbeat and jobs each pass, a database outage survived, stop on SIGTERM."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, select

from casework.heartbeat import is_alive
from casework.models import Heartbeat
from casework.outbox.messages import OutboxMessage, enqueue_sms
from jobs.worker import Job, Worker, default_jobs
from service.database import make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import ROOT


def test_one_pass_beats_and_sends_due_outbox_messages(sessions, casework_settings, add_resident):
    sender_id = add_resident("07700 900123")
    with sessions.begin() as session:
        message_id = enqueue_sms(session, sender_id=sender_id, body="Lunch club, Wed 12:30.", purpose="reply",
                                 settings=casework_settings)
    worker = Worker(sessions, default_jobs(casework_settings, sessions))

    assert worker.run_once() is True

    with sessions() as session:
        assert is_alive(session, "worker")
        assert session.get(OutboxMessage, message_id).state == "sent"
    assert json.loads(casework_settings.outbox_path.read_text())["id"] == message_id


def test_a_failing_job_does_not_stop_the_others(sessions, caplog):
    ran = []

    def broken():
        raise RuntimeError("bug in a job")

    worker = Worker(sessions, [Job("broken", broken), Job("next", lambda: ran.append(1))])
    with caplog.at_level(logging.ERROR):
        assert worker.run_once() is True
        assert worker.run_once() is True
    assert ran == [1, 1]
    assert "job broken failed" in caplog.text


def test_a_database_that_is_down_is_logged_and_retried_not_fatal(tmp_path, caplog):
    # A SQLite file in a folder that does not exist: every connection fails, like a database down.
    missing = tmp_path / "not-there" / "app.db"
    engine = create_engine(f"sqlite:///{missing}", future=True)
    ran = []
    worker = Worker(make_sessionmaker(engine), [Job("outbox", lambda: ran.append(1))], interval=0.01, max_backoff=0.05)

    with caplog.at_level(logging.INFO, logger="jobs.worker"):
        thread = threading.Thread(target=worker.run, kwargs={"handle_signals": False})
        thread.start()
        deadline = time.monotonic() + 10
        while worker.loops < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert thread.is_alive()  # still trying, not crashed
        assert ran == []  # no job runs against a database that is not there

        # The database comes back: the worker notices, says so, and gets on with its jobs.
        missing.parent.mkdir()
        upgrade_engine(engine)
        deadline = time.monotonic() + 10
        while not ran and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.stop()
        thread.join(timeout=5)

    assert not thread.is_alive()
    assert ran
    assert "database unreachable; the worker keeps retrying" in caplog.text
    assert "database still unreachable" in caplog.text
    assert "database reachable again" in caplog.text
    assert "worker stopped" in caplog.text
    engine.dispose()


def test_the_worker_process_beats_and_stops_cleanly_on_sigterm(app_engine, casework_settings, tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": str(app_engine.url),
        "OUTBOX_PATH": str(tmp_path / "outbox.log"),
        "VAR_DIR": str(tmp_path),
        "ENVIRONMENT": "test",
        "TWILIO_ACCOUNT_SID": "",
        "SMTP_URL": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "jobs.worker"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    sessions = make_sessionmaker(app_engine)
    try:
        deadline = time.monotonic() + 60
        beat_seen = False
        while time.monotonic() < deadline and process.poll() is None:
            with sessions() as session:
                if session.scalars(select(Heartbeat).where(Heartbeat.component == "worker")).first():
                    beat_seen = True
                    break
            time.sleep(0.1)
        assert beat_seen, "the worker never wrote a heartbeat"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "worker started" in output
    assert "worker stopped" in output
