"""action_open_report (actions/open_report.py): the finished report form becomes casework's report and
a case, against a real SQLite database with a connector on duty; trackers built inline."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, select

from actions import database
from actions.open_report import ActionOpenReport, report_from
from actions.slots import REPORT_SLOTS
from casework.cases.connectors import add_connector
from casework.cases.models import Case, Connector, Report
from casework.conversation.inbound import BodyVault
from casework.models import Resident
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import PhoneVault
from casework.safety.numbers import SAFETY_NUMBERS
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from tests.actions.conftest import ENCRYPTION_KEY, HASH_KEY, REPORTER, SMS_SENDER, WEB_SENDER, report_tracker

# Today or tomorrow depends on the clock (a high report made at 23:30 is picked up tomorrow).
OPENED = "utter_report_opened"
FILLED = {"report_who": "mr jones at number 12", "report_where": "12 laird st ch41 8ab",
          "report_worry": "his milk is still on the step", "report_urgency": "today", "report_person_knows": "no",
          "report_relationship": "neighbour", "report_contact": "yes"}


# Named as tests/actions/conftest.py's autouse fixture, so every test here gets this database instead.
@pytest.fixture
def action_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(url)
    upgrade_engine(engine)
    for name, value in {"DATABASE_URL": url, "PHONE_HASH_KEY": HASH_KEY, "PHONE_ENCRYPTION_KEY": ENCRYPTION_KEY,
                        "ENVIRONMENT": "test", "VAR_DIR": str(tmp_path), "OUTBOX_PATH": str(tmp_path / "outbox.log")}.items():
        monkeypatch.setenv(name, value)
    database.sessions.cache_clear()
    database.settings.cache_clear()
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        add_connector(session, name="Jo Connector", phone="07700 900001", email="jo@council.example", patch="CH41",
                      settings=database.settings())
        # The intake has already met this texter: their number is on their resident record, sealed.
        session.add(Resident(sender_id=SMS_SENDER, channel="sms", opted_out=False,
                             phone_encrypted=PhoneVault(ENCRYPTION_KEY).seal(REPORTER)))
    yield sessions
    database.sessions.cache_clear()
    database.settings.cache_clear()
    engine.dispose()


def run_open(slots: dict[str, Any], **kwargs: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionOpenReport().run(dispatcher, report_tracker(slots, **kwargs), {}))
    return dispatcher.messages, events


def said(messages: list[dict[str, Any]]) -> list[str]:
    """The responses' names, with "opened today" and "opened later" as one."""
    return [OPENED if m["response"].startswith(OPENED) else m["response"] for m in messages]


def test_a_texted_report_opens_a_case_and_the_reply_gives_the_reference_and_the_time(action_database) -> None:
    messages, events = run_open(FILLED)
    assert said(messages) == [OPENED, "utter_report_will_tell_you"], "999 was said once, at the start"
    assert re.fullmatch(r"WC-\d{5}", messages[0]["reference"])
    assert re.fullmatch(r"\d{1,2}:\d{2}(am|pm)", messages[0]["time"])
    assert events == [SlotSet(slot, None) for slot in REPORT_SLOTS], "a second report starts afresh"
    with action_database() as session:
        case = session.scalars(select(Case)).one()
        report = session.scalars(select(Report)).one()
        alerts = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "alert")).all()
    assert (case.reference, case.priority, case.area, case.subject_kind) == (messages[0]["reference"], "high", "CH41", "third_party")
    assert (report.channel, report.reporter_relationship, report.urgency, report.person_knows, report.notify_on_close) == (
        "sms", "neighbour", "today", False, True)
    # The reporter's own number, copied sealed from their resident record (the action never saw it).
    assert BodyVault(ENCRYPTION_KEY).open(report.reporter_contact_encrypted) == REPORTER
    assert alerts and all("jones" not in a.body.lower() for a in alerts)


def user(text: str, intent: str = "inform") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


