"""The worker job that deletes Twilio's copies of messages we have erased or purged
(casework.privacy.provider_copies keeps the queue). Runs only when Twilio is configured."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker
from twilio.base.exceptions import TwilioException, TwilioRestException

from casework.models import utcnow
from casework.outbox.twilio_sms import twilio_client
from casework.privacy.provider_copies import due_deletions, record_attempt
from service.settings import Settings

__all__ = ["DeletionRun", "ProviderCopyDeleter"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeletionRun:
    deleted: int = 0
    gone: int = 0
    retrying: int = 0

    @property
    def handled(self) -> int:
        return self.deleted + self.gone + self.retrying

    def __str__(self) -> str:
        return f"Twilio copies: {self.deleted} deleted, {self.gone} already gone, {self.retrying} to retry"


class ProviderCopyDeleter:
    def __init__(self, sessions: sessionmaker, settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings
        self._client = None if settings.sms_dry_run else twilio_client(settings, timeout=10.0)[0]

    def run(self, now: datetime | None = None) -> DeletionRun:
        if self._client is None:
            return DeletionRun()
        now = now or utcnow()
        with self._sessions() as session:
            due = due_deletions(session, now=now)
        counts = {"deleted": 0, "gone": 0, "retry": 0}
        for copy_id, sid in due:
            outcome, error = self._delete(sid)
            counts[outcome] += 1
            # One short transaction per message: a crash between two deletions loses nothing.
            with self._sessions.begin() as session:
                record_attempt(session, copy_id, outcome=outcome, error=error, now=now)
        return DeletionRun(counts["deleted"], counts["gone"], counts["retry"])

    def _delete(self, sid: str) -> tuple[str, str | None]:
        assert self._client is not None
        try:
            deleted = self._client.messages(sid).delete()
        except TwilioRestException as error:
            if error.status == 404:
                return "gone", None
            # 401/403 (credentials), 429, 5xx, and a message still being sent: try again later.
            log.warning("deleting Twilio's copy %s: HTTP %s, Twilio code %s; will retry", sid, error.status, error.code)
            return "retry", f"HTTP {error.status} code {error.code}"
        except (TwilioException, OSError) as error:
            log.warning("deleting Twilio's copy %s: %s; will retry", sid, type(error).__name__)
            return "retry", type(error).__name__
        return ("deleted", None) if deleted else ("retry", "not deleted")
