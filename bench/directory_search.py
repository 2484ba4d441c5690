"""How fast is `find_activities` on a national-sized directory? Prints p50/p95 on SQLite and PostgreSQL.

    .venv/bin/python bench/directory_search.py [--services 100000] [--queries 500] [--postgres URL | --no-postgres]

Builds N synthetic services spread over Great Britain's postcode districts (from var/postcodes.sqlite;
the pilot towns if it is missing), with the sample directory's kinds of activity, names, schedules
and costs. Rows go straight into the directory tables through the same `search_index.rows_for` the
importer uses, so the index is exactly what an import would build; only the ORUK detail tables are
left out (a search never reads them). Each query is interest + distance + day, like the bot's.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from directory import find_activities, search_index  # noqa: E402
from directory.geocoding import Place, _towns  # noqa: E402
from directory.models import SearchEntry, SearchTerm, Service  # noqa: E402
from directory.postcodes_build import table_path  # noqa: E402
from directory.sample_build import KINDS  # noqa: E402
from directory.search_index import EntryFacts, rows_for  # noqa: E402
from directory.search_index import Place as IndexPlace  # noqa: E402
from service.database import make_engine, make_sessionmaker  # noqa: E402
from service.migrate import upgrade_engine  # noqa: E402

INTERESTS = ["knitting", "walking", "singing", "lunch club", "coffee morning", "men's shed", "gardening", "bowls",
             "chair exercise", "befriending", "bereavement", "carers", "computers", "scams", "volunteering",
             "dancing", "memory cafe", "book club", "painting", "tai chi", "football", "bingo", "films", "history",
             "ukulele", "cooking", "I feel lonely", "something to do on a Tuesday"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def districts() -> list[tuple[str, float, float]]:
    path = table_path()
    if path.exists():
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT outcode, lat_e6 / 1e6, lon_e6 / 1e6 FROM outcode WHERE postcodes >= 20").fetchall()
        return [(code, lat, lon) for code, lat, lon in rows]
    print(f"(no postcode table at {path}: spreading services over the pilot towns only)")
    return [(name, p.lat, p.lon) for name, p in _towns().items()]


_uncached_terms_for = search_index.terms_for
_terms: dict[tuple, dict[str, float]] = {}


def _cached_terms_for(facts: EntryFacts) -> dict[str, float]:
    # Synthetic services repeat names and descriptions; working their terms out once keeps loading quick.
    key = (facts.name, tuple(facts.taxonomy), facts.description, facts.organization)
    if key not in _terms:
        _terms[key] = _uncached_terms_for(facts)
    return _terms[key]


def synthetic_rows(count: int, seed: int = 7):  # type: ignore[no-untyped-def]
    search_index.terms_for = _cached_terms_for
    rng = random.Random(seed)
    places = districts()
    kinds = list(KINDS.values())
    for n in range(count):
        code, lat, lon = rng.choice(places)
        term, names, description, patterns, cost, access, attending = rng.choice(kinds)
        name = rng.choice(names).format(town=code)
        schedules = []
        if patterns:
            freq, interval, byday, opens, closes = rng.choice(patterns)
            schedules = [{"freq": freq, "interval": interval, "byday": byday, "opens_at": opens, "closes_at": closes,
                          "dtstart": "2025-01-06"}]
        service_id = str(uuid.UUID(int=rng.getrandbits(128)))
        facts = EntryFacts(
            service_id=service_id, name=name, description=description, organization="Community Network",
            taxonomy=[term],
            places=[IndexPlace(None, lat + rng.gauss(0, 0.02), lon + rng.gauss(0, 0.03), schedules,
                               f"{code} Community Centre", code, rng.choice(["Step-free access", "Hearing loop", ""]))],
            cost="Free" if cost == "free" else f"£{cost}", contact=f"01632 {960000 + n % 1000}",
            is_free=cost == "free", is_drop_in=access == "drop-in",
        )
        yield service_id, name, description, rows_for(facts)


def load(engine: Engine, count: int) -> float:
    started = time.perf_counter()
    services, entries, terms = [], [], []
    entry_id = 0

    def flush() -> None:
        with engine.begin() as connection:
            if services:
                connection.execute(insert(Service), services)
            if entries:
                connection.execute(insert(SearchEntry), entries)
            if terms:
                connection.execute(insert(SearchTerm), terms)
        services.clear(), entries.clear(), terms.clear()

    for service_id, name, description, rows in synthetic_rows(count):  # noqa: B007
        services.append({"id": service_id, "name": name, "description": description, "status": "active",
                         "is_sample": False})
        for entry, entry_terms in rows:
            entry_id += 1
            entries.append({"id": entry_id, **entry})
            band = search_index.latitude_band(entry["latitude"])
            terms.extend({"term": t, "entry_id": entry_id, "weight": w, "latitude": entry["latitude"],
                          "longitude": entry["longitude"], "band": band} for t, w in entry_terms.items())
        if len(services) >= 5000:
            flush()
    flush()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def measure(engine: Engine, queries: int, seed: int = 11) -> tuple[float, float, float, float]:
    rng = random.Random(seed)
    places = districts()
    sessions = make_sessionmaker(engine)
    timings, found = [], []
    with sessions() as session:
        for i in range(queries + 20):
            code, lat, lon = rng.choice(places)
            near = Place(label=code, lat=lat, lon=lon, kind="outcode")
            started = time.perf_counter()
            matches = find_activities(session, interest=rng.choice(INTERESTS), near=near, day=rng.choice(DAYS))
            elapsed = time.perf_counter() - started
            if i >= 20:  # the first few warm caches and compile statements
                timings.append(elapsed * 1000)
                found.append(len(matches))
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    return p50, p95, timings[-1], statistics.mean(found)


def report(label: str, engine: Engine, count: int, queries: int) -> None:
    upgrade_engine(engine)
    seconds = load(engine, count)
    p50, p95, worst, mean_found = measure(engine, queries)
    print(f"{label}: {count} services loaded in {seconds:.0f} s; {queries} queries (interest + distance + day): "
          f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {worst:.2f} ms, {mean_found:.1f} results on average")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--postgres", default="postgresql+psycopg2://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--sqlite-file", type=Path, help="keep the SQLite database here, and reuse it if it exists")
    args = parser.parse_args()

    if args.sqlite_file and args.sqlite_file.exists():
        engine = make_engine(f"sqlite:///{args.sqlite_file}")
        p50, p95, worst, mean_found = measure(engine, args.queries)
        print(f"SQLite (reused {args.sqlite_file}): p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {worst:.2f} ms, "
              f"{mean_found:.1f} results on average")
        engine.dispose()
    else:
        with tempfile.TemporaryDirectory(prefix="directory-bench-") as folder:
            engine = make_engine(f"sqlite:///{args.sqlite_file or Path(folder) / 'bench.db'}")
            report("SQLite", engine, args.services, args.queries)
            engine.dispose()

    if args.no_postgres:
        return 0
    admin = create_engine(args.postgres, future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001
        print(f"PostgreSQL: skipped, not reachable at {args.postgres} ({error.__class__.__name__})")
        return 0
    schema = f"directory_bench_{uuid.uuid4().hex[:8]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(args.postgres, future=True, connect_args={"options": f"-csearch_path={schema}"})
    try:
        report("PostgreSQL", engine, args.services, args.queries)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
