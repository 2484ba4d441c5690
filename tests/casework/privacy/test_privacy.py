"""The parts of data protection that stand on their own: the migration, the words residents read,
consent per purpose and the privacy notice, the FORGET ME phrases, and the shared line files (outbox
file, crisis spool) rewritten without losing a line appended meanwhile."""
from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases.spool import SpooledCrisis, remove_from_spool, spool_case
from casework.conversation.inbound import BodyVault
from casework.models import utcnow
from casework.outbox.dry_run_file import remove_lines, write_sent
from casework.privacy.consent import NOTICE_VERSION, current_consent, give_privacy_notice, privacy_notice_due, record_consent
from casework.privacy.erasure_request import asks_to_be_forgotten
from casework.privacy.models import Consent
from casework.residents.records import set_opted_out, touch_resident
from casework.shared_file import append_line, rewrite_lines
from channels.responses import render_response
from service.database import make_sessionmaker
from service.text import domain_responses, is_gsm, segment_count

PRIVACY_RESPONSES = ["utter_privacy_notice", "utter_erasure_confirm", "utter_erasure_done", "utter_erasure_done_case_kept", "utter_erasure_cancelled"]
# A council's address for the full notice, as long as it reasonably gets.
LONG_URL = "https://connect.wirral-council.gov.uk/privacy"


def test_the_migration_matches_the_models(app_engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from service.database import Base

    with app_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if any(name in repr(d) for name in ("'consent'", "'erasure'", "privacy_notice_at"))] == []


@pytest.mark.parametrize("name", PRIVACY_RESPONSES)
def test_the_privacy_responses_fit_sms_in_gsm7(name: str) -> None:
    variants = domain_responses()[name]
    assert {v.get("channel") for v in variants} == {None, "sms"}
    values = {"privacy_url": LONG_URL, "reference": "ER-ACDEFG", "cases": "WC-48213, WC-51234"}
    text = render_response(name, channel="sms", values=values)
    assert is_gsm(text) and "{" not in text
    assert segment_count(text) <= (1 if name in ("utter_privacy_notice", "utter_erasure_confirm", "utter_erasure_done") else 2), len(text)


def test_the_notice_says_what_we_keep_why_how_to_stop_and_delete_and_where_to_read_more() -> None:
    for channel in (None, "sms"):
        text = render_response("utter_privacy_notice", channel=channel, values={"privacy_url": LONG_URL})
        for needed in ("keep", "groups", "FORGET ME", LONG_URL):
            assert needed in text, (channel, needed)
    assert "STOP" in render_response("utter_privacy_notice", channel="sms", values={"privacy_url": LONG_URL})
    assert "Reply DELETE" in render_response("utter_erasure_confirm", channel="sms"), "not a bare YES: Twilio's opt-in word"


@pytest.mark.parametrize("text", ["FORGET ME", "forget me", "Forget me please", "please forget me.", "forgetme", "DELETE MY DATA",
                                  "delete my details", "Delete all my data!", "erase me"])
def test_ways_of_asking_to_be_forgotten(text: str) -> None:
    assert asks_to_be_forgotten(text)


@pytest.mark.parametrize("text", ["forget me not seeds for the garden club", "I forget me keys all the time", "delete", "can you forget me if i die",
                                  "delete my data and then call me"])
def test_sentences_that_merely_contain_the_words_are_not_requests(text: str) -> None:
    assert not asks_to_be_forgotten(text)


def test_consent_per_purpose_is_a_history(app_sessions: sessionmaker) -> None:
    consent_history_holds(app_sessions)


@pytest.mark.postgres
def test_consent_on_postgresql(pg_engine: Engine) -> None:
    consent_history_holds(make_sessionmaker(pg_engine))


