"""Files under var/ are this user's only: the databases, Rasa's tracker (whole conversations),
endpoints.yml (the action server's token), the crisis spool and its rejects."""
from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from service import launch
from service.database import make_engine
from service.private_files import private_file, write_private
from service.settings import load_settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """As on a machine whose umask lets everyone read new files (022 is the common default)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_application_database_is_created_owner_only(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'app.db'}")
    with engine.begin() as connection:
        connection.execute(text("PRAGMA journal_mode=WAL"))
        connection.execute(text("CREATE TABLE t (x)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        assert mode(tmp_path / "new" / "app.db-wal") == 0o600  # SQLite copies the database file's mode
    engine.dispose()
    assert mode(tmp_path / "new" / "app.db") == 0o600
    assert mode(tmp_path / "new") == 0o700


def test_var_and_rasas_files_are_owner_only(tmp_path, monkeypatch):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)  # an existing var/ from before is narrowed
    monkeypatch.setenv("VAR_DIR", str(var))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("RASA_MODEL", str(tmp_path / "model.tar.gz"))
    (tmp_path / "model.tar.gz").write_bytes(b"")
    settings = dataclasses.replace(load_settings(), actions_token="x" * 40)
    created = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith("endpoints.yml") and flags & os.O_CREAT:
            created.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    launch.rasa_command(settings)
    assert mode(var) == 0o700
    assert mode(var / "endpoints.yml") == 0o600 and created == [0o600]  # never wider, not even for a moment
    assert "x" * 40 in (var / "endpoints.yml").read_text()
    launch.tracker_store(launch.tracker_database_url(0))
    assert mode(var / "rasa-tracker.db") == 0o600


def test_an_existing_file_is_narrowed_and_rewriting_keeps_it_private(tmp_path):
    loose = tmp_path / "loose.txt"
    loose.write_text("old")
    loose.chmod(0o644)
    private_file(loose)
    assert mode(loose) == 0o600 and loose.read_text() == "old"
    write_private(loose, "new")
    assert loose.read_text() == "new" and mode(loose) == 0o600


def test_a_rejected_spool_line_is_owner_only(tmp_path):
    from casework.cases.spool import _reject

    _reject(tmp_path / "rejected.jsonl", b"not json", "unreadable")
    assert mode(tmp_path / "rejected.jsonl") == 0o600
