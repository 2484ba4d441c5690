"""What the service remembers for a returning SMS resident (casework.residents.memory, table `resident_memory`)
is reached by erasure and by re-keying without being named to them: its `sender_id` column and its
sealed columns follow the table conventions."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.memory import answer_remember_offer, offer_to_remember, remembered
from casework.residents.memory_models import ResidentMemory
from casework.residents.records import touch_resident
from jobs.erasure import erase_resident
from jobs.rekey import application_tables, load_models, rekey, sender_id_columns
from service.database import make_sessionmaker
from tests.jobs.test_erasure import settings_for
from tests.jobs.test_rekey import BEFORE, DURING, new_id, old_id

NUMBER = "+447700900561"


def _remember(sessions: sessionmaker, sender_id: str, bodies: BodyVault) -> None:
    with sessions.begin() as session:
        assert offer_to_remember(session, sender_id=sender_id, interest="singing", place="CH60 1AB", vault=bodies)
    with sessions.begin() as session:
        assert answer_remember_offer(session, sender_id=sender_id, text="1") == "yes"


def test_the_migrated_table_is_found_by_the_conventions(app_engine: Engine) -> None:
    load_models()
    with app_engine.connect() as conn:
        memory = {t.name: t for t in application_tables(conn)}["resident_memory"]
    assert [c.name for c in sender_id_columns(memory)] == ["sender_id"]
    assert {c.name for c in memory.columns if c.info.get("sealed") == "body"} == {"interest_encrypted", "place_encrypted"}


def test_erasure_removes_what_is_remembered(tmp_path: Path, app_sessions: sessionmaker) -> None:
    settings = settings_for(tmp_path)
    bodies, phones = BodyVault.for_settings(settings), PhoneVault.for_settings(settings)
    sender = sms_sender_id(NUMBER, key=settings.phone_hash_key)
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=sender, channel="sms", phone_encrypted=phones.seal(NUMBER))
    _remember(app_sessions, sender, bodies)
    report = erase_resident(sender, settings, requested_by="cli:test", reason="resident_request", sessions=app_sessions, tracker_urls=[])
    assert report.residents == 1 and report.rows["resident_memory"] == 1
    with app_sessions() as session:
        assert session.scalars(select(ResidentMemory)).all() == []


def test_rekey_moves_and_reseals_what_is_remembered(app_engine: Engine, tmp_path: Path) -> None:
    sessions = make_sessionmaker(app_engine)
    with sessions.begin() as session:
        touch_resident(session, sender_id=old_id(NUMBER), channel="sms", phone_encrypted=PhoneVault.for_settings(BEFORE).seal(NUMBER))
    _remember(sessions, old_id(NUMBER), BodyVault.for_settings(BEFORE))

    report = rekey(app_engine, DURING, tracker_engine=create_engine(f"sqlite:///{tmp_path / 'empty.db'}", future=True))

    assert report.sender_ids["resident_memory.sender_id"] == 1
    assert report.resealed == {"resident.phone_encrypted": 1, "resident_memory.interest_encrypted": 1, "resident_memory.place_encrypted": 1}
    after = dataclasses.replace(DURING, phone_encryption_key_previous=())
    with sessions() as session:
        memory = remembered(session, new_id(NUMBER), BodyVault.for_settings(after))
        assert memory is not None and (memory.interest, memory.place) == ("singing", "CH60 1AB")
        assert remembered(session, old_id(NUMBER), BodyVault.for_settings(after)) is None
