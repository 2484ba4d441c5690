"""The commissioners' figures against a seeded fortnight (tests/casework/outcomes_seed.py), on SQLite and
PostgreSQL: totals, each week, each area; the edges of a period in local time; follow-up and
volunteer tables read when they exist; who may read them, and the audit trail."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases.caseload import NotAllowed
from casework.cases.models import AuditEvent
from casework.cases.opening import Reason, open_case
from casework.follow_ups.models import FollowUp
from casework.models import InboundMessage, Resident
from casework.outcomes import DEFAULT_WEEKS, FIGURES, MAX_DAYS, Outcomes, Period, PeriodError, outcomes, period_from
from casework.outcomes.dashboard import api_outcomes, manager_outcomes
from casework.outcomes.local_days import offsets as _offsets
from casework.outcomes.suggestions import record_suggestions
from service.database import make_sessionmaker
from service.settings import Settings
from tests.casework.outcomes_seed import AREAS, END, START, TOTALS, WEEK_1, WEEK_2, WEEKS, seed

LONDON = ZoneInfo("Europe/London")
FORTNIGHT = Period(START, END, LONDON)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue("app_engine" if request.param == "sqlite" else "pg_engine")


@pytest.fixture
def db(engine: Engine) -> sessionmaker:
    return make_sessionmaker(engine)


def figures_of(db: sessionmaker, period: Period = FORTNIGHT) -> Outcomes:
    with db() as session:
        return outcomes(session, period=period)


def test_the_fortnights_totals_match_the_seeded_events(db: sessionmaker, casework_settings: Settings) -> None:
    seed(db, casework_settings)
    found = figures_of(db)
    assert dataclasses.asdict(found.totals) == TOTALS
    # The volunteer table is the bot's good-neighbour sign-ups (casework.good_neighbours): none in this seed.
    assert (found.follow_up_table, found.volunteer_table) == ("follow_up", "volunteer")


def test_each_week_and_each_area_match_and_the_weeks_add_up(db: sessionmaker, casework_settings: Settings) -> None:
    seed(db, casework_settings)
    found = figures_of(db)
    assert [w.starts for w in found.weeks] == [WEEK_1, WEEK_2]
    for week in found.weeks:
        got = dataclasses.asdict(week.figures)
        assert {name: got[name] for name in WEEKS[week.starts]} == WEEKS[week.starts], week.starts
    assert [a.area for a in found.areas] == ["CH41", "CH42", "CH43", None]
    for area in found.areas:
        got = dataclasses.asdict(area.figures)
        assert {name: got[name] for name in AREAS[area.area]} == AREAS[area.area], area.area
        assert got["residents"] is got["conversations"] is got["suggestions"] is got["follow_ups_went"] is None
    additive = [name for name in FIGURES if not name.startswith(("median", "residents")) and not name.endswith("mean_change")]
    for name in additive:
        assert sum(getattr(w.figures, name) for w in found.weeks) == getattr(found.totals, name), name
    for name in (n for n in additive if n not in ("conversations", "suggestions", "follow_ups_went", "follow_ups_did_not_go")):
        assert sum(getattr(a.figures, name) for a in found.areas) == getattr(found.totals, name), name


def test_one_week_alone_and_an_empty_period(db: sessionmaker, casework_settings: Settings) -> None:
    seed(db, casework_settings)
    second = figures_of(db, Period(WEEK_2, END, LONDON))
    got = dataclasses.asdict(second.totals)
    assert {name: got[name] for name in WEEKS[WEEK_2]} == WEEKS[WEEK_2]
    empty = figures_of(db, Period(date(2025, 6, 2), date(2025, 6, 8), LONDON))
    assert empty.areas == ()
    assert empty.totals.residents == empty.totals.cases_opened == empty.totals.doors_knocked == 0
    assert empty.totals.median_seconds_to_acknowledge is None and empty.totals.median_seconds_to_visit is None


def test_a_day_runs_midnight_to_midnight_local_time_in_summer(db: sessionmaker) -> None:
    """In British Summer Time 23:30 UTC is 00:30 the next day: it belongs to the next local day and week."""
    with db.begin() as session:
        session.add(Resident(sender_id="sms:summer", channel="sms"))
        for n, at in enumerate((datetime(2026, 6, 7, 23, 30, tzinfo=timezone.utc),   # Mon 8 June 00:30 local
                                datetime(2026, 6, 8, 22, 30, tzinfo=timezone.utc),   # Mon 8 June 23:30 local
                                datetime(2026, 6, 14, 23, 30, tzinfo=timezone.utc))):  # Mon 15 June: outside
            session.add(InboundMessage(channel="sms", message_id=f"SM-summer-{n}", sender_id="sms:summer", received_at=at,
                                       state="answered"))
    found = figures_of(db, Period(date(2026, 6, 8), date(2026, 6, 14), LONDON))
    assert (found.totals.residents, found.totals.conversations) == (1, 1)
    assert [(w.starts, w.figures.conversations) for w in found.weeks] == [(date(2026, 6, 8), 1)]


def test_the_clocks_changing_moves_no_message_into_the_wrong_day(db: sessionmaker, casework_settings: Settings) -> None:
    """British Summer Time starts at 01:00 UTC on Sunday 29 March 2026: from then 23:30 UTC is 00:30 the next day."""
    moments = (datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc),   # Sun 29 Mar 00:30 GMT
               datetime(2026, 3, 29, 22, 30, tzinfo=timezone.utc),  # Sun 29 Mar 23:30 BST: the same day
               datetime(2026, 3, 29, 23, 30, tzinfo=timezone.utc))  # Mon 30 Mar 00:30 BST: the next day and week
    with db.begin() as session:
        session.add(Resident(sender_id="sms:spring", channel="sms"))
        for n, at in enumerate(moments):
            session.add(InboundMessage(channel="sms", message_id=f"SM-spring-{n}", sender_id="sms:spring", received_at=at,
                                       state="answered"))
            record_suggestions(session, sender_id="sms:spring", activity_ids=[f"svc-{n}"], at=at)
        open_case(session, sender_id="sms:spring", priority="high", reasons=[Reason("scam", "scam:bank_call")],
                  lawful_basis="vital_interests", settings=casework_settings, now=moments[2])
    found = figures_of(db, Period(date(2026, 3, 23), date(2026, 4, 5), LONDON))
    assert (found.totals.residents, found.totals.conversations, found.totals.suggestions) == (1, 2, 3)
    assert [(w.starts, w.figures.residents, w.figures.conversations, w.figures.suggestions, w.figures.cases_opened)
            for w in found.weeks] == [(date(2026, 3, 23), 1, 1, 2, 0), (date(2026, 3, 30), 1, 1, 1, 1)]


def test_the_offset_changes_are_found_to_the_second() -> None:
    lo, hi = Period(date(2026, 1, 1), date(2026, 12, 31), LONDON).bounds()
    pieces = _offsets(int(lo.timestamp()), int(hi.timestamp()), LONDON)
    assert [(datetime.fromtimestamp(at, timezone.utc), offset) for at, offset in pieces] == [
        (lo, 0), (datetime(2026, 3, 29, 1, tzinfo=timezone.utc), 3600), (datetime(2026, 10, 25, 1, tzinfo=timezone.utc), 0)]


def test_answered_check_ins_and_volunteer_sign_ups_are_counted(engine: Engine, db: sessionmaker,
                                                                casework_settings: Settings) -> None:
    """Check-ins count on the day they were answered (casework.follow_ups.check_ins); unanswered ones and answers
    outside the period count nothing; why people did not go is counted over the period. Volunteers are
    read from casework.good_neighbours' table."""
    seed(db, casework_settings)
    volunteer = Table("volunteer", MetaData(), autoload_with=engine)  # casework.good_neighbours' own table
    at = datetime(2026, 1, 8, 11, tzinfo=timezone.utc)
    with db.begin() as session:
        def check_in(sender: str, answered_at: datetime | None, went: bool | None, reason: str | None = None) -> FollowUp:
            return FollowUp(sender_id=sender, activity_id="svc", activity_name="Knit and Natter", meets_at=at - timedelta(days=1),
                            offered_at=at - timedelta(days=3), asked_at=at, answered_at=answered_at, went=went, reason=reason,
                            state="answered" if answered_at else "asked")
        session.add_all([
            check_in("sms:a", at, True),
            check_in("sms:b", at + timedelta(days=7), False, "transport"),
            check_in("sms:c", None, None),  # not answered yet
            check_in("sms:d", at + timedelta(days=30), True),  # after the period
            check_in("sms:e", at + timedelta(days=1), False),  # no reason given
        ])
    with engine.begin() as connection:
        sign_up = {"channel": "sms", "name_encrypted": "x", "area_label": "x", "availability_encrypted": "x", "roles": "visits", "state": "new"}
        connection.execute(volunteer.insert(), [
            {**sign_up, "reference": "GN-10001", "area": "CH43", "created_at": at},
            {**sign_up, "reference": "GN-10002", "area": None, "created_at": at},
            {**sign_up, "reference": "GN-10003", "area": "CH41", "created_at": at - timedelta(days=30)},
        ])
    found = figures_of(db)
    assert (found.follow_up_table, found.volunteer_table) == ("follow_up", "volunteer")
    assert (found.totals.follow_ups_went, found.totals.follow_ups_did_not_go) == (TOTALS["follow_ups_went"] + 1, TOTALS["follow_ups_did_not_go"] + 2)
    assert [(w.figures.follow_ups_went, w.figures.follow_ups_did_not_go) for w in found.weeks] == [(2, 1), (0, 2)]
    assert found.reasons_not_going == (("transport", 2), ("not_said", 1)), "the seed's Bob, and these two"
    assert found.totals.volunteers == TOTALS["volunteers"] + 2
    by_area = {a.area: a.figures.volunteers for a in found.areas}
    assert (by_area["CH43"], by_area[None]) == (AREAS["CH43"]["volunteers"] + 1, 1)


