"""The counts behind the outcomes, read from the tables that record each kind of event (messages, suggestions,
cases and their reasons, reports, door-knocks, "did you go?" answers, volunteers, befriending matches) and
added to the period's tallies by the local day each happened and, where one is kept, its postcode district.
Read-only; casework.outcomes' docstring says what each figure counts."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import MetaData, Table, func, inspect, select
from sqlalchemy.orm import Session

from casework.befriending.tables import BefriendingMatch, BefriendingRequest
from casework.cases.models import Case, CaseReason, Report, Volunteer
from casework.follow_ups.models import FollowUp
from casework.models import InboundMessage, Resident, as_utc
from casework.outcomes.figures import Tallies
from casework.outcomes.local_days import LocalDays
from casework.outcomes.models import DoorKnock, Suggestion

__all__ = ["REQUEST_CATEGORIES", "SCAM_CATEGORIES", "VOLUNTEER_TABLES", "count_messages", "count_suggestions", "count_cases",
           "count_reasons", "count_reports", "count_door_knocks", "count_follow_ups", "count_volunteers", "count_volunteers_ready",
           "count_befriending_matches"]

REQUEST_CATEGORIES = ("request",)
SCAM_CATEGORIES = ("scam", "doorstep")
VOLUNTEER_TABLES = ("volunteer",)


def _seconds(later: datetime, earlier: datetime) -> float:
    return ((as_utc(later) or later) - (as_utc(earlier) or earlier)).total_seconds()


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def count_messages(session: Session, tallies: Tallies, days: LocalDays, lo: datetime, hi: datetime) -> None:
    conversations = (
        select(InboundMessage.sender_id.label("sender_id"), days.day(InboundMessage.received_at).label("day"))
        .join(Resident, Resident.sender_id == InboundMessage.sender_id)
        .where(InboundMessage.received_at >= lo, InboundMessage.received_at < hi)
        .distinct().subquery()
    )
    week = days.week(conversations.c.day).label("week")
    by_week = select(week, func.count(func.distinct(conversations.c.sender_id)), func.count()).group_by(week)
    for monday, residents, count in session.execute(by_week):
        tally = tallies.weeks[_date(monday)]
        tally.residents, tally.conversations = int(residents), int(count)
        tallies.total.conversations += int(count)
    # Who wrote at all needs no local days: counted straight from the messages.
    tallies.total.residents = int(session.scalar(
        select(func.count(func.distinct(InboundMessage.sender_id)))
        .join(Resident, Resident.sender_id == InboundMessage.sender_id)
        .where(InboundMessage.received_at >= lo, InboundMessage.received_at < hi)
    ) or 0)


def count_suggestions(session: Session, tallies: Tallies, days: LocalDays, lo: datetime, hi: datetime) -> None:
    made = select(days.day(Suggestion.at).label("day")).where(Suggestion.at >= lo, Suggestion.at < hi).subquery()
    for day, count in session.execute(select(made.c.day, func.count()).group_by(made.c.day)):
        for tally in tallies.at(_date(day), by_area=False):
            tally.suggestions += int(count)


def count_cases(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> None:
    for area, created_at in session.execute(select(Case.area, Case.created_at).where(Case.created_at >= lo, Case.created_at < hi)):
        for tally in tallies.at(tallies.local_day(created_at), area):
            tally.cases_opened += 1
    for area, created_at, at in session.execute(
        select(Case.area, Case.created_at, Case.acknowledged_at).where(Case.acknowledged_at >= lo, Case.acknowledged_at < hi)
    ):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.cases_acknowledged += 1
            tally.to_acknowledge.append(_seconds(at, created_at))
    for area, created_at, at in session.execute(
        select(Case.area, Case.created_at, Case.visited_at).where(Case.visited_at >= lo, Case.visited_at < hi)
    ):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.cases_visited += 1
            tally.to_visit.append(_seconds(at, created_at))
    for area, at in session.execute(select(Case.area, Case.closed_at).where(Case.closed_at >= lo, Case.closed_at < hi)):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.cases_closed += 1


def count_reasons(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> None:
    rows = session.execute(
        select(CaseReason.case_id, CaseReason.category, CaseReason.raised_at, Case.area)
        .join(Case, Case.id == CaseReason.case_id)
        .where(CaseReason.category.in_(REQUEST_CATEGORIES + SCAM_CATEGORIES), CaseReason.raised_at >= lo,
               CaseReason.raised_at < hi)
    )
    first: dict[tuple[int, str], tuple[datetime, str | None]] = {}
    for case_id, category, raised_at, area in rows:
        kind = "request" if category in REQUEST_CATEGORIES else "scam"
        raised = as_utc(raised_at) or raised_at
        seen = first.get((case_id, kind))
        if seen is None or raised < seen[0]:
            first[(case_id, kind)] = (raised, area)
    for (_, kind), (raised, area) in first.items():
        for tally in tallies.at(tallies.local_day(raised), area):
            if kind == "request":
                tally.requests += 1
            else:
                tally.scam_cases += 1


def count_reports(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> None:
    for area, at in session.execute(select(Report.area, Report.created_at).where(Report.created_at >= lo, Report.created_at < hi)):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.reports += 1


def count_door_knocks(session: Session, tallies: Tallies) -> None:
    period = tallies.period
    rows = session.execute(
        select(DoorKnock.held_on, DoorKnock.area, DoorKnock.doors_knocked, DoorKnock.doors_answered, DoorKnock.conversations,
               DoorKnock.people_signposted, DoorKnock.people_referred, DoorKnock.volunteers_signed_up)
        .where(DoorKnock.held_on >= period.start, DoorKnock.held_on <= period.end)
    )
    for held_on, area, knocked, answered, spoken, signposted, referred, volunteers in rows:
        for tally in tallies.at(held_on, area):
            tally.doors_knocked += knocked
            tally.doors_answered += answered
            tally.people_spoken_to += spoken
            tally.people_signposted += signposted
            tally.people_referred += referred
            tally.volunteers += volunteers


def _table(session: Session, names: tuple[str, ...]) -> Table | None:
    """A table another part of the service may own, read as it stands in the database (or None)."""
    connection = session.connection()
    inspector = inspect(connection)
    for name in names:
        if inspector.has_table(name):
            return Table(name, MetaData(), autoload_with=connection)
    return None


def _first_column(table: Table, names: tuple[str, ...]) -> Any:
    return next((table.c[name] for name in names if name in table.c), None)


def count_follow_ups(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> Counter[str]:
    """"Did you go?" check-ins answered in the period (casework.follow_ups.check_ins), by the day of the answer;
    returns why people did not go, over the whole period (None: they did not say)."""
    answered = select(FollowUp.answered_at, FollowUp.went, FollowUp.reason).where(
        FollowUp.state == "answered", FollowUp.answered_at >= lo, FollowUp.answered_at < hi, FollowUp.went.isnot(None))
    reasons: Counter[str] = Counter()
    for at, went, reason in session.execute(answered):
        for tally in tallies.at(tallies.local_day(at), by_area=False):
            if went:
                tally.follow_ups_went += 1
            else:
                tally.follow_ups_did_not_go += 1
        if not went:
            reasons[reason or "not_said"] += 1
    return reasons


def count_volunteers(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> str | None:
    """Volunteer sign-ups, when a volunteer table exists: one row per volunteer with `created_at`
    (else `signed_up_at`) and, if it has one, a postcode district in `area`."""
    table = _table(session, VOLUNTEER_TABLES)
    if table is None:
        return None
    when = _first_column(table, ("created_at", "signed_up_at"))
    if when is None:
        return None
    area = table.c["area"] if "area" in table.c else None
    columns = [when, area] if area is not None else [when]
    for row in session.execute(select(*columns).where(when >= lo, when < hi)):
        district = row[1] if area is not None else None
        for tally in tallies.at(tallies.local_day(row[0]), district):
            tally.volunteers += 1
    return table.name


def count_volunteers_ready(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> None:
    """Good neighbours who became ready to be matched (trained and approved, whichever came last) in the period, once
    each (`volunteer.ready_at`: the first time), by that day and their district; still counted if they have since
    paused or left."""
    for area, at in session.execute(select(Volunteer.area, Volunteer.ready_at).where(Volunteer.ready_at >= lo, Volunteer.ready_at < hi)):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.volunteers_ready += 1


def count_befriending_matches(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> None:
    """Befriending matches that went live in the period (both said yes and they text through a befriending number),
    by that day and the district of the request's case (not known once the case is gone); still counted if
    they have since ended."""
    rows = session.execute(select(Case.area, BefriendingMatch.live_at)
                           .join(BefriendingRequest, BefriendingRequest.id == BefriendingMatch.request_id)
                           .outerjoin(Case, Case.id == BefriendingRequest.case_id)
                           .where(BefriendingMatch.live_at >= lo, BefriendingMatch.live_at < hi))
    for area, at in rows:
        for tally in tallies.at(tallies.local_day(at), area):
            tally.befriending_matches += 1
