"""The web app started alone as `python -m web` (no Rasa) on a free port, for the console's tests
(tests/service_stack.py's `web_alone`).

The test seeds the same database in-process through casework (connectors, passwords, cases), as a
manager would with the CLI and the intake would with a crisis text.
"""
from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.cases.opening import Reason, open_case
from casework.console.access import set_password
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import Settings, load_settings
from tests.conftest import POSTGRES_URL
from tests.service_stack import free_port, web_alone

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
    # A loopback development service at its own address (nothing listens on the stack's Rasa port: the
    # console needs no Rasa); these keys, so the tests seed what the console reads.
    env = {**KEYS, **extra_env, "DATABASE_URL": database_url, "WEB_PORT": str(port), "PUBLIC_BASE_URL": url}
    settings = dataclasses.replace(load_settings(), database_url=database_url, phone_hash_key=KEYS["PHONE_HASH_KEY"],
                                   phone_encryption_key=KEYS["PHONE_ENCRYPTION_KEY"], outbox_path=folder / "outbox.log",
                                   public_base_url=url, extra={"CRISIS_SPOOL_PATH": str(folder / "spool.jsonl"), **extra_env})
    try:
        with web_alone(folder, env, ready="/console/login"):
            yield ConsoleServer(url, settings, make_sessionmaker(engine), folder / "web.log")
    finally:
        engine.dispose()
