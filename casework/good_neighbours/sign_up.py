"""A volunteer's sign-up from the bot, and the connector for their area told.

A sign-up is recorded with its own reference (GN-12345), in state `applied`, and everything the
volunteer typed sealed. The area's connector (casework.cases.connectors.alert_order, rota or not: this is
not an emergency) is sent a text and an email through the outbox in working hours, saying only the
reference, the area and what is offered (casework/texts.yml: volunteer_*); the name, when they are
free and how to reach them are on the volunteer's console page (or `volunteers show`), whose reading
is audited. With no connector to tell, the sign-up is still kept, and the bot says so rather than
promising a call.

Training is not started here: the connector rings the volunteer first (the bot tells them to expect
that), and moves them to training from the console once they have talked (casework.good_neighbours.states).
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.connectors import alert_order, postcode_district
from casework.cases.models import VOLUNTEER_ROLES, Connector, Volunteer
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.texting import phone_in, sender_for_number
from casework.good_neighbours.volunteers import console_link, roles_words
from casework.models import as_utc, utcnow
from casework.outbox.messages import connector_recipient, enqueue_connector_sms, enqueue_email
from casework.texts import render
from service.settings import Settings

__all__ = ["VolunteerOffer", "VolunteerSignedUp", "sign_up_volunteer"]

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


def _texted_at(session: Session, offer: VolunteerOffer, settings: Settings) -> str | None:
    """The SMS pseudonym training will be texted to: the number they texted from, or the one they left in web chat."""
    if offer.sender_id and offer.sender_id.startswith("sms:"):
        return offer.sender_id
    number = phone_in(offer.contact)
    return sender_for_number(session, number, settings) if number else None


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
        reference=_new_reference(session), sender_id=offer.sender_id, sms_sender_id=_texted_at(session, offer, settings),
        channel=offer.channel[:16], name_encrypted=vault.seal(name[:TEXT_LENGTH]), area=area, area_label=offer.area_label.strip()[:64],
        availability_encrypted=vault.seal(availability[:TEXT_LENGTH]), roles=",".join(offer.roles),
        contact_encrypted=vault.seal(offer.contact.strip()[:TEXT_LENGTH]) if offer.contact and offer.contact.strip() else None,
        state="applied", state_changed_at=now, state_changed_by=actor[:64], created_at=now,
    )
    session.add(volunteer)
    session.flush()
    # Whoever covers the area, on shift or not; with nobody local, whoever alert_order would try next.
    order = alert_order(session, area=area, at=now, ignore_rota=True)
    if not order:
        audit.record(session, actor=actor, action="volunteer_signed_up", at=now, case_reference=volunteer.reference,
                     detail=f"{volunteer.reference} in {area or volunteer.area_label}; nobody to tell")
        log.warning("volunteer %s: no connector to tell (add connectors: python -m casework connectors add)", volunteer.reference)
        return VolunteerSignedUp(volunteer.reference, connector_told=False)
    connector = order[0]
    values = {"reference": volunteer.reference, "area": area or volunteer.area_label, "roles": roles_words(offer.roles),
              "console_url": console_link(settings, volunteer.reference)}
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
    audit.record(session, actor=actor, action="volunteer_signed_up", at=now, case_reference=volunteer.reference,
                 detail=f"{volunteer.reference} in {values['area']}; offers {volunteer.roles}; told connector:{connector.id}")
    return VolunteerSignedUp(volunteer.reference, connector_told=True)
