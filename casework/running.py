"""How the service is running, as its own tables say: messages waiting for the bot, the outbox's
depth and the age of its oldest unsent message, cases nobody has acknowledged and the oldest of them.
Counts and ages only, never who; read by the web app's /metrics (web/metrics.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.cases.models import Case
from casework.conversation.inbound import UNANSWERED
from casework.models import InboundMessage, utcnow
from casework.outbox.messages import OutboxMessage

__all__ = ["Running", "running"]

# Outbox states still to be sent.
UNSENT = ("queued", "sending")


@dataclass(frozen=True)
class Running:
    waiting_for_bot: int
    outbox_waiting: dict[str, int]  # channel ("sms", "email") -> unsent messages
    outbox_oldest_seconds: float  # 0 when nothing waits
    unacknowledged: int  # open cases still "new"
    unacknowledged_oldest_seconds: float


def _age(oldest: datetime | None, now: datetime) -> float:
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:  # SQLite hands back naive UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return max(0.0, (now - oldest).total_seconds())


def running(session: Session, *, now: datetime | None = None) -> Running:
    now = now or utcnow()
    waiting = session.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.state.in_(UNANSWERED))) or 0
    by_channel = dict(session.execute(
        select(OutboxMessage.channel, func.count()).where(OutboxMessage.state.in_(UNSENT)).group_by(OutboxMessage.channel)
    ).all())
    outbox_oldest = session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state.in_(UNSENT)))
    new_cases, oldest_case = session.execute(select(func.count(), func.min(Case.created_at)).where(Case.state == "new")).one()
    return Running(
        waiting_for_bot=int(waiting),
        outbox_waiting={"sms": int(by_channel.get("sms", 0)), "email": int(by_channel.get("email", 0))},
        outbox_oldest_seconds=_age(outbox_oldest, now),
        unacknowledged=int(new_cases or 0),
        unacknowledged_oldest_seconds=_age(oldest_case, now),
    )
