"""Resident memory and CPU time of process trees, read from /proc (Linux only).

A service's footprint is every process it runs: each launched process and whatever it forked
(Sanic workers, TensorFlow helpers). We sum VmRSS over each tree; shared pages are counted once per
process, as `ps` and the kernel's OOM accounting do, so the figure is an upper bound.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["process_label", "tree_cpu_seconds", "tree_pids", "tree_rss_bytes", "tree_rss_each"]

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name (field 2) may hold spaces and parentheses: read after its last ')'.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def tree_pids(roots: Iterable[int]) -> set[int]:
    """The given processes and all their descendants that are alive now."""
    parents = _parents()
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found: set[int] = set()
    pending = [pid for pid in roots if pid in parents]
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.add(pid)
            pending.extend(children.get(pid, ()))
    return found


def _rss_bytes(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss_bytes(roots: Iterable[int]) -> int:
    return sum(_rss_bytes(pid) for pid in tree_pids(roots))


def tree_rss_each(roots: Iterable[int]) -> list[tuple[int, int]]:
    """(pid, RSS bytes) of every process of the trees, in pid order."""
    return [(pid, _rss_bytes(pid)) for pid in sorted(tree_pids(roots))]


def process_label(pid: int) -> str:
    """A short name for a process: the module it runs (`python -m X`) and its port if it has one."""
    try:
        argv = [part.decode(errors="replace") for part in (PROC / str(pid) / "cmdline").read_bytes().split(b"\0") if part]
    except OSError:
        return str(pid)
    module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else Path(argv[0]).name if argv else str(pid)
    if "--worker" in argv[:-1]:
        module += " " + argv[argv.index("--worker") + 1]
    elif "--port" in argv[:-1]:
        module += " :" + argv[argv.index("--port") + 1]
    return module


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime (fields 14 and 15 of stat; 12 and 13 after the command name), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(roots: Iterable[int]) -> float:
    """CPU time (user and system) the trees' live processes have used so far."""
    return sum(_cpu_seconds(pid) for pid in tree_pids(roots))
