"""The number a volunteer is texted at (training, reminders), as the SMS pseudonym the rest of the service
uses, never the number itself.

An SMS sign-up is texted at the number it came from: its sender id. A web-chat sign-up who left a phone
number is texted there: its pseudonym (`sms:` + keyed hash) is kept on the volunteer, and a resident row
holds the number sealed, because that row is what the outbox sends to, what STOP from that number
marks opted out, and where the re-key command finds the number to move the pseudonym to a new key.
"""
from __future__ import annotations

from cryptography.fernet import InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases.models import Volunteer
from casework.conversation.inbound import BodyVault
from casework.models import Resident
from casework.residents.identity import InvalidPhoneNumber, PhoneVault, normalise_uk_number
from casework.residents.records import find_resident, resolve_sms_sender
from service.settings import Settings

__all__ = ["phone_in", "sender_for_number", "texting_sender"]


def phone_in(contact: str | None) -> str | None:
    """The E.164 number a web-chat contact is, or None (an email address, or nothing)."""
    if not contact or "@" in contact:
        return None
    try:
        return normalise_uk_number(contact)
    except InvalidPhoneNumber:
        return None


def sender_for_number(session: Session, number: str, settings: Settings) -> str:
    """The number's SMS sender id, with a resident row holding it sealed (made if there is none)."""
    sender_id = resolve_sms_sender(session, number, settings)
    resident = find_resident(session, sender_id)
    if resident is None:
        session.add(Resident(sender_id=sender_id, channel="sms", phone_encrypted=PhoneVault.for_settings(settings).seal(number),
                             opted_out=False))
        session.flush()
    elif not resident.phone_encrypted:
        resident.phone_encrypted = PhoneVault.for_settings(settings).seal(number)
    return sender_id


def texting_sender(session: Session, volunteer: Volunteer, settings: Settings) -> str | None:
    """Whom to text this volunteer as, or None when there is no number to text (an email left in web
    chat, or their record at the number is gone). A web-chat sign-up from before the pseudonym was
    kept on the volunteer gets it now, from the number they left."""
    if volunteer.sms_sender_id is None and volunteer.contact_encrypted:
        try:
            number = phone_in(BodyVault.for_settings(settings).open(volunteer.contact_encrypted))
        except InvalidToken:
            number = None
        if number is not None:
            volunteer.sms_sender_id = sender_for_number(session, number, settings)
    if volunteer.sms_sender_id is None:
        return None
    has_number = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == volunteer.sms_sender_id)).first()
    return volunteer.sms_sender_id if has_number else None
