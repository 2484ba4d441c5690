"""The befriending check-in job of the worker: texts each live match's "how is it going?" that is due, to either
side (casework.befriending.check_ins decides which may go: texting hours, the match still live, not after STOP,
not into a conversation or over another question of ours).

The words are casework/texts.yml's `match_check_in_first` / `match_check_in`, from the service's usual number
(a reply to it reaches casework.conversation.questions; one to the befriending number would be passed on). The text goes
through the outbox in the same transaction that claims the check-in (a compare-and-set on its row, which also
schedules the next): it is sent once, however often the job runs, and never after the texting hours it was
queued in. An unanswered one is not asked again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from casework.befriending.check_ins import claim, close, due_check_ins
from casework.models import utcnow
from casework.outbox.messages import OutboxError, enqueue_sms
from casework.residents.memory import drop_question
from service.settings import Settings

__all__ = ["MatchCheckInRun", "send_due_match_check_ins"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MatchCheckInRun:
    handled: int

    def __str__(self) -> str:
        return f"{self.handled} befriending check-ins queued"


def send_due_match_check_ins(sessions: sessionmaker, settings: Settings, *, now: datetime | None = None) -> MatchCheckInRun:
    now = now or utcnow()
    queued = 0
    with sessions.begin() as session:
        for check_in in due_check_ins(session, settings=settings, now=now):
            if not claim(session, check_in.check_in_id, now=now):
                continue  # another pass took it
            try:
                outbox_id = enqueue_sms(session, sender_id=check_in.sender_id, body=check_in.text, purpose="befriending_check_in",
                                        settings=settings, not_before=now, valid_for=check_in.send_until - now)
            except OutboxError as error:
                log.warning("befriending check-in of %s not sent: %s", check_in.reference, type(error).__name__)
                close(session, check_in.check_in_id, state="missed")
                continue
            close(session, check_in.check_in_id, outbox_id=outbox_id)
            drop_question(session, check_in.sender_id)  # their next reply answers this, not an older "Shall I remember...?"
            queued += 1
    return MatchCheckInRun(queued)
