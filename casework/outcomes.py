"""What the service achieved over a period, for the commissioners: totals, per week and per area.

Read-only: nothing here writes, checks who is asking or audits (the console and the API do that).
A period is whole local days in the service's time zone (WORKING_TIMEZONE), `start` to `end`
inclusive. Each figure counts events that happened in the period, so a case opened in one period
and closed in the next counts as opened in the first and closed in the second. Weeks start on
Monday; the first and last weeks may be partly outside the period. Areas are postcode districts.

The figures, and what each counts:

    residents             distinct residents (anyone with a resident record, neighbours reporting by
                          text included; never a connector's texts) who sent at least one message
    conversations         a resident's messages on one local day make one conversation (simple to
                          explain, and the same whichever channel; Rasa's own 2-hour sessions live in
                          another store)
    suggestions           activities suggested to residents (one per activity per answer)
    follow_ups_went       "did you go?" check-ins answered "went" / "didn't" (casework.follow_ups),
    follow_ups_did_not_go on the day of the answer
    requests              cases with a request for a call or visit (reason category "request")
    cases_opened / cases_acknowledged / cases_visited / cases_closed
                          cases whose created_at / acknowledged_at / visited_at / closed_at falls in it
    median_seconds_to_acknowledge / median_seconds_to_visit
                          from opening to acknowledgement / to the visit, over the cases
                          acknowledged / visited in the period (None when there are none)
    reports               neighbours', shop workers' and volunteers' reports
    scam_cases            cases with a scam or doorstep reason
    volunteers            volunteers signed up on door-knocks, plus rows of a `volunteer` table
                          when there is one (see _volunteers)
    doors_knocked, doors_answered, people_spoken_to (door-knock conversations), people_signposted,
    people_referred (for one-to-one support)
                          sums over the door-knock sessions held in the period
    loneliness_baseline   residents whose first loneliness score (casework.loneliness: the UCLA three
                          items, 3-9) was given in the period
    loneliness_followed_up residents whose follow-up score (about eight weeks after the first) was
                          given in the period
    loneliness_improved   of those, the ones whose follow-up score is lower than their first
    loneliness_mean_change the mean of follow-up less first over those, to 2 places (negative: less
                          lonely; None when nobody was followed up)

Requests and scam cases count a case once in a period, in the week of its first such reason there.
The service keeps no address for a resident, so residents, conversations, suggestions and
follow-ups have no per-area figure (None); cases and reports take the case's or report's district,
door-knocks their own; anything without a district is under area None ("not known"). Loneliness scores
take the area of the support that started the measure (a case's district, the place a group was found
near), by the day each score was given; the change in score is also broken down by the kind of support
(a suggestion taken up, a befriending match, a case).
"""
from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from sqlalchemy import Date, Integer, MetaData, Table, cast, extract, func, inspect, literal_column, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from casework.case_models import Case, CaseReason, Report
from casework.follow_up_models import FollowUp
from casework.loneliness.models import SUPPORT_KINDS, LonelinessScore
from casework.models import InboundMessage, Resident, as_utc
from casework.outcome_models import DoorKnock, Suggestion

__all__ = [
    "FIGURES",
    "MAX_DAYS",
    "DEFAULT_WEEKS",
    "REQUEST_CATEGORIES",
    "SCAM_CATEGORIES",
    "PeriodError",
    "Period",
    "Figures",
    "WeekOutcomes",
    "AreaOutcomes",
    "LonelinessChange",
    "Outcomes",
    "period_from",
    "outcomes",
]

# Three years of weeks still draws a readable chart and reads in well under a second.
MAX_DAYS = 3 * 366
DEFAULT_WEEKS = 12
REQUEST_CATEGORIES = ("request",)
SCAM_CATEGORIES = ("scam", "doorstep")
VOLUNTEER_TABLES = ("volunteer",)


