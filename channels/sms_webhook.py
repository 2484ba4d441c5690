"""Twilio's webhooks, served by the web app in front of Rasa (so texts are recorded, and crises
answered, while Rasa restarts).

POST /webhooks/sms/webhook   an inbound SMS (give Twilio this as the number's "A message comes in" URL)
POST /webhooks/sms/fallback  the same, for Twilio's fallback URL (same signature rules)
POST /webhooks/sms/status    delivery receipts for the outbox, and the SIDs of replies sent as TwiML

A text whose `To` is one of BEFRIENDING_NUMBERS goes to the relay (channels.relay), never the bot: it
is one side of a befriending match writing to the other (give those numbers the same webhook URLs).

In this order: the body limit (the web app refuses bodies over 64 KB with 413 before reading them),
the `X-Twilio-Signature` against PUBLIC_BASE_URL + path + query string (403, nothing processed), the
fields (400 says which is wrong), the per-number rate limit (429 with Retry-After; a crisis text is
never held back), then `channels.intake`. The reply is TwiML.

Twilio keeps its own copy of every reply, which erasure and retention delete through its API by SID
(casework.privacy.provider_copies). A reply sent as TwiML gets its SID only after we have answered, so its
<Message> carries `action=".../status?reply_to=<the inbound MessageSid>"`: Twilio reports the reply's
status there, and the status route keeps the reply's SID on the inbound message (or, if that message
has been erased meanwhile, queues Twilio's copy for deletion at once). The query string is covered by
Twilio's signature, so `reply_to` cannot be forged without the auth token.
"""
from __future__ import annotations

import logging
from urllib.parse import quote

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from casework.befriending.numbers import is_befriending_number
from casework.outbox.delivery_status import record_status
from casework.privacy.provider_copies import is_twilio_message_sid, record_reply_sid
from casework.residents.flags import raise_flag
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.records import resolve_sms_sender
from channels.incoming import Incoming
from channels.intake import Intake
from channels.rate_limit import limiter_for
from channels.relay import Relay
from channels.sms_request import first, parse_sms, signed_fields
from channels.twilio_signature import SignedFields, TwilioSignatureCheck
from channels.twiml import twiml
from service.settings import Settings

__all__ = ["sms_blueprint"]

logger = logging.getLogger(__name__)


def sms_blueprint(settings: Settings, intake: Intake) -> Blueprint:
    bp = Blueprint("sms", url_prefix="/webhooks/sms")
    vault = PhoneVault.for_settings(settings)
    signatures = TwilioSignatureCheck.from_settings(settings)
    limiter = limiter_for(settings, settings.sms_rate_limit, name="sms")
    relay = Relay(intake)

    def verified(request: Request) -> SignedFields | None:
        """Twilio signs the public URL it called, so behind a TLS proxy we check PUBLIC_BASE_URL + path."""
        url = settings.public_base_url + request.path
        if request.query_string:
            url += "?" + request.query_string
        fields = signed_fields(request.headers.get("content-type", ""), request.body or b"")
        if signatures.is_valid(url, fields, request.headers.get("X-Twilio-Signature", "")):
            return fields
        logger.warning("SMS webhook %s rejected: bad or missing signature (body not logged)", request.path)
        return None

    def tell_connectors_once(sender_id: str) -> None:
        # An auto-responder answering our replies would run the bot for ever: the team hears once.
        with intake.sessions.begin() as session:
            raise_flag(session, sender_id=sender_id, reason="rate_limited", source="rate_limit")

    def resolve(number: str) -> str:
        with intake.sessions() as session:
            return resolve_sms_sender(session, number, settings)

    def reply_status_url(inbound_sid: str) -> str:
        """Where Twilio reports the SID of our TwiML reply to this message (see the module docstring)."""
        return f"{settings.public_base_url}/webhooks/sms/status?reply_to={quote(inbound_sid, safe='')}"

    async def sender_for(number: str) -> str:
        """The resident's pseudonym. During a key rotation (old hash keys configured, `jobs.rekey` not
        yet run) a resident known only under an old key keeps that id, with their opt-out and conversation."""
        if settings.phone_hash_key_previous:
            try:
                return await intake.db.run(resolve, number)
            except SQLAlchemyError:
                logger.exception("sender look-up failed; using the current key's id")
        return sms_sender_id(number, key=settings.phone_hash_key)

    async def receive(request: Request) -> HTTPResponse:
        fields = verified(request)
        if fields is None:
            return response.text("invalid or missing X-Twilio-Signature", status=403)
        try:
            sms = parse_sms(fields)
        except ValueError as problem:
            logger.warning("SMS webhook refused: %s", problem)
            return response.text(str(problem), status=400)
        sender_id = await sender_for(sms.number)
        wait = await limiter.take(sender_id)
        # Over the limit, only a message the screen flags (either layer) still goes through.
        if wait and not (await intake.screen(sms.body)).flagged:
            logger.warning("SMS %s refused: %s is over the rate limit", sms.message_sid, sender_id)
            if await limiter.once(sender_id):  # once across every web replica when the limits are shared
                try:
                    await intake.db.run(tell_connectors_once, sender_id)
                except Exception:
                    logger.exception("could not flag the rate-limited sender %s", sender_id)
            return response.text("too many messages from this number", status=429, headers={"Retry-After": limiter.retry_after(wait)})
        incoming = Incoming("sms", sms.message_sid, sender_id, sms.body, phone_sealed=vault.seal(sms.number), num_media=sms.num_media)
        if is_befriending_number(sms.to, settings):
            outcome = await relay.receive(incoming, sms.to)
        else:
            outcome = await intake.receive(incoming)
        return response.text(twiml(outcome.text, action=reply_status_url(sms.message_sid)), content_type="text/xml")

    bp.add_route(receive, "/webhook", methods=["POST"], name="webhook")
    bp.add_route(receive, "/fallback", methods=["POST"], name="fallback")

    @bp.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @bp.route("/status", methods=["POST"])
    async def status(request: Request) -> HTTPResponse:
        fields = verified(request)
        if fields is None:
            return response.text("invalid or missing X-Twilio-Signature", status=403)
        sid, state = first(fields, "MessageSid"), first(fields, "MessageStatus")
        if not sid or not state:
            return response.text("MessageSid and MessageStatus are required", status=400)
        reply_to = request.args.get("reply_to")
        if reply_to:
            return await reply_status(reply_to, sid)
        error_code = first(fields, "ErrorCode") or None

        def record() -> bool:
            with intake.sessions.begin() as session:
                return bool(record_status(session, sid, state, error_code=error_code))

        return response.json({"recorded": await intake.db.run(record)})

    async def reply_status(inbound_sid: str, reply_sid: str) -> HTTPResponse:
        """A TwiML reply's status: its SID is kept with the message it answers (never an outbox
        message, so `record_status` is not asked: it would hold the SID as an early callback).
        Twilio reads the answer to a <Message action> request as TwiML that continues the exchange,
        so the answer is an empty <Response/>: nothing more is sent."""
        if not is_twilio_message_sid(reply_sid):
            logger.warning("reply status for %s ignored: MessageSid is not a Twilio message SID", inbound_sid[:64])
            return response.text(twiml(None), content_type="text/xml")

        def record() -> str:
            with intake.sessions.begin() as session:
                return record_reply_sid(session, inbound_sid, reply_sid, settings=settings)

        outcome = await intake.db.run(record)
        if outcome == "queued":
            logger.info("reply %s to %s: that message is erased, or kept another reply's SID; Twilio's copy queued for deletion",
                        reply_sid, inbound_sid[:64])
        return response.text(twiml(None), content_type="text/xml")

    return bp