def test_periods_are_read_from_the_dates_given_or_default_to_twelve_weeks() -> None:
    today = date(2026, 3, 11)  # a Wednesday
    assert period_from("2026-01-05", "2026-01-18", today=today, zone=LONDON) == FORTNIGHT
    default = period_from(None, "", today=today, zone=LONDON)
    assert (default.end, default.start, default.start.weekday()) == (today, date(2025, 12, 22), 0)
    assert len(default.week_starts()) == DEFAULT_WEEKS
    for start, end, field, code in (("2026-1-5", None, "from", "not_a_date"), ("yesterday", None, "from", "not_a_date"),
                                    (None, "2026-02-30", "to", "not_a_date"), ("2026-02-01", "2026-01-01", "from", "after_to"),
                                    ("2020-01-01", "2026-01-01", "from", "too_long"),
                                    ("9999-12-30", "9999-12-31", "to", "out_of_range"),  # was an OverflowError: a 500
                                    ("0001-01-01", None, "from", "out_of_range")):
        with pytest.raises(PeriodError) as refused:
            period_from(start, end, today=today, zone=LONDON)
        assert (refused.value.field, refused.value.code) == (field, code)
    assert period_from("2023-01-01", (date(2023, 1, 1) + timedelta(days=MAX_DAYS - 1)).isoformat(), today=today, zone=LONDON)


def test_managers_and_api_callers_read_them_and_every_read_is_audited(db: sessionmaker, casework_settings: Settings) -> None:
    seeded = seed(db, casework_settings)
    with db.begin() as session:
        assert manager_outcomes(session, connector_id=seeded.manager_id, period=FORTNIGHT).totals.cases_opened == 4
        assert api_outcomes(session, actor="api:council crm", period=FORTNIGHT).totals.doors_knocked == 70
    with pytest.raises(NotAllowed), db.begin() as session:
        manager_outcomes(session, connector_id=seeded.connector_id, period=FORTNIGHT)
    with db() as session:
        reads = session.execute(select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "outcomes_read")
                                .order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in reads] == [(f"connector:{seeded.manager_id}", "dashboard: 2026-01-05 to 2026-01-18"),
                                         ("api:council crm", "api: 2026-01-05 to 2026-01-18")]
