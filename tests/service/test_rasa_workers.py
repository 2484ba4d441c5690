"""The small parent of several Rasa workers (service/rasa_workers.py): one dies, the rest are stopped."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.service_stack import ROOT


def test_when_one_worker_dies_the_others_are_stopped_and_its_exit_status_is_the_parents(tmp_path: Path) -> None:
    ready, stopped = tmp_path / "ready", tmp_path / "stopped"
    waits = ("import signal, sys, time\n"
             f"signal.signal(signal.SIGTERM, lambda *_: (open({str(stopped)!r}, 'w').close(), sys.exit(0)))\n"
             f"open({str(ready)!r}, 'w').close()\n"
             "while True: time.sleep(1)")
    dies = f"import os, time\nwhile not os.path.exists({str(ready)!r}): time.sleep(0.05)\nraise SystemExit(3)"
    commands = [[sys.executable, "-c", waits], [sys.executable, "-c", dies]]
    done = subprocess.run([sys.executable, "-m", "service.rasa_workers", *map(json.dumps, commands)], cwd=ROOT, timeout=60)
    assert done.returncode == 3
    assert stopped.exists(), "the worker still running was sent SIGTERM"
