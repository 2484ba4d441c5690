"""Residents and their consent to be texted."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from casework.models import Resident, utcnow
from casework.privacy.consent import has_consent, record_consent
from casework.residents.identity import sms_sender_ids
from service.settings import Settings


def find_resident(session: Session, sender_id: str) -> Resident | None:
    return session.scalars(select(Resident).where(Resident.sender_id == sender_id)).first()


@dataclass(frozen=True)
class Contact:
    """The resident a message came from, as the intake needs them."""

    opted_out: bool
    # The privacy notice went out with an earlier reply (casework.privacy.consent): it never goes twice.
    notice_given: bool


# Every message a resident sends reads and touches their row: two statements built once, the row
# never loaded whole (bench/profile_web.py).
_CONTACT = select(Resident.id, Resident.opted_out, Resident.phone_encrypted.is_not(None).label("has_phone"),
                  Resident.privacy_notice_at.is_not(None).label("notice_given")).where(Resident.sender_id == bindparam("sender_id"))
_RESIDENT = Resident.__table__
_TOUCH = update(_RESIDENT).where(_RESIDENT.c.id == bindparam("resident_id")).values(last_contact_at=bindparam("at"))
_TOUCH_AND_NUMBER = _TOUCH.values(phone_encrypted=bindparam("phone"))


def touch_resident(session: Session, *, sender_id: str, channel: str, phone_encrypted: str | None = None) -> Contact:
    """The resident behind a sender id, created on first contact; records the latest contact (and
    their sealed number, if it was missing)."""
    found = session.execute(_CONTACT, {"sender_id": sender_id}).first()
    if found is None:
        session.add(Resident(sender_id=sender_id, channel=channel, phone_encrypted=phone_encrypted, opted_out=False, last_contact_at=utcnow()))
        session.flush()
        return Contact(opted_out=False, notice_given=False)
    if phone_encrypted and not found.has_phone:
        session.execute(_TOUCH_AND_NUMBER, {"resident_id": found.id, "at": utcnow(), "phone": phone_encrypted})
    else:
        session.execute(_TOUCH, {"resident_id": found.id, "at": utcnow()})
    return Contact(opted_out=bool(found.opted_out), notice_given=bool(found.notice_given))


def set_opted_out(session: Session, sender_id: str, opted_out: bool) -> bool:
    """Record STOP or START. Returns True when the state changed."""
    resident = find_resident(session, sender_id)
    if resident is None or resident.opted_out == opted_out:
        return False
    resident.opted_out = opted_out
    resident.opted_out_at = utcnow() if opted_out else None
    # STOP withdraws consent to every text; START gives back only what they asked for by texting us
    # (suggestions): follow-up texts need their own yes.
    for purpose in ("suggestions", "follow_up") if opted_out else ("suggestions",):
        record_consent(session, sender_id=sender_id, purpose=purpose, granted=not opted_out,
                       source="opt_out" if opted_out else "opt_in", at=resident.opted_out_at)
    if opted_out and has_consent(session, sender_id, "loneliness"):
        # Withdrawn only where it was given: someone never asked has not said no (casework.loneliness asks
        # nobody who did), and may be asked after they text START.
        record_consent(session, sender_id=sender_id, purpose="loneliness", granted=False, source="opt_out", at=resident.opted_out_at)
    return True


def is_opted_out(session: Session, sender_id: str) -> bool:
    resident = find_resident(session, sender_id)
    return bool(resident and resident.opted_out)


def resolve_sms_sender(session: Session, number: str, settings: Settings) -> str:
    """The sender id to use for a number: under the current PHONE_HASH_KEY, unless the resident is known
    only under an old key (PHONE_HASH_KEY_PREVIOUS), in which case that old id, so their opt-out and
    conversation carry on until `python -m jobs.rekey` moves them. Raises InvalidPhoneNumber.
    """
    current, *older = sms_sender_ids(number, settings)
    if not older:
        return current
    known = set(session.scalars(select(Resident.sender_id).where(Resident.sender_id.in_([current, *older]))))
    if current in known:
        return current
    return next((old for old in older if old in known), current)