class PeriodError(ValueError):
    """A date range that cannot be used: `field` is "from" or "to", `code` says why."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    zone: tzinfo

    def bounds(self) -> tuple[datetime, datetime]:
        """The period in UTC: from the start of `start` to the start of the day after `end` (exclusive)."""
        first = datetime.combine(self.start, time(0), self.zone).astimezone(timezone.utc)
        after = datetime.combine(self.end + timedelta(days=1), time(0), self.zone).astimezone(timezone.utc)
        return first, after

    def week_starts(self) -> list[date]:
        monday = _monday(self.start)
        weeks = []
        while monday <= self.end:
            weeks.append(monday)
            monday += timedelta(days=7)
        return weeks


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


FIRST_YEAR, LAST_YEAR = 2000, 2099


def _day(text: str, name: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(name, "not_a_date", f"{name} must be a date written YYYY-MM-DD, such as 2026-01-31") from None
    # The service's records are from this century; a far date would overflow the period's arithmetic.
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(name, "out_of_range", f"{name} must be a date from {FIRST_YEAR} to {LAST_YEAR}")
    return day


def period_from(start: str | None, end: str | None, *, today: date, zone: tzinfo) -> Period:
    """The period asked for by `from` and `to` (YYYY-MM-DD). Without `to`: today; without `from`: the
    Monday DEFAULT_WEEKS - 1 weeks before the week of `to` (so DEFAULT_WEEKS whole weeks show)."""
    last = _day(end.strip(), "to") if end and end.strip() else today
    first = _day(start.strip(), "from") if start and start.strip() else _monday(last) - timedelta(weeks=DEFAULT_WEEKS - 1)
    if first > last:
        raise PeriodError("from", "after_to", "from must be on or before to")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("from", "too_long", f"a period can be at most {MAX_DAYS} days long")
    return Period(first, last, zone)


@dataclass(frozen=True)
class Figures:
    """One set of figures; None where a figure cannot be broken down this way (see the module docstring)."""

    residents: int | None
    conversations: int | None
    suggestions: int | None
    follow_ups_went: int | None
    follow_ups_did_not_go: int | None
    requests: int
    cases_opened: int
    cases_acknowledged: int
    cases_visited: int
    cases_closed: int
    median_seconds_to_acknowledge: int | None
    median_seconds_to_visit: int | None
    reports: int
    scam_cases: int
    volunteers: int
    doors_knocked: int
    doors_answered: int
    people_spoken_to: int
    people_signposted: int
    people_referred: int
    loneliness_baseline: int
    loneliness_followed_up: int
    loneliness_improved: int
    loneliness_mean_change: float | None


FIGURES: tuple[str, ...] = tuple(Figures.__dataclass_fields__)


@dataclass(frozen=True)
class WeekOutcomes:
    starts: date  # a Monday
    figures: Figures


@dataclass(frozen=True)
class AreaOutcomes:
    area: str | None  # a postcode district; None: not known
    figures: Figures


@dataclass(frozen=True)
class LonelinessChange:
    """How loneliness scores changed for the residents followed up in the period, for one area or one kind
    of support (or everyone): how many people had each change (follow-up less first, -6 to +6)."""

    label: str | None  # a postcode district (None: not known), a kind of support, or None for everyone
    people: tuple[tuple[int, int], ...]  # (change, people), changes in order, only those someone had

    @property
    def followed_up(self) -> int:
        return sum(count for _, count in self.people)

    @property
    def less_lonely(self) -> int:
        return sum(count for change, count in self.people if change < 0)

    @property
    def no_change(self) -> int:
        return sum(count for change, count in self.people if change == 0)

    @property
    def more_lonely(self) -> int:
        return sum(count for change, count in self.people if change > 0)

    @property
    def mean_change(self) -> float | None:
        total = self.followed_up
        return round(sum(change * count for change, count in self.people) / total, 2) if total else None


@dataclass(frozen=True)
class Outcomes:
    period: Period
    totals: Figures
    weeks: tuple[WeekOutcomes, ...]
    areas: tuple[AreaOutcomes, ...]  # districts in order, "not known" last
    follow_up_table: str | None  # the table follow-ups were read from (casework.follow_up_models)
    volunteer_table: str | None
    # Why residents did not go, most often first: transport, health, nerves, time, cancelled, other,
    # not_said (casework.follow_ups.reason_for_not_going), over the whole period.
    reasons_not_going: tuple[tuple[str, int], ...] = ()
    # The change in loneliness score of those followed up in the period: everyone, by area, by kind of support.
    loneliness_change: LonelinessChange = LonelinessChange(None, ())
    loneliness_by_area: tuple[LonelinessChange, ...] = ()  # districts in order, "not known" last
    loneliness_by_support: tuple[LonelinessChange, ...] = ()  # in casework.loneliness.models.SUPPORT_KINDS order


@dataclass
class _Tally:
    """Figures being added up for one total, week or area."""

    per_resident: bool  # False for an area: resident figures are not known there
    residents: int = 0
    conversations: int = 0
    suggestions: int = 0
    follow_ups_went: int = 0
    follow_ups_did_not_go: int = 0
    requests: int = 0
    cases_opened: int = 0
    cases_acknowledged: int = 0
    cases_visited: int = 0
    cases_closed: int = 0
    to_acknowledge: list[float] = field(default_factory=list)
    to_visit: list[float] = field(default_factory=list)
    reports: int = 0
    scam_cases: int = 0
    volunteers: int = 0
    doors_knocked: int = 0
    doors_answered: int = 0
    people_spoken_to: int = 0
    people_signposted: int = 0
    people_referred: int = 0
    loneliness_baseline: int = 0
    loneliness_changes: list[int] = field(default_factory=list)

    def figures(self) -> Figures:
        own = self.per_resident
        return Figures(
            residents=self.residents if own else None,
            conversations=self.conversations if own else None,
            suggestions=self.suggestions if own else None,
            follow_ups_went=self.follow_ups_went if own else None,
            follow_ups_did_not_go=self.follow_ups_did_not_go if own else None,
            requests=self.requests,
            cases_opened=self.cases_opened,
            cases_acknowledged=self.cases_acknowledged,
            cases_visited=self.cases_visited,
            cases_closed=self.cases_closed,
            median_seconds_to_acknowledge=_median(self.to_acknowledge),
            median_seconds_to_visit=_median(self.to_visit),
            reports=self.reports,
            scam_cases=self.scam_cases,
            volunteers=self.volunteers,
            doors_knocked=self.doors_knocked,
            doors_answered=self.doors_answered,
            people_spoken_to=self.people_spoken_to,
            people_signposted=self.people_signposted,
            people_referred=self.people_referred,
            loneliness_baseline=self.loneliness_baseline,
            loneliness_followed_up=len(self.loneliness_changes),
            loneliness_improved=sum(1 for change in self.loneliness_changes if change < 0),
            loneliness_mean_change=round(statistics.fmean(self.loneliness_changes), 2) if self.loneliness_changes else None,
        )


def _median(values: list[float]) -> int | None:
    return round(statistics.median(values)) if values else None


class _Tallies:
    def __init__(self, period: Period) -> None:
        self.period = period
        self.total = _Tally(per_resident=True)
        self.weeks = {monday: _Tally(per_resident=True) for monday in period.week_starts()}
        self.areas: dict[str | None, _Tally] = {}

    def local_day(self, moment: datetime) -> date:
        return (as_utc(moment) or moment).astimezone(self.period.zone).date()

    def at(self, day: date, area: str | None = None, *, by_area: bool = True) -> Iterator[_Tally]:
        """The tallies an event on local `day` in `area` adds to: the total, its week, and its area."""
        yield self.total
        week = self.weeks.get(_monday(day))
        if week is not None:
            yield week
        if by_area:
            if area not in self.areas:
                self.areas[area] = _Tally(per_resident=False)
            yield self.areas[area]


def _seconds(later: datetime, earlier: datetime) -> float:
    return ((as_utc(later) or later) - (as_utc(earlier) or earlier)).total_seconds()


class _LocalDays:
    """The local day of a stored UTC time, worked out by the database, so the busiest tables (a county's
    year is some 400,000 messages) are counted there and only a few hundred rows come back.

    Neither SQLite nor every PostgreSQL time zone setting can be trusted to know the service's zone, so
    the period is cut where the zone's offset from UTC changes (the clocks going forward or back, found
    here with Python's own zone data) and each piece adds its own offset: the same answer on both.
    """

    def __init__(self, period: Period, dialect: str) -> None:
        self.dialect = dialect
        lo, hi = period.bounds()
        self.pieces = _offsets(int(lo.timestamp()), int(hi.timestamp()), period.zone)

    def _shifted(self, column: Any, seconds: int) -> Any:
        # Literal SQL (whole seconds we computed), not parameters: the expression is grouped by.
        if self.dialect == "sqlite":
            return func.date(column, literal_column(f"'{seconds:+d} seconds'"))
        return cast(func.timezone("UTC", column) + func.make_interval(0, 0, 0, 0, 0, 0, literal_column(str(seconds))), Date)

    def day(self, column: Any) -> Any:
        if len(self.pieces) == 1:
            return self._shifted(column, self.pieces[0][1])
        whens = [(column < datetime.fromtimestamp(starts, timezone.utc), self._shifted(column, offset))
                 for (_, offset), (starts, _) in zip(self.pieces, self.pieces[1:], strict=False)]
        return sql_case(*whens, else_=self._shifted(column, self.pieces[-1][1]))

    def week(self, day: Any) -> Any:
        """The Monday of a local day's week."""
        if self.dialect == "sqlite":
            return func.date(day, literal_column("'weekday 0'"), literal_column("'-6 days'"))
        return day - (cast(extract("isodow", day), Integer) - 1)


