"""The action server's settings and database sessions (actions/database.py): made on first use, never
at import, checked, and made once."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from actions import database
from service.settings import ROOT, SettingsError

ACTION_MODULES = sorted(p.stem for p in (ROOT / "actions").glob("*.py") if p.stem != "__init__")


def test_no_action_module_reads_the_settings_or_the_database_at_import(tmp_path: Path) -> None:
    """The action server imports every action before it serves: with settings that would refuse to start
    and a database that is not there, importing them all still works; only the first use refuses."""
    env = {**os.environ, "ENVIRONMENT": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'app.db'}",
           "PYTHONPATH": str(ROOT)}
    for name in ("PHONE_HASH_KEY", "PHONE_ENCRYPTION_KEY", "WEBCHAT_SECRET", "RASA_TURNS_TOKEN", "ACTIONS_TOKEN"):
        env.pop(name, None)
    imports = "; ".join(f"import actions.{name}" for name in ACTION_MODULES)
    program = f"{imports}\nfrom actions.database import settings\ntry:\n    settings()\nexcept Exception as e:\n    print(type(e).__name__)"
    done = subprocess.run([sys.executable, "-c", program], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "SettingsError"
    assert not (tmp_path / "missing").exists(), "nothing was opened"


def test_the_settings_are_checked_on_first_use_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    database.settings.cache_clear()
    try:
        first = database.settings()
        assert database.settings() is first
        monkeypatch.setenv("ENVIRONMENT", "production")  # placeholder secrets: refused, but only when read afresh
        assert database.settings() is first
        database.settings.cache_clear()
        with pytest.raises(SettingsError):
            database.settings()
    finally:
        database.settings.cache_clear()


def test_the_sessions_use_the_configured_database_and_are_made_once(sample_directory: str) -> None:
    made = database.sessions()
    assert database.sessions() is made
    with made() as session:
        assert str(session.get_bind().url) == sample_directory
        assert session.execute(text("SELECT count(*) FROM directory_service")).scalar_one() > 0
