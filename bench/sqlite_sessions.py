"""Sessions per second on a SQLite file: a fresh connection per session versus service.database's engine.

    python bench/sqlite_sessions.py [--seconds 3] [--threads 1 4]

Every turn of the bot opens several short sessions on the application database (record the
message, find the resident, render, mark answered). SQLAlchemy 1.4 gives a SQLite file a NullPool:
each session opens a new connection and runs the connect-time PRAGMAs again. This compares that
("connection per session", built here the way make_engine used to build it) with
`service.database.make_engine` as it is now, on the same file, for a one-row read and a one-row
write, from one thread and from several at once (the channels' thread pool).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from service.database import _sqlite_pragmas, make_engine, make_sessionmaker  # noqa: E402


def connection_per_session(url: str) -> Engine:
    engine = create_engine(url, future=True, pool_pre_ping=True, poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def read(sessions: sessionmaker, i: int) -> None:
    with sessions() as session:
        session.execute(text("SELECT value FROM sample WHERE id = :id"), {"id": i % 100}).scalar_one()


def write(sessions: sessionmaker, i: int) -> None:
    with sessions.begin() as session:
        session.execute(text("UPDATE sample SET value = value || 'x' WHERE id = :id"), {"id": i % 100})


def rate(sessions: sessionmaker, work: Callable[[sessionmaker, int], None], threads: int, seconds: float) -> float:
    counts = [0] * threads
    stop = time.perf_counter() + seconds

    def loop(slot: int) -> None:
        i = slot
        while time.perf_counter() < stop:
            work(sessions, i)
            i += threads
            counts[slot] += 1

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per figure, the engines taking turns; the median is shown")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as folder:
        url = f"sqlite:///{Path(folder) / 'app.db'}"
        engines = {"connection per session": connection_per_session(url), "make_engine": make_engine(url)}
        with engines["make_engine"].begin() as conn:
            conn.execute(text("CREATE TABLE sample (id INTEGER PRIMARY KEY, value TEXT NOT NULL)"))
            conn.execute(text("INSERT INTO sample (id, value) VALUES (:id, 'v')"), [{"id": i} for i in range(100)])
        sessions = {name: make_sessionmaker(engine) for name, engine in engines.items()}
        print(f"{'work':6} {'threads':>7} " + " ".join(f"{f'{n} ({type(e.pool).__name__})':>36}" for n, e in engines.items()))
        for work in (read, write):
            for threads in args.threads:
                # Alternate the engines round by round: a shared disk's fsync time drifts a lot.
                rounds: dict[str, list[float]] = {name: [] for name in engines}
                for _ in range(args.rounds):
                    for name in engines:
                        rounds[name].append(rate(sessions[name], work, threads, args.seconds))
                print(f"{work.__name__:6} {threads:7} " + " ".join(f"{statistics.median(r):>30.0f} /s   " for r in rounds.values()))
        for engine in engines.values():
            engine.dispose()


if __name__ == "__main__":
    main()
