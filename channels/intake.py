"""One intake for every channel: safety screen -> record -> identify the sender -> consent keywords
-> bot -> record the answer -> answer.

SMS (Twilio's webhook) and web chat both come through here, in the web app, in front of Rasa:

1. The safety screen runs first, on the text alone (pure rules: no model, no action server, no
   database), so whatever else fails, someone in crisis gets the numbers.
2. One short transaction records the message by its id (a redelivery gets its first answer and runs
   nothing again), identifies the sender, takes "FORGET ME" and its YES (casework.erasure_request),
   updates consent (STOP/START/HELP on SMS), raises the screen's flag, and settles every message that
   needs no bot (opt-out, help, a crisis, MORE). A resident's first ordinary reply carries the privacy
   notice (casework.consent). CLEAR (casework.memory) is settled here too, and so is an answer to what
   we last asked the sender (casework.questions: where they are, the direct question, the check-in's
   offer and the check-in, "Shall I remember...?", training, a befriending match's 1/2), TALK, and a
   wish for regular company (casework.befriending.requests), which casework decides and this module
   renders, and someone telling us about a group they run (casework.proposed_groups.by_text: its questions by
   text, the form's link in web chat). Texts to a befriending number never come here: channels.relay takes them.
3. The bot (Rasa, over HTTP; `channels.bot_client`) takes the rest. Past the channel's deadline the
   webhook answers at once and the reply follows (the outbox for SMS, a poll for web chat).
   If Rasa is stopped, restarting or loading its model, the message *waits*: its text stays sealed
   in the inbound log and `channels.recovery` answers it exactly once when Rasa is back. Later
   messages from the same sender queue behind it, so a resident's turns stay in order.
4. A second short transaction records the answer (and, for SMS, what "1", "2" or MORE will mean).

Database work runs on `DatabaseThreads`, never on the event loop. If the database is down nothing
can be recorded, but the resident still gets the safety screen's answer or a "having trouble".
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.fernet import InvalidToken
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from casework.acknowledgement import handle_connector_message
from casework.befriending.requests import asks_for_company, request_company, said_to_them
from casework.consent import give_privacy_notice, privacy_notice_due
from casework.conversation_state import choices_for, remember_reply, take_more
from casework.erasure_request import erasure_step
from casework.flags import raise_flag
from casework.inbound import (
    UNANSWERED,
    BodyVault,
    Unanswered,
    answer_through_outbox,
    has_queued,
    mark_answered,
    record_inbound,
    release_claim,
    wait_for_bot,
)
from casework.memory import asks_to_clear_memory, clear_memory
from casework.models import utcnow
from casework.proposed_groups.by_text import offers_a_group, start_group_by_text, web_chat_reply
from casework.questions import answer_open_question
from casework.residents import set_opted_out, touch_resident
from casework.safety import Screening
from casework.safety_screen import SafetyScreen, shared_screen
from casework.said import Line, Said, Written, case_lines
from casework.signals import signals
from casework.spool import SpooledCrisis, spool_case, spool_path
from casework.triage import (
    REPORT_FLAG,
    Triage,
    act_on_screening,
    asks_for_a_person,
    report_in_progress,
    request_a_person,
)
from channels import sms_render
from channels.bot_client import BotClient, BotReply, BotUnavailable
from channels.responses import render_response, response_buttons
from channels.sms_keywords import HELP_WORDS, OPT_IN_WORDS, OPT_OUT_WORDS, keyword
from service.database import DatabaseThreads
from service.metrics import Metrics
from service.settings import Settings

__all__ = ["Incoming", "Outcome", "Intake", "answer_from_screen_only"]

logger = logging.getLogger(__name__)

Messages = list[dict[str, Any]]
# A browser should not wait for ever: past this the page is told the answer is coming and polls for it.
WEB_TURN_DEADLINE = 25.0
# A worry about someone else starts the neighbour's report flow (bot/rules/report.yml) deterministically.
REPORT_INTENT = "/report_concern"
# Keywords the copy offers ("Text VOLUNTEER to help others"), sent to the bot as their intent, whatever
# the model would make of one word on its own.
KEYWORD_INTENTS = {"VOLUNTEER": "/volunteer"}


@dataclass(frozen=True)
class Incoming:
    """One message as a channel hands it over. Never logged: `text` is the resident's words."""

    channel: str  # "sms" | "webchat"
    message_id: str  # Twilio's MessageSid, or the web chat's sender-scoped id
    sender_id: str  # "sms:<keyed hash>" or "web:<session>"
    text: str
    phone_sealed: str | None = None  # SMS only: the number, encrypted, for the outbox
    num_media: int = 0


