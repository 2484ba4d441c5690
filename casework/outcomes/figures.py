"""What the outcomes hand out (one set of `Figures` for the period, each week and each area; the loneliness
change; `Outcomes`, all of them), and the tallies they are added up in: an event on a local day, in an area,
adds to the total, its week and its area (casework.outcomes' docstring says what each figure counts)."""
from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from casework.models import as_utc
from casework.outcomes.period import Period, monday

__all__ = ["Figures", "FIGURES", "WeekOutcomes", "AreaOutcomes", "LonelinessChange", "Outcomes", "Tally", "Tallies"]


@dataclass(frozen=True)
class Figures:
    """One set of figures; None where a figure cannot be broken down this way (see casework.outcomes)."""

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
    befriending_matches: int
    volunteers_ready: int


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
    follow_up_table: str | None  # the table follow-ups were read from (casework.follow_ups.models)
    volunteer_table: str | None
    # Why residents did not go, most often first: transport, health, nerves, time, cancelled, other,
    # not_said (casework.follow_ups.check_ins.reason_for_not_going), over the whole period.
    reasons_not_going: tuple[tuple[str, int], ...] = ()
    # The change in loneliness score of those followed up in the period: everyone, by area, by kind of support.
    loneliness_change: LonelinessChange = LonelinessChange(None, ())
    loneliness_by_area: tuple[LonelinessChange, ...] = ()  # districts in order, "not known" last
    loneliness_by_support: tuple[LonelinessChange, ...] = ()  # in casework.loneliness.models.SUPPORT_KINDS order


@dataclass
class Tally:
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
    befriending_matches: int = 0
    volunteers_ready: int = 0

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
            befriending_matches=self.befriending_matches,
            volunteers_ready=self.volunteers_ready,
        )


def _median(values: list[float]) -> int | None:
    return round(statistics.median(values)) if values else None


class Tallies:
    """The period's tallies: the total, one per week, one per area (made as areas turn up)."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.total = Tally(per_resident=True)
        self.weeks = {day: Tally(per_resident=True) for day in period.week_starts()}
        self.areas: dict[str | None, Tally] = {}

    def local_day(self, moment: datetime) -> date:
        return (as_utc(moment) or moment).astimezone(self.period.zone).date()

    def at(self, day: date, area: str | None = None, *, by_area: bool = True) -> Iterator[Tally]:
        """The tallies an event on local `day` in `area` adds to: the total, its week, and its area."""
        yield self.total
        week = self.weeks.get(monday(day))
        if week is not None:
            yield week
        if by_area:
            if area not in self.areas:
                self.areas[area] = Tally(per_resident=False)
            yield self.areas[area]
