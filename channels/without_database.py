"""When nothing can be recorded (the application database is down): nobody is left unanswered. The
safety screen needs no database, so someone in crisis still gets the numbers, and the crisis is spooled
(sealed, fsynced) to become a case and an alert when the database is back; anyone else hears that the
service is having trouble."""
from __future__ import annotations

import logging

from casework.cases.spool import SpooledCrisis, spool_case, spool_path
from casework.conversation.inbound import BodyVault
from casework.models import utcnow
from casework.safety.decisions import Screening
from channels.channel_styles import ChannelStyle
from channels.incoming import Incoming, Messages, Outcome
from channels.responses import render_response
from channels.sms_keywords import OPT_OUT_WORDS, keyword
from service.settings import Settings

__all__ = ["answer_from_screen_only", "answer_without_database", "spool"]

logger = logging.getLogger(__name__)


def answer_from_screen_only(screening: Screening, *, channel: str | None = None) -> Messages:
    """What to say when nothing can be recorded (the database is down): the safety screen needs no
    database, so someone in crisis still gets the numbers; anyone else hears the service has trouble."""
    messages = [{"text": render_response(screening.response or "", channel=channel)}] if screening.flagged else []
    if not screening.interrupts:
        messages.append({"text": render_response("utter_service_trouble", channel=channel)})
    return messages


def answer_without_database(message: Incoming, screening: Screening, style: ChannelStyle, *, settings: Settings,
                            bodies: BodyVault) -> Outcome:
    """Nothing can be recorded, but nobody is left unanswered. A STOP that cannot be recorded gets
    no reply; Twilio's own opt-out still blocks texts to the number, and the sender marks the
    resident opted out on Twilio's 21610 when the database is back."""
    if screening.needs_person and screening.tier != "report":
        spool(message, screening, settings=settings, bodies=bodies)
    if style.keywords and keyword(message.text) in OPT_OUT_WORDS:
        logger.error("%s %s: an opt-out could not be recorded", message.channel, message.message_id)
        return Outcome("opt_out")
    rendered = style.render(answer_from_screen_only(screening, channel=style.name))
    return Outcome("screened" if screening.interrupts else "unrecorded", rendered.text, rendered.messages)


def spool(message: Incoming, screening: Screening, *, settings: Settings, bodies: BodyVault) -> None:
    """A crisis that cannot be recorded now becomes a case and an alert when the database is back:
    it is appended (sealed, fsynced) to the local spool, which the worker drains exactly once."""
    record = SpooledCrisis(
        message_id=message.message_id, sender_id=message.sender_id, channel=message.channel,
        category=screening.category or "", rule=screening.rule or "", text=message.text,
        received_at=utcnow().isoformat(), priority=screening.priority or "urgent", phone_encrypted=message.phone_sealed,
        layer=screening.layer, score=screening.score,
    )
    try:
        spool_case(spool_path(settings), record, vault=bodies)
        logger.warning("%s %s: crisis spooled until the database is back", message.channel, message.message_id)
    except OSError:
        logger.exception("%s %s: a crisis could neither be recorded nor spooled", message.channel, message.message_id)
