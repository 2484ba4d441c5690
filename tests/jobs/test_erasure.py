"""Erasure from every store: a resident who texted, was answered late through the outbox, asked for a
person (a case closed since), was in crisis (an open case, kept for safeguarding), has a crisis waiting
in the spool and a conversation in two Rasa workers' tracker files texts FORGET ME, then YES; the
worker erases them. Then every file under the var folder is read as raw bytes (SQLite files, their
WAL, the outbox file, the spool): nothing they wrote and no form of their number or pseudonym is left,
while another resident's conversation is untouched. On SQLite through the real intake (the Rasa
stand-in echoes each text, so replies quote the resident) and on PostgreSQL for the database part.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.cases.lifecycle import add_note, close_case
from casework.cases.models import Alert, AuditEvent, Case, CaseNote, CaseReason, Report
from casework.cases.opening import Reason, open_case
from casework.cases.reports import ReportDetails, open_report
from casework.cases.spool import SpooledCrisis, spool_case, spool_path
from casework.conversation.inbound import BodyVault, record_inbound
from casework.models import Flag, InboundMessage, Resident
from casework.outbox.messages import OutboxMessage, enqueue_sms
from casework.outbox.sender import build_sender
from casework.privacy.consent import consent_history
from casework.privacy.erasure_request import ERASURE_CONFIRMED
from casework.privacy.models import Consent, Erasure
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.records import touch_resident
from channels.incoming import Incoming
from channels.intake import Intake
from jobs import erasure as erasure_module
from jobs.erasure import carry_out_confirmed_erasures, erase_resident
from service.database import make_sessionmaker
from service.settings import Settings, load_settings
from tests.channels.rasa_standin import TOKEN, RasaStandIn
from tests.channels.test_intake import run

HASH_KEY, SEAL_KEY = "test-hash-key", "test-encryption-key"
NUMBER = "+447700900555"
OTHER_NUMBER = "+447700900556"
CONNECTOR = "+447700900777"
RESIDENT = sms_sender_id(NUMBER, key=HASH_KEY)
OTHER = sms_sender_id(OTHER_NUMBER, key=HASH_KEY)
# Words only this resident wrote, so finding any of them anywhere is a leak.
SAID = [
    "I go to zumba at Quarrybank with Mavis Oakenshott",
    "my cat Percival Thistlewood keeps me company",
    "Fernhollow Lane is lonely since my Bernard died",
    "can someone ring me about Pennyroyal lunch club",
    "i have fallen in the kitchen at Larkspur Mews and cant get up",
]
IN_THE_SPOOL = "I took all my tablets at Cowslip Terrace"
OTHER_SAID = "the marquetry circle at Hoylake Wendlebury is lovely"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


def settings_for(tmp_path: Path) -> Settings:
    """Dry-run settings with every output (database, outbox file, spool, Rasa's files) in the test's folder."""
    return dataclasses.replace(
        load_settings(),
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        phone_hash_key=HASH_KEY,
        phone_hash_key_previous=(),
        phone_encryption_key=SEAL_KEY,
        phone_encryption_key_previous=(),
        public_base_url="https://connect.example.org",
        twilio_account_sid="",
        twilio_auth_token="",
        twilio_from_number="",
        twilio_api_base="http://127.0.0.1:9",
        smtp_url="",
        sms_reply_deadline_seconds=1.0,
        rasa_turns_token=TOKEN,
        outbox_path=tmp_path / "outbox.log",
        extra={"CRISIS_SPOOL_PATH": str(tmp_path / "crisis-spool.jsonl"), "VAR_DIR": str(tmp_path)},
    )


def from_resident(body: str, n: int, number: str = NUMBER) -> Incoming:
    sender = sms_sender_id(number, key=HASH_KEY)
    return Incoming("sms", f"SM{n:032x}", sender, body, phone_sealed=PhoneVault(SEAL_KEY).seal(number))


def conversation(sender_id: str, texts: list[str], start: float) -> DialogueStateTracker:
    events: list[Any] = [ActionExecuted("action_listen", timestamp=start)]
    for i, said in enumerate(texts):
        events += [UserUttered(said, {"name": "chat"}, timestamp=start + 3 * i + 1),
                   BotUttered(f"Thanks for telling me: {said}", timestamp=start + 3 * i + 2),
                   ActionExecuted("action_listen", timestamp=start + 3 * i + 3)]
    return DialogueStateTracker.from_events(sender_id, events)


def rasa_trackers(folder: Path) -> list[Path]:
    """Two Rasa workers' files as Rasa writes them (its own SQLTrackerStore, no secure_delete), with
    enough other conversations that the resident's rows share pages with others'."""
    files = [folder / "rasa-tracker.db", folder / "rasa-tracker-1.db"]
    for worker, path in enumerate(files):
        store = SQLTrackerStore(dialect="sqlite", db=str(path))
        for n in range(40):
            asyncio.run(store.save(conversation(f"web:filler{worker}-{n}", [f"filler conversation {n} about bowls and knitting"] * 3, 1.0)))
            if n == 20:
                asyncio.run(store.save(conversation(RESIDENT, SAID, 1000.0)))
        asyncio.run(store.save(conversation(OTHER, [OTHER_SAID], 2000.0)))
        store.engine.dispose()
    return files


def number_forms(number: str) -> list[str]:
    digits = number.removeprefix("+44")
    return [number, "0" + digits, "44" + digits, digits, f"0{digits[:4]} {digits[4:]}"]


def leaks(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(file, needle) for every needle found in the raw bytes of any file under the folder."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle in needles:
            if needle.encode() in data or needle.lower().encode() in data.lower():
                found.append((path.name, needle))
    return found


def distinctive(texts: list[str]) -> list[str]:
    """Each text whole, and its rarest words (a fragment left in a free page is a leak too)."""
    words = {w for t in texts for w in re.findall(r"[A-Za-z]{8,}", t)} - {"company", "kitchen"}
    return [*texts, *sorted(words)]


def everything_the_resident_did(settings: Settings, sessions: sessionmaker) -> dict[str, str]:
    """Through the real intake: texts answered at once and late, a request for a person (case closed
    since), a crisis (open case, with a note), a report about a neighbour, the worker sending it all."""
    with sessions.begin() as session:
        connector = add_connector(session, name="Ada Lovelace", phone=CONNECTOR, email="ada@council.example", patch="CH44",
                                  settings=settings).id

    async def scenario(intake: Intake, rasa: RasaStandIn) -> dict[str, str]:
        replies = {}
        replies["first"] = (await intake.receive(from_resident(SAID[0], 1))).text or ""
        rasa.delay = 1.6  # past the 1 s deadline: the reply, quoting them, goes through the outbox
        await intake.receive(from_resident(SAID[1], 2))
        await asyncio.sleep(1.0)
        rasa.delay = 0
        await intake.receive(from_resident(SAID[2], 3))
        replies["talk"] = (await intake.receive(from_resident(SAID[3], 4))).text or ""
        await intake.receive(from_resident(OTHER_SAID, 5, OTHER_NUMBER))
        return replies

    replies = run(settings, sessions, scenario)
    with sessions.begin() as session:
        talk_case = session.scalars(select(Case.reference).where(Case.sender_id == RESIDENT)).one()
        close_case(session, reference=talk_case, outcome="supported", by=connector, settings=settings)

    async def crisis(intake: Intake, rasa: RasaStandIn) -> str:
        return (await intake.receive(from_resident(SAID[4], 6))).text or ""

    replies["crisis"] = run(settings, sessions, crisis)
    with sessions.begin() as session:
        crisis_case = session.scalars(select(Case.reference).where(Case.sender_id == RESIDENT, Case.state != "closed")).one()
        add_note(session, reference=crisis_case, text="Spoke to Mavis Oakenshott next door", by=connector, settings=settings)
        # A report they made about a neighbour, by text: it stays, without them.
        open_report(session, report=ReportDetails(relationship="neighbour", who="the man at number 12", worry="not seen him all week",
                                                  urgency="soon", reporter_contact=NUMBER, notify_on_close=True, channel="sms",
                                                  message_id=f"SM{3:032x}"), settings=settings)
    spool_case(spool_path(settings), SpooledCrisis(f"SM{7:032x}", RESIDENT, "sms", "suicidal", "suicidal.rule", IN_THE_SPOOL,
                                                   "2026-12-01T10:00:00+00:00"), vault=BodyVault.for_settings(settings))
    spool_case(spool_path(settings), SpooledCrisis(f"SM{8:032x}", OTHER, "sms", "suicidal", "suicidal.rule", "other spooled words",
                                                   "2026-12-01T10:00:00+00:00"), vault=BodyVault.for_settings(settings))
    build_sender(settings, sessions).send_due()  # dry-run: the outbox file gets the late reply and the alerts
    return {**replies, "talk_case": talk_case, "crisis_case": crisis_case}


def forget_me(settings: Settings, sessions: sessionmaker) -> tuple[str, str]:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> tuple[str, str]:
        asked = await intake.receive(from_resident("Forget me", 20))
        done = await intake.receive(from_resident("YES", 21))
        return asked.text or "", done.text or ""

    return run(settings, sessions, scenario)


def test_forget_me_then_yes_erases_the_resident_from_every_store(settings: Settings, app_engine: Engine, app_sessions: sessionmaker,
                                                                  tmp_path: Path) -> None:
    rasa_trackers(tmp_path)
    done = everything_the_resident_did(settings, app_sessions)
    assert "Privacy:" in done["first"] and "FORGET ME" in done["first"], "the first reply carried the privacy notice"
    assert done["crisis_case"] in done["crisis"]
    outbox_file = settings.outbox_path.read_text()
    assert SAID[1] in outbox_file, "the late reply quoting them went to the outbox file"
    needles = distinctive(SAID + [IN_THE_SPOOL]) + number_forms(NUMBER) + [RESIDENT.removeprefix("sms:")]
    before = {needle for _, needle in leaks(tmp_path, needles)}
    assert set(SAID) <= before, "the check can see them before: in Rasa's files and in replies quoting them"

    asked, confirmed = forget_me(settings, app_sessions)
    assert "Reply DELETE to delete everything" in asked
    reference = re.search(r"\bER-[A-Z0-9]{6}\b", confirmed)
    assert reference and done["crisis_case"] in confirmed and "short record" in confirmed
    assert done["talk_case"] not in confirmed, "a closed case kept by consent goes with them"

    run_report = carry_out_confirmed_erasures(app_sessions, settings)
    assert run_report.erased == 1

    assert leaks(tmp_path, needles) == []
    other = distinctive([OTHER_SAID])
    assert {needle for _, needle in leaks(tmp_path, other)} == set(other), "another resident's conversation is untouched"
    with app_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM resident WHERE sender_id = :s"), {"s": OTHER}).scalar() == 1
    with app_sessions() as session:
        erasure = session.scalars(select(Erasure)).one()
        assert erasure.reference == reference.group() and erasure.requested_by == "resident:sms" and erasure.residents == 1
        counts = json.loads(erasure.counts)
        assert counts["cases_kept"] == 1 and counts["cases_deleted"] == 1 and counts["tracker_events"] == 2 * (1 + 3 * len(SAID))
        assert counts["spool_lines"] == 1 and counts["outbox_file_lines"] >= 1 and counts["reports_detached"] == 1
        assert "rasa-tracker-1.db" in counts["compacted"] and "app.db" in counts["compacted"]
        kept = session.scalars(select(Case).where(Case.reference == done["crisis_case"])).one()
        assert kept.sender_id.startswith("erased:") and kept.contact_encrypted is None and kept.lawful_basis == "vital_interests"
        assert session.scalars(select(CaseReason.excerpt_encrypted).where(CaseReason.case_id == kept.id)).all() == [None]
        assert [BodyVault(SEAL_KEY).open(t) for t in session.scalars(select(CaseNote.text_encrypted).where(CaseNote.case_id == kept.id))] == [""]
        assert session.scalars(select(Alert).where(Alert.case_id == kept.id)).first() is not None, "who was alerted, and when, stays"
        assert session.scalars(select(Case).where(Case.reference == done["talk_case"])).first() is None
        assert session.scalars(select(AuditEvent).where(AuditEvent.case_reference == done["talk_case"])).first() is None
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.case_reference == done["crisis_case"])).all()[-1] == "minimised"
        report = session.scalars(select(Report)).one()
        assert report.reporter_contact_encrypted is None and report.notify_on_close is False, "their report stays, without them"
        assert BodyVault(SEAL_KEY).open(report.worry_encrypted) == "not seen him all week"
        for model in (Resident, InboundMessage, Flag, Consent):
            assert session.scalars(select(model).where(model.sender_id == RESIDENT)).first() is None, model
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_sender_id == RESIDENT)).first() is None
    assert "other spooled words" not in spool_path(settings).read_text()  # sealed: the line is there, its words are not
    assert len(spool_path(settings).read_text().splitlines()) == 1, "the other resident's spooled crisis stays"
    assert carry_out_confirmed_erasures(app_sessions, settings).erased == 0, "done once"


def test_the_confirmation_is_needed_and_no_keeps_everything(settings: Settings, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> list[str]:
        texts = []
        for n, body in enumerate(["hello", "DELETE MY DATA", "no", "FORGET ME", "what groups are there", "yes"], start=1):
            texts.append((await intake.receive(from_resident(body, n))).text or "")
        return texts

    hello, asked, kept, asked_again, moved_on, yes = run(settings, app_sessions, scenario)
    assert "Reply DELETE" in asked and "nothing has been deleted" in kept and "Reply DELETE" in asked_again
    assert moved_on.startswith("You said: what groups"), "anything else drops the question and goes to the bot"
    assert yes == "You said: yes", "a YES long after the question was dropped is not a confirmation"
    with app_sessions() as session:
        assert session.scalars(select(Flag).where(Flag.reason == ERASURE_CONFIRMED)).first() is None
        assert session.scalars(select(Resident).where(Resident.sender_id == RESIDENT)).first() is not None


def test_a_stopped_resident_can_still_ask_and_web_chat_takes_the_same_path(settings: Settings, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> list[Any]:
        stop = await intake.receive(from_resident("STOP", 1))
        asked = await intake.receive(from_resident("forget me please", 2))
        yes = await intake.receive(from_resident("Yes", 3))
        web = [await intake.receive(Incoming("webchat", f"web:z:{n:08d}", "web:z", body)) for n, body in enumerate(["hi", "delete my data", "YES"])]
        return [stop, asked, yes, *web]

    stop, asked, yes, _, web_asked, web_yes = run(settings, app_sessions, scenario)
    assert stop.state == "opt_out" and "Reply DELETE" in (asked.text or "") and "Ref ER-" in (yes.text or "")
    assert "Type YES" in (web_asked.text or "") and "Your reference is ER-" in (web_yes.text or "")
    assert carry_out_confirmed_erasures(app_sessions, settings, tracker_urls=[]).erased == 2
    with app_sessions() as session:
        assert session.scalars(select(Resident)).all() == []
        assert sorted(session.scalars(select(Erasure.requested_by))) == ["resident:sms", "resident:webchat"]


def test_a_request_waits_while_a_turn_of_theirs_is_still_in_rasa(settings: Settings, app_sessions: sessionmaker) -> None:
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=RESIDENT, channel="sms")
        record_inbound(session, channel="sms", message_id="SM-in-flight", sender_id=RESIDENT)  # received, not yet answered
        session.add(Flag(sender_id=RESIDENT, reason=ERASURE_CONFIRMED, source="erasure_request", message_id="ER-AAAAAA", state="open"))
    assert carry_out_confirmed_erasures(app_sessions, settings, tracker_urls=[]).waiting == 1
    later = erasure_module.utcnow() + erasure_module.IN_FLIGHT_WAIT + erasure_module.timedelta(seconds=1)
    assert carry_out_confirmed_erasures(app_sessions, settings, tracker_urls=[], now=later).erased == 1, "but not for ever"


def test_the_command_line_erases_by_phone_and_prints_counts_only(settings: Settings, app_sessions: sessionmaker, app_engine: Engine,
                                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    old_key = "old-hash-key"
    with app_sessions.begin() as session:
        # Known under an old hash key too (a re-key pending): both are them.
        for sender in (RESIDENT, sms_sender_id(NUMBER, key=old_key)):
            touch_resident(session, sender_id=sender, channel="sms", phone_encrypted=PhoneVault(SEAL_KEY).seal(NUMBER))
            enqueue_sms(session, sender_id=sender, body="Bingo is on Tuesdays", purpose="reply", settings=settings)
    for name, value in {"DATABASE_URL": str(app_engine.url), "VAR_DIR": str(tmp_path), "PHONE_HASH_KEY": HASH_KEY,
                        "PHONE_HASH_KEY_PREVIOUS": old_key, "PHONE_ENCRYPTION_KEY": SEAL_KEY, "OUTBOX_PATH": str(settings.outbox_path),
                        "CRISIS_SPOOL_PATH": str(tmp_path / "crisis-spool.jsonl"), "ENVIRONMENT": "test"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    assert erasure_module.main(["--phone", "07700 900555", "--by", "Sam Manager", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "resident 2" in out and "outbox_message 2" in out
    assert NUMBER not in out and RESIDENT not in out and "900555" not in out
    with app_sessions() as session:
        assert session.scalars(select(Resident)).all() == []
        assert session.scalars(select(Erasure.requested_by)).one() == "cli:Sam Manager"


# --- PostgreSQL: the application tables and Rasa's events table in one database -----------------
@pytest.fixture
def pg_sessions(pg_engine: Engine) -> Iterator[sessionmaker]:
    yield make_sessionmaker(pg_engine)


@pytest.mark.postgres
def test_erasure_on_postgresql(pg_engine: Engine, pg_sessions: sessionmaker, settings: Settings) -> None:
    events = SQLTrackerStore.SQLEvent.__table__
    with pg_engine.begin() as conn:
        events.create(conn)
        for sender in (RESIDENT, OTHER):
            for event in conversation(sender, SAID[:1], 1.0).events:
                conn.execute(insert(events).values(sender_id=sender, type_name=event.type_name, timestamp=event.timestamp,
                                                   data=json.dumps(event.as_dict())))
    bodies = BodyVault.for_settings(settings)
    with pg_sessions.begin() as session:
        for sender, number, said in ((RESIDENT, NUMBER, SAID[0]), (OTHER, OTHER_NUMBER, OTHER_SAID)):
            touch_resident(session, sender_id=sender, channel="sms", phone_encrypted=PhoneVault(SEAL_KEY).seal(number))
            record_inbound(session, channel="sms", message_id=f"SM-{sender[-6:]}", sender_id=sender, body_encrypted=bodies.seal(said))
            enqueue_sms(session, sender_id=sender, body=f"You said: {said}", purpose="reply", settings=settings)
        kept = open_case(session, sender_id=RESIDENT, priority="urgent", reasons=[Reason("danger", "danger.fall", "SM-x", SAID[4])],
                         lawful_basis="vital_interests", settings=settings, contact="ring after 2pm").reference
        gone = open_case(session, sender_id=OTHER, priority="routine", reasons=[Reason("request", "request", None, "ring me")],
                         lawful_basis="consent", settings=settings).reference
        session.execute(text("UPDATE case_record SET sender_id = :s WHERE reference = :r"), {"s": RESIDENT, "r": gone})
        session.execute(text("UPDATE case_record SET state = 'closed', closed_at = now() WHERE reference = :r"), {"r": gone})

    report = erase_resident(RESIDENT, settings, sessions=pg_sessions, requested_by="cli:test", reason="resident_request",
                            tracker_urls=[str(pg_engine.url)])

    assert (report.cases_kept, report.cases_deleted, report.tracker_events) == (1, 1, 1 + 3)
    assert report.rows["resident"] == 1 and report.rows["inbound_message"] == 1 and report.rows["outbox_message"] == 1
    assert report.compacted == [], "PostgreSQL is not rebuilt (see the README's data protection section)"
    with pg_engine.connect() as conn:
        assert conn.execute(select(events.c.sender_id).distinct()).scalars().all() == [OTHER]
        assert conn.execute(text("SELECT count(*) FROM resident")).scalar() == 1
        row = conn.execute(text("SELECT sender_id, contact_encrypted FROM case_record WHERE reference = :r"), {"r": kept}).one()
        assert row.sender_id.startswith("erased:") and row.contact_encrypted is None
        assert conn.execute(text("SELECT count(*) FROM case_record WHERE reference = :r"), {"r": gone}).scalar() == 0
        assert conn.execute(text("SELECT residents, cases_kept FROM erasure")).one() == (1, 1)
        tables = ("resident", "inbound_message", "outbox_message", "flag", "case_record", "case_reason", "erasure", "audit_event")
        dump = {name: " ".join(str(v) for r in conn.execute(text(f"SELECT * FROM {name}")) for v in r) for name in tables}
    assert [name for name, rows in dump.items() if RESIDENT in rows or SAID[0] in rows] == []
    with pg_sessions() as session:
        assert consent_history(session, [RESIDENT]) == []