def consent_history_holds(app_sessions: sessionmaker) -> None:
    sender = "sms:consent"
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=sender, channel="sms")
        assert privacy_notice_due(session, sender)
        assert give_privacy_notice(session, sender) and not give_privacy_notice(session, sender), "once"
        record_consent(session, sender_id=sender, purpose="follow_up", granted=True, source="follow_up")
        assert current_consent(session, sender) == {"suggestions": True, "follow_up": True, "sharing": False, "remember": False, "loneliness": False}
        set_opted_out(session, sender, True)
        assert current_consent(session, sender) == {"suggestions": False, "follow_up": False, "sharing": False, "remember": False, "loneliness": False}
        set_opted_out(session, sender, False)
        assert current_consent(session, sender) == {"suggestions": True, "follow_up": False, "sharing": False, "remember": False, "loneliness": False}, \
            "follow-ups need their own yes"
        assert not privacy_notice_due(session, sender) and not privacy_notice_due(session, "sms:not-a-resident")
        with pytest.raises(ValueError):
            record_consent(session, sender_id=sender, purpose="marketing", granted=True, source="x")
    with app_sessions() as session:
        rows = session.scalars(select(Consent).where(Consent.sender_id == sender).order_by(Consent.id)).all()
        assert [(r.purpose, r.granted, r.source) for r in rows] == [
            ("suggestions", True, "first_contact"), ("follow_up", True, "follow_up"), ("suggestions", False, "opt_out"),
            ("follow_up", False, "opt_out"), ("suggestions", True, "opt_in")]
        assert {r.notice_version for r in rows} == {NOTICE_VERSION}


# --- the shared line files ---------------------------------------------------------------------------
def test_lines_appended_while_the_file_is_rewritten_are_never_lost(tmp_path: Path) -> None:
    path = tmp_path / "outbox.log"
    writers, per_writer = 4, 150
    stop = threading.Event()

    def append(writer: int) -> None:
        for n in range(per_writer):
            append_line(path, json.dumps({"recipient": "keep" if n % 3 else "drop", "id": f"{writer}-{n}"}).encode() + b"\n")

    def rewrite() -> None:
        while not stop.is_set():
            rewrite_lines(path, lambda line: json.loads(line)["recipient"] == "drop")

    threads = [threading.Thread(target=append, args=(w,)) for w in range(writers)]
    cleaner = threading.Thread(target=rewrite)
    cleaner.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    cleaner.join()
    rewrite_lines(path, lambda line: json.loads(line)["recipient"] == "drop")
    kept = [json.loads(line)["id"] for line in path.read_text().splitlines()]
    assert sorted(kept) == sorted(f"{w}-{n}" for w in range(writers) for n in range(per_writer) if n % 3)
    assert not list(tmp_path.glob("*.rewrite-*")), "no temporary file is left behind"


def test_outbox_file_lines_go_by_recipient_by_id_and_by_age(tmp_path: Path) -> None:
    path = tmp_path / "outbox.log"
    now = utcnow()
    write_sent(path, {"at": now.isoformat(), "id": 1, "recipient": "sms:a", "body": "to a"})
    write_sent(path, {"at": now.isoformat(), "id": 2, "recipient": None, "body": "written before recipients were recorded"})
    write_sent(path, {"at": (now - timedelta(days=40)).isoformat(), "id": 3, "recipient": "connector:1", "body": "old alert"})
    write_sent(path, {"at": now.isoformat(), "id": 4, "recipient": "connector:1", "body": "new alert"})
    with path.open("a") as handle:
        handle.write("not ours\n")
    assert remove_lines(path) == 0
    assert remove_lines(path, recipients={"sms:a"}, outbox_ids={2}) == 2
    assert remove_lines(path, sent_before=now - timedelta(days=30)) == 1
    assert path.read_text().splitlines()[-1] == "not ours" and "new alert" in path.read_text()
    assert remove_lines(tmp_path / "missing.log", recipients={"x"}) == 0


def test_the_spool_loses_only_the_erased_residents_records(tmp_path: Path) -> None:
    vault = BodyVault("test-encryption-key")
    spool = tmp_path / "crisis-spool.jsonl"

    def record(n: int, sender: str) -> SpooledCrisis:
        return SpooledCrisis(f"SM{n}", sender, "sms", "suicidal", "rule", f"words {n}", "2026-12-01T10:00:00+00:00")

    for n, sender in enumerate(["sms:gone", "sms:stays", "sms:gone"]):
        spool_case(spool, record(n, sender), vault=vault)
    draining = spool.with_name(spool.name + ".draining")
    spool_case(draining, record(9, "sms:gone"), vault=vault)  # a drain that died half-way
    with spool.open("ab") as handle:
        handle.write(b"torn line\n")
    assert remove_from_spool(spool, {"sms:gone"}, vault=vault) == 3
    left = [json.loads(vault.open(json.loads(line)["sealed"]))["sender_id"] for line in spool.read_bytes().splitlines()[:-1]]
    assert left == ["sms:stays"] and spool.read_bytes().endswith(b"torn line\n")
    assert draining.read_bytes() == b""
