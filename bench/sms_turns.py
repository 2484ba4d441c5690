"""Signed SMS turns against the running service: one long conversation, then many residents at once.

    python bench/sms_turns.py                 # against `make run` (settings from the environment/.env)
    python bench/sms_turns.py --start         # starts its own service in a temporary folder first
    python bench/sms_turns.py --start --slow  # also: the webhook's answer time when a turn is slow

`--slow` freezes the private service's action server (SIGSTOP) for a few seconds during one turn,
with SMS_REPLY_DEADLINE_SECONDS set by `--deadline`, and reports how long the webhook took to
answer (empty TwiML at the deadline) and how long until the reply reached the outbox.

Prints figures; asserts nothing (machines are noisy). Every request is signed with Twilio's
RequestValidator exactly as Twilio would sign it, so each one is a full turn through the channel.
"""
from __future__ import annotations

import argparse
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twilio.request_validator import RequestValidator  # noqa: E402

from service.settings import load_settings  # noqa: E402

CONVERSATION = ["hello", "I like walking", "CH44 5TN", "singing", "thank you", "knitting", "what can you do", "bowls"]


class Target:
    def __init__(self, web_url: str, public_base_url: str, token: str) -> None:
        self.url = web_url + "/webhooks/sms/webhook"
        self.public = public_base_url + "/webhooks/sms/webhook"
        self.validator = RequestValidator(token)

    def turn(self, number: str, body: str) -> float:
        form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": number, "To": "+447700900999", "Body": body, "NumMedia": "0"}
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"X-Twilio-Signature": self.validator.compute_signature(self.public, form)},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as reply:
            reply.read()
            if reply.status != 200:
                raise RuntimeError(f"HTTP {reply.status}")
        return (time.perf_counter() - started) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def one_long_conversation(target: Target, messages: int) -> None:
    number = "+447700" + str(uuid.uuid4().int)[:6]
    bodies = itertools.cycle(CONVERSATION)
    latencies = [target.turn(number, next(bodies)) for _ in range(messages)]
    early, late = latencies[:10], latencies[-11:]
    print(f"one resident, {messages} messages: median of messages 1-10 {statistics.median(early):.0f} ms, "
          f"of messages {messages - 10}-{messages} {statistics.median(late):.0f} ms (max {max(latencies):.0f} ms)")


def many_residents(target: Target, residents: int, each: int) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def resident(index: int) -> None:
        number = f"+4477009{index:05d}"
        for body in itertools.islice(itertools.cycle(CONVERSATION), each):
            try:
                took = target.turn(number, body)
            except (urllib.error.URLError, RuntimeError, TimeoutError) as problem:
                with lock:
                    errors.append(str(problem))
                continue
            with lock:
                latencies.append(took)

    threads = [threading.Thread(target=resident, args=(i,)) for i in range(residents)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    print(f"{residents} concurrent residents x {each} messages: p50 {percentile(latencies, 50):.0f} ms, "
          f"p95 {percentile(latencies, 95):.0f} ms, {len(latencies) / elapsed:.1f} turns/s, {len(errors)} errors")


def slow_turn(target: Target, stack, frozen_for: float) -> None:  # type: ignore[no-untyped-def]
    """One turn whose action call hangs for `frozen_for` seconds: the webhook must not wait for it."""
    number = "+447700" + str(uuid.uuid4().int)[:6]
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
    stack = None
    if args.start:
        from tests.service_stack import ServiceStack

        stack = ServiceStack(Path(tempfile.mkdtemp(prefix="bench-sms-")),
                             extra_env={"SMS_REPLY_DEADLINE_SECONDS": str(args.deadline)})
        stack.prepare()
        stack.start()
        stack.wait_ready()
        target = Target(stack.web_url, stack.env["PUBLIC_BASE_URL"], stack.env["TWILIO_AUTH_TOKEN"])
    else:
        settings = load_settings()
        target = Target(f"http://127.0.0.1:{settings.web_port}", settings.public_base_url, settings.twilio_auth_token)
    try:
        target.turn("+447700900000", "hello")  # warm-up: first turn loads lazy parts of the model
        one_long_conversation(target, args.messages)
        many_residents(target, args.residents, args.each)
        if args.slow:
            slow_turn(target, stack, frozen_for=args.deadline + 4)
    finally:
        if stack is not None:
            stack.stop_all()


if __name__ == "__main__":
    main()
