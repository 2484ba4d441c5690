"""The application database: one declarative base shared by `directory` and `casework`.

SQLAlchemy 1.4 in 2.0 style (future engines, `select()`, `Session.begin()`); the schema is owned by
the Alembic migrations in `migrations/`.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

# Stable constraint names so Alembic migrations name things the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


def make_engine(url: str) -> Engine:
    """Build an engine; SQLite files get their folder, foreign keys and WAL for concurrent readers."""
    if _is_sqlite_file(url):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 gives a SQLite file a NullPool: every session (several per turn) opened a
        # new connection and re-ran the PRAGMAs. A pool keeps connections, so the PRAGMAs run once
        # per connection (bench/sqlite_sessions.py: about 2-3x the sessions per second). Pooled
        # connections move between threads (the channels' thread pool), one thread at a time,
        # which is what check_same_thread=False allows. A local file needs no pre-ping.
        engine = create_engine(url, future=True, poolclass=QueuePool, connect_args={"check_same_thread": False})
    else:
        # An unreachable PostgreSQL server must fail in seconds, not after the operating system's
        # TCP timeout (minutes), so the channels can answer residents that the database is down.
        connect_args = {"connect_timeout": 5} if url.startswith("postgresql") else {}
        engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _is_sqlite_file(url: str) -> bool:
    return url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:") and url != "sqlite://"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, future=True, expire_on_commit=False)
