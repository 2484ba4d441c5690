"""One intake for every channel: safety screen -> record, identify the sender, consent keywords and
what needs no bot -> bot -> record the answer -> answer. The plumbing between them is here; each step is
a module of its own.

SMS (Twilio's webhook) and web chat both come through here, in the web app, in front of Rasa:

1. The safety screen runs first, on the text alone (pure rules and the learned layer: no Rasa, no
   action server, no database), so whatever else fails, someone in crisis gets the numbers.
2. One short transaction records the message by its id (a redelivery gets its first answer and runs
   nothing again), identifies the sender, takes "FORGET ME" and consent words, raises the screen's
   flag, and settles every message that needs no bot (`channels.admission`, which asks casework).
   Texts to a befriending number never come here: channels.relay takes them.
3. The bot (Rasa, over HTTP; `channels.bot_client`) takes the rest. Past the channel's deadline the
   webhook answers at once and the reply follows (the outbox for SMS, a poll for web chat).
   If Rasa is stopped, restarting or loading its model, the message *waits*: its text stays sealed
   in the inbound log and `channels.recovery` answers it exactly once when Rasa is back. Later
   messages from the same sender queue behind it, so a resident's turns stay in order.
4. A second short transaction records the answer (`channels.answers`: the privacy notice, and for
   SMS what "1", "2" or MORE will mean), rendered in the channel's shape (`channels.channel_styles`).

Database work runs on `DatabaseThreads`, never on the event loop. If the database is down nothing
can be recorded, but the resident still gets the safety screen's answer or a "having trouble"
(`channels.without_database`).
"""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault
from casework.safety.decisions import Screening
from casework.safety.screen import SafetyScreen, shared_screen
from channels.admission import Admission, Decision
from channels.answers import Answers
from channels.bot_client import BotClient, BotReply, BotUnavailable
from channels.channel_styles import ChannelStyle, Rendered, SmsStyle, WebStyle, say
from channels.incoming import Incoming, Messages, Outcome
from channels.without_database import answer_without_database
from service.database import DatabaseThreads
from service.metrics import Metrics
from service.settings import Settings

__all__ = ["Intake", "bot_messages"]

logger = logging.getLogger(__name__)

# A browser should not wait for ever: past this the page is told the answer is coming and polls for it.
WEB_TURN_DEADLINE = 25.0


def bot_messages(reply: BotReply, style: ChannelStyle) -> Messages:
    """The bot's messages, or "the service is having trouble" when it produced none it could stand by."""
    return reply.messages if not reply.failed else say("utter_service_trouble", style)


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
        self.answers = Answers(settings, sessions, self.db)
        self.admission = Admission(settings, sessions, self.bodies, self.answers)
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
            decision = await self.db.run(self.admission.admit, message, screening, style)
        except SQLAlchemyError:
            logger.exception("%s %s: the application database is unavailable", message.channel, message.message_id)
            return self.without_database(message, screening)
        if decision.outcome is not None:
            return decision.outcome
        return await self._ask_bot(message, decision, style)

    def without_database(self, message: Incoming, screening: Screening) -> Outcome:
        """Nothing can be recorded, but nobody is left unanswered (channels.without_database)."""
        return answer_without_database(message, screening, self.styles[message.channel], settings=self.settings, bodies=self.bodies)

    # --- the bot ------------------------------------------------------------------------------
    async def _ask_bot(self, message: Incoming, decision: Decision, style: ChannelStyle) -> Outcome:
        task = asyncio.ensure_future(
            self.bot.ask(sender_id=message.sender_id, text=decision.bot_text, message_id=message.message_id, channel=style.name)
        )
        try:
            reply = await asyncio.wait_for(asyncio.shield(task), timeout=self.deadline(style.name))
        except asyncio.TimeoutError:
            logger.warning("turn %s passed its %.1f s deadline; the reply will follow", message.message_id, self.deadline(style.name))
            self._keep(asyncio.ensure_future(self._answer_late(message, decision, task, style)))
            return Outcome("pending", pending=True)
        except BotUnavailable as problem:
            logger.warning("turn %s: the bot is unavailable (%s); the message waits for it", message.message_id, problem)
            await self.answers.wait_or_leave(message.message_id)
            return Outcome("waiting", pending=True)
        rendered = style.render(decision.prefix + bot_messages(reply, style))
        answered: Rendered | None
        try:
            answered = await self.db.run(self.answers.finish, message.message_id, message.sender_id, rendered, style,
                                         notice_given=decision.notice_given)
        except SQLAlchemyError:
            logger.exception("turn %s: the answer could not be recorded; answering anyway", message.message_id)
            answered = rendered
        if answered is None:
            logger.warning("%s was answered by recovery meanwhile; not answering again", message.message_id)
            return Outcome("answered_elsewhere")
        return Outcome("answered", answered.text, answered.messages)

    def _keep(self, task: asyncio.Task) -> None:
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _answer_late(self, message: Incoming, decision: Decision, task: asyncio.Task, style: ChannelStyle) -> None:
        """A turn that passed the deadline: its reply follows (the outbox honours opt-out)."""
        try:
            reply = await task
        except BotUnavailable:
            await self.answers.wait_or_leave(message.message_id)
            return
        rendered = style.render(decision.prefix + bot_messages(reply, style))
        try:
            delivered = await self.db.run(self.answers.deliver_later, message.message_id, message.sender_id, rendered, style, None,
                                          notice_given=decision.notice_given)
        except SQLAlchemyError:
            logger.exception("late reply to %s could not be recorded; recovery will answer it", message.message_id)
            return
        if not delivered:
            logger.warning("late reply to %s dropped: recovery answered it meanwhile", message.message_id)
