"""A program started through service.with_supervisor stops when the process that started it dies."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.service_stack import ROOT
from tests.waiting import wait_for

# A stand-in for supervisord: starts the program, prints its pid, then waits to be killed.
PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-m", "service.with_supervisor", "-c", "import time; time.sleep(120)"])
print(child.pid, flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped by whoever inherited it, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_program_becomes_the_real_one_and_dies_with_its_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        # Same pid, now running the program itself (exec, not a child of a wrapper).
        wait_for(lambda: b"time.sleep(120)" in open(f"/proc/{child}/cmdline", "rb").read(), timeout=20, what="the exec")
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        wait_for(lambda: not alive(child), timeout=20, what="the program to stop with its parent")
    finally:
        parent.kill()
        if alive(child):
            os.kill(child, signal.SIGKILL)
