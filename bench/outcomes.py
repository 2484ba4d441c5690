"""How long do the commissioners' figures take for a county's year? Prints the time of `casework.outcomes`
for 12 weeks and for 52 weeks on SQLite and PostgreSQL.

    .venv/bin/python bench/outcomes.py [--residents 20000] [--postgres URL | --no-postgres]

Builds a year of synthetic activity straight into the tables (no personal data, no encryption: the
figures never read either): each resident texts about 20 times on about 8 days and is suggested 7
activities; one in five opens a case (most acknowledged, half visited, most closed), with reports,
requests and scams among them; two door-knocks a week in each of 40 districts.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from casework.cases.models import Case, CaseReason, Connector, Report  # noqa: E402
from casework.models import InboundMessage, Resident  # noqa: E402
from casework.outcomes import Period, outcomes  # noqa: E402
from casework.outcomes.models import DoorKnock, Suggestion  # noqa: E402
from service.database import make_engine, make_sessionmaker  # noqa: E402
from service.migrate import upgrade_engine  # noqa: E402

ZONE = ZoneInfo("Europe/London")
END = date(2026, 11, 29)
START = END - timedelta(days=364)
DISTRICTS = [f"CH{n}" for n in range(41, 66)] + [f"CT{n}" for n in range(1, 16)]


def _moment(rng: random.Random) -> datetime:
    return datetime.combine(START, datetime.min.time(), timezone.utc) + timedelta(seconds=rng.randrange(365 * 86400))


def build(engine: Engine, residents: int) -> dict[str, int]:
    rng = random.Random(7)
    counts = {"residents": residents, "messages": 0, "suggestions": 0, "cases": 0, "door_knocks": 0}
    with engine.begin() as db:
        connector = db.execute(insert(Connector).values(
            name="Bench", mobile_encrypted="x", phone_hash=uuid.uuid4().hex, email="bench@council.example", patch="",
            role="manager", active=True, created_at=datetime.now(timezone.utc))).inserted_primary_key[0]
        for block in range(0, residents, 2000):
            people, messages, suggestions = [], [], []
            for n in range(block, min(block + 2000, residents)):
                sender = f"sms:bench{n}"
                people.append({"sender_id": sender, "channel": "sms", "opted_out": False,
                               "first_contact_at": _moment(rng), "last_contact_at": _moment(rng)})
                for _ in range(8):
                    day = _moment(rng)
                    for k in range(rng.choice((1, 2, 3, 4))):
                        messages.append({"channel": "sms", "message_id": uuid.uuid4().hex, "sender_id": sender,
                                         "received_at": day + timedelta(minutes=3 * k), "state": "answered"})
                suggestions += [{"sender_id": sender, "activity_id": uuid.uuid4().hex, "at": _moment(rng)} for _ in range(7)]
            db.execute(insert(Resident), people)
            db.execute(insert(InboundMessage), messages)
            db.execute(insert(Suggestion), suggestions)
            counts["messages"] += len(messages)
            counts["suggestions"] += len(suggestions)
        cases, reasons, reports = [], [], []
        for n in range(residents // 5):
            opened = _moment(rng)
            acknowledged = opened + timedelta(seconds=rng.randrange(60, 7200)) if rng.random() < 0.9 else None
            visited = acknowledged + timedelta(hours=rng.randrange(2, 96)) if acknowledged and rng.random() < 0.5 else None
            closed = (visited or acknowledged or opened) + timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.8 else None
            cases.append({"id": n + 1, "reference": f"BN-{n + 1}", "subject_kind": "resident", "sender_id": f"sms:bench{n}",
                          "area": rng.choice(DISTRICTS + [None]), "priority": "high", "state": "closed" if closed else "new",
                          "source": "bench", "lawful_basis": "public_task", "created_at": opened, "updated_at": opened,
                          "acknowledged_at": acknowledged, "visited_at": visited, "closed_at": closed, "alert_version": 0})
            category = rng.choice(("request", "scam", "doorstep", "isolated", "report", "despair"))
            reasons.append({"case_id": n + 1, "rule": "bench", "category": category, "priority": "high", "raised_at": opened})
            if category == "report":
                reports.append({"case_id": n + 1, "channel": "sms", "reporter_relationship": "neighbour", "who_encrypted": "x",
                                "worry_encrypted": "x", "urgency": "today", "area": cases[-1]["area"],
                                "notify_on_close": False, "created_at": opened})
        db.execute(insert(Case), cases)
        db.execute(insert(CaseReason), reasons)
        if reports:
            db.execute(insert(Report), reports)
        counts["cases"] = len(cases)
        knocks = [{"held_on": START + timedelta(days=rng.randrange(365)), "area": district, "streets": "",
                   "doors_knocked": 60, "doors_answered": 30, "conversations": 20, "people_signposted": 5, "people_referred": 1,
                   "volunteers_signed_up": rng.choice((0, 0, 1)), "connector_id": connector, "created_at": _moment(rng)}
                  for district in DISTRICTS for _ in range(104)]
        db.execute(insert(DoorKnock), knocks)
        counts["door_knocks"] = len(knocks)
    return counts


def timed(engine: Engine, weeks: int, runs: int = 3) -> tuple[float, int]:
    sessions = make_sessionmaker(engine)
    period = Period(END - timedelta(days=7 * weeks - 1), END, ZONE)
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        with sessions() as session:
            found = outcomes(session, period=period)
        took.append(time.perf_counter() - started)
    return statistics.median(took), found.totals.conversations or 0


def report(name: str, engine: Engine, residents: int) -> None:
    upgrade_engine(engine)
    started = time.perf_counter()
    counts = build(engine, residents)
    print(f"{name}: built {counts} in {time.perf_counter() - started:.0f} s")
    for weeks in (12, 52):
        seconds, conversations = timed(engine, weeks)
        print(f"  outcomes for {weeks:>2} weeks: median {seconds * 1000:.0f} ms of 3 ({conversations} conversations)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--postgres", default="postgresql+psycopg2://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        report("SQLite", engine, args.residents)
        engine.dispose()
    if args.no_postgres:
        return 0
    admin = create_engine(args.postgres, future=True)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.begin() as db:
            db.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001  (no server here)
        print(f"PostgreSQL: skipped, not reachable at {args.postgres} ({error.__class__.__name__})")
        return 0
    engine = create_engine(args.postgres, future=True, connect_args={"options": f"-csearch_path={schema}"})
    try:
        report("PostgreSQL", engine, args.residents)
    finally:
        engine.dispose()
        with admin.begin() as db:
            db.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
