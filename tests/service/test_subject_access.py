"""Subject access: everything held about a resident (their contact, consent, messages, texts sent,
cases with notes, reports they made, Rasa's conversation), as JSON and HTML, with other people left
out: a neighbour who reported them, and the person they reported. SQLite through the real intake and
the command line; PostgreSQL for the database part.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.case_models import AuditEvent, Case, Report
from casework.cases import Reason, open_case
from casework.connectors import add_connector
from casework.follow_up_models import FollowUp
from casework.identity import PhoneVault, sms_sender_id
from casework.inbound import BodyVault
from casework.lifecycle import add_note
from casework.memory import answer_remember_offer, offer_to_remember
from casework.reports import ReportDetails, open_report
from casework.residents import touch_resident
from casework.subject_access import subject_access
from channels.intake import Intake
from service import subject_access as sar
from service.database import make_sessionmaker
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import run
from tests.service.test_erasure import HASH_KEY, NUMBER, RESIDENT, SEAL_KEY, from_resident, settings_for

NEIGHBOUR_NUMBER = "+447700900888"
NEIGHBOUR_WORDS = "she has been wandering at night in her nightie"
REPORTED_PERSON = "old Mr Gribblesworth at number 9"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


def seed(settings: Settings, sessions: sessionmaker) -> str:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> None:
        await intake.receive(from_resident("I like bowls near Wallasey", 1))
        await intake.receive(from_resident("i have fallen in the kitchen and cant get up", 2))

    run(settings, sessions, scenario)
    with sessions.begin() as session:
        connector = add_connector(session, name="Ada Lovelace", phone="+447700900777", email="ada@council.example", patch="", settings=settings).id
        case = session.scalars(select(Case).where(Case.sender_id == RESIDENT)).one()
        add_note(session, reference=case.reference, text="Visited, she is OK, daughter Jane is coming", by=connector, settings=settings)
        bodies = BodyVault.for_settings(settings)
        # A neighbour's concern about them, attached to their case: they learn of it, not of the neighbour.
        session.add(Report(case_id=case.id, channel="sms", reporter_relationship="neighbour", reporter_contact_encrypted=bodies.seal(NEIGHBOUR_NUMBER),
                           who_encrypted=bodies.seal("the lady at 4"), worry_encrypted=bodies.seal(NEIGHBOUR_WORDS), urgency="today"))
        # Their own report about someone else.
        open_report(session, report=ReportDetails(relationship="neighbour", who=REPORTED_PERSON, worry="curtains shut for days",
                                                  urgency="soon", reporter_contact=NUMBER, channel="sms"), settings=settings)
        return case.reference


def rasa_conversation(folder: Path) -> None:
    store = SQLTrackerStore(dialect="sqlite", db=str(folder / "rasa-tracker.db"))
    asyncio.run(store.save(DialogueStateTracker.from_events(RESIDENT, [
        ActionExecuted("action_listen", timestamp=10.0),
        UserUttered("I like bowls near Wallasey", {"name": "inform"}, timestamp=11.0),
        SlotSet("interest", "bowls", timestamp=12.0),
        BotUttered("Which area are you in?", timestamp=13.0),
    ])))
    asyncio.run(store.save(DialogueStateTracker.from_events("web:someone-else", [UserUttered("not theirs", timestamp=11.5)])))
    store.engine.dispose()


def test_the_command_line_exports_everything_held_and_leaves_other_people_out(settings: Settings, app_engine: Engine, app_sessions: sessionmaker,
                                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                            capsys: pytest.CaptureFixture) -> None:
    reference = seed(settings, app_sessions)
    rasa_conversation(tmp_path)
    for name, value in {"DATABASE_URL": str(app_engine.url), "VAR_DIR": str(tmp_path), "PHONE_HASH_KEY": HASH_KEY,
                        "PHONE_ENCRYPTION_KEY": SEAL_KEY, "ENVIRONMENT": "test"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("PHONE_HASH_KEY_PREVIOUS", raising=False)
    monkeypatch.delenv("PHONE_ENCRYPTION_KEY_PREVIOUS", raising=False)

    assert sar.main(["--phone", "07700 900555", "--out", str(tmp_path / "sar"), "--by", "Sam Manager"]) == 0

    out = capsys.readouterr().out
    assert NUMBER not in out and "Wallasey" not in out
    html_file, json_file = sorted((tmp_path / "sar").iterdir())
    assert stat.S_IMODE(json_file.stat().st_mode) == 0o600 and stat.S_IMODE(html_file.stat().st_mode) == 0o600
    held = json.loads(json_file.read_text())
    assert held["residents"][0]["phone"] == NUMBER
    assert [c["purpose"] for c in held["consent"]] == ["suggestions"]
    assert [line["who"] for line in held["conversation"]] == ["you", "noted", "us"]
    assert held["conversation"][0]["text"] == "I like bowls near Wallasey"
    assert any("You said: I like bowls" in (m["reply"] or "") for m in held["messages"])
    [case] = held["cases"]
    assert case["reference"] == reference and case["lawful_basis"] == "vital_interests"
    assert case["reasons"][0]["words"] == "i have fallen in the kitchen and cant get up"
    assert case["notes"][0]["text"].startswith("Visited, she is OK")
    assert case["concerns_reported"] == [{"reported_at": case["concerns_reported"][0]["reported_at"], "urgency": "today"}]
    assert [(r["relationship"], r["urgency"], r["asked_to_be_told"]) for r in held["reports_made"]] == [("neighbour", "soon", False)], \
        "their own report only: the concern raised about them is not one of theirs"
    html = html_file.read_text()
    for shown in ("I like bowls near Wallasey", "Which area are you in?", NUMBER, reference, "daughter Jane"):
        assert shown in html, shown
    for withheld in (NEIGHBOUR_NUMBER, NEIGHBOUR_WORDS, "the lady at 4", REPORTED_PERSON, "curtains shut", "Ada Lovelace", "not theirs"):
        assert withheld not in html and withheld not in json_file.read_text(), withheld
    with app_sessions() as session:
        assert session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "subject_access")).one() == "cli:Sam Manager"


def test_what_is_remembered_for_next_time_is_in_the_export(settings: Settings, app_engine: Engine, app_sessions: sessionmaker) -> None:
    bodies = BodyVault.for_settings(settings)
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=RESIDENT, channel="sms")
        assert offer_to_remember(session, sender_id=RESIDENT, interest="bowls", place="CH44 5TN", vault=bodies)
    with app_sessions.begin() as session:
        assert answer_remember_offer(session, sender_id=RESIDENT, text="1") == "yes"
        held = subject_access(session, [RESIDENT], settings=settings)
    [memory] = held.remembered
    assert (memory.interest, memory.place) == ("bowls", "CH44 5TN") and memory.agreed_at is not None
    assert [c.purpose for c in held.consent] == ["remember"]
    export = sar.Export(held, [])
    assert json.loads(sar.to_json(export))["remembered"][0]["place"] == "CH44 5TN"
    html = sar.render_html(export)
    assert "CH44 5TN" in html and "remembering what you like" in html and "CLEAR" in html


def test_check_ins_are_in_the_export_with_what_they_said(settings: Settings, app_engine: Engine, app_sessions: sessionmaker) -> None:
    bodies = BodyVault.for_settings(settings)
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=RESIDENT, channel="sms", phone_encrypted=PhoneVault.for_settings(settings).seal(NUMBER))
        session.add(FollowUp(sender_id=RESIDENT, activity_id="svc", activity_name="Knit and Natter", interest="knitting",
                             place_encrypted=bodies.seal("CH44 5TN"), meets_at=datetime(2026, 12, 8, 10, tzinfo=timezone.utc),
                             state="answered", went=False, reason="transport", answer_encrypted=bodies.seal("no couldnt get a lift"),
                             answered_at=datetime(2026, 12, 9, 10, 5, tzinfo=timezone.utc)))
    with app_sessions() as session:
        held = subject_access(session, [RESIDENT], settings=settings)
    [check_in] = held.check_ins
    assert (check_in.activity, check_in.went, check_in.why_not, check_in.answer, check_in.place) == (
        "Knit and Natter", False, "transport", "no couldnt get a lift", "CH44 5TN")
    export = sar.Export(held, [])
    assert json.loads(sar.to_json(export))["check_ins"][0]["answer"] == "no couldnt get a lift"
    html = sar.render_html(export)
    assert "Knit and Natter" in html and "you did not go (transport)" in html and "no couldnt get a lift" in html


def test_nobody_known_gets_nothing(settings: Settings, app_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"DATABASE_URL": str(app_engine.url), "VAR_DIR": str(tmp_path), "ENVIRONMENT": "test"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    assert sar.main(["--sender", "web:nobody", "--out", str(tmp_path / "sar")]) == 1
    assert not (tmp_path / "sar").exists()


@pytest.mark.postgres
def test_subject_access_on_postgresql(pg_engine: Engine, settings: Settings) -> None:
    sessions = make_sessionmaker(pg_engine)
    settings = dataclasses.replace(settings, database_url=str(pg_engine.url))
    with sessions.begin() as session:
        touch_resident(session, sender_id=RESIDENT, channel="sms", phone_encrypted=PhoneVault(SEAL_KEY).seal(NUMBER))
        touch_resident(session, sender_id=sms_sender_id("+447700900111", key=HASH_KEY), channel="sms")
        open_case(session, sender_id=RESIDENT, priority="high", reasons=[Reason("despair", "r", "SM1", "whats the point")],
                  lawful_basis="vital_interests", settings=settings)
    with sessions() as session:
        held = subject_access(session, [RESIDENT], settings=settings)
    assert [r.phone for r in held.residents] == [NUMBER]
    assert [c.reasons[0].words for c in held.cases] == ["whats the point"]
    assert sar.render_html(sar.Export(held, [])).count("Case WC-") == 1
