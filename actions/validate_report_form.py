"""validate_report_form: keep the reporter's words, turn choices into casework's values, and ask again
only when an answer cannot be used (nothing said, or a time or contact that says nothing we know)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.report_answers import contact_in, person_knows_of, relationship_of, urgency_of, yes_or_no
from actions.slots import REPORT_CONTACT, REPORT_PERSON_KNOWS, REPORT_RELATIONSHIP, REPORT_URGENCY, REPORT_WHERE, REPORT_WHO, REPORT_WORRY
from casework.residents.identity import SMS_PREFIX

__all__ = ["ValidateReportForm", "NO_CONTACT", "SMS_YES", "is_sms"]

# Slot values for the last question: an SMS reporter's "yes" means "text me on this number".
SMS_YES = "yes"
NO_CONTACT = "no"
# Casework keeps up to 2000 characters; a name or an address needs far fewer.
SHORT_TEXT = 200
LONG_TEXT = 2000


def is_sms(tracker: Tracker) -> bool:
    return str(tracker.sender_id or "").startswith(SMS_PREFIX)


def _words(value: Any, limit: int) -> str | None:
    """The reporter's own words, or None when there are none. An intent payload ("/report_concern",
    sent by the intake's safety screen) is not an answer: the question is asked again."""
    text = str(value or "").strip()
    if not text or text.startswith("/"):
        return None
    return text[:limit]


class ValidateReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_report_form"

    def validate_report_who(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {REPORT_WHO: _words(value, SHORT_TEXT)}

    def validate_report_where(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {REPORT_WHERE: _words(value, SHORT_TEXT)}

    def validate_report_worry(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {REPORT_WORRY: _words(value, LONG_TEXT)}

    def validate_report_urgency(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        urgency = urgency_of(str(value or ""))
        if urgency is None:
            dispatcher.utter_message(response="utter_report_not_understood")
        return {REPORT_URGENCY: urgency}

    def validate_report_person_knows(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        said = _words(value, SHORT_TEXT)
        return {REPORT_PERSON_KNOWS: person_knows_of(said) if said else None}

    def validate_report_relationship(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        said = _words(value, SHORT_TEXT)
        return {REPORT_RELATIONSHIP: relationship_of(said) if said else None}

    def validate_report_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        said = str(value or "")
        answer = yes_or_no(said)
        if is_sms(tracker):
            # Their own number is known to the intake: only whether to use it is asked.
            if answer is None:
                dispatcher.utter_message(response="utter_report_contact_not_understood")
                return {REPORT_CONTACT: None}
            return {REPORT_CONTACT: SMS_YES if answer else NO_CONTACT}
        if answer is False:
            return {REPORT_CONTACT: NO_CONTACT}
        contact = contact_in(said)
        if contact is None:
            dispatcher.utter_message(response="utter_report_contact_not_understood")
        return {REPORT_CONTACT: contact}
