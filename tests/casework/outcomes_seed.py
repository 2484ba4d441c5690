"""A fortnight of the service with known times, and the outcomes it must give (used on SQLite, PostgreSQL
and behind the console and the API).

The period is Monday 5 to Sunday 18 January 2026 in Europe/London (UTC in winter, so the times below
are local too); a few events fall just outside it, at 23:59 the night before and 00:00 the day after.
Everything goes through casework's own functions (open_case, open_report, acknowledge_case,
record_visit, close_case, record_suggestions, log_door_knock), except inbound messages, whose
arrival time only the intake sets, answered check-ins, whose answer time only the intake sets, and good
neighbours made ready and befriending matches gone live, written as those rooms leave them (their times
are set by texts and the console).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.befriending.tables import BefriendingMatch, BefriendingRequest
from casework.cases.acknowledgement import acknowledge_case
from casework.cases.connectors import add_connector
from casework.cases.lifecycle import close_case, record_visit
from casework.cases.models import Case, Volunteer
from casework.cases.opening import Reason, open_case
from casework.cases.reports import ReportDetails, open_report
from casework.conversation.inbound import BodyVault
from casework.follow_ups.models import FollowUp
from casework.loneliness.models import LonelinessScore
from casework.models import InboundMessage, Resident
from casework.outcomes.doorknocks import DoorKnockEntry, log_door_knock
from casework.outcomes.suggestions import record_suggestions
from service.settings import Settings

START, END = date(2026, 1, 5), date(2026, 1, 18)
WEEK_1, WEEK_2 = date(2026, 1, 5), date(2026, 1, 12)
ALICE, BOB, CAROL = "sms:seed-alice", "sms:seed-bob", "web:seed-carol"

# Every figure of the fortnight, worked out by hand from the events in seed().
TOTALS = {
    "residents": 3, "conversations": 5, "suggestions": 5, "follow_ups_went": 1, "follow_ups_did_not_go": 1,
    "requests": 1, "cases_opened": 4, "cases_acknowledged": 4, "cases_visited": 2, "cases_closed": 1,
    "median_seconds_to_acknowledge": 2100, "median_seconds_to_visit": 129600, "reports": 1, "scam_cases": 1,
    "volunteers": 3, "doors_knocked": 70, "doors_answered": 37, "people_spoken_to": 28, "people_signposted": 9,
    "people_referred": 3, "loneliness_baseline": 2, "loneliness_followed_up": 3, "loneliness_improved": 1,
    "loneliness_mean_change": -0.67, "befriending_matches": 2, "volunteers_ready": 2,
}
WEEKS = {
    WEEK_1: {"residents": 2, "conversations": 3, "suggestions": 3, "follow_ups_went": 1, "follow_ups_did_not_go": 0, "cases_opened": 2, "cases_acknowledged": 3,
             "median_seconds_to_acknowledge": 3600, "cases_visited": 1, "median_seconds_to_visit": 86400, "cases_closed": 1,
             "requests": 1, "scam_cases": 0, "reports": 0, "doors_knocked": 40, "volunteers": 1,
             "loneliness_baseline": 1, "loneliness_followed_up": 1, "loneliness_improved": 1, "loneliness_mean_change": -3.0,
             "befriending_matches": 1, "volunteers_ready": 1},
    WEEK_2: {"residents": 2, "conversations": 2, "suggestions": 2, "follow_ups_went": 0, "follow_ups_did_not_go": 1, "cases_opened": 2, "cases_acknowledged": 1,
             "median_seconds_to_acknowledge": 600, "cases_visited": 1, "median_seconds_to_visit": 172800, "cases_closed": 0,
             "requests": 0, "scam_cases": 1, "reports": 1, "doors_knocked": 30, "volunteers": 2,
             "loneliness_baseline": 1, "loneliness_followed_up": 2, "loneliness_improved": 0, "loneliness_mean_change": 0.5,
             "befriending_matches": 1, "volunteers_ready": 1},
}
AREAS = {
    "CH41": {"residents": None, "conversations": None, "suggestions": None, "cases_opened": 2, "cases_acknowledged": 3,
             "median_seconds_to_acknowledge": 600, "cases_visited": 2, "cases_closed": 1, "reports": 1, "requests": 0,
             "scam_cases": 0, "doors_knocked": 40, "people_spoken_to": 18, "volunteers": 1,
             "loneliness_baseline": 1, "loneliness_followed_up": 2, "loneliness_improved": 1, "loneliness_mean_change": -1.0,
             "befriending_matches": 0, "volunteers_ready": 1},
    "CH42": {"cases_opened": 1, "cases_acknowledged": 1, "median_seconds_to_acknowledge": 3600, "requests": 1,
             "doors_knocked": 0, "median_seconds_to_visit": None, "loneliness_baseline": 0, "loneliness_followed_up": 1,
             "loneliness_improved": 0, "loneliness_mean_change": 0.0, "befriending_matches": 1, "volunteers_ready": 0},
    "CH43": {"cases_opened": 0, "doors_knocked": 30, "doors_answered": 12, "people_spoken_to": 10, "people_signposted": 3,
             "people_referred": 1, "volunteers": 2, "loneliness_followed_up": 0, "loneliness_mean_change": None, "volunteers_ready": 1},
    None: {"cases_opened": 1, "scam_cases": 1, "cases_acknowledged": 0, "median_seconds_to_acknowledge": None, "loneliness_baseline": 1,
           "loneliness_followed_up": 0, "befriending_matches": 1, "volunteers_ready": 0},
}


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Seeded:
    manager_id: int
    connector_id: int
    references: dict[str, str]


def seed(sessions: sessionmaker, settings: Settings, *, phones: tuple[str, str] = ("07700 900601", "07700 900602")) -> Seeded:
    ids = count(1)
    with sessions.begin() as session:
        manager = add_connector(session, name="Seed Manager", phone=phones[0], email="seed-manager@council.example",
                                patch="", role="manager", settings=settings).id
        jo = add_connector(session, name="Seed Connector", phone=phones[1], email="seed-connector@council.example",
                           patch="CH41 CH42", settings=settings).id
        for sender in (ALICE, BOB, CAROL):
            session.add(Resident(sender_id=sender, channel="webchat" if sender.startswith("web:") else "sms",
                                 first_contact_at=utc(1, 4, 12), last_contact_at=utc(1, 14, 8)))
        for sender, at in (
            (ALICE, utc(1, 5, 9)), (ALICE, utc(1, 5, 17)), (ALICE, utc(1, 7, 10)), (ALICE, utc(1, 13, 10)),
            (BOB, utc(1, 6, 12)), (CAROL, utc(1, 14, 8)),
            ("sms:seed-connectors-ack", utc(1, 6, 12, 5)),  # a connector's ACK: no resident record, not counted
            (ALICE, utc(1, 4, 23, 59)), (BOB, utc(1, 19, 0)),  # just outside the fortnight
        ):
            session.add(InboundMessage(channel="webchat" if sender.startswith("web:") else "sms", message_id=f"SM-seed-{next(ids)}",
                                       sender_id=sender, received_at=at, state="answered"))
        record_suggestions(session, sender_id=ALICE, activity_ids=["svc-walk", "svc-choir", "svc-lunch"], at=utc(1, 5, 9, 1))
        record_suggestions(session, sender_id=CAROL, activity_ids=["svc-knit", "svc-knit", "svc-shed"], at=utc(1, 14, 8, 1))
        record_suggestions(session, sender_id=BOB, activity_ids=["svc-walk"], at=utc(1, 19, 0, 1))
        # "Did you go?" answers (rows as casework.follow_ups.check_ins leaves them): Alice went (week 1), Bob did not
        # (week 2, getting there), Carol's answer comes the day after the period.
        for sender, answered_at, went, reason in ((ALICE, utc(1, 9, 10), True, None), (BOB, utc(1, 13, 11), False, "transport"),
                                                  (ALICE, utc(1, 19, 0, 0), False, "health")):
            session.add(FollowUp(sender_id=sender, activity_id="svc-walk", activity_name="Health Walk", meets_at=utc(1, 8, 10),
                                 state="answered", offered_at=utc(1, 5, 9, 2), asked_at=utc(1, 9, 10), answered_at=answered_at,
                                 went=went, reason=reason))
        # Loneliness scores (rows as casework.loneliness leaves them): first scores given in the fortnight
        # count as baselines; follow-ups given in it count with their change (-3, 0, +1); E's comes the day after.
        for sender, support, area, first, first_at, second, second_at in (
            ("sms:seed-lonely-a", "case", "CH41", 8, datetime(2025, 11, 10, 10, tzinfo=timezone.utc), 5, utc(1, 7, 10)),
            ("sms:seed-lonely-b", "suggestion", "CH42", 6, datetime(2025, 11, 17, 10, tzinfo=timezone.utc), 6, utc(1, 13, 11)),
            ("sms:seed-lonely-c", "befriending", None, 7, utc(1, 6, 12), None, None),
            ("sms:seed-lonely-d", "suggestion", "CH41", 5, utc(1, 12, 9), None, None),
            ("sms:seed-lonely-e", "case", "CH43", 4, datetime(2025, 11, 20, 10, tzinfo=timezone.utc), 3, utc(1, 19, 0, 0)),
            ("sms:seed-lonely-f", "suggestion", "CH41", 5, datetime(2025, 11, 11, 10, tzinfo=timezone.utc), 6, utc(1, 15, 15)),
        ):
            session.add(LonelinessScore(sender_id=sender, support=support, area=area, supported_at=first_at, round="follow_up",
                                        state="done" if second else "due", due_at=first_at, first_score=first, first_at=first_at,
                                        follow_up_score=second, follow_up_at=second_at))

    refs: dict[str, str] = {}
    with sessions.begin() as session:
        refs["E"] = open_case(session, sender_id="sms:seed-eve", area="CH41 2AA", priority="high",
                              reasons=[Reason("scam", "scam:money_asked", "SM-seed-e")], lawful_basis="vital_interests",
                              settings=settings, now=utc(1, 4, 23)).reference
        acknowledge_case(session, reference=refs["E"], connector_id=jo, now=utc(1, 5, 0, 30))
    with sessions.begin() as session:
        refs["A"] = open_case(session, sender_id=ALICE, area="CH41", priority="urgent",
                              reasons=[Reason("suicidal", "suicidal:end_it", "SM-seed-a")], lawful_basis="vital_interests",
                              settings=settings, now=utc(1, 5, 10)).reference
        acknowledge_case(session, reference=refs["A"], connector_id=jo, now=utc(1, 5, 10, 5))
        record_visit(session, reference=refs["A"], by=jo, now=utc(1, 6, 10))
        close_case(session, reference=refs["A"], outcome="supported", by=jo, settings=settings, now=utc(1, 8, 12))
    with sessions.begin() as session:
        refs["B"] = open_case(session, sender_id=BOB, area="CH42 9ZZ", priority="routine", source="request",
                              reasons=[Reason("request", "request.call_or_visit", "SM-seed-b")], lawful_basis="consent",
                              settings=settings, now=utc(1, 6, 12)).reference
        acknowledge_case(session, reference=refs["B"], connector_id=jo, now=utc(1, 6, 13))
    with sessions.begin() as session:
        refs["C"] = open_report(session, report=ReportDetails(relationship="neighbour", who="the man at number 12",
                                                               worry="curtains closed for days", urgency="today",
                                                               postcode="CH41 5AB"),
                                settings=settings, now=utc(1, 13, 9)).reference
        acknowledge_case(session, reference=refs["C"], connector_id=manager, now=utc(1, 13, 9, 10))
        record_visit(session, reference=refs["C"], by=manager, now=utc(1, 15, 9))
    with sessions.begin() as session:
        refs["D"] = open_case(session, sender_id=CAROL, priority="high",
                              reasons=[Reason("scam", "scam:bank_call", "SM-seed-d")], lawful_basis="vital_interests",
                              settings=settings, now=utc(1, 14, 8)).reference
        # A second scam reason on the same case a day later: still one scam case.
        open_case(session, sender_id=CAROL, priority="high", reasons=[Reason("doorstep", "doorstep:trader", "SM-seed-d2")],
                  lawful_basis="vital_interests", settings=settings, now=utc(1, 15, 8))
    with sessions.begin() as session:
        for held_on, area, counts, notes in (
            (date(2026, 1, 7), "CH41", (40, 25, 18, 6, 2, 1), "Flat 3 lives alone, would like a visit"),
            (date(2026, 1, 15), "CH43", (30, 12, 10, 3, 1, 2), ""),
            (date(2026, 1, 19), "CH41", (100, 50, 40, 10, 5, 4), ""),  # the day after
        ):
            log_door_knock(session, connector_id=jo, settings=settings, now=utc(held_on.month, held_on.day, 16),
                           entry=DoorKnockEntry(held_on, area, "Ilchester Road", *counts, notes=notes))
    with sessions.begin() as session:
        _seed_befriending(session, settings, case_b=session.scalars(select(Case.id).where(Case.reference == refs["B"])).one())
    return Seeded(manager, jo, refs)


def _seed_befriending(session: Session, settings: Settings, *, case_b: int) -> None:
    """Good neighbours (all signed up before the fortnight: no `volunteers` in it) made ready in week 1 (CH41) and
    week 2 (CH43, who has left since: still counted), the day after, and never; befriending matches live in week 1
    (a web request with no case: area not known; ended since, still counted) and week 2 (Bob's request, case B in
    CH42), one only proposed and one live the night before."""
    sealed = BodyVault.for_settings(settings).seal("Seed Volunteer")
    volunteers = []
    for n, (area, state, ready_at) in enumerate((("CH41", "ready", utc(1, 7, 11)), ("CH43", "left", utc(1, 14, 15)),
                                                 ("CH41", "ready", utc(1, 19, 0)), ("CH41", "in_training", None))):
        volunteer = Volunteer(reference=f"GN-9000{n}", channel="sms", sms_sender_id=f"sms:seed-volunteer-{n}", name_encrypted=sealed,
                              area=area, area_label="Birkenhead", availability_encrypted=sealed, roles="befriending_calls", state=state,
                              ready_at=ready_at, created_at=datetime(2025, 12, 1, 10, tzinfo=timezone.utc))
        session.add(volunteer)
        volunteers.append(volunteer)
    requests = [BefriendingRequest(reference=f"BF-9000{n}", sender_id=sender, case_id=case_id, channel=channel, wants="call", state="matched",
                                   created_at=utc(1, 5, 9), updated_at=utc(1, 5, 9))
                for n, (sender, case_id, channel) in enumerate(((BOB, case_b, "sms"), (CAROL, None, "webchat")))]
    session.add_all(requests)
    session.flush()
    for n, (request, state, live_at) in enumerate(((requests[0], "live", utc(1, 13, 12)), (requests[1], "ended", utc(1, 8, 9)),
                                                   (requests[0], "proposed", None), (requests[1], "live", utc(1, 4, 23, 59)))):
        session.add(BefriendingMatch(reference=f"BM-9000{n}", request_id=request.id, volunteer_id=volunteers[0].id,
                                     resident_sender_id=request.sender_id, volunteer_sender_id="sms:seed-volunteer-0", state=state,
                                     asked_at=utc(1, 5, 10), proposed_by="connector:1", live_at=live_at))
