"""Resident memory of process trees, read from /proc (Linux only).

A service's footprint is every process it runs: each launched process and whatever it forked
(Sanic workers, TensorFlow helpers). We sum VmRSS over each tree; shared pages are counted once per
process, as `ps` and the kernel's OOM accounting do, so the figure is an upper bound.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["tree_pids", "tree_rss_bytes"]

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
