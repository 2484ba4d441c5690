"""Starting the measure: a resident who has just had support is asked, with consent, how lonely they feel
(casework.loneliness.asking texts the consent question; the worker sends it in texting hours).

`measure_loneliness` is the one door, for every kind of support:
- `suggestion`: a "did you go?" check-in answered "went" (casework.conversation.questions);
- `case`: a connector closed the resident's case as supported (casework.cases.lifecycle.close_case);
- `befriending`: a befriending match both sides agreed to (for the matches' room to call).

Only the first support starts it (one first score per resident; the follow-up is about eight weeks after
that score), only for an SMS resident with a number who has not opted out, and never for anyone who
said no (casework.privacy.consent, purpose `loneliness`): declining is for good.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.loneliness.models import SUPPORT_KINDS, LonelinessScore
from casework.models import Resident, as_utc, utcnow
from casework.privacy.consent import decision_on
from service.settings import Settings, SettingsError

__all__ = ["PURPOSE", "LonelinessSettings", "loneliness_settings", "Measure", "measure_loneliness"]

PURPOSE = "loneliness"  # casework.privacy.consent.PURPOSES
DEFAULT_FOLLOW_UP_DAYS = "56"  # about eight weeks, as national programmes measure


@dataclass(frozen=True)
class LonelinessSettings:
    follow_up_after: timedelta  # LONELINESS_FOLLOW_UP_DAYS: from the first score to the follow-up's consent question


def loneliness_settings(settings: Settings) -> LonelinessSettings:
    raw = settings.value("LONELINESS_FOLLOW_UP_DAYS", DEFAULT_FOLLOW_UP_DAYS)
    try:
        days = float(raw)
    except ValueError:
        raise SettingsError(f"LONELINESS_FOLLOW_UP_DAYS must be a number of days, got {raw!r}") from None
    if days <= 0:
        raise SettingsError("LONELINESS_FOLLOW_UP_DAYS must be more than 0")
    return LonelinessSettings(timedelta(days=days))


@dataclass(frozen=True)
class Measure:
    started: bool
    why_not: str | None = None  # not_sms | no_number | opted_out | declined | already


def district(area: str | None) -> str | None:
    """The postcode district of an area as a case or a place gives it ("CH41 2AA" -> "CH41")."""
    words = (area or "").strip().upper().split()
    return words[0][:8] if words else None


def measure_loneliness(session: Session, *, sender_id: str, support: str, area: str | None = None,
                       now: datetime | None = None) -> Measure:
    """Start measuring this resident's loneliness after `support` (SUPPORT_KINDS) in `area` (a postcode
    district, or None), unless it may not or already has: see the module docstring."""
    if support not in SUPPORT_KINDS:
        raise ValueError(f"support must be one of {', '.join(SUPPORT_KINDS)}")
    now = as_utc(now) or utcnow()
    if not sender_id.startswith("sms:"):
        return Measure(False, "not_sms")  # web chat is anonymous and over within a day: nobody to ask later
    resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).first()
    if resident is None or not resident.phone_encrypted:
        return Measure(False, "no_number")
    if resident.opted_out:
        return Measure(False, "opted_out")
    if decision_on(session, sender_id, PURPOSE) is False:
        return Measure(False, "declined")
    if session.scalars(select(LonelinessScore.id).where(LonelinessScore.sender_id == sender_id).limit(1)).first() is not None:
        return Measure(False, "already")
    session.add(LonelinessScore(sender_id=sender_id, support=support, area=district(area), supported_at=now, round="first",
                                state="due", due_at=now))
    session.flush()
    return Measure(True)
