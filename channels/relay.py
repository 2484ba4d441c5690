"""The relay's door: a text to one of BEFRIENDING_NUMBERS, never the bot's (channels.sms_webhook routes by
Twilio's `To`).

The intake's own steps, reused rather than copied: its safety screen first (both layers, off the event
loop); then one transaction records the message by its MessageSid (a redelivery gets its first answer
and runs nothing again), notes the sender (the keyed hash, the number sealed), raises the screen's flag
and runs casework's triage (casework.cases.triage.act_on_screening). A crisis is answered exactly as the
intake answers one (its numbers, the case line) and is not passed on; an answer to a question the
screen or triage asked (are you thinking of ending your life, where are you) is read as the intake
reads it, and so is a bare answer ("3", "a problem") to this match's check-in, which is not passed on
(casework.befriending.check_ins). Opt-out words are the service's (STOP and the rest) except END, which ends the match
(casework.befriending.relay); everything else casework.befriending.relay passes on. With the database
down the intake's own fallback answers (a crisis still gets its numbers, and is spooled).
"""
from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from casework.befriending.relay import Relayed, end_by_text, relay_text
from casework.cases.triage import act_on_screening
from casework.conversation.inbound import record_inbound
from casework.conversation.questions import answer_open_question
from casework.models import utcnow
from casework.residents.flags import raise_flag
from casework.residents.records import set_opted_out, touch_resident
from casework.safety.decisions import Screening
from channels.answers import answered_before
from channels.channel_styles import lines, say, triage_lines
from channels.incoming import Incoming, Outcome
from channels.intake import Intake
from channels.sms_keywords import OPT_OUT_WORDS, keyword

__all__ = ["END", "Relay"]

logger = logging.getLogger(__name__)

END = "END"


class Relay:
    def __init__(self, intake: Intake) -> None:
        self.intake = intake

    async def receive(self, message: Incoming, number: str) -> Outcome:
        screening = await self.intake.screen(message.text)
        try:
            return await self.intake.db.run(self._admit, message, number, screening)
        except SQLAlchemyError:
            logger.exception("relay %s: the application database is unavailable", message.message_id)
            return self.intake.without_database(message, screening)

    def _admit(self, message: Incoming, number: str, screening: Screening) -> Outcome:
        intake, style = self.intake, self.intake.styles["sms"]
        with intake.sessions.begin() as session:
            recorded = record_inbound(session, channel="sms", message_id=message.message_id, sender_id=message.sender_id,
                                      body_encrypted=intake.bodies.seal(message.text))
            if not recorded.is_new:
                logger.info("relay %s redelivered; answering as before", message.message_id)
                return answered_before(recorded.state, recorded.reply_text)
            touch_resident(session, sender_id=message.sender_id, channel="sms", phone_encrypted=message.phone_sealed)
            if screening.flagged:
                raise_flag(session, sender_id=message.sender_id, reason=screening.category or "", source="safety_screen",
                           message_id=message.message_id)
            now = utcnow()
            crisis = screening.interrupts and screening.tier != "report"
            # A worry about someone else, or loneliness, is for the match to talk about: only a crisis opens a case here.
            triage = act_on_screening(session, screening=screening, sender_id=message.sender_id, channel="sms", message_id=message.message_id,
                                      text=message.text, settings=intake.settings) if crisis else None
            word = keyword(message.text)
            if word == END:
                relayed = end_by_text(session, number=number, sender_id=message.sender_id, message_id=message.message_id,
                                      settings=intake.settings, now=now)
                return self._answer(session, message, relayed)
            if word in OPT_OUT_WORDS:
                set_opted_out(session, message.sender_id, True)
                raise_flag(session, sender_id=message.sender_id, reason="opted_out", source="opt_out", message_id=message.message_id)
                end_by_text(session, number=number, sender_id=message.sender_id, message_id=message.message_id, settings=intake.settings, now=now)
                return intake.answers.settle(session, message, "opt_out", [], style, notice=False)
            if crisis and triage is not None:
                relay_text(session, number=number, sender_id=message.sender_id, message_id=message.message_id, text=message.text,
                           settings=intake.settings, now=now, held=True)
                answer = say(screening.response or "", style) + triage_lines(triage, style)
                return intake.answers.settle(session, message, "screened", answer, style, notice=False)
            answered = answer_open_question(session, sender_id=message.sender_id, channel="sms", message_id=message.message_id,
                                            text=message.text, settings=intake.settings, vault=intake.bodies, sms_questions=False,
                                            match_number=number)
            # Where they are, the screen's direct question (as the intake reads them), or a bare "3" to this match's check-in.
            if answered is not None:
                return intake.answers.settle(session, message, answered.state, lines(answered.lines, style), style, notice=False)
            relayed = relay_text(session, number=number, sender_id=message.sender_id, message_id=message.message_id, text=message.text,
                                 settings=intake.settings, now=now)
            return self._answer(session, message, relayed)

    def _answer(self, session: Session, message: Incoming, relayed: Relayed) -> Outcome:
        logger.info("relay %s: %s", message.message_id, relayed.outcome)
        messages = [{"text": relayed.reply}] if relayed.reply else []
        return self.intake.answers.settle(session, message, "answered", messages, self.intake.styles["sms"], notice=False)
