"""The crisis spool: sealed on disk while the database is down, made a case exactly once when it is back."""
from __future__ import annotations

import json
import multiprocessing
import os
import threading

from sqlalchemy import create_engine, select

from casework.cases.audit import trail
from casework.cases.models import Alert, Case, CaseReason
from casework.cases.opening import Reason, open_case
from casework.cases.spool import SpooledCrisis, drain_spool, spool_case, spool_path
from casework.conversation.inbound import BodyVault
from casework.models import Resident
from jobs.worker import Worker, default_jobs
from service.database import make_sessionmaker
from tests.casework.conftest import ENCRYPTION_KEY


def crisis(n: int, **overrides) -> SpooledCrisis:
    values = {"message_id": f"SM{n:04d}", "sender_id": f"sms:resident{n}", "channel": "sms", "category": "suicidal",
              "rule": "suicidal:end_it", "text": f"i want to end it all {n}", "received_at": "2026-11-25T14:00:00+00:00"}
    return SpooledCrisis(**{**values, **overrides})


def test_a_spooled_crisis_is_sealed_and_fsynced_to_one_line(casework_settings):
    path = spool_path(casework_settings)
    spool_case(path, crisis(1), vault=BodyVault(ENCRYPTION_KEY))
    spool_case(path, crisis(2), vault=BodyVault(ENCRYPTION_KEY))
    lines = path.read_text().splitlines()
    assert len(lines) == 2
    assert "end it" not in path.read_text() and "resident1" not in path.read_text() and "SM0001" not in path.read_text()
    assert json.loads(lines[0])["v"] == 1
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_the_drain_opens_each_as_an_urgent_case_with_its_alert_exactly_once(sessions, casework_settings, add_connector, vault):
    add_connector("Jo Connector", "07700 900001")
    path = spool_path(casework_settings)
    bodies = BodyVault(ENCRYPTION_KEY)
    spool_case(path, crisis(1, phone_encrypted=vault.seal("07700 900123")), vault=bodies)
    spool_case(path, crisis(2, channel="webchat", sender_id="web:abc"), vault=bodies)
    report = drain_spool(sessions, casework_settings)
    assert (report.opened, report.duplicates, report.rejected) == (2, 0, 0)
    assert not path.exists() and not path.with_name(path.name + ".draining").exists()
    with sessions() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert [(c.priority, c.source, c.lawful_basis, c.sender_id) for c in cases] == [
            ("urgent", "spool", "vital_interests", "sms:resident1"), ("urgent", "spool", "vital_interests", "web:abc")]
        assert len(session.scalars(select(Alert)).all()) == 4
        resident = session.scalars(select(Resident).where(Resident.sender_id == "sms:resident1")).one()
        assert vault.open(resident.phone_encrypted) == "+447700900123"  # so a connector can ring back
        reference = cases[0].reference
        assert [e.action for e in trail(session, reference)][-1] == "from_spool"
    assert drain_spool(sessions, casework_settings).handled == 0  # nothing left


def test_a_drain_that_died_half_way_is_finished_without_doubling(sessions, casework_settings):
    path = spool_path(casework_settings)
    for n in (1, 2, 3):
        spool_case(path, crisis(n), vault=BodyVault(ENCRYPTION_KEY))
    # The first record became a case, then the drainer died before removing the file.
    with sessions.begin() as session:
        open_case(session, sender_id="sms:resident1", priority="urgent", lawful_basis="vital_interests",
                  reasons=[Reason("suicidal", "suicidal:end_it", message_id="SM0001")], settings=casework_settings)
    os.rename(path, path.with_name(path.name + ".draining"))
    spool_case(path, crisis(4), vault=BodyVault(ENCRYPTION_KEY))  # written after the crash
    first = drain_spool(sessions, casework_settings)
    assert (first.opened, first.duplicates) == (2, 1)
    second = drain_spool(sessions, casework_settings)
    assert second.opened == 1
    with sessions() as session:
        ids = sorted(session.scalars(select(CaseReason.message_id)))
    assert ids == ["SM0001", "SM0002", "SM0003", "SM0004"]


