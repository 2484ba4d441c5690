"""Signed SMS turns against the running service: one long conversation, then many residents at once.

    python bench/sms_turns.py                 # against `make run` (settings from the environment/.env)
    python bench/sms_turns.py --start         # starts its own service in a temporary folder first
    python bench/sms_turns.py --start --slow  # also: the webhook's answer time when a turn is slow

`--slow` freezes the private service's action server (SIGSTOP) for a few seconds during one turn,
with SMS_REPLY_DEADLINE_SECONDS set by `--deadline`, and reports how long the webhook took to
answer (empty TwiML at the deadline) and how long until the reply reached the outbox.

Prints figures; asserts nothing (machines are noisy). Every request is signed with Twilio's
RequestValidator exactly as Twilio would sign it, so each one is a full turn through the channel.
The load functions take any `turn(sender, text) -> milliseconds`, so bench/stock_rasa.py drives
stock Rasa's REST channel with the same load (bench/compare.py prints both side by side).
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twilio.request_validator import RequestValidator  # noqa: E402

from service.settings import load_settings  # noqa: E402
from tests.service_stack import ServiceStack, private_stack  # noqa: E402

__all__ = [
    "BENCH_ENV", "CONVERSATION", "SMS_WEBHOOK", "Concurrency", "LongConversation", "SmsTarget", "Turn",
    "many_residents", "one_long_conversation", "percentile", "sms_webhook_base",
]

CONVERSATION = ["hello", "I like walking", "CH44 5TN", "singing", "thank you", "knitting", "what can you do", "bowls"]
SMS_WEBHOOK = "/webhooks/sms/webhook"
# The benchmarks measure turns, not the per-number rate limit (which would refuse one resident's 200
# messages in a row, as it should an auto-responder): the private service they start lifts it.
# They also run as many Rasa workers as `make run` would here (RASA_WORKERS as set, or unset: two on two
# cores), where the tests' stacks run one.
BENCH_ENV: dict[str, str | None] = {"SMS_RATE_LIMIT": "1000000,1000000", "RASA_WORKERS": os.environ.get("RASA_WORKERS")}

# One turn: send `text` as `sender`, wait for the reply, return how long it took in milliseconds.
Turn = Callable[[str, str], float]


class SmsTarget:
    """Twilio's side of the SMS webhook: a form signed against the public URL, posted to `base_url`."""

    def __init__(self, base_url: str, public_base_url: str, token: str) -> None:
        self.url = base_url + SMS_WEBHOOK
        self.public = public_base_url + SMS_WEBHOOK
        self.validator = RequestValidator(token)

    @classmethod
    def of(cls, stack: ServiceStack) -> SmsTarget:
        """The SMS webhook of a private service (tests/service_stack.py), wherever it is served."""
        return cls(sms_webhook_base(stack.web_url, stack.rasa_url), stack.env["PUBLIC_BASE_URL"], stack.env["TWILIO_AUTH_TOKEN"])

    def send(self, number: str, body: str, sid: str | None = None) -> tuple[str, float]:
        """Post one message as Twilio would; the TwiML answered and how long it took in milliseconds."""
        form = {"MessageSid": sid or "SM" + uuid.uuid4().hex, "From": number, "To": "+447700900999", "Body": body, "NumMedia": "0"}
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"X-Twilio-Signature": self.validator.compute_signature(self.public, form)},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as reply:
            twiml = reply.read().decode()
            if reply.status != 200:
                raise RuntimeError(f"HTTP {reply.status}")
        return twiml, (time.perf_counter() - started) * 1000

    def turn(self, number: str, body: str) -> float:
        return self.send(number, body)[1]


def sms_webhook_base(web_url: str, rasa_url: str) -> str:
    """Where the SMS webhook is served: the web app once it owns the intake, Rasa's channel before.

    An unsigned probe is enough: a served webhook refuses it (403), a missing route says 404/405."""
    request = urllib.request.Request(web_url + SMS_WEBHOOK, data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10):
            return web_url
    except urllib.error.HTTPError as error:
        return rasa_url if error.code in (404, 405) else web_url
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return rasa_url


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass(frozen=True)
class LongConversation:
    messages: int
    early_ms: float  # median of messages 1-10
    late_ms: float  # median of the last 10 messages
    max_ms: float

    @property
    def ratio(self) -> float:
        return self.late_ms / self.early_ms

    def __str__(self) -> str:
        return (f"one resident, {self.messages} messages: median of messages 1-10 {self.early_ms:.0f} ms, "
                f"of messages {self.messages - 9}-{self.messages} {self.late_ms:.0f} ms "
                f"(ratio {self.ratio:.2f}, max {self.max_ms:.0f} ms)")