@dataclass(frozen=True)
class Outcome:
    """What the channel answers now. `pending`: the real answer comes later (outbox or poll)."""

    state: str
    text: str | None = None
    messages: Messages = field(default_factory=list)
    pending: bool = False


@dataclass(frozen=True)
class Rendered:
    text: str | None
    messages: Messages
    choices: dict[str, str] = field(default_factory=dict)
    more: list[str] = field(default_factory=list)


class ChannelStyle(Protocol):
    name: str
    keywords: bool

    def render(self, messages: Messages) -> Rendered: ...


class SmsStyle:
    """Plain GSM-7 text within a segment budget, numbered choices for buttons, MORE for the rest."""

    name = "sms"
    keywords = True

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def render(self, messages: Messages) -> Rendered:
        reply = sms_render.render_for_sms(messages, budget=self.budget)
        return Rendered(reply.text or None, [{"text": reply.text}] if reply.text else [], dict(reply.choices), list(reply.more))


class WebStyle:
    name = "webchat"
    keywords = False

    def render(self, messages: Messages) -> Rendered:
        shown = [{k: m[k] for k in ("text", "buttons", "image") if m.get(k)} for m in messages]
        shown = [m for m in shown if m]
        text = "\n\n".join(str(m["text"]) for m in shown if m.get("text"))
        return Rendered(text or None, shown)


@dataclass(frozen=True)
class _Decision:
    """Step 2's result: an answer already settled, or the text (and any safety prefix) for the bot."""

    outcome: Outcome | None = None
    bot_text: str = ""
    prefix: Messages = field(default_factory=list)


def answer_from_screen_only(screening: Screening, *, channel: str | None = None) -> Messages:
    """What to say when nothing can be recorded (the database is down): the safety screen needs no
    database, so someone in crisis still gets the numbers; anyone else hears the service has trouble."""
    messages = [{"text": render_response(screening.response or "", channel=channel)}] if screening.flagged else []
    if not screening.interrupts:
        messages.append({"text": render_response("utter_service_trouble", channel=channel)})
    return messages