STARTED = {"event": "active_loop", "name": "report_form"}


def test_the_message_that_started_the_report_is_kept_with_the_worry(action_database) -> None:
    # Answers are often classified report_concern too: the first message is the one before the form.
    events = [user("hello", "greet"), user("the man across the road hasnt opened his curtains in days", "report_concern"), STARTED,
              user("mr jones at number 12", "report_concern"), user("12 laird st ch41 8ab", "report_concern")]
    details = report_from(report_tracker(FILLED, events=events))
    assert details.worry == "the man across the road hasnt opened his curtains in days\nhis milk is still on the step"
    assert (details.postcode, details.street) == ("CH41 8AB", "12 laird st ch41 8ab")
    assert report_from(report_tracker(FILLED, events=[user("/report_concern", "report_concern"), STARTED])).worry == FILLED["report_worry"]


def test_a_web_chat_reporter_who_leaves_an_email_is_emailed_and_one_who_says_no_is_not(action_database) -> None:
    messages, _ = run_open({**FILLED, "report_contact": "kim@example.org"}, sender_id=WEB_SENDER)
    assert "utter_report_will_tell_you" in [m["response"] for m in messages]
    messages, _ = run_open({**FILLED, "report_contact": "no"}, sender_id=WEB_SENDER)
    assert "utter_report_will_tell_you" not in [m["response"] for m in messages]
    with action_database() as session:
        reports = session.scalars(select(Report).order_by(Report.id)).all()
    assert [(r.channel, r.notify_on_close, r.reporter_contact_encrypted is not None) for r in reports] == [
        ("webchat", True, True), ("webchat", False, False)]


def test_an_sms_reporter_who_says_no_leaves_no_contact(action_database) -> None:
    messages, _ = run_open({**FILLED, "report_contact": "no"})
    assert said(messages) == [OPENED]
    with action_database() as session:
        assert session.scalars(select(Report.reporter_contact_encrypted)).one() is None


def test_a_texter_with_no_number_on_record_still_gets_their_report_opened(action_database) -> None:
    messages, _ = run_open(FILLED, sender_id="sms:" + "0" * 32)
    assert said(messages) == [OPENED], "no promise to text"
    with action_database() as session:
        assert session.scalars(select(Report.notify_on_close)).one() is False


def test_with_no_connector_the_reply_promises_no_time(action_database) -> None:
    with action_database.begin() as session:
        session.execute(delete(Connector))
    messages, _ = run_open({**FILLED, "report_urgency": "soon"})
    assert said(messages) == ["utter_report_recorded", "utter_report_will_tell_you"]


def test_when_the_database_fails_the_reporter_is_told_and_given_999(action_database, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")  # every query fails
    database.sessions.cache_clear()
    messages, events = run_open(FILLED)
    assert [m["response"] for m in messages] == ["utter_report_not_saved"]
    assert messages[0]["emergency"] == SAFETY_NUMBERS["emergency"]


# A chat report keeps the reporter's answer to "Do they know you are telling us?" as given (issue 17):
# "not sure" reaches casework as not_sure, not as a yes/no left empty (which reads as "not asked").
WEB_FILLED = {"report_who": "mr jones at number 12", "report_where": "12 laird st ch41 8ab", "report_worry": "milk on the step",
              "report_urgency": "soon", "report_relationship": "neighbour", "report_contact": "no"}


@pytest.mark.parametrize("knows, answer, as_bool", [("not_sure", "not_sure", None), ("yes", "yes", True), ("no", "no", False),
                                                    (None, None, None)])
def test_the_answer_reaches_casework_as_given(knows: str | None, answer: str | None, as_bool: bool | None) -> None:
    details = report_from(report_tracker({**WEB_FILLED, "report_person_knows": knows}, sender_id=WEB_SENDER))
    assert (details.person_knows_answer, details.person_knows, details.postcode) == (answer, as_bool, "CH41 8AB")
