"""What the service achieved over a period, for the commissioners: totals, per week and per area.

The figures are read-only: they never write, check who is asking or audit (the console and the API do that, through `dashboard`).
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
    follow_ups_went       "did you go?" check-ins answered "went" / "didn't" (casework.follow_ups.check_ins),
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
    befriending_matches   befriending matches that went live in the period (both sides said yes and they
                          text through a befriending number: casework.befriending), still counted if they
                          have ended since; by the district of the request's case
    volunteers_ready      good neighbours who became ready to be matched in the period: trained and approved
                          (with the checks their offer needs), whichever came last, counted once each (the
                          first time: a resume after a pause is not counted again) and still counted if they
                          have paused or left since; by the volunteer's district. `volunteers` counts sign-ups;
                          this counts the ones the service made ready to help

Requests and scam cases count a case once in a period, in the week of its first such reason there.
The service keeps no address for a resident, so residents, conversations, suggestions and
follow-ups have no per-area figure (None); cases and reports take the case's or report's district,
door-knocks their own; anything without a district is under area None ("not known"). Loneliness scores
take the area of the support that started the measure (a case's district, the place a group was found
near), by the day each score was given; the change in score is also broken down by the kind of support
(a suggestion taken up, a befriending match, a case).

The work is split by job: `period` (the period asked for, its bounds and weeks), `local_days` (the local
day of a stored time, in SQL), `figures` (what is handed out, and the tallies it is added up in),
`tallies` (the counts, table by table) and `loneliness_change` (the loneliness figures and their change);
this module puts them together.

Beside the figures, the room keeps what they count that nothing else keeps, and who may read them:
`models` (the door-knock sessions and the suggestions made), `doorknocks` (a connector logs a
door-knocking session), `suggestions` (which activities the bot put to which resident) and
`dashboard` (who may read the outcomes, each read audited).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from casework.follow_ups.models import FollowUp
from casework.outcomes.figures import FIGURES, AreaOutcomes, Figures, LonelinessChange, Outcomes, Tallies, WeekOutcomes
from casework.outcomes.local_days import LocalDays
from casework.outcomes.loneliness_change import count_loneliness
from casework.outcomes.period import DEFAULT_WEEKS, MAX_DAYS, Period, PeriodError, period_from
from casework.outcomes.tallies import (
    REQUEST_CATEGORIES,
    SCAM_CATEGORIES,
    count_befriending_matches,
    count_cases,
    count_door_knocks,
    count_follow_ups,
    count_messages,
    count_reasons,
    count_reports,
    count_suggestions,
    count_volunteers,
    count_volunteers_ready,
)

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


def outcomes(session: Session, *, period: Period) -> Outcomes:
    """Every figure for `period`: totals, each week, each area."""
    tallies = Tallies(period)
    lo, hi = period.bounds()
    days = LocalDays(period, session.get_bind().dialect.name)
    count_messages(session, tallies, days, lo, hi)
    count_suggestions(session, tallies, days, lo, hi)
    count_cases(session, tallies, lo, hi)
    count_reasons(session, tallies, lo, hi)
    count_reports(session, tallies, lo, hi)
    count_door_knocks(session, tallies)
    not_going = count_follow_ups(session, tallies, lo, hi)
    volunteer_table = count_volunteers(session, tallies, lo, hi)
    count_volunteers_ready(session, tallies, lo, hi)
    count_befriending_matches(session, tallies, lo, hi)
    loneliness, loneliness_by_area, loneliness_by_support = count_loneliness(session, tallies, lo, hi)
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
