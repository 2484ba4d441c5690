"""Reading volunteers: the list by state and area (nothing private: no name, no number), one volunteer
in full with their checks, training and history (the read is audited, as `volunteers show` always was),
and the volunteers a phone number or an email address reaches (the command line, erasure and subject access).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.audit import AuditEntry
from casework.cases.models import VOLUNTEER_STATES, Volunteer, VolunteerCheck, VolunteerTraining
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.checks import checks_needed
from casework.good_neighbours.texting import phone_in
from casework.models import Resident, as_utc
from casework.residents.identity import PhoneVault, sms_sender_ids
from casework.texts import render
from service.settings import Settings

__all__ = ["UnknownVolunteer", "VolunteerSummary", "CheckSeen", "ModuleProgress", "VolunteerDetails", "roles_words",
           "console_link", "normalise_reference", "list_volunteers", "volunteer_details", "find_by_phone",
           "volunteers_reached", "linked_sender_ids"]


class UnknownVolunteer(CaseworkError):
    """No volunteer with that reference (or, in the console, none this connector may see)."""


def roles_words(roles: Iterable[str]) -> str:
    return ", ".join(render(f"volunteer_role_{role}") for role in roles)


def console_link(settings: Settings, reference: str) -> str:
    return f"{settings.public_base_url}/console/volunteers/{reference}"


def normalise_reference(reference: str) -> str:
    return " ".join(reference.split()).upper()


def _roles(volunteer: Volunteer) -> tuple[str, ...]:
    return tuple(filter(None, volunteer.roles.split(",")))


@dataclass(frozen=True)
class VolunteerSummary:
    reference: str
    area: str  # the district, or the town they gave when it has none
    district: str | None
    roles: tuple[str, ...]
    state: str
    state_changed_at: datetime
    told: bool
    connector_id: int | None
    created_at: datetime


def _summary(v: Volunteer) -> VolunteerSummary:
    return VolunteerSummary(v.reference, v.area or v.area_label, v.area, _roles(v), v.state,
                            as_utc(v.state_changed_at) or v.created_at, v.connector_id is not None, v.connector_id,
                            as_utc(v.created_at) or v.created_at)


def list_volunteers(session: Session, *, state: str | None = None, area: str | None = None) -> list[VolunteerSummary]:
    """Volunteers in the order of the states (applied first), newest first within one; optionally one
    state and one district (or the start of one: "CH4"). Nothing private (no name, no number)."""
    query = select(Volunteer)
    if state in VOLUNTEER_STATES:
        query = query.where(Volunteer.state == state)
    if area:
        query = query.where(Volunteer.area.like(area.strip().upper().replace("%", "") + "%"))
    rows = session.scalars(query.order_by(Volunteer.created_at.desc(), Volunteer.id.desc()))
    order = {name: i for i, name in enumerate(VOLUNTEER_STATES)}
    return sorted((_summary(v) for v in rows), key=lambda v: order.get(v.state, len(order)))


@dataclass(frozen=True)
class CheckSeen:
    kind: str
    seen_on: date
    recorded_at: datetime
    recorded_by: str  # an audit actor


@dataclass(frozen=True)
class ModuleProgress:
    module: str
    state: str  # casework.cases.models.TRAINING_STATES
    texted_at: datetime
    reminders: int
    wrong_answers: int
    done_at: datetime | None


@dataclass(frozen=True)
class VolunteerDetails:
    reference: str
    name: str
    area: str | None
    area_label: str
    availability: str
    interests: str
    roles: tuple[str, ...]
    contact: str  # what they typed in web chat, else their SMS number (in full: this is for ringing them)
    channel: str
    state: str
    state_changed_at: datetime
    state_changed_by: str
    approved_at: datetime | None
    approved_by: str | None
    training_completed_at: datetime | None
    connector_id: int | None
    created_at: datetime
    can_be_texted: bool  # a number to text training to
    checks_needed: tuple[str, ...]
    checks: tuple[CheckSeen, ...]
    training: tuple[ModuleProgress, ...]
    history: tuple[AuditEntry, ...]

    @property
    def checks_missing(self) -> tuple[str, ...]:
        seen = {check.kind for check in self.checks}
        return tuple(kind for kind in self.checks_needed if kind not in seen)

    @property
    def trained(self) -> bool:
        return self.training_completed_at is not None


def _opened(vault: BodyVault, token: str | None) -> str:
    if not token:
        return ""
    try:
        return vault.open(token)
    except InvalidToken:
        return "[sealed under a key no longer configured]"


def volunteer_details(session: Session, *, reference: str, settings: Settings, actor: str) -> VolunteerDetails | None:
    """Everything about one volunteer, opened; the read is audited."""
    volunteer = session.scalars(select(Volunteer).where(Volunteer.reference == normalise_reference(reference))).first()
    if volunteer is None:
        return None
    vault = BodyVault.for_settings(settings)
    contact = _opened(vault, volunteer.contact_encrypted)
    phone = None
    if volunteer.sms_sender_id or (volunteer.sender_id or "").startswith("sms:"):
        phone = session.scalars(select(Resident.phone_encrypted).where(
            Resident.sender_id == (volunteer.sms_sender_id or volunteer.sender_id))).first()
    if not contact and phone:
        try:
            contact = PhoneVault.for_settings(settings).open(phone)
        except InvalidToken:
            contact = "[sealed under a key no longer configured]"
    audit.record(session, actor=actor, action="volunteer_read", case_reference=volunteer.reference, detail=volunteer.reference)
    session.flush()  # the read is in the history shown with it
    checks = session.scalars(select(VolunteerCheck).where(VolunteerCheck.volunteer_id == volunteer.id).order_by(VolunteerCheck.kind))
    training = session.scalars(select(VolunteerTraining).where(VolunteerTraining.volunteer_id == volunteer.id)
                               .order_by(VolunteerTraining.id))
    return VolunteerDetails(
        reference=volunteer.reference, name=_opened(vault, volunteer.name_encrypted), area=volunteer.area,
        area_label=volunteer.area_label, availability=_opened(vault, volunteer.availability_encrypted),
        interests=_opened(vault, volunteer.interests_encrypted), roles=_roles(volunteer), contact=contact, channel=volunteer.channel,
        state=volunteer.state, state_changed_at=as_utc(volunteer.state_changed_at) or volunteer.created_at,
        state_changed_by=volunteer.state_changed_by, approved_at=as_utc(volunteer.approved_at), approved_by=volunteer.approved_by,
        training_completed_at=as_utc(volunteer.training_completed_at), connector_id=volunteer.connector_id,
        created_at=as_utc(volunteer.created_at) or volunteer.created_at, can_be_texted=phone is not None or bool(phone_in(contact)),
        checks_needed=checks_needed(_roles(volunteer)),
        checks=tuple(CheckSeen(c.kind, c.seen_on, as_utc(c.recorded_at) or c.recorded_at, c.recorded_by) for c in checks),
        training=tuple(ModuleProgress(t.module, t.state, as_utc(t.texted_at) or t.texted_at, t.reminders, t.wrong_answers,
                                      as_utc(t.done_at)) for t in training),
        history=tuple(audit.trail(session, volunteer.reference)),
    )


def find_by_phone(session: Session, phone: str, settings: Settings) -> str | None:
    """The reference of the volunteer this number reaches (the latest sign-up if it signed up twice), or None.
    InvalidPhoneNumber when it is not a number."""
    ids = sms_sender_ids(phone, settings)
    return session.scalars(select(Volunteer.reference).where(or_(Volunteer.sms_sender_id.in_(ids), Volunteer.sender_id.in_(ids)))
                           .order_by(Volunteer.created_at.desc(), Volunteer.id.desc())).first()


def volunteers_reached(session: Session, *, sender_ids: Collection[str], numbers: Collection[str], settings: Settings,
                       emails: Collection[str] = ()) -> list[int]:
    """Ids of the volunteers who are the person behind these sender ids, numbers or email addresses: by the
    conversation they signed up in, the number they are texted at, or a number or address left in web chat. A
    sealed contact cannot be looked up, so those not yet linked to a pseudonym are opened and compared (as
    reports' reporter contacts are: casework.privacy.subject_access)."""
    ids = list(sender_ids)
    found = set(session.scalars(select(Volunteer.id).where(or_(Volunteer.sender_id.in_(ids), Volunteer.sms_sender_id.in_(ids)))))
    wanted = {number for number in (phone_in(n) for n in numbers) if number}
    addresses = {email.strip().lower() for email in emails if email and "@" in email}
    if wanted or addresses:
        vault = BodyVault.for_settings(settings)
        unlinked = select(Volunteer.id, Volunteer.contact_encrypted).where(Volunteer.sms_sender_id.is_(None),
                                                                           Volunteer.contact_encrypted.isnot(None))
        for volunteer_id, sealed in session.execute(unlinked):
            try:
                contact = vault.open(sealed)
            except InvalidToken:
                continue
            if phone_in(contact) in wanted or contact.strip().lower() in addresses:
                found.add(volunteer_id)
    return sorted(found)


def linked_sender_ids(session: Session, *, sender_ids: Collection[str], numbers: Collection[str], settings: Settings,
                      emails: Collection[str] = ()) -> set[str]:
    """Every sender id of the volunteers these ids, numbers or addresses reach: the web chat they signed up in
    and the number they are texted at are one person's, and an erasure or an access request reaches both."""
    reached = volunteers_reached(session, sender_ids=sender_ids, numbers=numbers, settings=settings, emails=emails)
    if not reached:
        return set()
    rows = session.execute(select(Volunteer.sender_id, Volunteer.sms_sender_id).where(Volunteer.id.in_(reached)))
    return {sender_id for row in rows for sender_id in row if sender_id}
