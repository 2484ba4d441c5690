"""Good neighbours: a volunteer's sign-up from the bot, and the connector for their area told.

A sign-up is recorded with its own reference (GN-12345) and everything the volunteer typed sealed.
The area's connector (casework.connectors.alert_order, rota or not: this is not an emergency) is
sent a text and an email through the outbox in working hours, saying only the reference, the area
and what is offered (casework/texts.yml: volunteer_*); the name, when they are free and how to reach
them are read with `volunteers show`, which is audited. With no connector to tell, the sign-up is
still kept, and the bot says so rather than promising a call.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.alert_settings import alert_settings
from casework.case_models import VOLUNTEER_ROLES, Connector, Volunteer
from casework.cases import CaseworkError
from casework.connectors import alert_order, postcode_district
from casework.identity import PhoneVault
from casework.inbound import BodyVault
from casework.models import Resident, as_utc, utcnow
from casework.outbox.messages import connector_recipient, enqueue_connector_sms, enqueue_email
from casework.texts import render
from service.settings import Settings

__all__ = ["VOLUNTEER_ROLES", "VolunteerOffer", "VolunteerSignedUp", "VolunteerDetails", "VolunteerSummary",
           "sign_up_volunteer", "volunteer_details", "list_volunteers", "roles_words"]

log = logging.getLogger(__name__)

PREFIX = "GN"
TEXT_LENGTH = 200


@dataclass(frozen=True)
class VolunteerOffer:
    name: str
    area_label: str  # the town or district they gave, located ("Wallasey", "CH44")
    area: str | None  # its postcode district, which connectors' patches are made of
    availability: str  # their own words: "weekday mornings"
    roles: tuple[str, ...]  # from VOLUNTEER_ROLES
    channel: str  # sms | webchat
    sender_id: str | None = None
    contact: str | None = None  # web chat: a phone number or an email address


@dataclass(frozen=True)
class VolunteerSignedUp:
    reference: str
    connector_told: bool


@dataclass(frozen=True)
class VolunteerDetails:
    reference: str
    name: str
    area_label: str
    availability: str
    roles: tuple[str, ...]
    contact: str  # what they typed in web chat, else their SMS number (in full: this is for ringing them)
    state: str
    created_at: datetime


def roles_words(roles: tuple[str, ...] | list[str]) -> str:
    return ", ".join(render(f"volunteer_role_{role}") for role in roles)


def _new_reference(session: Session) -> str:
    while True:
        reference = f"{PREFIX}-{secrets.randbelow(90000) + 10000}"
        if session.scalars(select(Volunteer.id).where(Volunteer.reference == reference)).first() is None:
            return reference


def sign_up_volunteer(session: Session, *, offer: VolunteerOffer, settings: Settings, actor: str = "bot",
                      now: datetime | None = None) -> VolunteerSignedUp:
    """Record the sign-up and tell the area's connector, in the caller's transaction."""
    now = as_utc(now) or utcnow()
    name, availability = " ".join(offer.name.split()), " ".join(offer.availability.split())
    if not name or not availability or not offer.area_label.strip():
        raise CaseworkError("a volunteer needs a name, an area and when they are free")
    if not offer.roles or any(role not in VOLUNTEER_ROLES for role in offer.roles):
        raise CaseworkError(f"roles must be some of {', '.join(VOLUNTEER_ROLES)}")
    vault = BodyVault.for_settings(settings)
    area = postcode_district(offer.area) if offer.area else None
    volunteer = Volunteer(
        reference=_new_reference(session), sender_id=offer.sender_id, channel=offer.channel[:16],
        name_encrypted=vault.seal(name[:TEXT_LENGTH]), area=area, area_label=offer.area_label.strip()[:64],
        availability_encrypted=vault.seal(availability[:TEXT_LENGTH]), roles=",".join(offer.roles),
        contact_encrypted=vault.seal(offer.contact.strip()[:TEXT_LENGTH]) if offer.contact and offer.contact.strip() else None,
        state="new", created_at=now,
    )
    session.add(volunteer)
    session.flush()
    # Whoever covers the area, on shift or not; with nobody local, whoever alert_order would try next.
    order = alert_order(session, area=area, at=now, ignore_rota=True)
    if not order:
        audit.record(session, actor=actor, action="volunteer_signed_up", at=now,
                     detail=f"{volunteer.reference} in {area or volunteer.area_label}; nobody to tell")
        log.warning("volunteer %s: no connector to tell (add connectors: python -m casework connectors add)", volunteer.reference)
        return VolunteerSignedUp(volunteer.reference, connector_told=False)
    connector = order[0]
    values = {"reference": volunteer.reference, "area": area or volunteer.area_label, "roles": roles_words(offer.roles)}
    # Not urgent: it waits for working hours, like a routine alert.
    sends_at = alert_settings(settings).sends_at("routine", now)
    mobile = session.scalars(select(Connector.mobile_encrypted).where(Connector.id == connector.id)).one()
    enqueue_connector_sms(session, connector_id=connector.id, phone_encrypted=mobile, body=render("volunteer_sms", **values),
                          purpose="volunteer", not_before=sends_at)
    enqueue_email(session, to_address=connector.email, subject=render("volunteer_email_subject", **values),
                  body=render("volunteer_email_body", **values), purpose="volunteer",
                  recipient_sender_id=connector_recipient(connector.id), not_before=sends_at)
    volunteer.connector_id = connector.id
    volunteer.told_at = now
    audit.record(session, actor=actor, action="volunteer_signed_up", at=now,
                 detail=f"{volunteer.reference} in {values['area']}; offers {volunteer.roles}; told connector:{connector.id}")
    return VolunteerSignedUp(volunteer.reference, connector_told=True)


def volunteer_details(session: Session, *, reference: str, settings: Settings, actor: str) -> VolunteerDetails | None:
    """Everything about one sign-up, opened; the read is audited."""
    volunteer = session.scalars(select(Volunteer).where(Volunteer.reference == reference.strip().upper())).first()
    if volunteer is None:
        return None
    vault = BodyVault.for_settings(settings)
    contact = vault.open(volunteer.contact_encrypted) if volunteer.contact_encrypted else ""
    if not contact and volunteer.sender_id:
        phone = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == volunteer.sender_id)).first()
        contact = PhoneVault.for_settings(settings).open(phone) if phone else ""
    audit.record(session, actor=actor, action="volunteer_read", detail=volunteer.reference)
    return VolunteerDetails(
        reference=volunteer.reference, name=vault.open(volunteer.name_encrypted), area_label=volunteer.area_label,
        availability=vault.open(volunteer.availability_encrypted), roles=tuple(filter(None, volunteer.roles.split(","))),
        contact=contact, state=volunteer.state, created_at=volunteer.created_at,
    )


@dataclass(frozen=True)
class VolunteerSummary:
    reference: str
    area: str
    roles: tuple[str, ...]
    state: str
    told: bool
    created_at: datetime


def list_volunteers(session: Session) -> list[VolunteerSummary]:
    """Every sign-up, newest first, without anything private (no name, no number)."""
    rows = session.scalars(select(Volunteer).order_by(Volunteer.created_at.desc(), Volunteer.id.desc()))
    return [VolunteerSummary(v.reference, v.area or v.area_label, tuple(filter(None, v.roles.split(","))), v.state,
                             v.connector_id is not None, v.created_at) for v in rows]

