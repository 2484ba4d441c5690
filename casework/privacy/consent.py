"""Consent per purpose, and the privacy notice a resident is given with their first reply.

Purposes (what a resident can say yes or no to):
- `suggestions`: answering their messages with local groups and activities. Given by texting or
  chatting to the service, recorded when the privacy notice goes out with the first reply (after a
  crisis, the first ordinary reply: a crisis answer carries nothing else); withdrawn by STOP, given
  again by START.
- `follow_up`: texts the service sends on its own later ("did you go?"). Never assumed: recorded
  when the resident says yes to a follow-up, withdrawn by STOP.
- `sharing`: passing their details to a community connector. Given when they ask for a person
  (TALK, "can someone ring me").
- `remember`: keeping an SMS resident's last interest and area between conversations, to greet them
  with next time (casework.residents.memory). Never assumed: asked once after an activity's details, granted by
  replying 1 (yes), refused by 2 (no), withdrawn by CLEAR ("forget what i like"); never asked again
  once decided. Not offered in web chat (anonymous, and over within a day).
- `loneliness`: answering the three loneliness questions by text after support, and again about eight
  weeks later (casework.loneliness). Never assumed: asked in one short text, granted by 1 (yes),
  refused by 2 (no), and then never asked again; STOP withdraws it.

Safeguarding does not wait for consent: a case about someone at risk records its own lawful basis
(vital_interests, public_task: casework.cases.triage.LAWFUL_BASIS) and goes ahead whatever this table says.

Every decision is a new row (the latest per purpose is the current state), so the history shows when
and how consent was given or withdrawn. Plain values out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from casework.models import Resident, utcnow
from casework.privacy.models import Consent

__all__ = [
    "PURPOSES",
    "NOTICE_VERSION",
    "ConsentDecision",
    "record_consent",
    "current_consent",
    "has_consent",
    "decision_on",
    "consent_history",
    "privacy_notice_due",
    "give_privacy_notice",
]

PURPOSES = ("suggestions", "follow_up", "sharing", "remember", "loneliness")
# Bump when the notice (bot/domain/responses_privacy.yml, web/static/privacy.html) changes in substance,
# so each consent row says which wording the resident had seen.
NOTICE_VERSION = "2026-12b"


@dataclass(frozen=True)
class ConsentDecision:
    purpose: str
    granted: bool
    at: datetime
    source: str
    notice_version: str | None


def record_consent(session: Session, *, sender_id: str, purpose: str, granted: bool, source: str,
                   at: datetime | None = None) -> None:
    """Add a decision to the history (in the caller's transaction). A decision that changes nothing
    is not repeated: the first time consent was given is the one worth keeping."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}")
    latest = _latest(session, sender_id, purpose)
    if latest is not None and latest.granted == granted:
        return
    notice = session.scalars(select(Resident.privacy_notice_at).where(Resident.sender_id == sender_id)).first()
    session.add(Consent(sender_id=sender_id, purpose=purpose, granted=granted, at=at or utcnow(), source=source[:32],
                        notice_version=NOTICE_VERSION if notice else None))
    session.flush()


def _latest(session: Session, sender_id: str, purpose: str) -> Consent | None:
    return session.scalars(
        select(Consent).where(Consent.sender_id == sender_id, Consent.purpose == purpose).order_by(Consent.at.desc(), Consent.id.desc())
    ).first()


def current_consent(session: Session, sender_id: str) -> dict[str, bool]:
    """Each purpose and whether consent stands now (False where never given)."""
    return {purpose: bool((row := _latest(session, sender_id, purpose)) is not None and row.granted) for purpose in PURPOSES}


def has_consent(session: Session, sender_id: str, purpose: str) -> bool:
    row = _latest(session, sender_id, purpose)
    return row is not None and row.granted


def decision_on(session: Session, sender_id: str, purpose: str) -> bool | None:
    """The standing decision on a purpose: granted, refused or withdrawn (False), or None if never asked."""
    row = _latest(session, sender_id, purpose)
    return None if row is None else bool(row.granted)


def consent_history(session: Session, sender_ids: list[str]) -> list[ConsentDecision]:
    rows = session.scalars(select(Consent).where(Consent.sender_id.in_(sender_ids)).order_by(Consent.at, Consent.id))
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return [ConsentDecision(r.purpose, r.granted, r.at if r.at.tzinfo else r.at.replace(tzinfo=timezone.utc), r.source,
                            r.notice_version) for r in rows]


# Asked with every answer, so built once.
_NOTICE_DUE = select(Resident.id).where(Resident.sender_id == bindparam("sender_id"), Resident.privacy_notice_at.is_(None))


def privacy_notice_due(session: Session, sender_id: str) -> bool:
    """Whether the next reply to this resident must carry the privacy notice (they have not had it).
    Someone who is not a resident (a connector, an unknown sender) gets none."""
    return session.execute(_NOTICE_DUE, {"sender_id": sender_id}).first() is not None


def give_privacy_notice(session: Session, sender_id: str, *, at: datetime | None = None) -> bool:
    """Record that the notice went out with a reply; the resident, told what we keep and why, goes on
    asking for suggestions: that purpose's consent is recorded now. False if it had already gone."""
    at = at or utcnow()
    changed = session.execute(
        update(Resident).where(Resident.sender_id == sender_id, Resident.privacy_notice_at.is_(None))
        .values(privacy_notice_at=at).execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return False
    opted_out = session.scalars(select(Resident.opted_out).where(Resident.sender_id == sender_id)).first()
    if not opted_out:
        record_consent(session, sender_id=sender_id, purpose="suggestions", granted=True, source="first_contact", at=at)
    return True
