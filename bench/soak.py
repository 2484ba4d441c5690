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

This module runs the soak (the schedule, the minutes, the command line); bench/soak_texts.py sends the
texts and finds their answers, bench/soak_report.py makes the figures.
"""
from __future__ import annotations

import argparse
import math
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sms_turns import BENCH_ENV, SmsTarget, random_number, resident_numbers  # noqa: E402
from bench.soak_report import Minute, Soaked, Table, memory_by_process, minute_of, summary  # noqa: E402
from bench.soak_texts import GIVE_UP_SECONDS, OutboxWatch, Text, conversation, replies_queued, send  # noqa: E402
from tests.service_stack import ServiceStack  # noqa: E402

__all__ = ["soak"]


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
