"""Backups (issue 20, service/backup.py): a backup of a database in use is restored into an empty
database, and every case, resident and message still waiting in the outbox is there. SQLite (the
online backup) and the real PostgreSQL server (pg_dump and pg_restore; skipped with a message where
the server is absent). Data made through casework's own functions."""
from __future__ import annotations

import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from casework.cases.models import Case
from casework.cases.opening import Reason, open_case
from casework.models import Resident
from casework.outbox.messages import OutboxMessage, enqueue_sms
from service.backup import BackupError, restore, save
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import ROOT, Settings
from tests.casework.cases.test_cases import WEDNESDAY
from tests.conftest import POSTGRES_URL, postgres_admin


def fill(sessions: sessionmaker, settings: Settings) -> dict[str, object]:
    """A resident with a case (its alert queued) and a reply waiting in the outbox; what a restore must find."""
    with sessions.begin() as session:
        session.add(Resident(sender_id="sms:backup-resident", channel="sms", phone_encrypted="sealed", opted_out=False))
    with sessions.begin() as session:
        opened = open_case(session, sender_id="sms:backup-resident", priority="urgent", reasons=[Reason("danger", "danger:test")],
                           lawful_basis="vital_interests", settings=settings, now=WEDNESDAY)
        enqueue_sms(session, sender_id="sms:backup-resident", body="Your reply", purpose="reply", settings=settings)
    return snapshot(sessions) | {"reference": opened.reference}


def snapshot(sessions: sessionmaker) -> dict[str, object]:
    with sessions() as session:
        return {
            "cases": sorted(session.scalars(select(Case.reference)).all()),
            "residents": sorted(session.scalars(select(Resident.sender_id)).all()),
            "waiting": sorted((m.id, m.purpose, m.state) for m in session.scalars(select(OutboxMessage).where(OutboxMessage.state == "queued"))),
        }


def test_a_sqlite_backup_restores_every_case_resident_and_waiting_message(app_engine, sessions, casework_settings, tmp_path: Path) -> None:
    before = fill(sessions, casework_settings)
    assert before["cases"] == [before["reference"]] and before["waiting"]
    backup = save(str(app_engine.url), tmp_path / "backups" / "app.sqlite")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600 and stat.S_IMODE(backup.parent.stat().st_mode) == 0o700

    empty = f"sqlite:///{tmp_path / 'restored.db'}"
    restore(backup, empty)
    restored = make_engine(empty)
    try:
        after = snapshot(make_sessionmaker(restored))
    finally:
        restored.dispose()
    assert after == {k: v for k, v in before.items() if k != "reference"}
    with pytest.raises(BackupError, match="empty database"):
        restore(backup, empty)  # never over live data


def test_the_command_names_what_is_wrong(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "service.backup", "restore", str(tmp_path / "missing.dump"),
                           "--database-url", f"sqlite:///{tmp_path / 'x.db'}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "no backup at" in done.stderr


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases on the real server (the service's, and an empty one to restore into)."""
    admin = postgres_admin(isolation_level="AUTOCOMMIT")
    names = [f"backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_a_postgresql_backup_restores_every_case_resident_and_waiting_message(pg_databases, casework_settings, tmp_path: Path) -> None:
    live_url, empty_url = pg_databases
    live = make_engine(live_url)
    upgrade_engine(live)
    try:
        before = fill(make_sessionmaker(live), casework_settings)
        backup = save(live_url, tmp_path / "app.dump")
    finally:
        live.dispose()
    restore(backup, empty_url)
    restored = make_engine(empty_url)
    try:
        after = snapshot(make_sessionmaker(restored))
        with Session(restored) as session:
            heads = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    finally:
        restored.dispose()
    assert after == {k: v for k, v in before.items() if k != "reference"} and before["cases"]
    assert heads, "the schema's migration state comes back with the data"
