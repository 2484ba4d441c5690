"""Step 2 of the intake, in one transaction: record the message, identify the sender, take consent and
erasure words, raise the screen's flags, and settle every message that needs no bot (opt-out, help, a
crisis, CLEAR, MORE, an answer to what we last asked, TALK, a wish for company, someone telling us about a
group they run), or say what the bot is
asked and what goes before its reply. The rules are casework's (the modules named below); this module
asks them in order and renders what they decide."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from casework.befriending.requests import asks_for_company, request_company, said_to_them
from casework.cases.acknowledgement import handle_connector_message
from casework.cases.triage import REPORT_FLAG, act_on_screening, asks_for_a_person, report_in_progress, request_a_person
from casework.conversation.inbound import BodyVault, has_queued, mark_answered, record_inbound, wait_for_bot
from casework.conversation.questions import ERASURE, answer_open_question, open_questions
from casework.conversation.said import Written
from casework.conversation.state import choices_for, take_more
from casework.privacy.erasure_request import erasure_step
from casework.proposed_groups.by_text import offers_a_group, start_group_by_text, web_chat_reply
from casework.residents.flags import raise_flag
from casework.residents.memory import asks_to_clear_memory, clear_memory
from casework.residents.records import set_opted_out, touch_resident
from casework.safety.decisions import Screening
from casework.safety.signals import signals
from channels import sms_render
from channels.answers import Answers, answered_before
from channels.channel_styles import ChannelStyle, lines, say, triage_lines
from channels.incoming import Incoming, Messages, Outcome
from channels.sms_keywords import HELP_WORDS, OPT_IN_WORDS, OPT_OUT_WORDS, keyword
from service.settings import Settings

__all__ = ["REPORT_INTENT", "KEYWORD_INTENTS", "Decision", "Admission"]

logger = logging.getLogger(__name__)

# A worry about someone else starts the neighbour's report flow (bot/rules/report.yml) deterministically.
REPORT_INTENT = "/report_concern"
# Keywords the copy offers ("Text VOLUNTEER to help others"), sent to the bot as their intent, whatever
# the model would make of one word on its own.
KEYWORD_INTENTS = {"VOLUNTEER": "/volunteer"}


@dataclass(frozen=True)
class Decision:
    """Step 2's result: an answer already settled, or the text (and any safety prefix) for the bot;
    `notice_given`: the resident had the privacy notice already, so the bot's answer needs no look."""

    outcome: Outcome | None = None
    bot_text: str = ""
    prefix: Messages = field(default_factory=list)
    notice_given: bool = False


