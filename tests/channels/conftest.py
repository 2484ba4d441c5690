"""Shared fixtures for the intake's tests."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from service.settings import Settings, load_settings
from tests.channels.rasa_standin import TOKEN

KEY = "test-encryption-key"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(),
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        phone_hash_key="test-hash-key",
        phone_encryption_key=KEY,
        sms_reply_deadline_seconds=1.0,
        rasa_turns_token=TOKEN,
        outbox_path=tmp_path / "outbox.log",
        public_base_url="http://localhost:8000",
        # A crisis met with the database down is spooled: here, never into the checkout's var/.
        extra={"CRISIS_SPOOL_PATH": str(tmp_path / "crisis-spool.jsonl")},
    )
