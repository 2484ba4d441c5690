"""The soak's figures (bench/soak.py): a row a minute (texts sent and answered, p50 and p95 latency,
each process's resident memory) and the summary of the whole run."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bench.memory import tree_rss_each
from bench.sms_turns import percentile
from bench.soak_texts import Text

__all__ = ["Minute", "Soaked", "Table", "minute_of", "memory_by_process", "summary"]

MiB = 2**20


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
