"""A reporter's contact: typed on the web, or an SMS reporter's own number copied sealed from their
resident record; and the time a report will be picked up by, as the reply states it."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.cases.lifecycle import close_case
from casework.cases.models import Report
from casework.cases.opening import CaseOpened, CaseworkError
from casework.cases.reading import case_file
from casework.cases.reports import ReportDetails, check_reporter_contact, open_report, pick_up_by
from casework.outbox.messages import OutboxMessage

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # a Wednesday; London is on GMT
BY_TEXT = ReportDetails(relationship="shop_worker", who="the lady who buys the paper", worry="not been in all week",
                        urgency="today", street="Church Road", postcode="CH44 5TN", person_knows=None, channel="sms",
                        message_id="SMbytext1")


@pytest.fixture
def jo(add_connector):
    return add_connector("Jo Connector", "07700 900001", patch="CH44")


def test_an_sms_reporter_who_says_yes_is_texted_on_their_own_number_when_the_case_closes(
        sessions, casework_settings, add_resident, vault, jo):
    reporter = add_resident("+447700900777")
    with sessions.begin() as session:
        opened = open_report(session, report=replace(BY_TEXT, reporter_sender_id=reporter, notify_on_close=True),
                             settings=casework_settings, now=NOW)
    with sessions() as session:
        stored = session.scalars(select(Report)).one()
    assert stored.notify_on_close and stored.reporter_contact_encrypted and "900777" not in stored.reporter_contact_encrypted
    with sessions.begin() as session:
        file = case_file(session, opened.reference, viewed_by=f"connector:{jo}", settings=casework_settings)
        assert file.reports[0].reporter_contact == "+447700900777"  # the connector can ring them back
        close_case(session, reference=opened.reference, outcome="supported", by=jo, settings=casework_settings)
    with sessions() as session:
        note = session.execute(select(OutboxMessage).where(OutboxMessage.purpose == "report_closed")).scalar_one()
    assert note.recipient_sender_id == reporter, "the reporter's own resident record: their STOP is honoured"
    assert "paper" not in note.body


def test_a_typed_contact_wins_over_the_sender(sessions, casework_settings, add_resident, jo):
    reporter = add_resident("+447700900778")
    with sessions.begin() as session:
        opened = open_report(session, report=replace(BY_TEXT, reporter_sender_id=reporter, reporter_contact="kim@example.org",
                                                     notify_on_close=True), settings=casework_settings, now=NOW)
        [seen] = case_file(session, opened.reference, viewed_by="test", settings=casework_settings).reports
    assert seen.reporter_contact == "kim@example.org"


def test_a_sender_with_no_number_on_record_cannot_ask_to_be_texted(sessions, casework_settings, jo):
    with sessions.begin() as session, pytest.raises(CaseworkError):
        open_report(session, report=replace(BY_TEXT, reporter_sender_id="web:abc", notify_on_close=True),
                    settings=casework_settings, now=NOW)
    with sessions.begin() as session:  # without asking, the report is recorded with no contact
        open_report(session, report=replace(BY_TEXT, reporter_sender_id="web:abc"), settings=casework_settings, now=NOW)
        assert session.scalars(select(Report.reporter_contact_encrypted)).one() is None


@pytest.mark.parametrize(("contact", "kind"), [("07700 900123", "sms"), ("+44 7700 900123", "sms"), ("kim@example.org", "email"),
                                               (" Kim.Jones@council.gov.uk ", "email")])
def test_contacts_a_reporter_may_leave(contact, kind):
    assert check_reporter_contact(contact) == kind


@pytest.mark.parametrize("contact", ["ring the shop", "kim@", "@example.org", "kim at example dot org", "12", "", "a@b"])
def test_contacts_that_are_neither_a_number_nor_an_address(contact):
    with pytest.raises(CaseworkError):
        check_reporter_contact(contact)


def test_a_high_report_is_picked_up_within_the_hour_today(sessions, casework_settings, jo):
    with sessions.begin() as session:
        opened = open_report(session, report=BY_TEXT, settings=casework_settings, now=NOW)
    when = pick_up_by(opened, casework_settings, now=NOW)
    assert when is not None
    assert (when.time, when.today, when.day) == ("3:00pm", True, "Wednesday 25 November")


def test_a_routine_report_on_friday_afternoon_is_picked_up_on_monday(sessions, casework_settings, jo):
    friday = datetime(2026, 11, 27, 16, 30, tzinfo=timezone.utc)
    with sessions.begin() as session:
        opened = open_report(session, report=replace(BY_TEXT, urgency="soon"), settings=casework_settings, now=friday)
    when = pick_up_by(opened, casework_settings, now=friday)
    assert when is not None and not when.today
    assert (when.time, when.day) == ("4:30pm", "Monday 30 November")


def test_summer_time_is_shown_as_london_time(casework_settings):
    june = datetime(2026, 6, 10, 11, 5, tzinfo=timezone.utc)
    opened = _opened_due(june + timedelta(minutes=10))
    when = pick_up_by(opened, casework_settings, now=june)
    assert when is not None and (when.time, when.today) == ("12:15pm", True)


def test_with_nobody_alerted_no_time_is_promised(sessions, casework_settings):
    with sessions.begin() as session:
        opened = open_report(session, report=BY_TEXT, settings=casework_settings, now=NOW)
    assert not opened.connector_alerted and pick_up_by(opened, casework_settings, now=NOW) is None


def _opened_due(due: datetime) -> CaseOpened:
    from casework.cases.alerts import AlertQueued

    return CaseOpened("WC-12345", "urgent", "new", reused=False, connector_alerted=True,
                      alerts_queued=[AlertQueued(1, "Jo", "sms", 1, due, 1)])


@pytest.mark.postgres
def test_an_sms_reporters_number_is_copied_and_used_on_postgres(pg_engine, casework_settings):
    from casework.cases.connectors import add_connector
    from casework.models import Resident
    from casework.residents.identity import PhoneVault, sms_sender_id
    from service.database import make_sessionmaker
    from tests.casework.conftest import ENCRYPTION_KEY, HASH_KEY

    sessions = make_sessionmaker(pg_engine)
    reporter = sms_sender_id("+447700900779", key=HASH_KEY)
    with sessions.begin() as session:
        jo = add_connector(session, name="Jo Connector", phone="07700 900001", email="jo@council.example", patch="CH44",
                           settings=casework_settings).id
        session.add(Resident(sender_id=reporter, channel="sms", opted_out=False,
                             phone_encrypted=PhoneVault(ENCRYPTION_KEY).seal("+447700900779")))
    with sessions.begin() as session:
        opened = open_report(session, report=replace(BY_TEXT, reporter_sender_id=reporter, notify_on_close=True),
                             settings=casework_settings, now=NOW)
    assert pick_up_by(opened, casework_settings, now=NOW) is not None
    with sessions.begin() as session:
        assert close_case(session, reference=opened.reference, outcome="supported", by=jo,
                          settings=casework_settings).reporters_notified == 1
    with sessions() as session:
        note = session.execute(select(OutboxMessage).where(OutboxMessage.purpose == "report_closed")).scalar_one()
    assert note.recipient_sender_id == reporter