def _offsets(lo: int, hi: int, zone: tzinfo) -> list[tuple[int, int]]:
    """(from this second, the zone's offset in seconds) for each stretch of [lo, hi) with one offset."""
    def offset(second: int) -> int:
        delta = datetime.fromtimestamp(second, timezone.utc).astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    pieces = [(lo, offset(lo))]
    day = 86400
    for start in range(lo, hi, day):
        end = min(start + day, hi)
        if offset(end) == pieces[-1][1]:
            continue
        before, after = start, end  # offset(before) is the old one, offset(after) the new: find the second it changed
        while after - before > 1:
            middle = (before + after) // 2
            before, after = (middle, after) if offset(middle) == pieces[-1][1] else (before, middle)
        pieces.append((after, offset(after)))
    return pieces


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _messages(session: Session, tallies: _Tallies, days: _LocalDays, lo: datetime, hi: datetime) -> None:
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


def _suggestions(session: Session, tallies: _Tallies, days: _LocalDays, lo: datetime, hi: datetime) -> None:
    made = select(days.day(Suggestion.at).label("day")).where(Suggestion.at >= lo, Suggestion.at < hi).subquery()
    for day, count in session.execute(select(made.c.day, func.count()).group_by(made.c.day)):
        for tally in tallies.at(_date(day), by_area=False):
            tally.suggestions += int(count)


