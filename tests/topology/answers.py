"""What each message got, counted where the service keeps it and where the resident sees it.

- the inbound log (`inbound_message`): every message recorded by its id, its state, the reply recorded;
- the outbox (`outbox_message`, purpose "reply"): SMS replies sent after the webhook had answered;
- the stand-in phones: each host's dry-run outbox file, one line per text the worker really sent;
- the resident's side: the TwiML Twilio got back, or the answer the chat page showed.

A message is answered once when exactly one of these reached the resident: its TwiML carried a reply,
or (its TwiML empty) one outbox reply was sent once, or the chat page showed its answer.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from tests.topology.residents import Exchange

__all__ = ["Tally", "alerts_sent", "answered_ids", "answer_times", "is_answered", "tally", "waiting"]

FINAL = ("answered", "screened", "deferred", "opt_out")
UNANSWERED = ("received", "waiting", "recovering")


def _states(engine: Engine, message_ids: list[str]) -> dict[str, tuple[str, str | None, str]]:
    if not message_ids:
        return {}
    query = text("SELECT message_id, state, reply_text, sender_id FROM inbound_message WHERE message_id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    with engine.connect() as connection:
        return {row[0]: (row[1], row[2], row[3]) for row in connection.execute(query, {"ids": message_ids})}


def answered_ids(engine: Engine, exchanges: Iterable[Exchange]) -> set[str]:
    """The messages that have their answer: in the TwiML or the chat page already, or recorded as
    answered (an SMS reply then waits in the outbox, a chat reply for the page's next question)."""
    exchanges = list(exchanges)
    states = _states(engine, [e.message_id for e in exchanges])
    return {e.message_id for e in exchanges if e.replies or states.get(e.message_id, ("",))[0] in FINAL}


def is_answered(engine: Engine, message_id: str) -> bool:
    """Recorded as answered: the reply was in the TwiML, or is in the outbox on its way."""
    return _states(engine, [message_id]).get(message_id, ("",))[0] in FINAL


def waiting(engine: Engine, exchanges: Iterable[Exchange], senders: Iterable[str]) -> list[str]:
    """What is still on its way: messages without an answer, replies not yet sent."""
    exchanges = list(exchanges)
    states = _states(engine, [e.message_id for e in exchanges])
    left = [f"{e.resident} {e.message_id}: {states.get(e.message_id, ('not recorded',))[0]}" for e in exchanges
            if states.get(e.message_id, ("",))[0] in UNANSWERED]
    query = text("SELECT id, state FROM outbox_message WHERE purpose = 'reply' AND state <> 'sent' AND recipient_sender_id IN :senders"
                 ).bindparams(bindparam("senders", expanding=True))
    with engine.connect() as connection:
        left += [f"outbox {row[0]}: {row[1]}" for row in connection.execute(query, {"senders": list(senders)})]
    return left


@dataclass
class Tally:
    sent: int = 0
    answered_once: int = 0
    answered_twice: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    answered_later: int = 0  # of the answered: SMS by the outbox, chat after the page asked again
    texts_sent_twice: list[str] = field(default_factory=list)  # outbox replies a worker sent more than once
    texts_never_sent: list[str] = field(default_factory=list)  # outbox replies no stand-in phone received

    def figures(self) -> str:
        return (f"sent {self.sent}, answered once {self.answered_once} (of which later {self.answered_later}), "
                f"answered twice {len(self.answered_twice)}, lost {len(self.lost)}; outbox replies sent twice {len(self.texts_sent_twice)}, "
                f"never sent {len(self.texts_never_sent)}")


def tally(engine: Engine, exchanges: list[Exchange], outbox_files: Iterable[Path]) -> Tally:
    states = _states(engine, [e.message_id for e in exchanges])
    senders = sorted({sender for _, _, sender in states.values()})
    query = text("SELECT id, recipient_sender_id, body FROM outbox_message WHERE purpose = 'reply' AND recipient_sender_id IN :senders"
                 ).bindparams(bindparam("senders", expanding=True))
    with engine.connect() as connection:
        outbox = list(connection.execute(query, {"senders": senders})) if senders else []
    phones: Counter[int] = Counter()
    for path in outbox_files:
        for line in path.read_text().splitlines() if path.exists() else []:
            phones[json.loads(line)["id"]] += 1
    queued = Counter((sender, body) for _, sender, body in outbox)
    result = Tally(sent=len(exchanges))
    result.texts_sent_twice = [f"outbox {row_id}: sent {phones[row_id]} times" for row_id, _, _ in outbox if phones[row_id] > 1]
    result.texts_never_sent = [f"outbox {row_id}" for row_id, _, _ in outbox if phones[row_id] == 0]
    for e in exchanges:
        state, reply, sender = states.get(e.message_id, ("not recorded", None, ""))
        where = f"{e.resident} {e.message_id} ({e.phase}; {', '.join(e.tries)}; {state})"
        if e.channel == "webchat":
            # The page shows what its POST or its later question brought; nothing more can reach the resident.
            if e.replies and state in FINAL:
                result.answered_once += 1
                result.answered_later += int(e.pending)
            else:
                result.lost.append(where)
            continue
        by_twiml = bool(e.replies)
        # A deferred message's reply was queued in the same transaction as its answer (casework.conversation.inbound).
        by_outbox = state == "deferred" and queued[(sender, reply)] > 0
        if by_outbox:
            queued[(sender, reply)] -= 1  # each queued reply answers one message
        if by_twiml and by_outbox:
            result.answered_twice.append(where)
        elif by_twiml or by_outbox:
            result.answered_once += 1
            result.answered_later += int(by_outbox)
        else:
            result.lost.append(where)
    # A reply in the outbox that no deferred message accounts for went to a resident a second time.
    result.answered_twice += [f"{sender}: an extra outbox reply" for (sender, _), left in queued.items() for _ in range(left)]
    return result


def alerts_sent(engine: Engine, outbox_files: Iterable[Path]) -> dict[int, int]:
    """How many times each queued alert (to a connector, by SMS or email) reached the stand-in phones and inboxes."""
    with engine.connect() as connection:
        alert_ids = list(connection.execute(text("SELECT id FROM outbox_message WHERE purpose = 'alert'")).scalars())
    sent: Counter[int] = Counter()
    for path in outbox_files:
        for line in path.read_text().splitlines() if path.exists() else []:
            sent[json.loads(line)["id"]] += 1
    return {alert_id: sent[alert_id] for alert_id in alert_ids}


def answer_times(exchanges: Iterable[Exchange], since: float, *, window: float = 10.0, last: float = 60.0) -> dict[str, str]:
    """p95 of the time to an answer the resident saw at once (TwiML or the chat page), for messages sent before
    `since` and in each `window` seconds after it, up to `last` (then the rest): a figure to print, never a limit."""
    def p95(values: list[float]) -> str:
        if not values:
            return "-"
        ordered = sorted(values)
        return f"{ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]:.1f} s (n={len(ordered)})"

    buckets: dict[str, list[float]] = {"before": []}
    edges = [since + window * k for k in range(int(last // window) + 1)]
    for start, end in zip(edges, edges[1:]):
        buckets[f"{start - since:.0f}-{end - since:.0f} s"] = []
    buckets[f"after {last:.0f} s"] = []
    for e in exchanges:
        if e.answered is None:
            continue
        took = e.answered - e.started
        if e.started < since:
            buckets["before"].append(took)
        elif e.started >= since + last:
            buckets[f"after {last:.0f} s"].append(took)
        else:
            k = int((e.started - since) // window)
            buckets[f"{window * k:.0f}-{window * (k + 1):.0f} s"].append(took)
    return {name: p95(values) for name, values in buckets.items()}
