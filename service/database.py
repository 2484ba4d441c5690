"""The application database: one declarative base shared by `directory` and `casework`.

SQLAlchemy 1.4 in 2.0 style (future engines, `select()`, `Session.begin()`); the schema is owned by
the Alembic migrations in `migrations/`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

from service.private_files import private_file

# Stable constraint names so Alembic migrations name things the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
T = TypeVar("T")
log = logging.getLogger(__name__)
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


def make_engine(url: str) -> Engine:
    """Build an engine; SQLite files get their folder, foreign keys and WAL for concurrent readers."""
    if _is_sqlite_file(url):
        private_file(Path(url.removeprefix("sqlite:///")))  # cases and sealed numbers: this user only
        # SQLAlchemy 1.4 gives a SQLite file a NullPool: every session (several per turn) opened a
        # new connection and re-ran the PRAGMAs. A pool keeps connections, so the PRAGMAs run once
        # per connection (bench/sqlite_sessions.py: about 2-3x the sessions per second). Pooled
        # connections move between threads (the channels' thread pool), one thread at a time,
        # which is what check_same_thread=False allows. A local file needs no pre-ping.
        # hide_parameters: a failed statement's error (logged, raised, shown on a console) must never carry
        # a message body, a sealed number or a pseudonym.
        engine = create_engine(url, future=True, poolclass=QueuePool, connect_args={"check_same_thread": False}, hide_parameters=True)
    else:
        # An unreachable PostgreSQL server must fail in seconds, not after the operating system's
        # TCP timeout (minutes), so the channels can answer residents that the database is down.
        connect_args = {"connect_timeout": 5} if url.startswith("postgresql") else {}
        engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _is_sqlite_file(url: str) -> bool:
    return url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:") and url != "sqlite://"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # pysqlite opens a transaction only before a statement it takes for a write, so a SAVEPOINT
    # issued first (as casework.conversation.inbound.record_inbound once did) ran outside any transaction and its RELEASE
    # committed, whatever the outer transaction did next. We begin transactions ourselves instead
    # (SQLAlchemy's documented recipe for pysqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten with zeros rather than left in free pages, where an erased
    # resident's data would otherwise stay readable in the file (see jobs.erasure).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # VACUUM and checkpoints run outside any transaction (compact_sqlite)
    # IMMEDIATE takes the write lock at the start, waiting up to busy_timeout for it. A deferred
    # transaction that reads and then writes fails at once with "database is locked" when another
    # process committed in between (WAL snapshots cannot be upgraded), and our transactions write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def compact_sqlite(engine: Engine, *, tries: int = 40) -> bool:
    """Rebuild a SQLite file from its live rows and cut its WAL to nothing; False for other databases,
    or when another connection kept the WAL in use throughout (the next compaction finishes it).

    `secure_delete` zeroes what a DELETE frees, but older copies of rows can still sit in a file's free
    space (left by page splits and updates made without it, as Rasa's own connections may: it is off in
    SQLite's default build, on in Debian's) and in the WAL, which SQLite reuses from the start after a
    checkpoint but never shrinks. Measured on a tracker-like file written with secure_delete off (6,000
    events of 30 senders), one sender's rows deleted with it on: 1 copy of a text and 6 of the sender id
    were still in the file; after VACUUM, none. VACUUM rewrites the file; wal_checkpoint(TRUNCATE) then
    empties the WAL.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
        if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
            return True
        for _ in range(tries):
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
            if not busy:
                return True
            time.sleep(0.25)  # a reader still holds an old snapshot
    log.warning("%s: its WAL stayed in use; it will be emptied at the next compaction", Path(database).name)
    return False


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, future=True, expire_on_commit=False)


class DatabaseThreads:
    """Database work off the event loop, on a small pool of threads of its own.

    The async web app must never wait on the database inside `async def`: with PostgreSQL's 5 s
    connect timeout one slow database would stall every resident at once, and a reply deadline
    could not fire while the loop was blocked. A pool of its own keeps the default executor free.
    """

    def __init__(self, workers: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="database")

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(function, *args, **kwargs))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False)