class Admission:
    def __init__(self, settings: Settings, sessions: sessionmaker, bodies: BodyVault, answers: Answers) -> None:
        self.settings = settings
        self.sessions = sessions
        self.bodies = bodies
        self.answers = answers

    def admit(self, message: Incoming, screening: Screening, style: ChannelStyle) -> Decision:
        """Step 2, in one transaction: record, identify, consent, flag, and settle what needs no bot."""
        with self.sessions.begin() as session:
            recorded = record_inbound(
                session,
                channel=message.channel,
                message_id=message.message_id,
                sender_id=message.sender_id,
                body_encrypted=self.bodies.seal(message.text),
            )
            if not recorded.is_new:
                logger.info("%s %s redelivered; answering as before", message.channel, message.message_id)
                return Decision(answered_before(recorded.state, recorded.reply_text))
            routed = self.identify(session, message)
            if routed is not None:
                return Decision(self.answers.settle(session, message, "answered", routed, style, notice=False))
            # Every question we have put to them, read once (casework.conversation.questions).
            questions = open_questions(session, message.sender_id)
            # "FORGET ME" and its YES: before the opt-out words, so someone who texted STOP can still ask.
            erasure = erasure_step(session, sender_id=message.sender_id, message_id=message.message_id, text=message.text, settings=self.settings,
                                   asked=ERASURE in questions)
            if erasure is not None:
                return Decision(self.answers.settle(session, message, "answered", say(erasure.response, style, **erasure.values), style, notice=False))
            resident = touch_resident(session, sender_id=message.sender_id, channel=message.channel, phone_encrypted=message.phone_sealed)
            if screening.flagged:
                raise_flag(session, sender_id=message.sender_id, reason=screening.category or "", source="safety_screen", message_id=message.message_id)
            # What a connector should know (lives alone, 65 or over, bereaved...), with the rule that saw it; the
            # screen's decision is the rules layer's own unless the learned layer raised it (then the rules run again).
            for signal in signals(message.text, rules=screening if screening.layer == "rules" else None):
                raise_flag(session, sender_id=message.sender_id, reason=signal.name, source=signal.rule[:32], message_id=message.message_id)
            # Before consent: someone who opted out of texts and is in danger must still reach a person.
            triage = act_on_screening(
                session, screening=screening, sender_id=message.sender_id, channel=message.channel,
                message_id=message.message_id, text=message.text, settings=self.settings,
            )
            word = keyword(message.text) if style.keywords else None
            if word in OPT_OUT_WORDS:
                set_opted_out(session, message.sender_id, True)
                # Recorded so a connector can follow up by other means; Twilio confirms the STOP itself.
                raise_flag(session, sender_id=message.sender_id, reason="opted_out", source="opt_out", message_id=message.message_id)
                return Decision(self.answers.settle(session, message, "opt_out", [], style))
            if word in OPT_IN_WORDS:
                set_opted_out(session, message.sender_id, False)
                return Decision(self.answers.settle(session, message, "answered", say("utter_opted_in", style), style))
            if style.keywords and resident.opted_out:  # (STOP and START, just above, returned)
                return Decision(self.answers.settle(session, message, "opt_out", [], style))
            if screening.interrupts and screening.tier != "report":
                answer = say(screening.response or "", style) + triage_lines(triage, style)
                return Decision(self.answers.settle(session, message, "screened", answer, style))
            if style.keywords and asks_to_clear_memory(message.text):
                # CLEAR ("forget what i like"): what is remembered between conversations, not the
                # resident (FORGET ME, above, is that), and never offered without this to handle it.
                clear_memory(session, sender_id=message.sender_id, source="clear")
                return Decision(self.answers.settle(session, message, "answered", say("utter_memory_cleared", style), style))
            # What we last asked (casework.conversation.questions): a message that is itself a crisis was answered as one, above.
            # The questions read above stand unless the screen flagged this message: then the triage may have just put
            # one (the direct question, where they are), so they are read again.
            answered = None if screening.interrupts else answer_open_question(
                session, sender_id=message.sender_id, channel=message.channel, message_id=message.message_id, text=message.text,
                settings=self.settings, vault=self.bodies, sms_questions=style.keywords and not sms_render.is_more_request(message.text),
                asked=None if screening.flagged else questions,
            )
            if answered is not None:
                return Decision(self.answers.settle(session, message, answered.state, lines(answered.lines, style), style))
            # "2" to "Another idea, or a call from a connector?" is TALK: choices are read before the request.
            chosen = self.expand_choice(session, message.sender_id, message.text, style)
            # A wish for regular company is a request for a person and more (casework.befriending.requests);
            # "so lonely, could someone ring me for a chat now and then" is one too (its routine case is the same case).
            if (not screening.flagged or screening.tier == "loneliness") and asks_for_company(chosen):
                wished = request_company(session, sender_id=message.sender_id, channel=message.channel, message_id=message.message_id,
                                         text=chosen, settings=self.settings)
                return Decision(self.answers.settle(session, message, "answered", lines(said_to_them(wished), style), style))
            if not screening.flagged and asks_for_a_person(chosen):
                asked = request_a_person(
                    session, sender_id=message.sender_id, channel=message.channel, message_id=message.message_id,
                    text=chosen, settings=self.settings,
                )
                return Decision(self.answers.settle(session, message, "answered", triage_lines(asked, style, told="utter_person_requested"), style))
            if not screening.flagged and offers_a_group(chosen):
                # "I run a knitting group in Deal, can you list it?": its questions, one at a time (casework.proposed_groups.by_text);
                # in web chat, the form (no number to hold the proposer by).
                offered = (start_group_by_text(session, sender_id=message.sender_id, settings=self.settings) if style.keywords
                           else web_chat_reply(self.settings))
                return Decision(self.answers.settle(session, message, "answered", lines([Written(t) for t in offered.texts], style), style))
            if word in HELP_WORDS:
                return Decision(self.answers.settle(session, message, "answered", say("utter_sms_help", style), style))
            if not message.text:
                empty = "utter_sms_text_only" if message.num_media else "utter_sms_help"
                return Decision(self.answers.settle(session, message, "answered", say(empty, style), style))
            if has_queued(session, message.sender_id):
                # Earlier messages of this resident wait for the bot: this one queues behind them.
                wait_for_bot(session, message.message_id)
                return Decision(Outcome("waiting", pending=True))
            if style.keywords and sms_render.is_more_request(message.text) and (rest := take_more(session, message.sender_id)):
                mark_answered(session, message.message_id, state="answered", reply_text=rest)
                return Decision(Outcome("answered", rest, [{"text": rest}]))
            bot_text = self.bot_text(session, message.sender_id, message.text, screening, style, chosen=chosen)
            # Mid-report, an answer that reads as a worry goes to the form as words, without the report's
            # opening again: the reporter had its thanks and 999 once, with their first words.
            answering_report = screening.tier == "report" and bot_text != REPORT_INTENT
            prefix = (say(screening.response or "", style) if screening.flagged and not answering_report else []) + triage_lines(triage, style)
            return Decision(bot_text=bot_text, prefix=prefix, notice_given=resident.notice_given)

    def bot_text(self, session: Session | None, sender_id: str, text: str, screening: Screening, style: ChannelStyle, *,
                 chosen: str | None = None) -> str:
        """What the bot is asked: a worry about someone else starts the report flow whatever the model
        would make of it; a reply of "1", "2"... to numbered choices becomes that choice's payload."""
        if session is None:
            return REPORT_INTENT if screening.tier == "report" else text
        if screening.tier == "report" and not report_in_progress(session, sender_id):
            # Once: while the report's questions are being answered, an answer that itself reads as a
            # worry ("hes not opened his curtains") must reach the form as words, not restart it.
            raise_flag(session, sender_id=sender_id, reason=REPORT_FLAG, source="safety_screen")
            return REPORT_INTENT
        if screening.tier == "report":
            return text
        if (word := keyword(text)) in KEYWORD_INTENTS:
            return KEYWORD_INTENTS[word]
        # `chosen`: the choice already read in this transaction (the intake reads it before TALK).
        return chosen if chosen is not None else self.expand_choice(session, sender_id, text, style)

    def bot_text_now(self, sender_id: str, text: str, screening: Screening, style: ChannelStyle) -> str:
        """`bot_text` in a transaction of its own (for a message replayed by recovery)."""
        with self.sessions.begin() as session:
            return self.bot_text(session, sender_id, text, screening, style)

    def identify(self, session: Session, message: Incoming) -> Messages | None:
        """Who sent this, if not a resident for the bot: a connector's text (`ACK WC-4821`, or anything
        else from a connector's registered number) goes to casework and never to the resident bot.
        None: a resident. (A resident's reply to a check-in is read later, with the other answers to our
        questions, after the safety screen and STOP: casework.conversation.questions.)"""
        if message.channel != "sms":
            return None
        reply = handle_connector_message(
            session, phone_hash=message.sender_id.removeprefix("sms:"), text=message.text, settings=self.settings
        )
        return [{"text": reply.text}] if reply is not None else None

    def expand_choice(self, session: Session, sender_id: str, text: str, style: ChannelStyle) -> str:
        """A reply of "1", "2"... to numbered choices becomes that choice's payload (the choices are read
        only for a reply that is a number)."""
        if not style.keywords or not sms_render.looks_like_choice(text):
            return text
        choices = choices_for(session, sender_id)
        return (sms_render.resolve_choice(text, choices) if choices else None) or text
