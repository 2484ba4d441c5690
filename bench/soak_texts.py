"""The soak's texts (bench/soak.py): what each resident says, one text sent as Twilio would, and where
its answer turned up: in the webhook's TwiML, or queued in the outbox later (watched for in the inbound
log); and the replies queued in all, to tell a text answered twice."""
from __future__ import annotations

import http.client
import itertools
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bench.sms_turns import SmsTarget
from casework.conversation.inbound import UNANSWERED
from casework.models import InboundMessage, as_utc
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import sms_sender_id
from tests.service_stack import ServiceStack

__all__ = ["GIVE_UP_SECONDS", "Text", "conversation", "OutboxWatch", "send", "replies_queued"]

# First texts as residents write them, each naming an interest and a town the sample directory covers
# (in the style of tests/conversations/first_texts.yml; none of them is training data).
FIRST_TEXTS = [
    "hi im looking for a singing group in wallasey",
    "any walking groups near heswall",
    "knitting club in west kirby?",
    "is there a lunch club in moreton",
    "coffee mornings in bromborough please",
    "i would like to try bowls, i live in birkenhead",
    "any craft groups nr hoylake",
    "wud like to do some gardening in neston",
]
# What follows a search: the next three, one of them by number, the way there, another day, the first
# of that list, thanks.
AFTER_A_SEARCH = ["more", "5", "how do i get there", "what about thursdays", "1", "thank you"]
# Past this a text counts as not answered: far beyond the 8 s reply deadline and recovery's next pass.
GIVE_UP_SECONDS = 120.0


def conversation(resident: int) -> Iterator[str]:
    """A resident's texts for as long as the soak lasts; residents start on different interests."""
    for search in itertools.count(resident):
        yield FIRST_TEXTS[search % len(FIRST_TEXTS)]
        yield from AFTER_A_SEARCH


@dataclass
class Text:
    """One text of the soak and what became of it (set by the thread that sent it, or the outbox watch)."""

    resident: int
    body: str
    minute: int
    sid: str = field(default_factory=lambda: "SM" + uuid.uuid4().hex)
    sent_at: float = 0.0  # time.time(), to compare with the inbound log's answered_at
    answered_by: str = ""  # "TwiML" or "outbox"
    latency_ms: float | None = None
    problem: str = ""  # why it was not answered

    @property
    def settled(self) -> bool:
        return self.latency_ms is not None or bool(self.problem)


def has_reply(twiml: str) -> bool:
    """Whether the webhook's TwiML carries a message (empty TwiML: the reply will come by the outbox)."""
    return any((message.text or "").strip() for message in ElementTree.fromstring(twiml).iter("Message"))


class OutboxWatch:
    """Texts the webhook answered with empty TwiML, looked up in the inbound log until their reply is
    queued. One reader for all of them, one query a second however many wait (answered_at, not the
    moment it is seen, is the reply's time)."""

    def __init__(self, database_url: str, give_up_s: float) -> None:
        self.engine = create_engine(database_url)
        self.give_up_s = give_up_s
        self.waiting: dict[str, Text] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def expect(self, text: Text) -> None:
        with self.lock:
            self.waiting[text.sid] = text

    def _run(self) -> None:
        while not self.done.wait(1.0):
            try:
                self.look()
            except OperationalError:  # the service holds SQLite's write lock: look again next time
                continue
            except SQLAlchemyError as problem:  # anything else: give up on every text still waiting, say why
                with self.lock:
                    for text in self.waiting.values():
                        text.problem = f"the outbox watch failed: {problem}"
                    self.waiting.clear()
                return

    def look(self) -> None:
        with self.lock:
            waiting = dict(self.waiting)
        if not waiting:
            return
        sids = list(waiting)
        states: dict[str, tuple[str, datetime | None, bool]] = {}
        with self.engine.connect() as db:
            for start in range(0, len(sids), 500):  # SQLite's limit on bound parameters
                chunk = sids[start:start + 500]
                rows = db.execute(select(InboundMessage.message_id, InboundMessage.state, InboundMessage.answered_at,
                                         InboundMessage.reply_text.isnot(None)).where(InboundMessage.message_id.in_(chunk)))
                states.update((sid, (state, at, replied)) for sid, state, at, replied in rows)
        now = time.time()
        for sid, text in waiting.items():
            state, answered_at, replied = states.get(sid, ("not recorded", None, False))
            if state in UNANSWERED or state == "not recorded":
                if now - text.sent_at > self.give_up_s:
                    text.problem = f"no reply within {self.give_up_s:.0f} s (inbound log: {state})"
                else:
                    continue
            elif state == "deferred" and replied and (at := as_utc(answered_at)) is not None:
                text.answered_by = "outbox"
                text.latency_ms = (at.timestamp() - text.sent_at) * 1000
            else:
                text.problem = f"answered with nothing (inbound log: {state})"
            with self.lock:
                del self.waiting[sid]

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        self.engine.dispose()


def send(target: SmsTarget, number: str, text: Text, watch: OutboxWatch) -> None:
    text.sent_at = time.time()
    try:
        twiml, took_ms = target.send(number, text.body, sid=text.sid)
    except (OSError, RuntimeError, http.client.HTTPException) as problem:  # refused, timed out, HTTP 4xx/5xx
        text.problem = f"webhook: {problem}"
        return
    if has_reply(twiml):
        text.answered_by = "TwiML"
        text.latency_ms = took_ms
    else:
        watch.expect(text)


def replies_queued(stack: ServiceStack, numbers: list[str]) -> tuple[int, int]:
    """Replies in the outbox to the soak's residents, and their texts the inbound log marks answered
    through it, read in one statement (one snapshot): the compare-and-set makes them equal, each text
    answered exactly once."""
    senders = [sms_sender_id(number, key=stack.env["PHONE_HASH_KEY"]) for number in numbers]
    outbox = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.purpose == "reply", OutboxMessage.recipient_sender_id.in_(senders))
    deferred = select(func.count()).select_from(InboundMessage).where(
        InboundMessage.state == "deferred", InboundMessage.reply_text.isnot(None), InboundMessage.sender_id.in_(senders))
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as db:
            queued, answered = db.execute(select(outbox.scalar_subquery(), deferred.scalar_subquery())).one()
    finally:
        engine.dispose()
    return int(queued), int(answered)
