"""Our service against stock Rasa, measured in one run and printed side by side (`make bench`).

    python bench/compare.py                  # ours (private service), then stock Rasa's `rasa init` bot
    python bench/compare.py --target rasa    # send our SMS to Rasa's channel even if the web app serves it
    python bench/compare.py --no-stock       # ours only

Ours: a private copy of the whole service (tests/service_stack.py: every process `make run` starts,
its own folder and ports) driven with signed SMS turns, as Twilio sends them. `--target auto` posts
them to the web app's /webhooks/sms/webhook when it serves one, otherwise to Rasa's SMS channel.
Stock: bench/stock_rasa.py (the `rasa init` bot over REST, model cached under var/bench/).
The two run one after the other, never together (the machine has 2 cores).

Measured for each:
- one resident, 200 messages in one session: median of messages 1-10, of 191-200, their ratio;
- 20 residents at once x 10 messages: p50, p95, turns per second;
- start with everything built (what `make run` does then: the postcode and database steps, every
  process) until healthy (/healthz 200; stock: its REST channel answering, the model loaded);
- resident memory of all processes together (sum of RSS over each process tree), the highest
  sampled during the run, and at the end each process's own (several Rasa workers, say);
- ours: CPU time each process used per turn while the residents texted at once (the web app's figure
  is what the intake itself costs a turn; bench/profile_web.py says where it goes).

Ours runs as many Rasa workers as `make run` would on this machine (RASA_WORKERS unset: two on two
cores; bench/sms_turns.py's BENCH_ENV); `RASA_WORKERS=1 python bench/compare.py` measures one.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory import process_label, tree_cpu_seconds, tree_rss_bytes, tree_rss_each  # noqa: E402
from bench.sms_turns import (  # noqa: E402
    BENCH_ENV,
    CONVERSATION,
    Concurrency,
    LongConversation,
    SmsTarget,
    many_residents,
    one_long_conversation,
    random_number,
    resident_numbers,
    sms_webhook_base,
)
from bench.stock_rasa import STOCK_CONVERSATION, StockRasa, senders, stock_model  # noqa: E402
from tests.service_stack import ROOT, ServiceStack  # noqa: E402

# The targets (issue 7, "Faster than stock Rasa, flat over a conversation, on both cores").
MAX_LATE_RATIO = 1.2
MAX_P95_MS = 250.0
MIN_TPS_VS_STOCK = 2.5
MAX_START_S = 20.0
MAX_MEMORY_BYTES = 2**30


@dataclass
class Figures:
    long: LongConversation
    many: Concurrency
    start_s: float
    peak_rss: int
    detail: str = ""


@contextmanager
def peak_memory(roots: Callable[[], list[int]], every: float = 0.5) -> Iterator[list[int]]:
    """Samples the trees' summed RSS in the background; the list's one item is the highest seen."""
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_bytes(roots()))
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak[0] = max(peak[0], tree_rss_bytes(roots()))


def _make_run_steps(stack: ServiceStack) -> None:
    """What `make run` runs before supervisord once everything is built: each step finds nothing to do."""
    subprocess.run([sys.executable, "-m", "directory.postcodes_build"], env=stack.env, cwd=ROOT, check=True, capture_output=True)
    stack.prepare()


def measure_ours(args: argparse.Namespace) -> Figures:
    stack = ServiceStack(Path(tempfile.mkdtemp(prefix="bench-compare-")), extra_env=dict(BENCH_ENV))
    stack.prepare()  # the first build (database created and seeded); not part of the start figure
    try:
        started = time.perf_counter()
        _make_run_steps(stack)
        steps_s = time.perf_counter() - started
        stack.start()
        stack.wait_ready()
        start_s = time.perf_counter() - started
        base = {"web": stack.web_url, "rasa": stack.rasa_url}.get(args.target) or (
            sms_webhook_base(stack.web_url, stack.rasa_url) if args.target == "auto" else args.target)
        target = SmsTarget(base, stack.env["PUBLIC_BASE_URL"], stack.env["TWILIO_AUTH_TOKEN"])
        print(f"ours: healthy {start_s:.1f} s after start (make run's own steps {steps_s:.1f} s); SMS to {base}", flush=True)
        with peak_memory(lambda: [p.pid for p in stack.processes.values()]) as peak:
            target.turn(random_number(), "hello")  # warm-up: the first turn loads lazy parts of the model
            long = one_long_conversation(target.turn, random_number(), args.messages, CONVERSATION)
            print(f"ours: {long}", flush=True)
            cpu_before = {name: tree_cpu_seconds([p.pid]) for name, p in stack.processes.items()}
            many = many_residents(target.turn, resident_numbers(args.residents), args.each, CONVERSATION)
            cpu = {name: tree_cpu_seconds([p.pid]) - cpu_before[name] for name, p in stack.processes.items()}
            print(f"ours: {many}", flush=True)
            turns = many.residents * many.each
            print("ours: CPU per turn while they texted at once (ms): "
                  + ", ".join(f"{name} {1000 * seconds / turns:.1f}" for name, seconds in cpu.items()), flush=True)
            each = {name: tree_rss_each([p.pid]) for name, p in stack.processes.items()}
        detail = ", ".join(
            f"{name} {sum(rss for _, rss in rows) / 2**20:.0f}"
            + (" (" + ", ".join(f"{process_label(pid)} {rss / 2**20:.0f}" for pid, rss in rows) + ")" if len(rows) > 1 else "")
            for name, rows in each.items())
        print(f"ours: peak memory {peak[0] / 2**20:.0f} MiB (at the end, MiB: {detail})", flush=True)
        return Figures(long, many, start_s, peak[0], detail)
    finally:
        stack.stop_all()


def measure_stock(args: argparse.Namespace) -> Figures:
    model = stock_model()
    with StockRasa(model) as stock:
        started = time.perf_counter()
        stock.wait_ready()
        start_s = time.perf_counter() - started
        print(f"stock: ready {start_s:.1f} s after start", flush=True)
        with peak_memory(lambda: [stock.process.pid] if stock.process else []) as peak:
            stock.turn(senders(1)[0], "hello")
            long = one_long_conversation(stock.turn, senders(1)[0], args.messages, STOCK_CONVERSATION)
            print(f"stock: {long}", flush=True)
            many = many_residents(stock.turn, senders(args.residents), args.each, STOCK_CONVERSATION)
            print(f"stock: {many}", flush=True)
        print(f"stock: peak memory {peak[0] / 2**20:.0f} MiB", flush=True)
        return Figures(long, many, start_s, peak[0])


def _verdict(ok: bool) -> str:
    return "yes" if ok else "NO"


def table(ours: Figures, stock: Figures | None) -> str:
    s = stock
    tps_target = f">= {MIN_TPS_VS_STOCK} x stock" + (f" ({MIN_TPS_VS_STOCK * s.many.turns_per_second:.1f})" if s else "")
    rows = [
        ("one resident: median of messages 1-10", f"{ours.long.early_ms:.0f} ms", s and f"{s.long.early_ms:.0f} ms", "", ""),
        (f"one resident: median of messages {ours.long.messages - 9}-{ours.long.messages}", f"{ours.long.late_ms:.0f} ms",
         s and f"{s.long.late_ms:.0f} ms", "", ""),
        ("one resident: late / early", f"{ours.long.ratio:.2f}", s and f"{s.long.ratio:.2f}", f"<= {MAX_LATE_RATIO}",
         _verdict(ours.long.ratio <= MAX_LATE_RATIO)),
        (f"{ours.many.residents} residents x {ours.many.each}: p50", f"{ours.many.p50_ms:.0f} ms", s and f"{s.many.p50_ms:.0f} ms", "", ""),
        (f"{ours.many.residents} residents x {ours.many.each}: p95", f"{ours.many.p95_ms:.0f} ms", s and f"{s.many.p95_ms:.0f} ms",
         f"<= {MAX_P95_MS:.0f} ms", _verdict(ours.many.p95_ms <= MAX_P95_MS)),
        (f"{ours.many.residents} residents x {ours.many.each}: turns/s", f"{ours.many.turns_per_second:.1f}",
         s and f"{s.many.turns_per_second:.1f}", tps_target,
         _verdict(ours.many.turns_per_second >= MIN_TPS_VS_STOCK * s.many.turns_per_second) if s else "?"),
        (f"{ours.many.residents} residents x {ours.many.each}: errors", str(ours.many.errors), s and str(s.many.errors), "0",
         _verdict(ours.many.errors == 0)),
        ("start, everything built -> healthy", f"{ours.start_s:.1f} s", s and f"{s.start_s:.1f} s", f"<= {MAX_START_S:.0f} s",
         _verdict(ours.start_s <= MAX_START_S)),
        ("resident memory, all processes (peak)", f"{ours.peak_rss / 2**20:.0f} MiB", s and f"{s.peak_rss / 2**20:.0f} MiB",
         f"<= {MAX_MEMORY_BYTES / 2**20:.0f} MiB", _verdict(ours.peak_rss <= MAX_MEMORY_BYTES)),
    ]
    header = ("measure", "ours", "stock rasa init", "target", "met")
    widths = [max(len(str(r[i] or "-")) for r in [header, *rows]) for i in range(5)]
    lines = [" | ".join(str(v or "-").ljust(w) for v, w in zip(row, widths, strict=True)) for row in [header, *rows]]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="auto",
                        help="where our SMS go: auto (web app if it serves the webhook, else Rasa), web, rasa, or a base URL")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--no-stock", action="store_true", help="measure ours only")
    args = parser.parse_args()
    ours = measure_ours(args)
    stock = None if args.no_stock else measure_stock(args)
    print()
    print(table(ours, stock))


if __name__ == "__main__":
    main()
