"""Fixtures for casework tests: residents with real encrypted numbers in the migrated SQLite database
of tests/conftest.py, and settings pointing every output at the test's own temporary folder."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.models import Resident, utcnow
from casework.residents.identity import PhoneVault, sms_sender_id
from service.settings import Settings, load_settings

HASH_KEY = "test-hash-key"
ENCRYPTION_KEY = "test-encryption-key"


@pytest.fixture
def casework_settings(tmp_path: Path) -> Settings:
    """Dry-run settings (no Twilio credentials, no SMTP) writing to this test's own outbox file."""
    return dataclasses.replace(
        load_settings(),
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'app.db'}",  # the file tests/conftest.py's app_engine migrates
        public_base_url="https://connect.example.org",
        twilio_account_sid="",
        twilio_auth_token="",
        twilio_from_number="",
        twilio_api_base="http://127.0.0.1:9",  # never api.twilio.com, even by mistake
        smtp_url="",
        phone_hash_key=HASH_KEY,
        phone_encryption_key=ENCRYPTION_KEY,
        sms_segment_budget=3,
        outbox_path=tmp_path / "outbox.log",
        extra={"CRISIS_SPOOL_PATH": str(tmp_path / "crisis-spool.jsonl")},
    )


@pytest.fixture
def casework_engine(app_engine: Engine) -> Engine:
    """The shared migrated SQLite database of tests/conftest.py (the outbox migration included)."""
    return app_engine


@pytest.fixture
def sessions(app_sessions: sessionmaker) -> sessionmaker:
    return app_sessions


@pytest.fixture
def vault() -> PhoneVault:
    return PhoneVault(ENCRYPTION_KEY)


@pytest.fixture
def add_resident(sessions: sessionmaker, vault: PhoneVault) -> Callable[..., str]:
    """Create an SMS resident for a number; returns the sender id the rest of the system uses."""

    def add(number: str, *, opted_out: bool = False) -> str:
        sender_id = sms_sender_id(number, key=HASH_KEY)
        with sessions.begin() as session:
            session.add(
                Resident(
                    sender_id=sender_id,
                    channel="sms",
                    phone_encrypted=vault.seal(number),
                    opted_out=opted_out,
                    opted_out_at=utcnow() if opted_out else None,
                )
            )
        return sender_id

    return add


@pytest.fixture
def add_connector(sessions: sessionmaker, casework_settings: Settings) -> Callable[..., int]:
    """Register a connector (or manager) through casework.cases.connectors; returns its id."""
    from casework.cases.connectors import add_connector as register

    def add(name: str, phone: str, *, patch: str = "", role: str = "connector", email: str | None = None) -> int:
        with sessions.begin() as session:
            return register(session, name=name, phone=phone, email=email or f"{name.split()[0].lower()}@council.example",
                            patch=patch, role=role, settings=casework_settings).id

    return add
