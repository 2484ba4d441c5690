"""Reports by neighbours, the case lifecycle, and the note to a reporter when the case is closed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.cases.acknowledgement import acknowledge_case
from casework.cases.audit import trail
from casework.cases.lifecycle import WrongState, add_note, assign_case, close_case, plan_visit, record_visit
from casework.cases.models import Case, Report
from casework.cases.opening import CaseworkError
from casework.cases.reading import case_detail, case_file
from casework.cases.reports import ReportDetails, open_report
from casework.models import Resident
from casework.outbox.messages import OutboxMessage
from casework.texts import all_texts
from service.text import is_gsm

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
CURTAINS = ReportDetails(
    relationship="neighbour", who="Mr Jones at number 12", street="12 Laird Street", postcode="ch41 8ab",
    worry="hasnt opened his curtains in days and his milk is still on the step", urgency="today", person_knows=False,
    reporter_contact="07700 900555", notify_on_close=True, channel="sms", message_id="SMreport1",
)


@pytest.fixture
def team(add_connector):
    return {"jo": add_connector("Jo Connector", "07700 900001", patch="CH41"),
            "mo": add_connector("Mo Manager", "07700 900100", role="manager")}


def report(sessions, settings, details=CURTAINS):
    with sessions.begin() as session:
        return open_report(session, report=details, settings=settings, now=NOW)


def test_a_report_opens_a_third_party_case_and_alerts(sessions, casework_settings, team):
    opened = report(sessions, casework_settings)
    assert opened.priority == "high" and not opened.reused and opened.connector_alerted
    assert opened.acknowledge_by == NOW + timedelta(hours=1)
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert (case.subject_kind, case.sender_id, case.area, case.source, case.lawful_basis) == (
            "third_party", None, "CH41", "report", "public_task")
        stored = session.scalars(select(Report)).one()
        assert "Jones" not in stored.who_encrypted and "Laird" not in stored.street_encrypted
        assert "900555" not in (stored.reporter_contact_encrypted or "")
        sms = session.get(OutboxMessage, opened.alerts_queued[0].outbox_message_id)
    assert "someone is worried about a person" in sms.body and "Jones" not in sms.body and "curtains" not in sms.body
    with sessions.begin() as session:
        file = case_file(session, opened.reference, viewed_by=f"connector:{team['jo']}", settings=casework_settings)
    assert file.subject == "Mr Jones at number 12"
    [seen] = file.reports
    assert (seen.who, seen.street, seen.worry, seen.person_knows) == (
        "Mr Jones at number 12", "12 Laird Street", CURTAINS.worry, False)


def test_two_reports_about_someone_are_two_cases(sessions, casework_settings, team):
    # The person is not identified, so nothing can be merged safely; a connector links them.
    assert report(sessions, casework_settings).reference != report(sessions, casework_settings).reference


@pytest.mark.parametrize("urgency, priority, basis", [("now", "urgent", "vital_interests"), ("soon", "routine", "public_task")])
def test_urgency_sets_the_priority(sessions, casework_settings, team, urgency, priority, basis):
    from dataclasses import replace

    opened = report(sessions, casework_settings, replace(CURTAINS, urgency=urgency))
    with sessions() as session:
        case = session.scalars(select(Case)).one()
    assert opened.priority == case.priority == priority and case.lawful_basis == basis


def test_reports_are_checked(sessions, casework_settings):
    from dataclasses import replace

    for wrong in (replace(CURTAINS, urgency="whenever"), replace(CURTAINS, who=" "),
                  replace(CURTAINS, reporter_contact="ring the shop"), replace(CURTAINS, reporter_contact=None)):
        with sessions.begin() as session, pytest.raises(CaseworkError):
            open_report(session, report=wrong, settings=casework_settings)


def test_the_whole_lifecycle_is_audited_and_the_reporter_is_told_nothing_private(sessions, casework_settings, team, vault):
    opened = report(sessions, casework_settings)
    ref, jo, mo = opened.reference, team["jo"], team["mo"]
    with sessions.begin() as session, pytest.raises(WrongState):
        plan_visit(session, reference=ref, at=NOW + timedelta(days=1), by=jo)
    with sessions.begin() as session:
        acknowledge_case(session, reference=ref, connector_id=jo, via="console", now=NOW + timedelta(minutes=5))
    with sessions.begin() as session:
        assert assign_case(session, reference=ref, connector_id=mo, by=mo) == "Mo Manager"
        plan_visit(session, reference=ref, at=NOW + timedelta(days=1), by=mo)
        record_visit(session, reference=ref, by=mo, at=NOW + timedelta(days=1, hours=1))
        add_note(session, reference=ref, text="Mr J had a fall, now with his daughter", by=mo, settings=casework_settings)
        closed = close_case(session, reference=ref, outcome="referred_on", by=mo, settings=casework_settings)
    assert closed.reporters_notified == 1
    with sessions() as session:
        detail = case_detail(session, ref)
        note = session.execute(select(OutboxMessage).where(OutboxMessage.purpose == "report_closed")).scalar_one()
        reporter = session.scalars(select(Resident).where(Resident.sender_id == note.recipient_sender_id)).one()
    assert (detail.state, detail.outcome, detail.owner, detail.acknowledged_by) == ("closed", "referred_on", "Mo Manager",
                                                                                    "Jo Connector")
    assert detail.visit_planned_for and detail.visited_at and detail.closed_at
    assert vault.open(reporter.phone_encrypted) == "+447700900555"
    assert note.body == all_texts()["texts"]["report_closed_sms"].format(reference=ref)
    for private in ("Jones", "fall", "daughter", "referred", "curtains"):
        assert private not in note.body
    actions = [e.action for e in _trail(sessions, ref)]
    assert actions == ["opened", "alerted", "report_recorded", "acknowledged", "assigned", "visit_planned", "visited",
                       "note_added", "closed", "reporter_notified"]
    assert "fall" not in repr(_trail(sessions, ref))
    with sessions.begin() as session, pytest.raises(WrongState):
        close_case(session, reference=ref, outcome="supported", by=mo, settings=casework_settings)


def test_a_reporter_who_left_an_email_gets_an_email(sessions, casework_settings, team):
    from dataclasses import replace

    opened = report(sessions, casework_settings, replace(CURTAINS, reporter_contact="kim@example.org"))
    with sessions.begin() as session:
        close_case(session, reference=opened.reference, outcome="supported", by=team["jo"], settings=casework_settings)
    with sessions() as session:
        note = session.execute(select(OutboxMessage).where(OutboxMessage.purpose == "report_closed")).scalar_one()
    assert note.channel == "email" and note.recipient_encrypted == "kim@example.org" and opened.reference in note.subject


def test_a_reporter_who_did_not_ask_hears_nothing(sessions, casework_settings, team):
    from dataclasses import replace

    opened = report(sessions, casework_settings, replace(CURTAINS, notify_on_close=False))
    with sessions.begin() as session:
        assert close_case(session, reference=opened.reference, outcome="supported", by=team["jo"],
                          settings=casework_settings).reporters_notified == 0


def test_closing_an_unacknowledged_case_stops_its_alerts(sessions, casework_settings, team):
    opened = report(sessions, casework_settings)
    with sessions.begin() as session:
        close_case(session, reference=opened.reference, outcome="duplicate", by=team["mo"], settings=casework_settings)
    with sessions() as session:
        detail = case_detail(session, opened.reference)
        alerts = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "alert")).all()
    assert {a.state for a in detail.alerts} == {"superseded"}
    assert {m.state for m in alerts} == {"expired"}


def test_every_text_is_gsm7_and_every_alert_fits_one_segment():
    texts = all_texts()
    for name, text in texts["texts"].items():
        if "email" not in name:
            assert is_gsm(text), name
    for word in (*texts["priorities"].values(), *texts["reasons"].values()):
        assert is_gsm(word)
    longest_reason = max(texts["reasons"].values(), key=len)
    for name in ("alert_sms", "alert_sms_no_area"):
        body = texts["texts"][name].format(priority="High priority", reference="WC-123456", area="CH41",
                                           reason=longest_reason)
        assert len(body) <= 160, body


def _trail(sessions, reference):
    with sessions() as session:
        return trail(session, reference)
