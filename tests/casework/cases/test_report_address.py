"""A report's full address (issue 17): the street and the full postcode are kept sealed for the connector
who visits, the district alone routes the case, and both go with the case (minimised or purged). The
reporter's answers are kept as chosen: "not sure" is not "not asked"."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import select, text

from casework.cases.lifecycle import close_case
from casework.cases.models import Case, Report
from casework.cases.opening import CaseworkError
from casework.cases.reading import case_file
from casework.cases.reports import ANSWER_WORDS, ReportDetails, open_report
from casework.conversation.inbound import BodyVault
from casework.privacy.removal import minimise_cases
from casework.privacy.retention import purge_casework, retention_policy
from service.database import make_engine
from service.migrate import alembic_config

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
LAIRD = ReportDetails(
    relationship="shop_worker", who="Mr Jones", street="12 Laird Street", postcode="ch41 8ab",
    worry="not been in for his paper all week", urgency="soon", person_knows_answer="not_sure", channel="web_form",
)


@pytest.fixture
def jo(add_connector):
    return add_connector("Jo Connector", "07700 900001", patch="CH41")


def opened(sessions, settings, details=LAIRD):
    with sessions.begin() as session:
        return open_report(session, report=details, settings=settings, now=NOW).reference


def stored(sessions, reference):
    with sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        return case, session.scalars(select(Report).where(Report.case_id == case.id)).one()


def test_the_full_postcode_is_sealed_and_the_district_routes_the_case(sessions, casework_settings, jo):
    reference = opened(sessions, casework_settings)
    case, report = stored(sessions, reference)
    assert (case.area, report.area) == ("CH41", "CH41"), "the district, in the clear, is what routes it"
    for sealed in (report.postcode_encrypted, report.street_encrypted):
        assert sealed and "8AB" not in sealed.upper() and "LAIRD" not in sealed.upper()
    vault = BodyVault.for_settings(casework_settings)
    assert (vault.open(report.street_encrypted), vault.open(report.postcode_encrypted)) == ("12 Laird Street", "CH41 8AB")
    with sessions.begin() as session:
        file = case_file(session, reference, viewed_by=f"connector:{jo}", settings=casework_settings)
    [seen] = file.reports
    assert (seen.street, seen.postcode, seen.area) == ("12 Laird Street", "CH41 8AB", "CH41")


def test_a_district_alone_keeps_no_postcode_of_its_own(sessions, casework_settings, jo):
    _, report = stored(sessions, opened(sessions, casework_settings, replace(LAIRD, postcode="CH41")))
    assert (report.area, report.postcode_encrypted) == ("CH41", None)


@pytest.mark.parametrize("details, answer, knows", [
    (LAIRD, "not_sure", None),
    (replace(LAIRD, person_knows_answer="yes"), "yes", True),
    (replace(LAIRD, person_knows_answer=None, person_knows=False), "no", False),  # a caller with only the yes/no
    (replace(LAIRD, person_knows_answer=None, person_knows=None), None, None),  # not asked at all
])
def test_the_answer_is_kept_as_chosen(sessions, casework_settings, jo, details, answer, knows):
    reference = opened(sessions, casework_settings, details)
    _, report = stored(sessions, reference)
    assert (report.person_knows_answer, report.person_knows, report.urgency) == (answer, knows, "soon")
    with sessions.begin() as session:
        [seen] = case_file(session, reference, viewed_by=f"connector:{jo}", settings=casework_settings).reports
    assert seen.person_knows_answer == answer


def test_an_answer_that_is_not_one_of_the_choices_is_refused(sessions, casework_settings):
    with sessions.begin() as session, pytest.raises(CaseworkError):
        open_report(session, report=replace(LAIRD, person_knows_answer="perhaps"), settings=casework_settings, now=NOW)


def test_the_words_are_the_ones_the_reporter_was_offered():
    assert ANSWER_WORDS["urgency"]["soon"] == "This week" and ANSWER_WORDS["person_knows"]["not_sure"] == "Not sure"


def test_a_minimised_case_keeps_no_address(sessions, casework_settings, jo):
    reference = opened(sessions, casework_settings)
    case, _ = stored(sessions, reference)
    with sessions.begin() as session:
        minimise_cases(session.connection(), [case.id], casework_settings)
    _, report = stored(sessions, reference)
    assert (report.street_encrypted, report.postcode_encrypted, report.area) == (None, None, "CH41")


def test_the_address_goes_with_the_case_when_its_retention_ends(sessions, casework_settings, jo):
    reference = opened(sessions, casework_settings)
    with sessions.begin() as session:
        close_case(session, reference=reference, outcome="supported", by=jo, settings=casework_settings, now=NOW)
    policy = retention_policy(casework_settings)
    with sessions.begin() as session:
        purge_casework(session, policy=policy, now=NOW + policy.closed_case - timedelta(days=1))
    assert stored(sessions, reference)[1].postcode_encrypted, "kept until its period ends"
    with sessions.begin() as session:
        purged = purge_casework(session, policy=policy, now=NOW + policy.closed_case + timedelta(days=1))
    assert purged.rows["report"] == 1
    with sessions() as session:
        assert session.scalars(select(Report)).all() == []


def test_the_migration_reads_each_earlier_answer(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0018_reply_sid")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO case_record (id, reference, subject_kind, priority, state, source, lawful_basis, "
                                "created_at, updated_at, alert_version) VALUES (1, 'WC-10001', 'third_party', 'routine', "
                                "'new', 'report', 'public_task', :at, :at, 0)"), {"at": NOW})
        for knows in (True, False, None):
            connection.execute(text("INSERT INTO report (case_id, channel, reporter_relationship, who_encrypted, worry_encrypted, "
                                    "urgency, person_knows, notify_on_close, created_at) VALUES (1, 'web_form', 'neighbour', "
                                    "'x', 'x', 'soon', :knows, 0, :at)"), {"knows": knows, "at": NOW})
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0019_report_address")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT person_knows_answer, postcode_encrypted FROM report ORDER BY id")).all()
    # Before this every way in required an answer and turned "not sure" into NULL.
    assert [tuple(r) for r in rows] == [("yes", None), ("no", None), ("not_sure", None)]
    engine.dispose()


def test_a_finished_report_lets_the_reporters_next_worry_start_a_new_one(sessions, casework_settings) -> None:
    """The intake treats worries within 30 minutes of starting a report as its answers; once the report
    is recorded, the next worry is a new report, with its opening (and its 999) again."""
    from casework.cases.triage import REPORT_FLAG, report_in_progress
    from casework.residents.flags import raise_flag

    with sessions.begin() as session:
        raise_flag(session, sender_id="sms:reporter", reason=REPORT_FLAG, source="safety_screen")
        assert report_in_progress(session, "sms:reporter")
        open_report(session, report=ReportDetails(relationship="neighbour", who="the man at 4", worry="not seen him for days",
                                                  urgency="soon", postcode="CH41 8AB", reporter_sender_id="sms:reporter"),
                    settings=casework_settings)
        assert not report_in_progress(session, "sms:reporter")
