"""Where the web app's CPU goes per turn: cProfile in every thread of `python -m web` under the bench's load.

    python bench/profile_web.py                  # a private service, 20 residents x 10 signed SMS at once
    python bench/profile_web.py --top 40 --residents 10 --each 20

The web app serves the intake (channels/intake.py) and its doors; a turn's work there is spread over
the event loop and thread pools (the database's, the safety screen's), so one profiler per thread is
started as each thread starts, all timing CPU (not wall) time, and merged at the end. py-spy is not
installed here; cProfile's own cost inflates every figure, so read the shares, not the milliseconds:
bench/compare.py prints the web app's CPU per turn without any profiler.

Prints the CPU time per turn the profile saw, then the functions holding the most CPU, inclusive
(cumulative) and self, as shares of the whole, then the SQL statements the web app ran a turn (the
application database's, counted by their text); the merged stats are kept in var/bench/ for pstats.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import json
import marshal
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.service_stack import ROOT, ServiceStack  # noqa: E402


def serve(output: Path) -> None:
    """Run the web app with a CPU-time profiler in each thread; write their stats on the way out."""
    profiles: list[cProfile.Profile] = []

    def profile_this_thread(*_: object) -> None:
        # Called on the thread's first event; enable() replaces this hook with cProfile's own.
        profile = cProfile.Profile(time.thread_time_ns, 1e-9)
        profiles.append(profile)
        profile.enable()

    def start_afresh(*_: object) -> None:
        # The driver signals once the service is warm, so imports and start-up are not in the figures.
        for profile in profiles:
            profile.clear()
        statements.clear()

    statements: collections.Counter[str] = collections.Counter()

    def count_statement(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements[" ".join(statement.split())[:110]] += 1

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", count_statement)
    signal.signal(signal.SIGUSR1, start_afresh)
    threading.setprofile(profile_this_thread)
    main_profile = cProfile.Profile(time.thread_time_ns, 1e-9)
    profiles.append(main_profile)
    main_profile.enable()
    try:
        from web.__main__ import main

        main()
    finally:
        Path(f"{output}.statements.json").write_text(json.dumps(statements.most_common()))
        main_profile.disable()
        for index, profile in enumerate(profiles):
            profile.snapshot_stats()  # not create_stats(): disabling works only from the profiled thread
            with open(f"{output}.{index}", "wb") as part:
                marshal.dump(profile.stats, part)  # type: ignore[attr-defined]


def summarise(stats: pstats.Stats, turns: int, top: int) -> str:
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = stats.stats  # type: ignore[attr-defined]
    out = [f"{total:.2f} s of CPU under the profiler for {turns} turns: {1000 * total / turns:.1f} ms a turn"]

    def name(function: tuple[str, int, str]) -> str:
        path, line, func = function
        short = path.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        return f"{short}:{line}({func})"

    for title, column in (("inclusive (cumulative)", 3), ("self", 2)):
        out.append(f"-- {title} --")
        ranked = sorted(rows.items(), key=lambda item: item[1][column], reverse=True)[:top]
        out.extend(f"{100 * values[column] / total:5.1f}%  {name(function)}" for function, values in ranked)
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    from bench.sms_turns import BENCH_ENV, CONVERSATION, SmsTarget, many_residents, random_number, resident_numbers

    out = ROOT / "var" / "bench" / "profile-web.pstats"
    out.parent.mkdir(parents=True, exist_ok=True)
    stack = ServiceStack(Path(tempfile.mkdtemp(prefix="bench-profile-web-")), extra_env=dict(BENCH_ENV))
    stack.prepare()
    parts = Path(tempfile.mkdtemp(prefix="profile-web-parts-")) / "thread"
    try:
        stack.start(("rasa", "actions", "worker"))
        with open(stack.folder / "web.log", "ab") as log:
            stack.processes["web"] = subprocess.Popen([sys.executable, __file__, "--serve", str(parts)], env=stack.env, cwd=ROOT,
                                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        stack.wait_ready()
        target = SmsTarget(stack.web_url, stack.env["PUBLIC_BASE_URL"], stack.env["TWILIO_AUTH_TOKEN"])
        target.turn(random_number(), "hello")  # warm-up: lazy parts of the model and the safety screen
        stack.processes["web"].send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        many = many_residents(target.turn, resident_numbers(args.residents), args.each, CONVERSATION)
        print(f"under the profiler: {many}", flush=True)
        web = stack.processes.pop("web")
        web.send_signal(signal.SIGINT)
        web.wait(timeout=60)
    finally:
        stack.stop_all()
    counted = json.loads(Path(f"{parts}.statements.json").read_text()) if Path(f"{parts}.statements.json").exists() else []
    files = sorted(path for path in parts.parent.glob(parts.name + ".*") if not path.name.endswith(".json"))
    if not files:
        sys.exit(f"the web app wrote no profile; see {stack.folder / 'web.log'}")
    stats = pstats.Stats(*map(str, files))
    stats.dump_stats(out)
    turns = args.residents * args.each
    print(summarise(stats, turns, args.top))
    print(f"-- SQL statements a turn: {sum(n for _, n in counted) / turns:.1f} --")
    print("\n".join(f"{n / turns:5.2f}  {statement}" for statement, n in counted[:args.top]))
    print(f"merged stats: {out} (python -m pstats {os.path.relpath(out)})")


if __name__ == "__main__":
    main()
