"""The training-reminder job of the worker: texts each volunteer whose training question has waited too
long (casework.good_neighbours.reminders decides which may go: texting hours, in training, not after
STOP, not into a conversation in progress, at most TRAINING_REMINDERS times).

The words are casework/texts.yml's `training_reminder`, with the question again. The text goes through
the outbox in the same transaction that marks the question asked again: it is sent once, and never
after the texting hours it was queued in.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from casework.good_neighbours.reminders import due_reminders, mark_reminded, stop_reminding
from casework.models import utcnow
from casework.outbox.messages import OutboxError, enqueue_sms
from service.settings import Settings

__all__ = ["TrainingReminderRun", "send_due_training_reminders"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainingReminderRun:
    handled: int

    def __str__(self) -> str:
        return f"{self.handled} training reminders queued"


def send_due_training_reminders(sessions: sessionmaker, settings: Settings, *, now: datetime | None = None) -> TrainingReminderRun:
    now = now or utcnow()
    queued = 0
    with sessions.begin() as session:
        for reminder in due_reminders(session, settings=settings, now=now):
            try:
                enqueue_sms(session, sender_id=reminder.sender_id, body=reminder.text.render(), purpose=reminder.purpose,
                            settings=settings, not_before=now, valid_for=reminder.send_until - now)
            except OutboxError as error:
                log.warning("training reminder for %s not sent: %s", reminder.reference, type(error).__name__)
                stop_reminding(session, reminder.training_id)
                continue
            mark_reminded(session, reminder.training_id, settings=settings, now=now)
            queued += 1
    return TrainingReminderRun(queued)
