"""Ready volunteers for a befriending request, ranked, each with why.

Only volunteers who are *ready* (trained and approved: casework.good_neighbours) and offer what the
resident would like (befriending calls for a call; visits for a visit; either for either). Then:
- distance: between the request's postcode district and the volunteer's, from the offline postcode
  table (directory.geocoding), nearer first; for a visit it counts double, since someone has to travel;
- shared interests: what each enjoys, read as the directory's interest concepts ("allotment" and
  "gardening" are one), each one shared counts;
- free times: whether their free times meet (casework.befriending.free_times); not said by one of them
  is not known, which ranks between meeting and not meeting;
- a volunteer already befriending people ranks a little lower, so the work is shared.

The score orders them; the reasons are values for the console to word.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.befriending.free_times import describe, free_slots
from casework.befriending.requests import RequestDetails
from casework.befriending.tables import BefriendingMatch
from casework.cases.models import Volunteer
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.training import first_name
from directory.geocoding import distance_miles, locate
from directory.interests import concepts_in
from service.settings import Settings

__all__ = ["Suggestion", "ROLES_FOR", "suggest_volunteers"]

ROLES_FOR = {"call": ("befriending_calls",), "visit": ("visits",), "either": ("befriending_calls", "visits")}
FAR_MILES = 10.0  # past this, distance adds nothing: a call works from anywhere, and a visit this far is unlikely
_NOT_SHARED = {"befriending", "social", "volunteering"}


@dataclass(frozen=True)
class Suggestion:
    reference: str  # the volunteer's GN-12345
    first_name: str
    area: str  # their district, or the town they gave
    miles: float | None  # between the two districts; None when either is not known
    same_district: bool
    offers: tuple[str, ...]  # what of theirs fits the request (VOLUNTEER_ROLES)
    shared_interests: tuple[str, ...]
    times: str  # meet | apart | unknown
    shared_times: str | None  # "weekdays, mornings" when they meet
    befriending_now: int  # their live or proposed matches
    score: float


def _place(district: str | None) -> tuple[float, float] | None:
    place = locate(None, district) if district else None
    return (place.lat, place.lon) if place is not None else None


def suggest_volunteers(session: Session, *, request: RequestDetails, settings: Settings, limit: int = 5) -> list[Suggestion]:
    """The best `limit` ready volunteers for this request (see the module docstring); none already matched or proposed for it."""
    roles = ROLES_FOR.get(request.wants, ROLES_FOR["either"])
    already = select(BefriendingMatch.volunteer_id).where(
        BefriendingMatch.resident_sender_id == request.sender_id, BefriendingMatch.state.in_(("proposed", "agreed", "live")))
    busy = {volunteer_id: count for volunteer_id, count in session.execute(select(BefriendingMatch.volunteer_id, func.count()).where(
        BefriendingMatch.state.in_(("proposed", "agreed", "live"))).group_by(BefriendingMatch.volunteer_id))}
    vault = BodyVault.for_settings(settings)
    here = _place(request.area)
    wanted = concepts_in(request.interests) - _NOT_SHARED
    their_times = free_slots(request.free_times)
    found = []
    for v in session.scalars(select(Volunteer).where(Volunteer.state == "ready", Volunteer.id.not_in(already))):
        offers = tuple(role for role in roles if role in v.roles.split(","))
        if not offers or request.sender_id in (v.sender_id, v.sms_sender_id):
            continue
        there = _place(v.area or v.area_label)
        miles = distance_miles(*here, *there) if here and there else None
        shared = tuple(sorted(wanted & (concepts_in(vault.open_or_none(v.interests_encrypted) or "") - _NOT_SHARED)))
        slots = free_slots(vault.open_or_none(v.availability_encrypted))
        meet = their_times & slots if their_times is not None and slots is not None else None
        times = "unknown" if meet is None else "meet" if meet else "apart"
        nearness = FAR_MILES - min(miles, FAR_MILES) if miles is not None else 0.0
        score = (nearness * (2 if request.wants == "visit" else 1) + 3 * len(shared) + {"meet": 4, "unknown": 1, "apart": 0}[times]
                 - busy.get(v.id, 0))
        found.append(Suggestion(v.reference, first_name(vault.open_or_none(v.name_encrypted) or ""), v.area or v.area_label, miles,
                                bool(request.area) and v.area == request.area, offers, shared, times, describe(meet) if meet else None,
                                busy.get(v.id, 0), round(score, 2)))
    found.sort(key=lambda s: (-s.score, s.miles if s.miles is not None else FAR_MILES * 10, s.reference))
    return found[:limit]
