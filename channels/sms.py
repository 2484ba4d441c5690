"""The `sms` input channel: Twilio's webhook, done properly.

POST /webhooks/sms/webhook, in this order:
1. the X-Twilio-Signature is checked against PUBLIC_BASE_URL + path (403 otherwise, nothing processed);
2. the message is recorded by MessageSid (a redelivery gets its first reply and runs nothing again);
3. the safety screen runs on every message, opt-out words included, before NLU;
4. STOP/START/HELP words update consent; nothing is ever sent to an opted-out number;
5. the text goes to Rasa as `sms:<keyed hash>` with MessageSid as the message id;
6. the replies are rendered for SMS and returned as TwiML; past the deadline they go by the outbox.
POST /webhooks/sms/status records delivery receipts for the outbox.

Nothing lost: a message stays `received` until its answer is recorded, and `channels.sms_recovery`
answers, through the outbox and exactly once, any message a dead process left unanswered.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from twilio.request_validator import RequestValidator

from casework.flags import raise_flag
from casework.identity import InvalidPhoneNumber, PhoneVault, mask, normalise_uk_number, sms_sender_id
from casework.inbound import BodyVault, answer_through_outbox, mark_answered, record_inbound
from casework.models import SmsConversationState, utcnow
from casework.outbox import record_status
from casework.residents import is_opted_out, set_opted_out, touch_resident
from channels import rasa_fixes, sms_render
from channels.responses import render_response
from channels.runtime import Runtime
from channels.sms_recovery import SmsRecovery
from channels.turn import BotTurn, answer_from_screen_only, ask_bot, screen_message

logger = logging.getLogger(__name__)

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
MAX_BODY = 1600  # Twilio's own limit for one inbound message
_SINGLE_WORD = re.compile(r"^[\W_]*([A-Za-z]+|\d{1,2})[\W_]*$")


def keyword(body: str) -> str | None:
    """The single word (or choice number) a message consists of, upper-cased; None for anything longer."""
    match = _SINGLE_WORD.match(body or "")
    return match.group(1).upper() if match else None


def twiml(text: str | None) -> HTTPResponse:
    if not text:
        return response.text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", content_type="text/xml")
    return response.text(
        f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{escape(text)}</Message></Response>",
        content_type="text/xml",
    )


class _Fields(dict):
    """Form fields as lists of values, in the shape RequestValidator reads (Django's `getlist`)."""

    def getlist(self, name: str) -> list[str]:
        return list(self[name])


def signed_fields(request: Request) -> _Fields:
    """The fields Twilio signed. Twilio signs empty fields too (Body= on a picture message, FromCity=
    and the like on most messages), and Sanic's `request.form` drops them, so parse the body here."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        return _Fields(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))
    return _Fields(request.form or {})


@dataclass
class Inbound:
    message_sid: str
    number: str
    sender_id: str
    body: str
    num_media: int


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SmsInput:
        rasa_fixes.apply()
        return cls(Runtime.from_environment())

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.validator = RequestValidator(runtime.settings.twilio_auth_token)
        self.vault = PhoneVault(runtime.settings.phone_encryption_key)
        self.bodies = BodyVault(runtime.settings.phone_encryption_key)
        self.recovery: SmsRecovery | None = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("sms_webhook", __name__)

        @bp.listener("after_server_start")
        async def start_recovery(app: Any, _loop: Any) -> None:
            # Rasa loads the agent in a before_server_start listener, so it is there by now.
            self.recovery = SmsRecovery(self, on_new_message, tracker_store=lambda: app.ctx.agent.tracker_store)
            self.recovery.start()

        @bp.listener("before_server_stop")
        async def stop_recovery(_app: Any, _loop: Any) -> None:
            if self.recovery is not None:
                await self.recovery.stop()

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.signed(request):
                return response.text("invalid or missing X-Twilio-Signature", status=403)
            try:
                inbound = self.parse(request)
            except ValueError as problem:
                logger.warning("SMS webhook refused: %s", problem)
                return response.text(str(problem), status=400)
            try:
                reply = await self.answer(inbound, on_new_message)
            except SQLAlchemyError:
                logger.exception("SMS %s: the application database is unavailable", inbound.message_sid)
                reply = self.answer_without_database(inbound)
            return twiml(reply)

        @bp.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            if not self.signed(request):
                return response.text("invalid or missing X-Twilio-Signature", status=403)
            sid, state = request.form.get("MessageSid"), request.form.get("MessageStatus")
            if not sid or not state:
                return response.text("MessageSid and MessageStatus are required", status=400)
            with self.runtime.sessions.begin() as session:
                changed = record_status(session, sid, state, error_code=request.form.get("ErrorCode"))
            return response.json({"recorded": bool(changed)})

        return bp

    def signed(self, request: Request) -> bool:
        """Twilio signs the public URL it called, so behind a TLS proxy we check PUBLIC_BASE_URL + path."""
        signature = request.headers.get("X-Twilio-Signature", "")
        url = self.runtime.settings.public_base_url + request.path
        if request.query_string:
            url += "?" + request.query_string
        try:
            form = signed_fields(request)
        except Exception:  # an unparseable body cannot carry a valid signature
            form = _Fields()
        valid = bool(signature) and self.validator.validate(url, form, signature)
        if not valid:
            logger.warning("SMS webhook %s rejected: bad or missing signature (body not logged)", request.path)
        return valid

    def parse(self, request: Request) -> Inbound:
        form = request.form
        sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
        if not re.fullmatch(r"[A-Z]{2}[0-9a-f]{32}", sid):
            raise ValueError("MessageSid is missing or malformed")
        try:
            number = normalise_uk_number(form.get("From") or "")
        except InvalidPhoneNumber:
            raise ValueError("From is not a phone number") from None
        try:
            num_media = int(form.get("NumMedia") or 0)
        except ValueError:
            num_media = 0
        body = (form.get("Body") or "").replace("\x00", "").strip()[:MAX_BODY]
        sender_id = sms_sender_id(number, key=self.runtime.settings.phone_hash_key)
        return Inbound(sid, number, sender_id, body, num_media)

    async def answer(self, inbound: Inbound, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str | None:
        with self.runtime.sessions.begin() as session:
            recorded = record_inbound(
                session, channel="sms", message_id=inbound.message_sid, sender_id=inbound.sender_id, body_encrypted=self.bodies.seal(inbound.body)
            )
            if not recorded.is_new:
                logger.info("SMS %s redelivered; answering as before", inbound.message_sid)
                return recorded.reply_text
            touch_resident(session, sender_id=inbound.sender_id, channel="sms", phone_encrypted=self.vault.seal(inbound.number))
        logger.info("SMS %s from %s (%d chars)", inbound.message_sid, mask(inbound.number), len(inbound.body))
        state, reply = await self.respond(inbound, on_new_message, deadline=self.runtime.settings.sms_reply_deadline_seconds)
        if state == "pending":
            return None  # the turn goes on; send_late answers through the outbox
        with self.runtime.sessions.begin() as session:
            answered = mark_answered(session, inbound.message_sid, state=state, reply_text=reply)
        if not answered:
            logger.warning("SMS %s was answered by recovery meanwhile; not answering again", inbound.message_sid)
            return None
        return reply

    async def respond(
        self, inbound: Inbound, on_new_message: Callable[[UserMessage], Awaitable[Any]], *, deadline: float | None
    ) -> tuple[str, str | None]:
        """(inbound state, reply text); state "pending" when the turn passed `deadline` and goes on.

        The order of these steps is the channel's safety contract. Recovery runs it again with no
        deadline; every step before the bot is idempotent (flags and opt-out are states, not events).
        """
        screening = screen_message(inbound.body)
        word = keyword(inbound.body)
        with self.runtime.sessions.begin() as session:
            if screening.flagged:
                raise_flag(session, sender_id=inbound.sender_id, reason=screening.category or "", source="safety_screen", message_id=inbound.message_sid)
            if word in OPT_OUT_WORDS:
                set_opted_out(session, inbound.sender_id, True)
                # Recorded so a connector can follow up by other means; Twilio confirms the STOP itself.
                raise_flag(session, sender_id=inbound.sender_id, reason="opted_out", source="opt_out", message_id=inbound.message_sid)
                return "opt_out", None
            if word in OPT_IN_WORDS:
                set_opted_out(session, inbound.sender_id, False)
                return "answered", self.reply_text("utter_opted_in")
            if is_opted_out(session, inbound.sender_id):
                return "opt_out", None
        if screening.interrupts:
            return "screened", self.reply_text(screening.response or "")
        if word in HELP_WORDS:
            return "answered", self.reply_text("utter_sms_help")
        if not inbound.body:
            return "answered", self.reply_text("utter_sms_text_only" if inbound.num_media else "utter_sms_help")
        if sms_render.is_more_request(inbound.body) and (rest := self.take_more(inbound.sender_id)):
            return "answered", rest
        text = self.expand_choice(inbound.sender_id, inbound.body) or inbound.body
        turn = await ask_bot(
            on_new_message,
            text=text,
            sender_id=inbound.sender_id,
            message_id=inbound.message_sid,
            input_channel=self.name(),
            deadline=deadline,
        )
        prefix = [{"text": self.reply_text(screening.response or "")}] if screening.flagged else []
        if turn.pending is not None:
            turn.pending.add_done_callback(lambda done: self.send_late(inbound, prefix, done.result()))
            return "pending", None
        return "answered", self.render(inbound.sender_id, prefix + self.bot_messages(turn))

    def answer_without_database(self, inbound: Inbound) -> str | None:
        """The reply when the database is down: nothing can be recorded, but nobody is left unanswered.

        The safety screen needs no database, so someone in crisis still gets the numbers. A STOP that
        cannot be recorded gets no reply; Twilio's own opt-out still blocks texts to the number, and
        the sender marks the resident opted out on Twilio's 21610 when the database is back.
        """
        if keyword(inbound.body) in OPT_OUT_WORDS:
            logger.error("SMS %s: opt-out from %s could not be recorded", inbound.message_sid, mask(inbound.number))
            return None
        messages = answer_from_screen_only(inbound.body, channel=self.name())
        return sms_render.render_for_sms(messages, budget=self.runtime.settings.sms_segment_budget).text or None

    def bot_messages(self, turn: BotTurn) -> list[dict[str, Any]]:
        return turn.messages if not turn.failed else [{"text": self.reply_text("utter_service_trouble")}]

    def reply_text(self, name: str) -> str:
        return render_response(name, channel="sms")

    def render(self, sender_id: str, messages: list[dict[str, Any]]) -> str:
        rendered = sms_render.render_for_sms(messages, budget=self.runtime.settings.sms_segment_budget)
        with self.runtime.sessions.begin() as session:
            state = session.get(SmsConversationState, sender_id) or SmsConversationState(sender_id=sender_id)
            state.choices_json = json.dumps(rendered.choices) if rendered.choices else None
            state.more_json = json.dumps(list(rendered.more)) if rendered.more else None
            state.updated_at = utcnow()
            session.add(state)
        return rendered.text

    def take_more(self, sender_id: str) -> str | None:
        with self.runtime.sessions.begin() as session:
            state = session.get(SmsConversationState, sender_id)
            if state is None or not state.more_json:
                return None
            parts = json.loads(state.more_json)
            state.more_json = json.dumps(parts[1:]) if len(parts) > 1 else None
            return str(parts[0])

    def expand_choice(self, sender_id: str, body: str) -> str | None:
        """A reply of "1", "2"... to numbered choices becomes that choice's payload."""
        with self.runtime.sessions.begin() as session:
            state = session.get(SmsConversationState, sender_id)
            choices = json.loads(state.choices_json) if state and state.choices_json else {}
        return sms_render.resolve_choice(body, choices) if choices else None

    def send_late(self, inbound: Inbound, prefix: list[dict[str, Any]], turn: BotTurn) -> None:
        """A turn that passed the deadline: its reply goes through the outbox (which honours opt-out)."""
        text = self.render(inbound.sender_id, prefix + self.bot_messages(turn))
        with self.runtime.sessions.begin() as session:
            queued = answer_through_outbox(
                session, inbound.message_sid, sender_id=inbound.sender_id, reply_text=text or None, settings=self.runtime.settings
            )
        if not queued:
            logger.warning("late reply to %s dropped: recovery answered it meanwhile", inbound.message_sid)