def test_a_message_the_intake_recorded_itself_is_not_made_a_case_again(sessions, casework_settings):
    path = spool_path(casework_settings)
    spool_case(path, crisis(7), vault=BodyVault(ENCRYPTION_KEY))
    with sessions.begin() as session:
        open_case(session, sender_id="sms:resident7", priority="urgent", lawful_basis="vital_interests",
                  reasons=[Reason("suicidal", "r", message_id="SM0007")], settings=casework_settings)
    assert drain_spool(sessions, casework_settings).duplicates == 1
    with sessions() as session:
        assert len(session.scalars(select(Case)).all()) == 1


def test_unreadable_lines_are_kept_aside_not_dropped(sessions, casework_settings):
    path = spool_path(casework_settings)
    spool_case(path, crisis(1), vault=BodyVault(ENCRYPTION_KEY))
    spool_case(path, crisis(2), vault=BodyVault("another-key"))  # sealed before a key rotation
    with open(path, "ab") as spool:
        spool.write(b'{"v": 1, "sealed": "gAAAA')  # torn by a crash mid-write
    report = drain_spool(sessions, casework_settings)
    assert (report.opened, report.rejected) == (1, 2)
    rejected = path.with_name(path.name + ".rejected").read_text().splitlines()
    assert len(rejected) == 2 and "end it" not in "".join(rejected)


def test_writers_during_a_drain_lose_nothing(sessions, casework_settings):
    path = spool_path(casework_settings)
    bodies = BodyVault(ENCRYPTION_KEY)
    stop = threading.Event()
    written = []

    def write():
        n = 100
        # Bounded: an unbounded writer outpaces the drain on a loaded machine and the test never ends.
        while not stop.is_set() and n < 300:
            spool_case(path, crisis(n), vault=bodies)
            written.append(f"SM{n:04d}")
            n += 1

    writer = threading.Thread(target=write)
    writer.start()
    drains = 0
    try:
        while len(written) < 40 or drains < 5:
            drains += 1
            drain_spool(sessions, casework_settings)
    finally:
        stop.set()
        writer.join()
    while drain_spool(sessions, casework_settings).handled:
        pass
    with sessions() as session:
        ids = sorted(session.scalars(select(CaseReason.message_id)))
    assert ids == sorted(written) and len(written) >= 40


def _spool_from_another_process(path: str, start: int, count: int) -> None:
    for n in range(start, start + count):
        spool_case(path, crisis(n), vault=BodyVault(ENCRYPTION_KEY))  # type: ignore[arg-type]


def test_several_processes_append_whole_lines(sessions, casework_settings):
    path = spool_path(casework_settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    processes = [multiprocessing.get_context("fork").Process(target=_spool_from_another_process, args=(str(path), s, 25))
                 for s in (1000, 2000, 3000)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert drain_spool(sessions, casework_settings).opened == 75


def test_the_worker_drains_the_spool_when_the_database_is_back(tmp_path, casework_settings, app_engine, add_connector):
    path = spool_path(casework_settings)
    spool_case(path, crisis(1), vault=BodyVault(ENCRYPTION_KEY))
    down = make_sessionmaker(create_engine(f"sqlite:///{tmp_path / 'missing' / 'app.db'}", future=True))
    assert Worker(down, default_jobs(casework_settings, down)).run_once() is False
    assert path.exists()
    add_connector("Jo Connector", "07700 900001")
    up = make_sessionmaker(app_engine)
    assert Worker(up, default_jobs(casework_settings, up)).run_once() is True
    assert not path.exists()
    with up() as session:
        case = session.scalars(select(Case)).one()
        assert case.priority == "urgent"
        # the same pass queued the alert and sent it (dry run)
        assert {a.state for a in session.scalars(select(Alert))} == {"queued"}
    assert casework_settings.outbox_path.exists()
