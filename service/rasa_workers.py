"""Several Rasa workers under one small parent: what `python -m service.launch rasa` becomes when
RASA_WORKERS > 1 and nothing starts each worker itself (systemd, say, or the tests' and benchmarks'
service stack; `make run`'s supervisord starts each with --worker instead).

    python -m service.rasa_workers '<command as JSON>' '<command as JSON>' ...

service.launch writes each worker's endpoints file, works out the commands and then becomes this
module (os.execv: the same pid), so the parent that only waits on the workers holds Python and the
standard library, about 10 MiB, not the launcher's 32 (SQLAlchemy, YAML, the settings).
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

__all__ = ["supervise"]


def supervise(commands: list[list[str]]) -> int:
    """Run the workers together: a signal stops them all, and if one dies the rest are stopped too,
    so a supervisor that started this one process sees the failure and restarts the lot."""
    children = [subprocess.Popen(command) for command in commands]

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    stop(signal.SIGTERM, None)
    for child in children:
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
    return next((child.returncode for child in children if child.returncode), 0)


if __name__ == "__main__":
    sys.exit(supervise([json.loads(command) for command in sys.argv[1:]]))
