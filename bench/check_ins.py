"""The "did you go?" job (jobs.check_ins) at the scale of a year's service.

    python bench/check_ins.py [--residents 20000] [--due 500]

Migrates a fresh SQLite database in a temporary folder and seeds `--residents` SMS residents, each
with one agreed check-in; `--due` of them are due now, the rest next week. Then it measures, with
the real job and a clock inside texting hours:
- one worker pass with nothing due (what the worker pays every second all day);
- passes until every due check-in is queued (50 a pass): check-ins queued per second;
- a pass at night (quiet hours: nothing is read).

Prints the figures; asserts nothing (machines are noisy).
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casework.follow_ups.models import FollowUp  # noqa: E402
from casework.models import Resident  # noqa: E402
from casework.privacy.consent import record_consent  # noqa: E402
from casework.residents.identity import PhoneVault  # noqa: E402
from jobs.check_ins import send_due_check_ins  # noqa: E402
from service.database import make_engine, make_sessionmaker  # noqa: E402
from service.migrate import upgrade_engine  # noqa: E402
from service.settings import load_settings  # noqa: E402

NOON = datetime(2026, 12, 9, 12, tzinfo=timezone.utc)  # inside the default texting hours (London, GMT)
NIGHT = datetime(2026, 12, 9, 23, tzinfo=timezone.utc)


def timed(run) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20000)
    parser.add_argument("--due", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{folder}/app.db", outbox_path=Path(folder) / "outbox.log")
        engine = make_engine(settings.database_url)
        upgrade_engine(engine)
        sessions = make_sessionmaker(engine)
        phone = PhoneVault.for_settings(settings).seal("+447700900123")
        last_contact = NOON - timedelta(days=2)
        with sessions.begin() as session:
            for n in range(args.residents):
                sender = f"sms:bench{n:08d}"
                session.add(Resident(sender_id=sender, channel="sms", phone_encrypted=phone, opted_out=False, last_contact_at=last_contact))
                record_consent(session, sender_id=sender, purpose="follow_up", granted=True, source="follow_up", at=last_contact)
                ask_at = NOON - timedelta(hours=2) if n < args.due else NOON + timedelta(days=7)
                session.add(FollowUp(sender_id=sender, activity_id="svc", activity_name="Knit and Natter", meets_at=ask_at - timedelta(days=1),
                                     state="agreed", offered_at=last_contact, ask_at=ask_at))
        night = [timed(lambda: send_due_check_ins(sessions, settings, now=NIGHT)) for _ in range(20)]
        started, passes = time.perf_counter(), 0
        while send_due_check_ins(sessions, settings, now=NOON).handled:
            passes += 1
        queuing = time.perf_counter() - started
        idle = [timed(lambda: send_due_check_ins(sessions, settings, now=NOON)) for _ in range(20)]
        engine.dispose()
    print(f"check-ins: {args.residents} residents with an agreed check-in, {args.due} due")
    print(f"  a pass at night (quiet hours)       median {statistics.median(night):.2f} ms")
    print(f"  queuing the due ones ({passes} passes)   {args.due / queuing:.0f} check-ins/s ({queuing * 1000:.0f} ms in all)")
    print(f"  a pass with nothing due             median {statistics.median(idle):.2f} ms, max {max(idle):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
