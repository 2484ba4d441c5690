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
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.cases.lifecycle import add_note
from casework.cases.models import AuditEvent, Case, Report
from casework.cases.opening import Reason, open_case
from casework.cases.reports import ReportDetails, open_report
from casework.conversation.inbound import BodyVault, mark_answered, record_inbound
from casework.follow_ups.models import FollowUp
from casework.outbox.messages import enqueue_sms
from casework.privacy.subject_access import subject_access
from casework.residents.identity import PhoneVault, sms_sender_id, sms_sender_ids
from casework.residents.memory import answer_remember_offer, offer_to_remember
from casework.residents.records import touch_resident
from channels.intake import Intake
from jobs import subject_access as sar
from service.database import make_sessionmaker
from service.settings import Settings
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import run
from tests.jobs.test_erasure import HASH_KEY, NUMBER, RESIDENT, SEAL_KEY, from_resident, settings_for

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


# A report made by text about a neighbour, as the report form runs it (bot/domain/structure_report.yml,
# tests/conversations/test_report_stories.yml): the answers about the neighbour and the words that
# started the report must not reach the reporter's export; their other answers must.
FIRST_WORDS = "the man across the road hasnt opened his curtains in days"
WHO = "Mr Gribble at number 9"
WHERE = "9 Laird St CH41 8AB"
WORRY = "his milk is still on the step and nobody has seen him since sunday"
# No response repeats an answer today; one that did (a summary, a confirmation) must be left out too.
ECHO = f"Thank you. We will ask a connector to look in on {WHO.lower()}."


def _turn(clock: list[float], text: str | None, *, slots: dict[str, object] | None = None, asks: str | None | bool = None,
          says: tuple[str, ...] = (), loop: str | None | bool = False, action: str = "report_form", intent: str = "inform") -> list[Event]:
    """One turn of the form as Rasa stores it: their message, the form's action and what it set, then our lines
    (`asks`: the question it asks next, None for none; `loop`: the form started or ended; False: not set)."""
    def at() -> float:
        clock[0] += 1
        return clock[0]

    events: list[Event] = [UserUttered(text, {"name": intent}, timestamp=at())] if text is not None else []
    events.append(ActionExecuted(action, timestamp=at()))
    if loop is not False:
        events.append(ActiveLoop(loop, timestamp=at()))  # type: ignore[arg-type]
    events += [SlotSet(name, value, timestamp=at()) for name, value in (slots or {}).items()]
    if asks is not False:
        events.append(SlotSet("requested_slot", asks, timestamp=at()))
    events += [BotUttered(line, timestamp=at()) for line in says]
    events.append(ActionExecuted("action_listen", timestamp=at()))
    return events


def report_events(*, start: str, where: str = WHERE, echo: bool = True, clock: float = 100.0) -> list[Event]:
    """A resident asks about bowls, then reports a neighbour by text, answering every question."""
    c = [clock]
    events = [ActionExecuted("action_listen", timestamp=c[0])]
    events += _turn(c, "I like bowls near Wallasey", slots={"interest": "bowls"}, asks=None, says=("Which area are you in?",),
                    action="activity_search_form")
    events += _turn(c, start, intent="report_concern", loop="report_form", asks="report_who",
                    says=("Thank you for telling us. If anyone is in danger now, call 999. Who are you worried about? A first name or a "
                          "description is fine.",))
    events += _turn(c, WHO, slots={"report_who": WHO}, asks="report_where", says=("Where do they live? Text the street and postcode, or the town.",))
    events += _turn(c, where, slots={"report_where": where}, asks="report_worry", says=("What worries you about them?",))
    events += _turn(c, WORRY, slots={"report_worry": WORRY}, asks="report_urgency", says=("How soon should someone check on them?",))
    events += _turn(c, "today", slots={"report_urgency": "today"}, asks="report_person_knows", says=("Do they know you are telling us?",))
    events += _turn(c, "no", slots={"report_person_knows": "no"}, asks="report_relationship", says=("How do you know them?",))
    events += _turn(c, "neighbour", slots={"report_relationship": "neighbour"}, asks="report_contact",
                    says=("Shall we text you when it has been looked into?",))
    events += _turn(c, "yes", slots={"report_contact": "yes"}, asks=None, loop=None)
    closing = ("Thank you. Your ref is WC-2031. A community connector has been told and will pick it up by 17:00 today.",
               *((ECHO,) if echo else ()), "If anyone is in danger now, call 999.")
    events += _turn(c, None, action="action_open_report", slots={name: None for name in ("report_who", "report_where", "report_worry")},
                    asks=False, says=closing)
    events += _turn(c, "thanks", action="utter_you_are_welcome", asks=False, intent="thank", says=("You're welcome.",))
    events += _turn(c, "bowls in Wallasey please", action="action_search_activities", asks=False,
                    says=("Wallasey Bowls Club meets on Tuesdays at 2pm.",))
    return events