@dataclass(frozen=True)
class Concurrency:
    residents: int
    each: int
    p50_ms: float
    p95_ms: float
    turns_per_second: float
    errors: int

    def __str__(self) -> str:
        return (f"{self.residents} concurrent residents x {self.each} messages: p50 {self.p50_ms:.0f} ms, "
                f"p95 {self.p95_ms:.0f} ms, {self.turns_per_second:.1f} turns/s, {self.errors} errors")


def one_long_conversation(turn: Turn, sender: str, messages: int = 200,
                          texts: Sequence[str] = CONVERSATION) -> LongConversation:
    bodies = itertools.cycle(texts)
    latencies = [turn(sender, next(bodies)) for _ in range(messages)]
    return LongConversation(messages, statistics.median(latencies[:10]), statistics.median(latencies[-10:]),
                            max(latencies))


def many_residents(turn: Turn, senders: Sequence[str], each: int = 10,
                   texts: Sequence[str] = CONVERSATION) -> Concurrency:
    """Every sender texts `each` messages one after another, all senders at once."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def resident(sender: str) -> None:
        for body in itertools.islice(itertools.cycle(texts), each):
            try:
                took = turn(sender, body)
            except (urllib.error.URLError, RuntimeError, TimeoutError, ConnectionError) as problem:
                with lock:
                    errors.append(str(problem))
                continue
            with lock:
                latencies.append(took)

    threads = [threading.Thread(target=resident, args=(sender,)) for sender in senders]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if not latencies:
        raise RuntimeError(f"every turn failed, e.g. {errors[:1]}")
    return Concurrency(len(senders), each, percentile(latencies, 50), percentile(latencies, 95),
                       len(latencies) / elapsed, len(errors))


def random_number() -> str:
    return "+447700" + str(uuid.uuid4().int)[:6]


def resident_numbers(count: int) -> list[str]:
    run = str(uuid.uuid4().int)[:2]  # fresh conversations on a reused service
    return [f"+4477009{run}{i:03d}" for i in range(count)]


def slow_turn(target: SmsTarget, stack: ServiceStack, frozen_for: float) -> None:
    """One turn whose action call hangs for `frozen_for` seconds: the webhook must not wait for it."""
    number = random_number()
    target.turn(number, "hello")  # opens the form, so the next turn calls the action server
    actions = stack.processes["actions"].pid
    database = stack.database_url.removeprefix("sqlite:///")
    started = time.perf_counter()
    os.killpg(actions, signal.SIGSTOP)
    try:
        answered = target.turn(number, "I like walking")
        time.sleep(max(0.0, frozen_for - answered / 1000))
    finally:
        os.killpg(actions, signal.SIGCONT)
    queued = None
    while time.perf_counter() - started < 60:
        with sqlite3.connect(database) as conn:
            state = conn.execute("SELECT state FROM inbound_message ORDER BY id DESC LIMIT 1").fetchone()
        if state and state[0] == "deferred":
            queued = (time.perf_counter() - started) * 1000
            break
        time.sleep(0.05)
    deadline = stack.env["SMS_REPLY_DEADLINE_SECONDS"]
    print(f"slow turn (action server frozen {frozen_for:.0f} s, deadline {deadline} s): webhook answered in {answered:.0f} ms, "
          f"reply queued in the outbox after {queued:.0f} ms" if queued else "reply not queued within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", action="store_true", help="start a private service first (takes about a minute)")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--slow", action="store_true", help="with --start: time the webhook's answer when a turn is slow")
    parser.add_argument("--deadline", type=float, default=8.0, help="SMS_REPLY_DEADLINE_SECONDS for --slow")
    args = parser.parse_args()
    if args.slow and not args.start:
        parser.error("--slow freezes the action server, so it needs its own service: add --start")
    with contextlib.ExitStack() as running:
        stack = None
        if args.start:
            stack = running.enter_context(private_stack(
                Path(tempfile.mkdtemp(prefix="bench-sms-")), {**BENCH_ENV, "SMS_REPLY_DEADLINE_SECONDS": str(args.deadline)}))
            target = SmsTarget.of(stack)
        else:
            settings = load_settings()
            base = sms_webhook_base(f"http://127.0.0.1:{settings.web_port}", settings.rasa_url)
            target = SmsTarget(base, settings.public_base_url, settings.twilio_auth_token)
        target.turn(random_number(), "hello")  # warm-up: first turn loads lazy parts of the model
        print(one_long_conversation(target.turn, random_number(), args.messages))
        print(many_residents(target.turn, resident_numbers(args.residents), args.each))
        if args.slow and stack is not None:
            slow_turn(target, stack, frozen_for=args.deadline + 4)


if __name__ == "__main__":
    main()
