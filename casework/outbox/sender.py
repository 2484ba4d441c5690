"""The outbox sender, the worker's side of the outbox: due messages handed to their transport (SMS
through Twilio, email through SMTP, or the dry run: `build_sender` picks by the credentials set).

One message at a time, in three steps, so no transaction is held open while Twilio is called:
1. claim it (queued -> sending, attempts + 1, a lease), checking expiry and opt-out *again* first:
   a resident may have texted STOP after the message was queued;
2. hand it to the transport (casework.outbox.twilio_sms, smtp_email or dry_run);
3. record the outcome: sent (with Twilio's SID), retry later (429/5xx/network, exponential backoff,
   at least Retry-After), failed (permanent: 21211 invalid number, other 4xx; 21610 unsubscribed
   also opts the resident out), or expired (would arrive after `expires_at`).

Twilio answering 401/403 says our credentials are wrong, not the message: SMS sending is paused for
every worker (casework.outbox.provider_state), the message goes back to the queue without counting the
attempt, /healthz shows `sms_provider` failing, and one worker checks the credentials (Twilio's
account fetch, no text sent) every SMS_PROVIDER_PROBE_SECONDS. Meanwhile queued texts wait, each
until its own `expires_at` (then expired as usual); email carries on. When the check passes, sending
resumes by itself.

Delivery is at-least-once: if the worker dies between Twilio accepting a message and step 3, the
lease runs out and the message is sent again. For a service that alerts people about someone at
risk, a rare duplicate is better than a lost message. Phone numbers never appear in logs, in
`last_error` or in the outbox file: only `service.log_privacy.mask` of them.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.models import as_utc, utcnow
from casework.outbox.delivery_status import apply_early_statuses
from casework.outbox.dry_run import DryRunTransport
from casework.outbox.messages import OutboxMessage, mark_resident_opted_out, may_text, opened_body
from casework.outbox.provider_state import SMS_PROVIDER, claim_probe, pause_provider, provider_status, resume_provider
from casework.outbox.smtp_email import SmtpEmailTransport
from casework.outbox.transport import CredentialsRefused, Outcome, Outgoing, Permanent, Retry, Sent, Transport, scrub_numbers
from casework.outbox.twilio_sms import MAX_VALIDITY_SECONDS, UNSUBSCRIBED, TwilioSmsTransport
from casework.residents.identity import PhoneVault
from casework.sealing import Vault, vault_for
from service.settings import Settings

__all__ = ["RetryPolicy", "SendReport", "OutboxSender", "build_sender"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    base_delay: float = 5.0  # seconds before the 2nd attempt; doubles each time
    max_delay: float = 900.0
    max_attempts: int = 8  # 5 s .. 15 min: about 40 minutes of trying before giving up
    lease: float = 120.0  # a claimed message not recorded within this is retried (worker died)

    def delay(self, attempts: int, retry_after: float | None) -> float:
        backoff = min(self.max_delay, self.base_delay * (2 ** max(0, attempts - 1)))
        # Retry-After is Twilio telling us the earliest useful moment: never go sooner.
        return max(backoff, retry_after or 0.0)



@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    blocked: int = 0
    skipped: int = 0
    paused: int = 0  # handed back to the queue because the provider refused our credentials
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.expired + self.blocked + self.paused


class OutboxSender:
    """Sends what is due. One instance per worker process (it keeps Twilio's connection pool)."""

    def __init__(
        self,
        sessions: sessionmaker,
        *,
        vault: PhoneVault,
        sms: Transport,
        email: Transport,
        policy: RetryPolicy = RetryPolicy(),
        clock: Callable[[], datetime] = utcnow,
        probe_every: float = 60.0,
        bodies: Vault | None = None,
    ) -> None:
        self._sessions = sessions
        self._vault = vault
        self._bodies = bodies  # opens a relayed text's sealed body (casework.outbox.messages.RELAY)
        self._transports = {"sms": sms, "email": email}
        self._policy = policy
        self._clock = clock
        self._probe_every = timedelta(seconds=probe_every)
        self._sms_paused = False  # within one pass; the database holds it across passes and workers

    def send_due(self, *, limit: int = 50) -> SendReport:
        report = SendReport()
        now = self._clock()
        self._sms_paused = self._sms_still_paused(now)
        if self._sms_paused:
            self._expire_waiting_sms(now, report)
        with self._sessions.begin() as session:
            conditions = [OutboxMessage.state.in_(("queued", "sending")), OutboxMessage.next_attempt_at <= now]
            if self._sms_paused:
                conditions.append(OutboxMessage.channel != "sms")
            due = session.scalars(
                select(OutboxMessage.id)
                .where(*conditions)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
            ).all()
        for message_id in due:
            self.send_one(message_id, report)
        return report

    # --- pause while the provider refuses our credentials ------------------------------------
    def _sms_still_paused(self, now: datetime) -> bool:
        """Whether SMS sending is paused; runs the credentials check when it is this worker's turn."""
        with self._sessions.begin() as session:
            status = provider_status(session, SMS_PROVIDER)
            if not status.paused:
                return False
            if not claim_probe(session, SMS_PROVIDER, now=now, next_probe_at=now + self._probe_every):
                return True
        transport = self._transports["sms"]
        check = getattr(transport, "check_credentials", None)
        # A transport that cannot be refused (dry-run, after the credentials were removed) resumes at once.
        outcome: Outcome = check() if check is not None else Sent()
        if isinstance(outcome, Sent):
            with self._sessions.begin() as session:
                since = resume_provider(session, SMS_PROVIDER, now=now)
            paused_for = f" after {int((now - since).total_seconds())} s" if since else ""
            log.warning("SMS sending resumed%s: the provider accepts our credentials again", paused_for)
            return False
        error = getattr(outcome, "error", type(outcome).__name__)
        log.error("SMS sending still paused: credentials check failed (%s); next check in %.0f s",
                  error, self._probe_every.total_seconds())
        if isinstance(outcome, CredentialsRefused):
            with self._sessions.begin() as session:
                pause_provider(session, SMS_PROVIDER, reason=outcome.error, now=now, next_probe_at=now + self._probe_every)
        return True

    def _expire_waiting_sms(self, now: datetime, report: SendReport) -> None:
        """While paused, texts still expire on time (an alert nobody can send must fail over promptly)."""
        with self._sessions.begin() as session:
            waiting = session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.channel == "sms",
                    OutboxMessage.state == "queued",
                    OutboxMessage.expires_at <= now,
                )
            ).all()
            for message in waiting:
                self._finish(message, "expired", "not sent before it expired: SMS sending was paused "
                                                 "(the provider refused our credentials)")
                report.expired += 1
                log.warning("outbox %s (%s) expired while SMS sending was paused", message.id, message.purpose)

    def send_one(self, message_id: int, report: SendReport) -> None:
        outgoing = self._claim(message_id, report)
        if outgoing is None:
            return
        try:
            outcome = self._transports[outgoing.channel].send(outgoing)
        except Exception as error:  # a bug in a transport must not stop the other messages
            log.exception("outbox %s: transport raised", message_id)
            outcome = Retry(scrub_numbers(f"unexpected: {type(error).__name__}: {error}"))
        self._record(message_id, outgoing, outcome, report)

    def _claim(self, message_id: int, report: SendReport) -> Outgoing | None:
        now = self._clock()
        with self._sessions.begin() as session:
            message = session.get(OutboxMessage, message_id)
            if message is None or message.state not in ("queued", "sending"):
                report.skipped += 1
                return None
            if message.channel == "sms" and self._sms_paused:
                report.skipped += 1  # paused earlier in this pass: stays queued, untouched
                return None
            due_at = as_utc(message.next_attempt_at)
            if due_at is None or due_at > now:
                report.skipped += 1
                return None
            if message.state == "sending":
                log.warning("outbox %s: previous attempt never finished (worker stopped?); "
                            "sending again, the recipient may get it twice", message_id)
            expires_at = as_utc(message.expires_at)
            if expires_at is not None and expires_at <= now:
                self._finish(message, "expired", "not sent before it expired" if message.state == "queued"
                             else "expired; an unfinished earlier attempt may have reached the provider")
                report.expired += 1
                log.warning("outbox %s (%s) expired unsent", message_id, message.purpose)
                return None
            if message.channel == "sms" and not self._may_text(session, message.recipient_sender_id):
                self._finish(message, "blocked_opted_out", "resident has opted out")
                message.recipient_encrypted = None
                report.blocked += 1
                log.info("outbox %s blocked at send time: %s opted out or unknown",
                         message_id, message.recipient_sender_id)
                return None
            try:
                to = self._address(message)
            except (InvalidToken, ValueError):
                self._finish(message, "failed", "recipient cannot be decrypted (key changed?)")
                report.failed += 1
                log.error("outbox %s: recipient token cannot be decrypted", message_id)
                return None
            body = opened_body(message.purpose, message.body, self._bodies)
            if body is None:
                self._finish(message, "failed", "the relayed text cannot be opened (key changed?)")
                report.failed += 1
                log.error("outbox %s: sealed body cannot be opened", message_id)
                return None
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.state == message.state,
                       OutboxMessage.attempts == message.attempts)
                .values(state="sending", attempts=OutboxMessage.attempts + 1,
                        next_attempt_at=now + timedelta(seconds=self._policy.lease))
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1:  # another worker took it between our read and our update
                report.skipped += 1
                return None
            validity = None
            if expires_at is not None:
                validity = int(min(MAX_VALIDITY_SECONDS, max(1, (expires_at - now).total_seconds())))
            return Outgoing(
                id=message.id, channel=message.channel, to=to, body=body,
                purpose=message.purpose, subject=message.subject, validity_seconds=validity,
                recipient=message.recipient_sender_id, from_number=message.from_number,
            )

    @staticmethod
    def _may_text(session: Session, sender_id: str | None) -> bool:
        return may_text(session, sender_id)  # residents who have not opted out, and active connectors

    def _address(self, message: OutboxMessage) -> str:
        if not message.recipient_encrypted:
            raise ValueError("no recipient")
        if message.channel == "sms":
            return self._vault.open(message.recipient_encrypted)
        return message.recipient_encrypted

    def _record(self, message_id: int, outgoing: Outgoing, outcome: Outcome, report: SendReport) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            message = session.get(OutboxMessage, message_id)
            if message is None:
                return
            if isinstance(outcome, Sent):
                message.state = "sent"
                message.sent_at = now
                message.provider_sid = outcome.provider_sid
                message.provider_status = outcome.provider_status
                message.status_updated_at = now
                message.next_attempt_at = None
                message.last_error = None
                # Twilio's callbacks can beat this transaction; apply any that arrived first.
                apply_early_statuses(session, message)
                report.sent += 1
                log.info("outbox %s sent: %s to %s (%s, attempt %s)", message_id, outgoing.channel,
                         outgoing.masked, outgoing.purpose, message.attempts)
            elif isinstance(outcome, CredentialsRefused):
                self._hand_back(session, message, outcome, now, report)
            elif isinstance(outcome, Permanent):
                self._finish(message, "failed", outcome.error)
                report.failed += 1
                report.errors.append(outcome.error)
                log.error("outbox %s to %s failed for good: %s", message_id, outgoing.masked, outcome.error)
                if outcome.unsubscribed:
                    mark_resident_opted_out(session, message.recipient_sender_id,
                                            reason=f"twilio {UNSUBSCRIBED} on outbox {message_id}")
            else:
                self._retry_later(message, outcome, now, report)

    def _hand_back(self, session: Session, message: OutboxMessage, outcome: CredentialsRefused, now: datetime,
                   report: SendReport) -> None:
        """Back to the queue as if never tried (its attempts are for its own problems), and pause SMS."""
        message.state = "queued"
        message.attempts = max(0, message.attempts - 1)
        message.next_attempt_at = now
        message.last_error = outcome.error
        report.paused += 1
        report.errors.append(outcome.error)
        if message.channel == "sms":
            self._sms_paused = True
            if pause_provider(session, SMS_PROVIDER, reason=outcome.error, now=now, next_probe_at=now + self._probe_every):
                log.error("SMS sending paused: the provider refused our credentials (%s); texts stay queued "
                          "(each until it expires) and the credentials are checked every %.0f s",
                          outcome.error, self._probe_every.total_seconds())

    def _retry_later(self, message: OutboxMessage, outcome: Retry, now: datetime, report: SendReport) -> None:
        report.errors.append(outcome.error)
        if message.attempts >= self._policy.max_attempts:
            self._finish(message, "failed", f"gave up after {message.attempts} attempts: {outcome.error}")
            report.failed += 1
            log.error("outbox %s: gave up after %s attempts: %s", message.id, message.attempts, outcome.error)
            return
        next_at = now + timedelta(seconds=self._policy.delay(message.attempts, outcome.retry_after))
        expires_at = as_utc(message.expires_at)
        if expires_at is not None and next_at >= expires_at:
            # The next try would already be too late: say so now rather than at that moment, so
            # whoever watches alerts (failover to another connector) learns it straight away.
            self._finish(message, "expired", f"would be late after: {outcome.error}")
            report.expired += 1
            log.warning("outbox %s (%s) expired after a failed attempt: %s",
                        message.id, message.purpose, outcome.error)
            return
        message.state = "queued"
        message.next_attempt_at = next_at
        message.last_error = outcome.error
        report.retried += 1
        log.warning("outbox %s: attempt %s failed (%s); next try at %s",
                    message.id, message.attempts, outcome.error, next_at.isoformat(timespec="seconds"))

    @staticmethod
    def _finish(message: OutboxMessage, state: str, error: str) -> None:
        message.state = state
        message.last_error = error
        message.next_attempt_at = None


def build_sender(
    settings: Settings,
    sessions: sessionmaker,
    *,
    policy: RetryPolicy = RetryPolicy(),
    clock: Callable[[], datetime] = utcnow,
) -> OutboxSender:
    """The sender the settings describe: dry-run for whichever of SMS/email has no credentials."""
    dry_run = DryRunTransport(settings)
    sms: Transport = dry_run if settings.sms_dry_run else TwilioSmsTransport(settings)
    email: Transport = dry_run if settings.email_dry_run else SmtpEmailTransport(settings)
    log.info("outbox sender: sms %s, email %s", "dry-run" if settings.sms_dry_run else "twilio",
             "dry-run" if settings.email_dry_run else "smtp")
    return OutboxSender(sessions, vault=PhoneVault.for_settings(settings), sms=sms, email=email, policy=policy, clock=clock,
                        probe_every=settings.sms_provider_probe_seconds, bodies=vault_for("body", settings))
