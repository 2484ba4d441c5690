"""Crisis -> alert handed to the sender: how long a connector's alert waits before it goes out.

    python bench/alert_latency.py [--cases 50] [--interval 1.0]

Migrates a fresh SQLite database in a temporary folder, registers two connectors, and runs the
worker loop (`jobs.worker.Worker` with the real jobs: spool, escalation, outbox) in a thread.
Then it opens urgent cases one at a time, at random moments relative to the worker's pass, and
measures from just before `open_case` (its transaction included) to the moment the outbox sender
hands the connector's SMS to the transport (the dry-run transport, wrapped to note the time).

Prints the median and maximum; asserts nothing (machines are noisy).
"""
from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casework.cases.connectors import add_connector  # noqa: E402
from casework.cases.escalation import Escalator  # noqa: E402
from casework.cases.opening import Reason, open_case  # noqa: E402
from casework.cases.spool import drain_spool  # noqa: E402
from casework.models import utcnow  # noqa: E402
from casework.outbox.dry_run import DryRunTransport  # noqa: E402
from casework.outbox.messages import has_due  # noqa: E402
from casework.outbox.sender import OutboxSender  # noqa: E402
from casework.outbox.transport import Outgoing  # noqa: E402
from casework.residents.identity import PhoneVault  # noqa: E402
from jobs.worker import Job, Worker  # noqa: E402
from service.database import make_engine, make_sessionmaker  # noqa: E402
from service.migrate import upgrade_engine  # noqa: E402
from service.settings import load_settings  # noqa: E402


class Stopwatch:
    """A dry-run transport that notes when each alert SMS is handed over."""

    def __init__(self, inner: DryRunTransport) -> None:
        self.inner = inner
        self.handed: dict[int, float] = {}
        self.arrived = threading.Condition()

    def send(self, message: Outgoing):  # type: ignore[no-untyped-def]
        with self.arrived:
            self.handed[message.id] = time.perf_counter()
            self.arrived.notify_all()
        return self.inner.send(message)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--interval", type=float, default=1.0, help="the worker's pass interval (production: 1.0)")
    parser.add_argument("--no-due-check", action="store_true", help="wait for the next pass (the worker before the due check)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="alert-latency-"))
    database = f"sqlite:///{folder / 'app.db'}"
    engine = make_engine(database)
    upgrade_engine(engine)
    sessions = make_sessionmaker(engine)
    settings = dataclasses.replace(load_settings(), environment="test", database_url=database, twilio_account_sid="",
                                   smtp_url="", outbox_path=folder / "outbox.log",
                                   extra={"CRISIS_SPOOL_PATH": str(folder / "spool.jsonl")})
    with sessions.begin() as session:
        for n, name in enumerate(("Jo Connector", "Mo Manager")):
            add_connector(session, name=name, phone=f"0770090000{n}", email=f"c{n}@council.example", patch="CH41",
                          role="manager" if n else "connector", settings=settings)

    dry_run = DryRunTransport(settings)
    stopwatch = Stopwatch(dry_run)
    sender = OutboxSender(sessions, vault=PhoneVault(settings.phone_encryption_key), sms=stopwatch, email=dry_run)
    escalator = Escalator(sessions, settings)

    def due() -> bool:  # as jobs.worker.default_jobs checks the outbox between passes
        with sessions() as session:
            return has_due(session, utcnow())

    worker = Worker(sessions, [Job("crisis_spool", lambda: drain_spool(sessions, settings)),
                               Job("alerts", escalator.run), Job("outbox", sender.send_due, due=None if args.no_due_check else due)], interval=args.interval)
    loop = threading.Thread(target=worker.run, kwargs={"handle_signals": False}, daemon=True)
    loop.start()

    waits = []
    try:
        for n in range(args.cases):
            time.sleep(random.uniform(0, args.interval * 1.3))  # land anywhere in the worker's cycle
            started = time.perf_counter()
            with sessions.begin() as session:
                opened = open_case(session, sender_id=f"sms:bench{n}", area="CH41", priority="urgent",
                                   reasons=[Reason("suicidal", "bench", f"SMbench{n}", "bench")],
                                   lawful_basis="vital_interests", settings=settings)
            sms = next(a.outbox_message_id for a in opened.alerts_queued if a.channel == "sms")
            with stopwatch.arrived:
                if not stopwatch.arrived.wait_for(lambda: sms in stopwatch.handed, timeout=30):  # noqa: B023
                    raise SystemExit(f"alert {sms} never reached the sender")
            waits.append(stopwatch.handed[sms] - started)
    finally:
        worker.stop()
        loop.join(timeout=10)
        engine.dispose()
    waits_ms = sorted(w * 1000 for w in waits)
    print(f"crisis -> alert SMS handed to the sender, {len(waits_ms)} urgent cases, worker interval {args.interval:.2f} s, SQLite")
    print(f"  median {statistics.median(waits_ms):.0f} ms, p90 {waits_ms[int(len(waits_ms) * 0.9) - 1]:.0f} ms, "
          f"max {waits_ms[-1]:.0f} ms, min {waits_ms[0]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
