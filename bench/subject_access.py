"""How long does a subject access request take to answer "We hold nothing about that number", and where
does the time go?

    .venv/bin/python bench/subject_access.py [--residents 20000] [--reports 2000] [--workers 2] [--events 40]

Builds, in a temporary folder, a migrated SQLite application database with `--residents` SMS residents
(their numbers sealed, as the intake keeps them) and `--reports` reports about someone else, each with
the reporter's contact sealed as the report keeps it: the number of a resident who reported by text
(most), a number typed into the web chat or the /report form, or an email address. About 700 reports a
year for a county, kept while the case is open and two years after it closes, is about 2,000. Next to
it, `--workers` Rasa tracker files (Rasa's own schema and sender_id index, as SQLTrackerStore creates
them) with a conversation of `--events` events for every resident.

Then it times, for a number nobody has used, each step of jobs.subject_access.export (the sender
ids under every hash key; the application database by sender id; the reports whose reporter left a
number, each contact opened and compared, since a sealed value cannot be looked up; Rasa's tracker
stores) and the whole export, audit record included; and the whole export for a resident and for a web
reporter held only as the number they left, which must still be found. Prints the figures; asserts
nothing (machines are noisy).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from casework.cases.models import Case, Report  # noqa: E402
from casework.conversation.inbound import BodyVault  # noqa: E402
from casework.models import Resident  # noqa: E402
from casework.privacy.subject_access import subject_access  # noqa: E402
from casework.residents.identity import PhoneVault, sms_sender_id, sms_sender_ids  # noqa: E402
from jobs.subject_access import export, read_conversation  # noqa: E402
from service.database import make_engine, make_sessionmaker  # noqa: E402
from service.migrate import upgrade_engine  # noqa: E402
from service.settings import Settings, load_settings  # noqa: E402

NOBODY = "+447700900001"  # used by no one below
WEB_REPORTER = "+447700900002"  # left as a contact on the web chat, nothing else held
NOW = datetime(2026, 12, 9, 12, tzinfo=timezone.utc)


def number(n: int) -> str:
    return f"+4477009{n + 10000:05d}"


def build_database(settings: Settings, residents: int, reports: int) -> None:
    engine = make_engine(settings.database_url)
    upgrade_engine(engine)
    phones, bodies = PhoneVault.for_settings(settings), BodyVault.for_settings(settings)
    rng = random.Random(17)
    with engine.begin() as db:
        for block in range(0, residents, 2000):
            db.execute(insert(Resident), [
                {"sender_id": sms_sender_id(number(n), key=settings.phone_hash_key), "channel": "sms", "opted_out": False,
                 "phone_encrypted": phones.seal(number(n)), "first_contact_at": NOW - timedelta(days=200), "last_contact_at": NOW}
                for n in range(block, min(block + 2000, residents))])
        cases, rows = [], []
        for n in range(reports):
            opened = NOW - timedelta(days=rng.randrange(900))
            cases.append({"id": n + 1, "reference": f"BN-{n + 1}", "subject_kind": "third_party", "sender_id": None, "area": "CH41",
                          "priority": "high", "state": "closed", "source": "report", "lawful_basis": "public_task", "created_at": opened,
                          "updated_at": opened, "closed_at": opened + timedelta(days=3), "alert_version": 0})
            kind = rng.random()
            contact = (number(rng.randrange(residents)) if kind < 0.7 else f"07700 9{rng.randrange(10**5):05d}" if kind < 0.9
                       else f"reporter{n}@example.org")
            if n == reports // 2:
                contact = WEB_REPORTER
            rows.append({"case_id": n + 1, "channel": "sms" if kind < 0.7 else "webchat", "reporter_relationship": "neighbour",
                         "reporter_contact_encrypted": bodies.seal(contact), "who_encrypted": bodies.seal("the man at number 12"),
                         "worry_encrypted": bodies.seal("curtains shut for days"), "urgency": "today", "notify_on_close": True,
                         "created_at": opened})
        db.execute(insert(Case), cases)
        db.execute(insert(Report), rows)
    engine.dispose()


def build_trackers(folder: Path, settings: Settings, residents: int, workers: int, events: int) -> list[str]:
    from rasa.core.tracker_store import SQLTrackerStore  # Rasa's own schema, with its sender_id index

    user = json.dumps({"event": "user", "text": "is there a knitting group near me on thursdays",
                       "parse_data": {"intent": {"name": "search_activity", "confidence": 0.97}, "entities": [], "text": "..."},
                       "input_channel": "turns", "message_id": uuid.uuid4().hex, "metadata": {}})
    bot = json.dumps({"event": "bot", "text": "Knit and Natter meets at the library on Thursdays at 10am.", "data": {}, "metadata": {}})
    urls = []
    for worker in range(workers):
        path = folder / ("rasa-tracker.db" if worker == 0 else f"rasa-tracker-{worker}.db")
        store = SQLTrackerStore(dialect="sqlite", db=str(path))
        store.engine.dispose()
        with sqlite3.connect(path) as db:
            db.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES (?, ?, ?, ?, ?, ?)",
                ((sms_sender_id(number(n), key=settings.phone_hash_key), "user" if k % 2 == 0 else "bot", 1.7e9 + n * 100 + k,
                  None, None, user if k % 2 == 0 else bot)
                 for n in range(worker, residents, workers) for k in range(events)))
        urls.append(f"sqlite:///{path}")
    return urls


def timed(run: Callable[[], Any], repeat: int = 5) -> tuple[list[float], Any]:
    took, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        took.append((time.perf_counter() - started) * 1000)
    return took, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2, help="Rasa tracker files (RASA_WORKERS)")
    parser.add_argument("--events", type=int, default=40, help="tracker events per resident")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{folder / 'app.db'}")
        started = time.perf_counter()
        build_database(settings, args.residents, args.reports)
        urls = build_trackers(folder, settings, args.residents, args.workers, args.events)
        print(f"built {args.residents} residents, {args.reports} reports with a contact, {args.workers} tracker stores of "
              f"{args.residents * args.events // args.workers} events in {time.perf_counter() - started:.0f} s")
        engine = make_engine(settings.database_url)
        sessions = make_sessionmaker(engine)
        ids = list(sms_sender_ids(NOBODY, settings))
        steps: dict[str, list[float]] = {}
        steps["sender ids (every hash key)"], _ = timed(lambda: sms_sender_ids(NOBODY, settings))
        with sessions() as session:
            # In pairs, so the difference is the reports' part on a machine whose speed varies.
            pairs = [(timed(lambda: subject_access(session, ids, settings=settings), 1)[0][0],
                      timed(lambda: subject_access(session, ids, settings=settings, numbers=[NOBODY]), 1)[0][0]) for _ in range(5)]
        steps["application database by sender id"] = [without for without, _ in pairs]
        steps["reports: every reporter's contact opened"] = [with_number - without for without, with_number in pairs]
        steps[f"Rasa's tracker stores ({len(urls)})"], _ = timed(lambda: read_conversation(ids, engine, urls))
        whole, found = timed(lambda: export(sessions, settings, ids, numbers=[NOBODY], tracker_urls=urls, requested_by="bench"))
        print(f"a number nobody has used: {'NOTHING HELD' if not found.found else 'FOUND (wrong)'}")
        for step, took in steps.items():
            print(f"  {step:<42} median {statistics.median(took):7.1f} ms")
        per_report = statistics.median(steps["reports: every reporter's contact opened"]) * 1000 / max(args.reports, 1)
        print(f"  {'':<42} ({per_report:.0f} µs a report)")
        print(f"  {'the whole export, audit record included':<42} median {statistics.median(whole):7.1f} ms, max {max(whole):.1f} ms of {len(whole)}")
        for label, who in (("a resident", number(7)), ("a web reporter known only by their number", WEB_REPORTER)):
            took, found = timed(lambda: export(sessions, settings, list(sms_sender_ids(who, settings)), numbers=[who],  # noqa: B023
                                               tracker_urls=urls, requested_by="bench"))
            what = (f"{len(found.held.residents)} resident record, {len(found.conversation)} conversation lines, "
                    f"{len(found.held.reports_made)} reports made")
            print(f"{label}: {what}; median {statistics.median(took):.1f} ms")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
