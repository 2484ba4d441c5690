"""The check-in job of the worker: texts each "did you go?" that is due (casework.follow_ups.check_ins decides
which may go: texting hours, consent, opt-out, not into a conversation in progress).

The words are the domain's (`utter_check_in`, bot/domain/responses_follow_up.yml), so the copy
residents read lives in one place. The text goes through the outbox in the same transaction that
marks the check-in asked: it is sent once, and never after the texting hours it was queued in.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from casework.follow_ups.check_ins import close, due_check_ins, mark_asked
from casework.models import utcnow
from casework.outbox.messages import OutboxError, enqueue_sms
from casework.residents.memory import drop_question
from channels.responses import render_response
from service.settings import Settings

__all__ = ["CheckInRun", "send_due_check_ins"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckInRun:
    handled: int

    def __str__(self) -> str:
        return f"{self.handled} check-ins queued"


def send_due_check_ins(sessions: sessionmaker, settings: Settings, *, now: datetime | None = None) -> CheckInRun:
    now = now or utcnow()
    queued = 0
    with sessions.begin() as session:
        for check_in in due_check_ins(session, settings=settings, now=now):
            body = render_response("utter_check_in", channel="sms", values={"name": check_in.name, "day": check_in.day})
            try:
                outbox_id = enqueue_sms(session, sender_id=check_in.sender_id, body=body, purpose="follow_up", settings=settings,
                                        not_before=now, valid_for=check_in.send_until - now)
            except OutboxError as error:
                log.warning("check-in %s not sent: %s", check_in.id, type(error).__name__)
                close(session, check_in.id)
                continue
            mark_asked(session, check_in.id, outbox_id=outbox_id, now=now)
            drop_question(session, check_in.sender_id)  # their next reply answers the check-in, nothing older
            queued += 1
    return CheckInRun(queued)