def save_conversation(folder: Path, sender_id: str, events: list[Event]) -> str:
    store = SQLTrackerStore(dialect="sqlite", db=str(folder / "rasa-tracker.db"))
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events)))
    store.engine.dispose()
    return f"sqlite:///{folder / 'rasa-tracker.db'}"


def test_a_report_about_a_neighbour_is_in_their_export_without_the_neighbour(settings: Settings, app_engine: Engine,
                                                                             app_sessions: sessionmaker, tmp_path: Path) -> None:
    tracker = save_conversation(tmp_path, RESIDENT, report_events(start=FIRST_WORDS))
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=RESIDENT, channel="sms", phone_encrypted=PhoneVault(SEAL_KEY).seal(NUMBER))
        # The answer about who, still waiting for its reply when they asked; the answer after, replied to and texted with the echo.
        record_inbound(session, channel="sms", message_id="SM-who", sender_id=RESIDENT, body_encrypted=BodyVault(SEAL_KEY).seal(WHO))
        record_inbound(session, channel="sms", message_id="SM-yes", sender_id=RESIDENT, body_encrypted=BodyVault(SEAL_KEY).seal("yes"))
        mark_answered(session, "SM-yes", state="answered", reply_text=f"Thank you. Your ref is WC-2031.\n{ECHO}")
        enqueue_sms(session, sender_id=RESIDENT, body=f"Thank you. Your ref is WC-2031.\n{ECHO}", purpose="reply", settings=settings)

    found = sar.export(app_sessions, settings, [RESIDENT], numbers=[NUMBER], tracker_urls=[tracker])

    said = [(line.who, line.text) for line in found.conversation]
    assert said == [
        ("you", "I like bowls near Wallasey"), ("us", "Which area are you in?"),
        ("you", sar.LEFT_OUT), ("us", said[3][1]),  # the words that started it are kept with the worry about him
        ("you", sar.LEFT_OUT), ("us", "Where do they live? Text the street and postcode, or the town."),
        ("you", sar.LEFT_OUT), ("us", "What worries you about them?"),
        ("you", sar.LEFT_OUT), ("us", "How soon should someone check on them?"),
        ("you", "today"), ("us", "Do they know you are telling us?"),
        ("you", "no"), ("us", "How do you know them?"),
        ("you", "neighbour"), ("us", "Shall we text you when it has been looked into?"),
        ("you", "yes"),
        ("us", "Thank you. Your ref is WC-2031. A community connector has been told and will pick it up by 17:00 today."),
        ("us", sar.LEFT_OUT), ("us", "If anyone is in danger now, call 999."),
        ("you", "thanks"), ("us", "You're welcome."),
        ("you", "bowls in Wallasey please"), ("us", "Wallasey Bowls Club meets on Tuesdays at 2pm."),
    ]
    assert said[3][1].startswith("Thank you for telling us") and said[3][1].endswith("Who are you worried about? A first name or a description is fine.")
    as_json, as_html = sar.to_json(found), sar.render_html(found)
    held = json.loads(as_json)
    assert [m["text"] for m in held["messages"]] == [sar.LEFT_OUT, None]
    assert [m["reply"] for m in held["messages"]] == [None, sar.LEFT_OUT]
    assert [m["body"] for m in held["sent"]] == [sar.LEFT_OUT]
    for export in (as_json, as_html):
        for kept in ("I like bowls near Wallasey", "neighbour", "Your ref is WC-2031", "Who are you worried about?", "bowls in Wallasey please",
                     "Wallasey Bowls Club"):
            assert kept in export, kept
        for withheld in ("Gribble", "number 9", "Laird", "CH41 8AB", "milk", "curtains", "look in on", "requested_slot", "report_who",
                         "report_form", "/report_concern", "action_", "who-noted", "interest: "):
            assert withheld.lower() not in export.lower(), withheld
    assert "about someone else: left out" in as_html and "their information too" in as_html


