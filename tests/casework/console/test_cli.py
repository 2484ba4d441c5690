"""`python -m casework connectors set-password` run as a process, and the console tables' migration."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, select

from casework.cases.models import AuditEvent, Connector
from casework.console.passwords import verify_password
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import ROOT

KEYS = {"PHONE_HASH_KEY": "cli-test-hash", "PHONE_ENCRYPTION_KEY": "cli-test-encryption", "WEBCHAT_SECRET": "cli-test-web"}


def casework(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casework", *args], env=env, cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_set_password_reads_stdin_and_stores_only_a_hash(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(database)
    upgrade_engine(engine)
    env = {**os.environ, **KEYS, "DATABASE_URL": database, "ENVIRONMENT": "test", "VAR_DIR": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    added = casework(env, "connectors", "add", "--name", "Jo Bloggs", "--phone", "+447700900123", "--email", "jo@council.example")
    assert added.returncode == 0, added.stderr

    weak = casework(env, "connectors", "set-password", "--phone", "+447700900123", stdin="short\n")
    assert weak.returncode == 2 and "at least 12 characters" in weak.stderr
    unknown = casework(env, "connectors", "set-password", "--phone", "07700 900999", stdin="long enough password\n")
    assert unknown.returncode == 2 and "no connector" in unknown.stderr

    done = casework(env, "connectors", "set-password", "--phone", "07700 900123", stdin="door knocking in the rain\n")
    assert done.returncode == 0, done.stderr
    assert "Jo Bloggs" in done.stdout and "door knocking" not in done.stdout + done.stderr
    with make_sessionmaker(engine)() as session:
        stored = session.scalars(select(Connector.password_hash)).one()
        actions = session.scalars(select(AuditEvent.action)).all()
    assert stored.startswith("scrypt$") and verify_password("door knocking in the rain", stored)
    assert "password_set" in actions
    engine.dispose()


def test_the_migration_builds_the_console_tables_as_the_models_say(app_engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import casework.console.models  # noqa: F401
    from service.database import Base

    assert {"console_session", "console_login_failure"} <= set(inspect(app_engine).get_table_names())
    with app_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "'console_" in repr(d)] == []
