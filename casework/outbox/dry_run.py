"""The dry-run transport: with no Twilio or SMTP credentials, a message is "sent" by writing it to the
outbox file (casework.outbox.dry_run_file: the stand-in phone and mailbox, address masked) and
naming it in the log (never its text).
"""
from __future__ import annotations

import logging
import threading

from casework.models import utcnow
from casework.outbox.dry_run_file import write_sent
from casework.outbox.transport import Outcome, Outgoing, Retry, Sent
from service.log_privacy import mask
from service.settings import Settings

__all__ = ["DryRunTransport"]

log = logging.getLogger(__name__)


class DryRunTransport:
    """No credentials: one JSON line per message in the outbox file (address masked), and the log."""

    def __init__(self, settings: Settings) -> None:
        self._path = settings.outbox_path
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> Outcome:
        record = {
            "at": utcnow().isoformat(),
            "id": message.id,
            "channel": message.channel,
            "to": message.masked,
            # Which of our numbers it went from, masked as the recipient's is (a befriending match's, or ours).
            "from": mask(message.from_number) if message.from_number else None,
            # The pseudonym, never the number: how an erasure finds this resident's lines (casework.outbox.dry_run_file).
            "recipient": message.recipient,
            "purpose": message.purpose,
            "subject": message.subject,
            "body": message.body,
        }
        try:
            with self._lock:
                write_sent(self._path, record)
        except OSError as error:
            return Retry(f"outbox file: {type(error).__name__}")
        # The file is the stand-in phone and keeps the body as sent; the log never holds a text.
        log.info("dry-run %s %s to %s (%s, %d chars): written to the outbox file", message.channel, message.id,
                 message.masked, message.purpose, len(message.body))
        return Sent(provider_status="dry-run")