def test_a_report_started_by_the_intake_leaves_their_earlier_words_and_only_their_answers_about_him_out(
        settings: Settings, app_engine: Engine, app_sessions: sessionmaker, tmp_path: Path) -> None:
    # The safety screen sends "/report_concern" for the words that start a report: the payload is no words
    # of theirs, and the message before it is not the report's. Where he lives, given as the town they
    # live in too, is left out of their answer and the report, not out of the groups found for them later.
    tracker = save_conversation(tmp_path, RESIDENT, report_events(start="/report_concern", where="Wallasey", echo=False))
    with app_sessions.begin() as session:
        touch_resident(session, sender_id=RESIDENT, channel="sms")

    found = sar.export(app_sessions, settings, [RESIDENT], tracker_urls=[tracker])

    theirs = [line.text for line in found.conversation if line.who == "you"]
    assert theirs == ["I like bowls near Wallasey", sar.LEFT_OUT, sar.LEFT_OUT, sar.LEFT_OUT, "today", "no", "neighbour", "yes", "thanks",
                      "bowls in Wallasey please"]
    assert "Wallasey Bowls Club meets on Tuesdays at 2pm." in [line.text for line in found.conversation]
    assert not any(line.text.startswith("/") for line in found.conversation)


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
    assert [line["who"] for line in held["conversation"]] == ["you", "us"], "what the bot noted (its slots) is its workings, not shown"
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


def test_a_number_is_found_wherever_a_reporter_left_it_and_a_number_nobody_used_holds_nothing(
        settings: Settings, app_engine: Engine, app_sessions: sessionmaker, tmp_path: Path) -> None:
    # A sealed contact cannot be looked up: each report's is opened and compared (bench/subject_access.py
    # times it). Typed with spaces on the web chat it is still their number; an email address never is, even
    # one with their number's digits in it (normalise_uk_number would make a number of those).
    with app_sessions.begin() as session:
        for n, contact in enumerate(("07700 900 555", "jo.07700900555@example.org", "+447700900556")):
            open_report(session, report=ReportDetails(relationship=("friend", "family", "neighbour")[n], who=REPORTED_PERSON, worry="curtains shut",
                                                      urgency="soon", reporter_contact=contact, notify_on_close=True, channel="webchat"),
                        settings=settings)
    tracker = save_conversation(tmp_path, "web:someone-else", [UserUttered("not theirs", timestamp=1.0)])

    def export_for(number: str) -> sar.Export:
        return sar.export(app_sessions, settings, list(sms_sender_ids(number, settings)), numbers=[number], tracker_urls=[tracker])

    held_only_as_a_contact = export_for(NUMBER)
    assert held_only_as_a_contact.found and [r.relationship for r in held_only_as_a_contact.held.reports_made] == ["friend"]
    assert not held_only_as_a_contact.held.residents and held_only_as_a_contact.conversation == []
    nobody = export_for("+447700900001")
    assert not nobody.found and nobody.held.reports_made == [] and nobody.conversation == []


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