def _cases(session: Session, tallies: _Tallies, lo: datetime, hi: datetime) -> None:
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


def _reasons(session: Session, tallies: _Tallies, lo: datetime, hi: datetime) -> None:
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


def _reports(session: Session, tallies: _Tallies, lo: datetime, hi: datetime) -> None:
    for area, at in session.execute(select(Report.area, Report.created_at).where(Report.created_at >= lo, Report.created_at < hi)):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.reports += 1


def _door_knocks(session: Session, tallies: _Tallies) -> None:
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


def _follow_ups(session: Session, tallies: _Tallies, lo: datetime, hi: datetime) -> Counter[str]:
    """"Did you go?" check-ins answered in the period (casework.follow_ups), by the day of the answer;
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


def _volunteers(session: Session, tallies: _Tallies, lo: datetime, hi: datetime) -> str | None:
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


def _loneliness(session: Session, tallies: _Tallies, lo: datetime, hi: datetime) -> tuple[LonelinessChange, tuple[LonelinessChange, ...],
                                                                                    tuple[LonelinessChange, ...]]:
    """First scores given in the period, and follow-up scores given in it with their change from the first;
    returns the change for everyone, by area and by kind of support."""
    for area, at in session.execute(select(LonelinessScore.area, LonelinessScore.first_at)
                                    .where(LonelinessScore.first_at >= lo, LonelinessScore.first_at < hi)):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.loneliness_baseline += 1
    everyone: Counter[int] = Counter()
    by_area: dict[str | None, Counter[int]] = {}
    by_support: dict[str, Counter[int]] = {kind: Counter() for kind in SUPPORT_KINDS}
    followed_up = select(LonelinessScore.area, LonelinessScore.support, LonelinessScore.follow_up_at, LonelinessScore.first_score,
                         LonelinessScore.follow_up_score).where(LonelinessScore.follow_up_at >= lo, LonelinessScore.follow_up_at < hi,
                                                                LonelinessScore.first_score.isnot(None),
                                                                LonelinessScore.follow_up_score.isnot(None))
    for area, support, at, first, second in session.execute(followed_up):
        moved = int(second) - int(first)
        for tally in tallies.at(tallies.local_day(at), area):
            tally.loneliness_changes.append(moved)
        everyone[moved] += 1
        by_area.setdefault(area, Counter())[moved] += 1
        by_support.setdefault(support, Counter())[moved] += 1

    def change(label: str | None, counts: Counter[int]) -> LonelinessChange:
        return LonelinessChange(label, tuple(sorted(counts.items())))

    areas = sorted(by_area.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return (change(None, everyone), tuple(change(area, counts) for area, counts in areas),
            tuple(change(kind, counts) for kind, counts in by_support.items() if counts))


def outcomes(session: Session, *, period: Period) -> Outcomes:
    """Every figure for `period`: totals, each week, each area."""
    tallies = _Tallies(period)
    lo, hi = period.bounds()
    days = _LocalDays(period, session.get_bind().dialect.name)
    _messages(session, tallies, days, lo, hi)
    _suggestions(session, tallies, days, lo, hi)
    _cases(session, tallies, lo, hi)
    _reasons(session, tallies, lo, hi)
    _reports(session, tallies, lo, hi)
    _door_knocks(session, tallies)
    not_going = _follow_ups(session, tallies, lo, hi)
    volunteer_table = _volunteers(session, tallies, lo, hi)
    loneliness, loneliness_by_area, loneliness_by_support = _loneliness(session, tallies, lo, hi)
    areas = sorted(tallies.areas.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return Outcomes(
        period=period,
        totals=tallies.total.figures(),
        weeks=tuple(WeekOutcomes(monday, tally.figures()) for monday, tally in sorted(tallies.weeks.items())),
        areas=tuple(AreaOutcomes(area, tally.figures()) for area, tally in areas),
        follow_up_table=FollowUp.__tablename__,
        reasons_not_going=tuple(sorted(not_going.items(), key=lambda item: (-item[1], item[0]))),
        volunteer_table=volunteer_table,
        loneliness_change=loneliness,
        loneliness_by_area=loneliness_by_area,
        loneliness_by_support=loneliness_by_support,
    )
