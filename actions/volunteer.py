"""Becoming a good neighbour: validate_volunteer_form (name, area, when free, what they would like
to do, and in web chat how to reach them) and action_record_volunteer (the sign-up, the connector told)."""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.conversation_session import new_session_when_long
from actions.database import sessions
from actions.slots import (
    PLACE,
    VOLUNTEER_AREA,
    VOLUNTEER_AVAILABILITY,
    VOLUNTEER_CONTACT,
    VOLUNTEER_NAME,
    VOLUNTEER_ROLES,
    VOLUNTEER_SLOTS,
)
from casework.cases.models import VOLUNTEER_ROLES as ROLES
from casework.cases.opening import CaseworkError
from casework.good_neighbours.sign_up import VolunteerOffer, VolunteerSignedUp, sign_up_volunteer
from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number
from directory import district_of, locate
from service.settings import load_settings

logger = logging.getLogger(__name__)

# The order the question lists them in, so "1 and 4" means calls and driving.
_BY_NUMBER = dict(enumerate(ROLES, start=1))
_ROLE_WORDS = (
    ("befriending_calls", re.compile(r"\b(call|calls|calling|phone|ring|ringing|befriend\w*|chat on the phone|telephone)\b", re.I)),
    ("visits", re.compile(r"\b(visit\w*|pop round|popping round|home|house|sit with)\b", re.I)),
    ("group_helper", re.compile(r"\b(group|groups|club|cafe|helping at|help at|help out|helping out|tea|set up|setting up)\b", re.I)),
    ("driving", re.compile(r"\b(driv\w*|car|lifts?|transport)\b", re.I)),
)
_ALL = re.compile(r"\b(all|any|anything|everything|whatever|all of (them|it)|any of (them|it))\b", re.I)
_NAME_FILLER = re.compile(r"^(hi|hello)?[ ,]*(my name is|my name's|name is|i'm|i am|im|it's|its|this is|call me)\s+", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Intents whose words are no name ("i want to volunteer" typed again, "hello").
_NOT_A_NAME = frozenset({"volunteer", "greet", "affirm", "thank", "search_activities"})


def texted(tracker: Tracker) -> bool:
    """An SMS conversation: we already have their number, so we do not ask for one."""
    return tracker.get_latest_input_channel() == "sms" or tracker.sender_id.startswith("sms:")


def roles_in(text: str) -> tuple[str, ...]:
    """"1 and 4", "calls or driving", "any": the roles a volunteer offers, in the question's order."""
    if _ALL.search(text):
        return ROLES
    found = {_BY_NUMBER[int(d)] for d in re.findall(r"(?<!\d)([1-4])(?!\d)", text)}
    found |= {role for role, said in _ROLE_WORDS if said.search(text)}
    return tuple(role for role in ROLES if role in found)


def name_in(text: str) -> str | None:
    name = _NAME_FILLER.sub("", " ".join(text.split())).strip(" .!,")
    words = name.split()
    if not words or len(words) > 4 or len(name) > 40 or any(ch.isdigit() for ch in name):
        return None
    return " ".join(w.capitalize() if w.islower() or w.isupper() else w for w in words)


def contact_in(text: str) -> str | None:
    text = text.strip()
    if _EMAIL.match(text):
        return text
    try:
        return normalise_uk_number(text)
    except InvalidPhoneNumber:
        return None


class ValidateVolunteerForm(FormValidationAction):
    def name(self) -> str:
        return "validate_volunteer_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        return [s for s in domain_slots if s != VOLUNTEER_CONTACT] if texted(tracker) else domain_slots

    def validate_volunteer_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return {VOLUNTEER_NAME: None if intent in _NOT_A_NAME else name_in(str(value or ""))}

    async def validate_volunteer_area(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> dict[str, Any]:
        named = [str(e["value"]) for e in tracker.latest_message.get("entities", []) if e.get("entity") == PLACE]
        label = await asyncio.get_running_loop().run_in_executor(None, area_label, [*named, str(value or "")])
        if label is None:
            dispatcher.utter_message(response="utter_volunteer_area_not_found", place=str(value or "")[:40])
        return {VOLUNTEER_AREA: label}

    def validate_volunteer_availability(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> dict[str, Any]:
        said = " ".join(str(value or "").split())
        return {VOLUNTEER_AVAILABILITY: said[:120] or None}

    def validate_volunteer_roles(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        roles = roles_in(str(value or ""))
        if not roles:
            dispatcher.utter_message(response="utter_volunteer_roles_unclear")
            return {VOLUNTEER_ROLES: None}
        return {VOLUNTEER_ROLES: ",".join(roles)}

    def validate_volunteer_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        contact = contact_in(str(value or ""))
        if contact is None:
            dispatcher.utter_message(response="utter_volunteer_contact_unclear")
        return {VOLUNTEER_CONTACT: contact}


def area_label(candidates: list[str]) -> str | None:
    """The area as we keep it: a town's name, or a postcode's district (never the full postcode)."""
    for candidate in candidates:
        place = locate(None, candidate) if candidate.strip() else None
        if place is not None:
            return place.label if place.kind == "town" else (district_of(place) or place.label)
    return None


class ActionRecordVolunteer(Action):
    def name(self) -> str:
        return "action_record_volunteer"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        label = tracker.get_slot(VOLUNTEER_AREA) or ""
        offer = VolunteerOffer(
            name=tracker.get_slot(VOLUNTEER_NAME) or "",
            area_label=label,
            area=None,  # worked out from the label with the rest, off the event loop
            availability=tracker.get_slot(VOLUNTEER_AVAILABILITY) or "",
            roles=tuple(filter(None, (tracker.get_slot(VOLUNTEER_ROLES) or "").split(","))),
            channel="sms" if texted(tracker) else "webchat",
            sender_id=tracker.sender_id,
            contact=tracker.get_slot(VOLUNTEER_CONTACT),
        )
        # What they told us is in the sign-up now; the conversation need not carry it on.
        forget = [SlotSet(slot, None) for slot in VOLUNTEER_SLOTS]
        try:
            signed: VolunteerSignedUp = await asyncio.get_running_loop().run_in_executor(None, record, offer)
        except (CaseworkError, SQLAlchemyError):
            logger.exception("a volunteer sign-up could not be recorded")
            dispatcher.utter_message(response="utter_service_trouble")
            return forget
        response = "utter_volunteer_thanks" if signed.connector_told else "utter_volunteer_noted"
        dispatcher.utter_message(response=response, name=offer.name, area=label, reference=signed.reference)
        return forget


def record(offer: VolunteerOffer) -> VolunteerSignedUp:
    place = locate(None, offer.area_label)
    offer = replace(offer, area=district_of(place) if place is not None else None)
    settings = load_settings()
    with sessions().begin() as session:
        return sign_up_volunteer(session, offer=offer, settings=settings)
