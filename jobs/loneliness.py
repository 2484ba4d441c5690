"""The loneliness job of the worker: texts each round's consent question that is due (casework.loneliness
.asking decides which may go: texting hours, consent, opt-out, not into a conversation or over another
open question).

The words are casework/texts.yml's `loneliness_consent` / `loneliness_follow_up_consent`. The text goes
through the outbox in the same transaction that marks the question asked: it is sent once, and never
after the texting hours it was queued in.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from casework.loneliness.asking import close, due_questions, mark_asked
from casework.models import utcnow
from casework.outbox.messages import OutboxError, enqueue_sms
from casework.residents.memory import drop_question
from casework.texts import render
from service.settings import Settings

__all__ = ["LonelinessRun", "send_due_loneliness_questions"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LonelinessRun:
    handled: int

    def __str__(self) -> str:
        return f"{self.handled} loneliness questions queued"


def send_due_loneliness_questions(sessions: sessionmaker, settings: Settings, *, now: datetime | None = None) -> LonelinessRun:
    now = now or utcnow()
    queued = 0
    with sessions.begin() as session:
        for question in due_questions(session, settings=settings, now=now):
            try:
                enqueue_sms(session, sender_id=question.sender_id, body=render(question.text), purpose="loneliness", settings=settings,
                            not_before=now, valid_for=question.send_until - now)
            except OutboxError as error:
                log.warning("loneliness question %s not sent: %s", question.score_id, type(error).__name__)
                close(session, question.score_id)
                continue
            mark_asked(session, question.score_id, now=now)
            drop_question(session, question.sender_id)  # their next reply answers this, not an older "Shall I remember...?"
            queued += 1
    return LonelinessRun(queued)