class Intake:
    def __init__(self, settings: Settings, sessions: sessionmaker, bot: BotClient, *, db: DatabaseThreads | None = None,
                 safety: SafetyScreen | None = None, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.safety = safety or shared_screen()
        # The learned layer is arithmetic, not I/O, but 10-60 ms of it must not hold the event loop; its
        # own threads, so a crisis is never queued behind database work (or a database that is down).
        self._screening = ThreadPoolExecutor(max_workers=2, thread_name_prefix="safety-screen")
        self.sessions = sessions
        self.bot = bot
        self.db = db or DatabaseThreads()
        self.bodies = BodyVault.for_settings(settings)
        self.styles: dict[str, ChannelStyle] = {"sms": SmsStyle(settings.sms_segment_budget), "webchat": WebStyle()}
        self._late: set[asyncio.Task] = set()

    def deadline(self, channel: str) -> float:
        return self.settings.sms_reply_deadline_seconds if channel == "sms" else WEB_TURN_DEADLINE

    # --- the pipeline -------------------------------------------------------------------------
    async def screen(self, text: str) -> Screening:
        """Both layers of the safety screen, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._screening, self.safety, text)

    async def receive(self, message: Incoming) -> Outcome:
        started = time.perf_counter()
        outcome = await self._receive(message)
        self.metrics.turns.labels(channel=message.channel, outcome=outcome.state).inc()
        self.metrics.turn_seconds.labels(channel=message.channel).observe(time.perf_counter() - started)
        return outcome

    async def _receive(self, message: Incoming) -> Outcome:
        style = self.styles[message.channel]
        screening = await self.screen(message.text)
        self.metrics.safety_decisions.labels(tier=screening.tier or "none", layer=screening.layer if screening.flagged else "none").inc()
        try:
            decision = await self.db.run(self._admit, message, screening, style)
        except SQLAlchemyError:
            logger.exception("%s %s: the application database is unavailable", message.channel, message.message_id)
            return self.without_database(message, screening)
        if decision.outcome is not None:
            return decision.outcome
        return await self._ask_bot(message, decision, style)

    def _admit(self, message: Incoming, screening: Screening, style: ChannelStyle) -> _Decision:
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
                return _Decision(self._settled(recorded.state, recorded.reply_text, style))
            routed = self.identify(session, message)
            if routed is not None:
                return _Decision(self._settle(session, message, "answered", routed, style, notice=False))
            # "FORGET ME" and its YES: before the opt-out words, so someone who texted STOP can still ask.
            erasure = erasure_step(session, sender_id=message.sender_id, message_id=message.message_id, text=message.text, settings=self.settings)
            if erasure is not None:
                return _Decision(self._settle(session, message, "answered", self._say(erasure.response, style, **erasure.values), style, notice=False))
            resident = touch_resident(session, sender_id=message.sender_id, channel=message.channel, phone_encrypted=message.phone_sealed)
            if screening.flagged:
                raise_flag(session, sender_id=message.sender_id, reason=screening.category or "", source="safety_screen", message_id=message.message_id)
            for signal in signals(message.text):
                # What a connector should know (lives alone, 65 or over, bereaved...), with the rule that saw it.
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
                return _Decision(self._settle(session, message, "opt_out", [], style))
            if word in OPT_IN_WORDS:
                set_opted_out(session, message.sender_id, False)
                return _Decision(self._settle(session, message, "answered", self._say("utter_opted_in", style), style))
            if style.keywords and resident.opted_out:  # (STOP and START, just above, returned)
                return _Decision(self._settle(session, message, "opt_out", [], style))
            if screening.interrupts and screening.tier != "report":
                answer = self._say(screening.response or "", style) + self._case_lines(triage, style)
                return _Decision(self._settle(session, message, "screened", answer, style))
            if style.keywords and asks_to_clear_memory(message.text):
                # CLEAR ("forget what i like"): what is remembered between conversations, not the
                # resident (FORGET ME, above, is that), and never offered without this to handle it.
                clear_memory(session, sender_id=message.sender_id, source="clear")
                return _Decision(self._settle(session, message, "answered", self._say("utter_memory_cleared", style), style))
            # What we last asked (casework.questions): a message that is itself a crisis was answered as one, above.
            answered = None if screening.interrupts else answer_open_question(
                session, sender_id=message.sender_id, channel=message.channel, message_id=message.message_id, text=message.text,
                settings=self.settings, vault=self.bodies, sms_questions=style.keywords and not sms_render.is_more_request(message.text),
            )
            if answered is not None:
                return _Decision(self._settle(session, message, answered.state, self._lines(answered.lines, style), style))
            # "2" to "Another idea, or a call from a connector?" is TALK: choices are read before the request.
            chosen = self._expand_choice(session, message.sender_id, message.text, style)
            # A wish for regular company is a request for a person and more (casework.befriending.requests);
            # "so lonely, could someone ring me for a chat now and then" is one too (its routine case is the same case).
            if (not screening.flagged or screening.tier == "loneliness") and asks_for_company(chosen):
                wished = request_company(session, sender_id=message.sender_id, channel=message.channel, message_id=message.message_id,
                                         text=chosen, settings=self.settings)
                return _Decision(self._settle(session, message, "answered", self._lines(said_to_them(wished), style), style))
            if not screening.flagged and asks_for_a_person(chosen):
                asked = request_a_person(
                    session, sender_id=message.sender_id, channel=message.channel, message_id=message.message_id,
                    text=chosen, settings=self.settings,
                )
                return _Decision(self._settle(session, message, "answered", self._case_lines(asked, style, told="utter_person_requested"), style))
            if not screening.flagged and offers_a_group(chosen):
                # "I run a knitting group in Deal, can you list it?": its questions, one at a time (casework.proposed_groups.by_text);
                # in web chat, the form (no number to hold the proposer by).
                offered = (start_group_by_text(session, sender_id=message.sender_id, settings=self.settings) if style.keywords
                           else web_chat_reply(self.settings))
                return _Decision(self._settle(session, message, "answered", self._lines([Written(t) for t in offered.texts], style), style))
            if word in HELP_WORDS:
                return _Decision(self._settle(session, message, "answered", self._say("utter_sms_help", style), style))
            if not message.text:
                empty = "utter_sms_text_only" if message.num_media else "utter_sms_help"
                return _Decision(self._settle(session, message, "answered", self._say(empty, style), style))
            if has_queued(session, message.sender_id):
                # Earlier messages of this resident wait for the bot: this one queues behind them.
                wait_for_bot(session, message.message_id)
                return _Decision(Outcome("waiting", pending=True))
            if style.keywords and sms_render.is_more_request(message.text) and (rest := take_more(session, message.sender_id)):
                mark_answered(session, message.message_id, state="answered", reply_text=rest)
                return _Decision(Outcome("answered", rest, [{"text": rest}]))
            bot_text = self.bot_text(session, message.sender_id, message.text, screening, style, chosen=chosen)
            # Mid-report, an answer that reads as a worry goes to the form as words, without the report's
            # opening again: the reporter had its thanks and 999 once, with their first words.
            answering_report = screening.tier == "report" and bot_text != REPORT_INTENT
            prefix = (self._say(screening.response or "", style) if screening.flagged and not answering_report else []) + self._case_lines(triage, style)
            return _Decision(bot_text=bot_text, prefix=prefix)

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
        return chosen if chosen is not None else self._expand_choice(session, sender_id, text, style)

    def _lines(self, lines: list[Line], style: ChannelStyle) -> Messages:
        """What casework decided to say, in this channel's words and shape."""
        messages: Messages = []
        for line in lines:
            if isinstance(line, Said):
                messages += self._say(line.response, style, **line.values)
                continue
            if isinstance(line, Written):
                messages.append({"text": line.text})
                continue
            # "Another idea, or a call from a connector?": another idea searches again for what they last asked.
            buttons = response_buttons("utter_check_in_what_next", channel=style.name)
            search = {k: v for k, v in (("interest", line.interest), ("place", line.place)) if v}
            if search:
                buttons[0] = {**buttons[0], "payload": buttons[0]["payload"] + json.dumps(search)}
            messages.append({"text": render_response("utter_check_in_what_next", channel=style.name), "buttons": buttons})
        return messages

    def _case_lines(self, triage: Triage, style: ChannelStyle, *, told: str = "utter_case_opened") -> Messages:
        return self._lines(list(case_lines(triage, told=told)), style)

    def identify(self, session: Session, message: Incoming) -> Messages | None:
        """Who sent this, if not a resident for the bot: a connector's text (`ACK WC-4821`, or anything
        else from a connector's registered number) goes to casework and never to the resident bot.
        None: a resident. (A resident's reply to a check-in is read later, with the other answers to our
        questions, after the safety screen and STOP: casework.questions.)"""
        if message.channel != "sms":
            return None
        reply = handle_connector_message(
            session, phone_hash=message.sender_id.removeprefix("sms:"), text=message.text, settings=self.settings
        )
        return [{"text": reply.text}] if reply is not None else None

    def _settle(self, session: Session, message: Incoming, state: str, messages: Messages, style: ChannelStyle, *, notice: bool = True) -> Outcome:
        rendered = style.render(messages)
        recorded = self.record_answer(session, message.message_id, message.sender_id, rendered, style, state=state, notice=notice)
        answered = recorded or rendered  # (the message was recorded in this same transaction: it is still waiting)
        return Outcome(state, answered.text, answered.messages)

    def record_answer(self, session: Session, message_id: str, sender_id: str, rendered: Rendered, style: ChannelStyle, *,
                      state: str = "answered", notice: bool = True, later: bool = False, claim: Unanswered | None = None) -> Rendered | None:
        """Record the answer to a message, the one way every path does it: the privacy notice on a
        resident's first ordinary reply (never on a crisis answer), the answer marked if the message is
        still waiting (compare-and-set: None when someone else answered it), an SMS answered `later`
        (its webhook already answered) queued through the outbox in the same transaction, and the
        numbered choices and MORE of an SMS remembered. What is sent, or None."""
        noticed = notice and state in ("answered", "deferred") and privacy_notice_due(session, sender_id)
        if noticed:
            rendered = self.with_privacy_notice(rendered, style)
        from_states = ("recovering",) if claim is not None else UNANSWERED
        claimed_at = claim.claimed_at if claim is not None else None
        if later and style.keywords:
            done = answer_through_outbox(session, message_id, sender_id=sender_id, reply_text=rendered.text, settings=self.settings,
                                         state=state, from_states=from_states, claimed_at=claimed_at)
        else:
            done = mark_answered(session, message_id, state=state, reply_text=rendered.text, from_states=from_states, claimed_at=claimed_at)
        if not done:
            return None
        if noticed:
            give_privacy_notice(session, sender_id)
        if style.keywords and rendered.text:
            remember_reply(session, sender_id, choices=rendered.choices, more=rendered.more)
        return rendered

    def with_privacy_notice(self, rendered: Rendered, style: ChannelStyle) -> Rendered:
        """The first reply a resident gets carries the privacy notice (casework.consent), after the
        rendered reply rather than inside its segment budget, so "Reply MORE" never cuts it."""
        notice = render_response("utter_privacy_notice", channel=style.name, values={"privacy_url": self.settings.public_base_url + "/privacy"})
        text = f"{rendered.text}\n\n{notice}" if rendered.text else notice
        return Rendered(text, [*rendered.messages, {"text": notice}], rendered.choices, rendered.more)

    @staticmethod
    def _settled(state: str, reply_text: str | None, style: ChannelStyle) -> Outcome:
        waiting = state in ("received", "waiting", "recovering")
        return Outcome(state, reply_text, [{"text": reply_text}] if reply_text else [], pending=waiting)

    def _say(self, response: str, style: ChannelStyle, **values: str) -> Messages:
        return [{"text": render_response(response, channel=style.name, values=values)}]

    def _expand_choice(self, session: Session, sender_id: str, text: str, style: ChannelStyle) -> str:
        """A reply of "1", "2"... to numbered choices becomes that choice's payload."""
        if not style.keywords:
            return text
        choices = choices_for(session, sender_id)
        return (sms_render.resolve_choice(text, choices) if choices else None) or text

    # --- the bot ------------------------------------------------------------------------------
    async def _ask_bot(self, message: Incoming, decision: _Decision, style: ChannelStyle) -> Outcome:
        task = asyncio.ensure_future(
            self.bot.ask(sender_id=message.sender_id, text=decision.bot_text, message_id=message.message_id, channel=style.name)
        )
        try:
            reply = await asyncio.wait_for(asyncio.shield(task), timeout=self.deadline(style.name))
        except asyncio.TimeoutError:
            logger.warning("turn %s passed its %.1f s deadline; the reply will follow", message.message_id, self.deadline(style.name))
            self._keep(asyncio.ensure_future(self._answer_late(message, decision.prefix, task, style)))
            return Outcome("pending", pending=True)
        except BotUnavailable as problem:
            logger.warning("turn %s: the bot is unavailable (%s); the message waits for it", message.message_id, problem)
            await self._wait_or_leave(message.message_id)
            return Outcome("waiting", pending=True)
        rendered = style.render(decision.prefix + self.bot_messages(reply, style))
        answered: Rendered | None
        try:
            answered = await self.db.run(self._finish, message.message_id, message.sender_id, rendered, style)
        except SQLAlchemyError:
            logger.exception("turn %s: the answer could not be recorded; answering anyway", message.message_id)
            answered = rendered
        if answered is None:
            logger.warning("%s was answered by recovery meanwhile; not answering again", message.message_id)
            return Outcome("answered_elsewhere")
        return Outcome("answered", answered.text, answered.messages)

    def bot_messages(self, reply: BotReply, style: ChannelStyle) -> Messages:
        return reply.messages if not reply.failed else self._say("utter_service_trouble", style)

    async def _wait_or_leave(self, message_id: str) -> None:
        """Mark the message as waiting for the bot; when even that cannot be written (the database down,
        or SQLite's write lock held past its timeout under load), it stays as recorded, unanswered, and
        recovery answers it once after its lease: the webhook is never answered with a 500 for it."""
        try:
            await self.db.run(self._wait, message_id)
        except SQLAlchemyError:
            logger.exception("%s could not be marked as waiting; recovery will answer it", message_id)

    def _wait(self, message_id: str) -> None:
        with self.sessions.begin() as session:
            wait_for_bot(session, message_id)

    def _finish(self, message_id: str, sender_id: str, rendered: Rendered, style: ChannelStyle) -> Rendered | None:
        """Record the bot's answer; what to send (None: someone else answered it)."""
        with self.sessions.begin() as session:
            return self.record_answer(session, message_id, sender_id, rendered, style)

    def _keep(self, task: asyncio.Task) -> None:
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _answer_late(self, message: Incoming, prefix: Messages, task: asyncio.Task, style: ChannelStyle) -> None:
        """A turn that passed the deadline: its reply follows (the outbox honours opt-out)."""
        try:
            reply = await task
        except BotUnavailable:
            await self._wait_or_leave(message.message_id)
            return
        rendered = style.render(prefix + self.bot_messages(reply, style))
        try:
            delivered = await self.db.run(self._deliver_later, message.message_id, message.sender_id, rendered, style, None)
        except SQLAlchemyError:
            logger.exception("late reply to %s could not be recorded; recovery will answer it", message.message_id)
            return
        if not delivered:
            logger.warning("late reply to %s dropped: recovery answered it meanwhile", message.message_id)

    def _deliver_later(self, message_id: str, sender_id: str, rendered: Rendered, style: ChannelStyle, claim: Unanswered | None) -> bool:
        """Answer a message whose webhook has already been answered: SMS through the outbox, web chat
        by recording the reply for the page's poll. Compare-and-set: False when someone else answered."""
        with self.sessions.begin() as session:
            return self.record_answer(session, message_id, sender_id, rendered, style, state="deferred", later=True, claim=claim) is not None

    # --- recovery -----------------------------------------------------------------------------
    async def replay(self, claim: Unanswered) -> bool:
        """Answer a claimed message exactly once (channels.recovery). Raises BotUnavailable, after
        giving the claim back, when the bot went away again."""
        style = self.styles.get(claim.channel) or self.styles["sms"]
        text = self.open_body(claim)
        screening = await self.screen(text or "")
        flagged_prefix = screening.flagged and (not screening.interrupts or screening.tier == "report")
        prefix = self._say(screening.response or "", style) if flagged_prefix else []
        # Without its text (answered once, then put back) a message can only be replayed from the tracker.
        expanded = await self.db.run(self._expand_now, claim.sender_id, text, screening, style) if text is not None else None
        try:
            reply = await self.bot.ask(sender_id=claim.sender_id, text=expanded, message_id=claim.message_id, channel=style.name, replay=True)
        except BotUnavailable:
            await self.db.run(self.release, claim)
            raise
        # Not in the tracker and no text to run it with: ask the resident to try again, never stay silent.
        rendered = style.render(prefix + self.bot_messages(reply, style))
        delivered = await self.db.run(self._deliver_later, claim.message_id, claim.sender_id, rendered, style, claim)
        if delivered:
            how = "reply taken from the tracker" if reply.replayed else "turn run"
            logger.warning("%s %s answered after waiting: %s", claim.channel, claim.message_id, how)
        return delivered

    def _expand_now(self, sender_id: str, text: str, screening: Screening, style: ChannelStyle) -> str:
        with self.sessions.begin() as session:
            return self.bot_text(session, sender_id, text, screening, style)

    def release(self, claim: Unanswered) -> None:
        with self.sessions.begin() as session:
            release_claim(session, claim.message_id, claimed_at=claim.claimed_at)

    def open_body(self, claim: Unanswered) -> str | None:
        if claim.body_encrypted is None:
            return None
        try:
            return self.bodies.open(claim.body_encrypted)
        except InvalidToken:
            logger.error("%s: kept text cannot be decrypted (key changed?)", claim.message_id)
            return None

    # --- the database is down -----------------------------------------------------------------
    def without_database(self, message: Incoming, screening: Screening) -> Outcome:
        """Nothing can be recorded, but nobody is left unanswered. A STOP that cannot be recorded gets
        no reply; Twilio's own opt-out still blocks texts to the number, and the sender marks the
        resident opted out on Twilio's 21610 when the database is back."""
        style = self.styles[message.channel]
        if screening.needs_person and screening.tier != "report":
            self.spool(message, screening)
        if style.keywords and keyword(message.text) in OPT_OUT_WORDS:
            logger.error("%s %s: an opt-out could not be recorded", message.channel, message.message_id)
            return Outcome("opt_out")
        rendered = style.render(answer_from_screen_only(screening, channel=style.name))
        return Outcome("screened" if screening.interrupts else "unrecorded", rendered.text, rendered.messages)

    def spool(self, message: Incoming, screening: Screening) -> None:
        """A crisis that cannot be recorded now becomes a case and an alert when the database is back:
        it is appended (sealed, fsynced) to the local spool, which the worker drains exactly once."""
        record = SpooledCrisis(
            message_id=message.message_id, sender_id=message.sender_id, channel=message.channel,
            category=screening.category or "", rule=screening.rule or "", text=message.text,
            received_at=utcnow().isoformat(), priority=screening.priority or "urgent", phone_encrypted=message.phone_sealed,
            layer=screening.layer, score=screening.score,
        )
        try:
            spool_case(spool_path(self.settings), record, vault=self.bodies)
            logger.warning("%s %s: crisis spooled until the database is back", message.channel, message.message_id)
        except OSError:
            logger.exception("%s %s: a crisis could neither be recorded nor spooled", message.channel, message.message_id)
