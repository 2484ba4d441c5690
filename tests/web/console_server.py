"""The web app started alone as `python -m web` (no Rasa) on a free port, for the console's tests.

The test seeds the same database in-process through casework (connectors, passwords, cases), as a
manager would with the CLI and the intake would with a crisis text.
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from casework.cases import Reason, open_case
from casework.connectors import add_connector
from casework.console_access import set_password
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import ROOT, Settings, load_settings
from tests.conftest import POSTGRES_URL
from tests.service_stack import free_port

KEYS = {"PHONE_HASH_KEY": "console-test-hash", "PHONE_ENCRYPTION_KEY": "console-test-encryption",
        "WEBCHAT_SECRET": "console-test-web", "RASA_TURNS_TOKEN": "console-test-turns", "ACTIONS_TOKEN": "console-test-actions"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class ConsoleServer:
    url: str
    settings: Settings
    sessions: sessionmaker
    log: Path

    def add(self, name: str, phone: str, password: str | None, *, patch: str = "", role: str = "connector") -> int:
        with self.sessions.begin() as session:
            added = add_connector(session, name=name, phone=phone, email=f"{name.split()[0].lower()}@council.example",
                                  patch=patch, role=role, settings=self.settings)
            if password:
                set_password(session, phone=phone, password=password, settings=self.settings)
        return added.id

    def crisis(self, *, sender: str, area: str = "CH41", words: str = "i want to end it all", priority: str = "urgent",
               layer: str = "rules", score: float | None = None) -> str:
        with self.sessions.begin() as session:
            rule = "suicidal:end_it" if layer == "rules" else "model.suicidal"
            return open_case(session, sender_id=sender, area=area, priority=priority,
                             reasons=[Reason("suicidal", rule, f"SM-{sender}", words, layer, score)],
                             lawful_basis="vital_interests", settings=self.settings).reference


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server; its URL (search path set), dropped afterwards."""
    admin = create_engine(POSTGRES_URL, future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def console_server(folder: Path, database_url: str, **extra_env: str) -> Iterator[ConsoleServer]:
    engine = make_engine(database_url)
    upgrade_engine(engine)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ, **KEYS, **extra_env,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(folder),
        "OUTBOX_PATH": str(folder / "outbox.log"),
        "WEB_PORT": str(port),
        "RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens: the console needs no Rasa
        "ENVIRONMENT": "test",
        "PUBLIC_BASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    settings = dataclasses.replace(load_settings(), database_url=database_url, phone_hash_key=KEYS["PHONE_HASH_KEY"],
                                   phone_encryption_key=KEYS["PHONE_ENCRYPTION_KEY"], outbox_path=folder / "outbox.log",
                                   public_base_url=url, extra={"CRISIS_SPOOL_PATH": str(folder / "spool.jsonl"), **extra_env})
    log_path = folder / "web.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "web"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError("the web app exited:\n" + log_path.read_text(errors="replace"))
            try:
                urllib.request.urlopen(url + "/console/login", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield ConsoleServer(url, settings, make_sessionmaker(engine), log_path)
    finally:
        process.terminate()
        process.wait(timeout=10)
        engine.dispose()
