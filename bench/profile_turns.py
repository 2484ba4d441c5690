"""Where a turn's time goes: py-spy samples one process of a private service under the bench's load.

    python bench/profile_turns.py --during late     # messages 101-200 of one long conversation
    python bench/profile_turns.py --during many     # 20 residents at once
    python bench/profile_turns.py --during start    # from launch until /healthz is 200
    python bench/profile_turns.py --process actions --during many

py-spy is not a project dependency: install it outside the project venv
(`python3 -m venv /tmp/pyspy-venv && /tmp/pyspy-venv/bin/pip install py-spy`) or pass --py-spy.
Prints the functions holding the most samples, inclusive (anywhere on the stack) and self (the
frame running), as percentages of all samples; the raw stacks are kept in var/bench/ for flame graphs.
"""
from __future__ import annotations

import argparse
import collections
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sms_turns import (  # noqa: E402
    BENCH_ENV,
    CONVERSATION,
    SmsTarget,
    many_residents,
    one_long_conversation,
    random_number,
    resident_numbers,
    sms_webhook_base,
)
from tests.service_stack import ROOT, ServiceStack  # noqa: E402

_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


def summarise(raw: Path, top: int = 25) -> str:
    """Top functions from py-spy's raw (collapsed) stacks: inclusive and self share of samples."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        count = int(match["count"])
        frames = match["stack"].split(";")[1:]  # the first item is the process/thread
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        if frames:
            own[frames[-1]] += count
    if not total:
        return "no samples"
    out = [f"{total} samples"]
    for title, counter in (("inclusive", inclusive), ("self", own)):
        out.append(f"-- {title} --")
        out.extend(f"{100 * n / total:5.1f}%  {frame}" for frame, n in counter.most_common(top))
    return "\n".join(out)


def spy(py_spy: str, pid: int, output: Path, rate: int) -> subprocess.Popen:
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--format", "raw", "--nolineno", "--rate", str(rate),
                             "--subprocesses", "--output", str(output)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish(recorder: subprocess.Popen) -> None:
    recorder.send_signal(signal.SIGINT)
    try:
        recorder.wait(timeout=60)
    except subprocess.TimeoutExpired:
        recorder.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--during", choices=["late", "many", "start"], default="late")
    parser.add_argument("--process", default="rasa", help="which process of the stack to sample (rasa, actions, web, worker)")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--py-spy", default="/tmp/pyspy-venv/bin/py-spy")
    args = parser.parse_args()
    out = ROOT / "var" / "bench" / f"profile-{args.process}-{args.during}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    stack = ServiceStack(Path(tempfile.mkdtemp(prefix="bench-profile-")), extra_env=dict(BENCH_ENV))
    stack.prepare()
    recorder = None
    try:
        stack.start()
        if args.during == "start":
            recorder = spy(args.py_spy, stack.processes[args.process].pid, out, args.rate)
        started = time.perf_counter()
        stack.wait_ready()
        print(f"healthy after {time.perf_counter() - started:.1f} s", flush=True)
        if args.during == "start":
            finish(recorder)
            recorder = None
        base = sms_webhook_base(stack.web_url, stack.rasa_url)
        target = SmsTarget(base, stack.env["PUBLIC_BASE_URL"], stack.env["TWILIO_AUTH_TOKEN"])
        target.turn(random_number(), "hello")
        if args.during == "late":
            sender = random_number()
            first = one_long_conversation(target.turn, sender, args.messages // 2, CONVERSATION)
            recorder = spy(args.py_spy, stack.processes[args.process].pid, out, args.rate)
            time.sleep(1)  # py-spy attaches
            second = one_long_conversation(target.turn, sender, args.messages - args.messages // 2, CONVERSATION)
            print(f"messages 1-{first.messages}: {first}\nthe rest (sampled): {second}")
        elif args.during == "many":
            recorder = spy(args.py_spy, stack.processes[args.process].pid, out, args.rate)
            time.sleep(1)
            print(many_residents(target.turn, resident_numbers(args.residents), args.each, CONVERSATION))
        if recorder is not None:
            finish(recorder)
            recorder = None
    finally:
        if recorder is not None:
            finish(recorder)
        stack.stop_all()
    print(f"raw stacks: {out}")
    print(summarise(out, args.top))


if __name__ == "__main__":
    main()
