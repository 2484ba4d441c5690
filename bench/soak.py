"""A soak (issue 19): signed SMS at a steady rate for minutes, latency and memory minute by minute.

    python bench/soak.py                                       # 10 turns/s over 60 residents for 5 minutes (make bench)
    python bench/soak.py --minutes 1 --rate 2 --residents 12   # a short run

Starts a private copy of the whole service (tests/service_stack.py, with as many Rasa workers as
`make run` would here: bench/sms_turns.py's BENCH_ENV, as bench/compare.py does) and texts it as Twilio
would, each request signed (bench/sms_turns.py's SmsTarget). Every resident holds a conversation of
their own: a first text naming an interest and a town, MORE, a numbered choice, the way there, another
day, thanks; then another interest.

The sender is open-loop: the n-th text goes at start + n / rate whether or not earlier ones were
answered, so a service that falls behind shows as growing latency rather than as a slower send rate
(a closed loop, like compare.py's residents who each wait for their answer, hides it). A text's latency
is from posting the webhook to its reply being available: the TwiML answer (what compare.py times) or,
for a turn past the reply deadline or queued behind an earlier one, the moment its reply was queued in
the outbox (the inbound log's answered_at, written in the same transaction as the outbox row).

Prints a row per minute of sending once every text sent in it is answered or given up on (after
2 minutes): texts sent, answered, p50 and p95 latency over every text sent (one not answered counts as
later than any answer), and each process's resident memory (RSS) at the minute's end with their total.
Then the totals, the texts not answered, whether any was answered twice (replies in the outbox against
the inbound log), and how p95 and memory moved from the first minute to the last. The service's logs
are kept when a text went unanswered. Asserts nothing (machines are noisy).
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import math
import resource
import shutil
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.exc import OperationalError, SQLAlchemyError  # noqa: E402

from bench.memory import tree_rss_each  # noqa: E402
from bench.sms_turns import BENCH_ENV, SmsTarget, percentile, random_number, resident_numbers  # noqa: E402
from casework.identity import sms_sender_id  # noqa: E402
from casework.inbound import UNANSWERED  # noqa: E402
from casework.models import InboundMessage, as_utc  # noqa: E402
from casework.outbox.messages import OutboxMessage  # noqa: E402
from tests.service_stack import ServiceStack  # noqa: E402

__all__ = ["Soaked", "Text", "conversation", "soak"]

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
MiB = 2**20


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


def memory_by_process(processes: Mapping[str, int]) -> dict[str, int]:
    """RSS of every process of the service by name: a process started with its children (the parent of
    several Rasa workers) as "rasa parent", "rasa-0", "rasa-1"..., as supervisord names the workers."""
    memory: dict[str, int] = {}
    for name, pid in processes.items():
        rows = tree_rss_each([pid])
        children = [rss for each, rss in rows if each != pid]
        memory.update({f"{name} parent" if children else name: rss for each, rss in rows if each == pid})
        memory.update({f"{name}-{number}": rss for number, rss in enumerate(children)})
    return memory


@dataclass(frozen=True)
class Minute:
    number: int
    sent: int
    answered: int  # within the give-up time
    p50_ms: float  # over every text sent in the minute: one not answered counts as infinitely late
    p95_ms: float
    memory: dict[str, int]  # RSS bytes by process at the minute's end

    @property
    def total(self) -> int:
        return sum(self.memory.values())


@dataclass
class Soaked:
    texts: list[Text]
    minutes: list[Minute]
    seconds: float  # how long sending took
    latest_send_ms: float  # how far behind its schedule the sender ever was (open loop: should stay small)
    sender_cpu_s: float  # the sender's own CPU time: it shares the machine with the service
    give_up_s: float
    answered_late: int  # answered through the outbox after the soak had given up on them
    extra_replies: int  # replies queued in the outbox beyond one per text the inbound log says it answered so


def minute_of(number: int, texts: list[Text], memory: dict[str, int]) -> Minute:
    # An unanswered text counts as slower than any answer: a p95 over the answered alone would improve
    # as more texts go unanswered.
    latencies = [math.inf if t.latency_ms is None else t.latency_ms for t in texts]
    return Minute(number, len(texts), sum(t.latency_ms is not None for t in texts),
                  percentile(latencies, 50), percentile(latencies, 95), memory)


class Table:
    """The per-minute table, its header written with the first row (when the processes are known)."""

    def __init__(self, show: Callable[[str], None], give_up_s: float) -> None:
        self.show = show
        self.give_up_s = give_up_s
        self.names: list[str] = []

    def row(self, minute: Minute) -> None:
        if not self.names:
            self.names = list(minute.memory)
            self.show(" | ".join(["minute", "sent", "answered", " p50 ms", " p95 ms",
                                  *(f"{name} MiB" for name in self.names), "total MiB"]))
        self.show(" | ".join([f"{minute.number + 1:>6}", f"{minute.sent:>4}", f"{minute.answered:>8}",
                              self.ms(minute.p50_ms).rjust(7), self.ms(minute.p95_ms).rjust(7),
                              *(_mib(minute.memory.get(name)).rjust(len(name) + 4) for name in self.names),
                              _mib(minute.total).rjust(9)]))

    def ms(self, value: float) -> str:
        return _ms(value, self.give_up_s)


def _ms(value: float, give_up_s: float) -> str:
    return f">{give_up_s * 1000:.0f}" if math.isinf(value) else f"{value:.0f}"


def _mib(value: int | None) -> str:
    return "-" if value is None else f"{value / MiB:.0f}"


def soak(stack: ServiceStack, *, rate: float, residents: int, seconds: float, give_up_s: float = GIVE_UP_SECONDS,
         show: Callable[[str], None] = print) -> Soaked:
    """Texts the running `stack` at `rate` a second spread over `residents` for `seconds`; a row per
    minute goes to `show` as soon as that minute's texts are all answered or given up on."""
    target = SmsTarget.of(stack)
    numbers = resident_numbers(residents)
    talks = [conversation(resident) for resident in range(residents)]
    pids = {name: process.pid for name, process in stack.processes.items()}
    count = math.ceil(seconds / 60)
    texts: list[list[Text]] = [[] for _ in range(count)]
    memory: dict[int, dict[str, int]] = {}
    watch = OutboxWatch(stack.database_url, give_up_s)
    watch.thread.start()
    table = Table(show, give_up_s)
    minutes: list[Minute] = []
    cpu_before = _cpu_seconds()
    started = time.perf_counter()

    def sample_memory() -> None:
        # At each minute's end (or sending's, for a last part-minute), off the sender's thread: reading
        # /proc for every process takes milliseconds the schedule cannot spare.
        for number in range(count):
            time.sleep(max(0.0, started + min(60.0 * (number + 1), seconds) - time.perf_counter()))
            memory[number] = memory_by_process(pids)

    def print_minutes() -> None:
        for number in range(count):
            while number not in memory or not all(text.settled for text in texts[number]):
                time.sleep(0.5)
            minutes.append(minute_of(number, texts[number], memory[number]))
            table.row(minutes[-1])

    sampler = threading.Thread(target=sample_memory, daemon=True)
    printer = threading.Thread(target=print_minutes, daemon=True)
    sampler.start()
    printer.start()
    latest = 0.0
    for n in range(int(seconds * rate)):
        due = started + n / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        latest = max(latest, time.perf_counter() - due)
        resident = n % residents
        text = Text(resident, next(talks[resident]), minute=int((due - started) // 60))
        texts[text.minute].append(text)
        threading.Thread(target=send, args=(target, numbers[resident], text, watch), daemon=True).start()
    sent_s = time.perf_counter() - started
    sampler.join()
    printer.join()
    watch.stop()
    every = [text for minute in texts for text in minute]
    queued, deferred = replies_queued(stack, numbers)
    return Soaked(every, minutes, sent_s, latest * 1000, _cpu_seconds() - cpu_before, give_up_s,
                  answered_late=deferred - sum(text.answered_by == "outbox" for text in every), extra_replies=queued - deferred)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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


def change(first: float, last: float, unit: str, show: Callable[[float], str] = lambda v: f"{v:.0f}") -> str:
    if math.isinf(first) or math.isinf(last):
        return f"{show(first)} -> {show(last)} {unit}"
    percent = f", {100 * (last - first) / first:+.0f}%" if first else ""
    return f"{show(first)} -> {show(last)} {unit} ({last - first:+.0f} {unit}{percent})"


def summary(soaked: Soaked) -> list[str]:
    texts, give_up_s = soaked.texts, soaked.give_up_s
    answered = [t.latency_ms for t in texts if t.latency_ms is not None]
    by_outbox = sum(t.answered_by == "outbox" for t in texts)
    unanswered = [t for t in texts if t.latency_ms is None]
    everything = [math.inf if t.latency_ms is None else t.latency_ms for t in texts]

    def ms(value: float) -> str:
        return _ms(value, give_up_s)

    lines = [
        f"sent {len(texts)} texts in {soaked.seconds:.0f} s ({len(texts) / soaked.seconds:.1f} a second; the sender at most "
        f"{soaked.latest_send_ms:.0f} ms behind its schedule, {soaked.sender_cpu_s:.0f} s of CPU itself)",
        f"answered within {give_up_s:.0f} s: {len(answered)} ({len(answered) - by_outbox} in TwiML, {by_outbox} through the outbox); "
        f"not answered: {len(unanswered)} (of them answered later, by the end: {soaked.answered_late}); "
        f"replies queued beyond one a text: {soaked.extra_replies}",
        f"latency, every text: p50 {ms(percentile(everything, 50))} ms, p95 {ms(percentile(everything, 95))} ms"
        + (f"; answered ones: max {max(answered):.0f} ms" if answered else ""),
    ]
    # Each text when there are few; when the service fell behind, how many for each reason and the first few.
    listed = unanswered if len(unanswered) <= 20 else unanswered[:10]
    lines.extend(f"  {count} not answered: {problem}" for problem, count in
                 Counter(t.problem for t in unanswered).most_common() if len(unanswered) > 20)
    lines.extend(f"  minute {t.minute + 1}, resident {t.resident + 1}, {t.body!r} ({t.sid}): {t.problem}" for t in listed)
    first, last = soaked.minutes[0], soaked.minutes[-1]
    lines.append(f"p95, minute 1 -> minute {last.number + 1}: {change(first.p95_ms, last.p95_ms, 'ms', ms)}")
    lines.append(f"memory, minute 1 -> minute {last.number + 1}: total {change(first.total / MiB, last.total / MiB, 'MiB')}; "
                 + ", ".join(f"{name} {(last.memory.get(name, 0) - size) / MiB:+.0f}" for name, size in first.memory.items()))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=10.0, help="texts (turns) a second, all residents together")
    parser.add_argument("--residents", type=int, default=60)
    args = parser.parse_args()
    stack = ServiceStack(Path(tempfile.mkdtemp(prefix="bench-soak-")), extra_env=dict(BENCH_ENV))
    stack.prepare()
    stack.start()
    try:
        stack.wait_ready()
        SmsTarget.of(stack).turn(random_number(), "hello")  # warm-up: the first turn loads lazy parts of the model
        print(f"soak: {args.rate:g} texts a second over {args.residents} residents for {args.minutes:g} minutes; "
              f"processes: {', '.join(stack.processes)}", flush=True)
        soaked = soak(stack, rate=args.rate, residents=args.residents, seconds=60 * args.minutes,
                      show=lambda line: print(line, flush=True))
    finally:
        stack.stop_all()
    print()
    for line in summary(soaked):
        print(line)
    if all(text.latency_ms is not None for text in soaked.texts):
        shutil.rmtree(stack.folder, ignore_errors=True)
    else:  # the processes' logs say why
        print(f"service logs kept in {stack.folder}")


if __name__ == "__main__":
    main()
