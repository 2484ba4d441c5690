"""action_open_report: the report form is complete; open the case and say what happens next, and by when.

Thin: the slots become a casework.cases.reports.ReportDetails, casework opens the case (alerting a connector
in the same transaction) on a thread, and the reply quotes the reference and the pick-up time. An SMS
reporter who said YES is texted on their own number when the case is closed: casework copies it,
sealed, from their resident record; the action only names the sender.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.conversation_session import new_session_when_long
from actions.database import sessions, settings
from actions.report_answers import postcode_in
from actions.slots import (
    REPORT_CONTACT,
    REPORT_PERSON_KNOWS,
    REPORT_RELATIONSHIP,
    REPORT_SLOTS,
    REPORT_URGENCY,
    REPORT_WHERE,
    REPORT_WHO,
    REPORT_WORRY,
)
from actions.validate_report_form import NO_CONTACT, SMS_YES, is_sms
from casework.cases.opening import CaseworkError
from casework.cases.reports import PickUpBy, ReportDetails, open_report, pick_up_by
from casework.safety.numbers import SAFETY_NUMBERS

__all__ = ["ActionOpenReport", "ReportOpened", "report_from", "send_report"]

logger = logging.getLogger(__name__)

KNOWS = {"yes": True, "no": False}
REPORT_FORM = "report_form"


@dataclass(frozen=True)
class ReportOpened:
    reference: str
    pick_up: PickUpBy | None
    reporter_told: bool


def _first_words(tracker: Tracker) -> str | None:
    """What the reporter said that started the report ("the man across the road hasnt opened his curtains
    in days"), kept with their answer about what worries them so they need not say it twice. The message
    before the form started, not the latest one classified report_concern: answers often are too
    ("mr jones at number 12"). Never the intake's payload (/report_concern), which says nothing."""
    last_text, trigger = None, None
    for event in tracker.events:
        if event.get("event") == "user":
            last_text = str(event.get("text") or "").strip()
        elif event.get("event") == "active_loop" and event.get("name") == REPORT_FORM:
            trigger = last_text
    if not trigger or trigger.startswith("/"):
        return None
    return trigger


def report_from(tracker: Tracker) -> ReportDetails:
    """The finished form as casework's report."""
    where = str(tracker.get_slot(REPORT_WHERE) or "").strip()
    worry = str(tracker.get_slot(REPORT_WORRY) or "").strip()
    first = _first_words(tracker)
    if first and first.lower() not in worry.lower():
        worry = f"{first}\n{worry}"
    contact = str(tracker.get_slot(REPORT_CONTACT) or NO_CONTACT)
    sms = is_sms(tracker)
    wants_news = contact != NO_CONTACT
    return ReportDetails(
        relationship=str(tracker.get_slot(REPORT_RELATIONSHIP) or "other"),
        who=str(tracker.get_slot(REPORT_WHO) or ""),
        worry=worry,
        urgency=str(tracker.get_slot(REPORT_URGENCY) or ""),
        street=where or None,
        postcode=postcode_in(where),
        person_knows=KNOWS.get(str(tracker.get_slot(REPORT_PERSON_KNOWS) or "")),
        # "not_sure" as the reporter said it (person_knows alone would read as "not asked").
        person_knows_answer=str(tracker.get_slot(REPORT_PERSON_KNOWS) or "") if tracker.get_slot(REPORT_PERSON_KNOWS) in ("yes", "no", "not_sure") else None,
        reporter_contact=None if sms or not wants_news else contact,
        notify_on_close=wants_news and (not sms or contact == SMS_YES),
        channel="sms" if sms else "webchat",
        message_id=tracker.latest_message.get("message_id"),
        reporter_sender_id=tracker.sender_id if sms and wants_news else None,
    )


def send_report(details: ReportDetails) -> ReportOpened:
    """Open the case (on a thread: the action server's loop serves every resident)."""
    try:
        return _open(details)
    except CaseworkError:
        if not details.notify_on_close:
            raise
    # No number on record for this sender (it should not happen for SMS): the report matters more
    # than the note at the end, and the reply will not promise it.
    logger.warning("report: the reporter's contact could not be kept; opening it without")
    return _open(replace(details, notify_on_close=False, reporter_sender_id=None))


def _open(details: ReportDetails) -> ReportOpened:
    with sessions().begin() as session:
        opened = open_report(session, report=details, settings=settings(), actor="bot")
    return ReportOpened(opened.reference, pick_up_by(opened, settings()), details.notify_on_close)


class ActionOpenReport(Action):
    def name(self) -> str:
        return "action_open_report"

    @new_session_when_long
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        details = report_from(tracker)
        cleared = [SlotSet(slot, None) for slot in REPORT_SLOTS]
        try:
            opened = await asyncio.get_running_loop().run_in_executor(None, send_report, details)
        except (SQLAlchemyError, CaseworkError):
            logger.exception("report: the case could not be opened")
            dispatcher.utter_message(response="utter_report_not_saved", **SAFETY_NUMBERS)
            return cleared
        # The reference is not private; what the reporter wrote never goes to the log.
        logger.info("report %s opened from %s", opened.reference, details.channel)
        if opened.pick_up is None:
            dispatcher.utter_message(response="utter_report_recorded", reference=opened.reference)
        elif opened.pick_up.today:
            dispatcher.utter_message(response="utter_report_opened_today", reference=opened.reference, time=opened.pick_up.time)
        else:
            dispatcher.utter_message(response="utter_report_opened_later", reference=opened.reference, time=opened.pick_up.time,
                                     day=opened.pick_up.day)
        if opened.reporter_told:
            dispatcher.utter_message(response="utter_report_will_tell_you")
        # No 999 again: the report's opening gave it (actions/ask_report.py), once for the whole flow.
        return cleared
