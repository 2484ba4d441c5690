"""Shared fixtures: a migrated database per test, and the whole service once per session."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from tests.service_stack import ServiceStack

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Unset means production (service.settings): the suite runs as the explicitly-test loopback service.
os.environ.setdefault("ENVIRONMENT", "test")

_stack: ServiceStack | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the service as soon as we know a test needs it, so it boots while other tests run."""
    global _stack
    if any("service" in getattr(item, "fixturenames", ()) for item in session.items):
        _stack = ServiceStack(Path(tempfile.mkdtemp(prefix="connector-service-")))
        _stack.prepare()
        _stack.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _stack is not None:
        _stack.stop_all()
        if session.testsfailed == 0:
            shutil.rmtree(_stack.folder, ignore_errors=True)
        else:
            print(f"\nservice logs kept in {_stack.folder}")


@pytest.fixture(scope="session")
def service() -> ServiceStack:
    """The running service (Rasa, actions, web, worker), ready per /healthz."""
    assert _stack is not None, "the service stack starts at collection when a test asks for it"
    _stack.wait_ready()
    return _stack


@pytest.fixture
def app_engine(tmp_path: Path) -> Iterator[Engine]:
    """A real SQLite application database, migrated to the newest schema."""
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def app_sessions(app_engine: Engine) -> sessionmaker:
    return make_sessionmaker(app_engine)


POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


def postgres_admin(**options: object) -> Engine:
    """An engine on the real PostgreSQL server, or the test is skipped saying the server is absent."""
    admin = create_engine(POSTGRES_URL, future=True, **options)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001  (any failure to connect means: no server here)
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    return admin


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A fresh schema on the real PostgreSQL server, migrated; dropped afterwards."""
    admin = postgres_admin()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES_URL, future=True, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade_engine(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
