"""One Rasa process's memory with its model loaded, as Rasa imports by itself and as service/rasa_process.py runs it.

    python bench/rasa_memory.py              # each way once
    python bench/rasa_memory.py --repeat 2   # each way twice (the machine is shared: figures move)

The ways, each a `rasa run` of models/current.tar.gz on a free port, alone (no action server needed):
- stock: `python -m rasa run`, what service.launch ran before (TensorFlow, and jax through tensorflow.lite);
- no jax: `python -m service.rasa_process run` with RASA_LOAD_TENSORFLOW=always (the real TensorFlow);
- neither: `python -m service.rasa_process run`, TensorFlow stood in for (this model has no component that uses it).

For each: seconds from start until the turns channel says the model is ready, then the process's
resident memory (RSS, what bench/compare.py sums), its proportional share (PSS: shared pages divided
among the processes mapping them) and anonymous memory, from /proc/PID/smaps_rollup, and whether
TensorFlow's and jax's native libraries are mapped at all.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service import launch  # noqa: E402
from service.settings import load_settings  # noqa: E402
from tests.service_stack import ROOT, ServiceStack  # noqa: E402

WAYS = {
    "stock": ("rasa", {}),
    "no jax": ("service.rasa_process", {"RASA_LOAD_TENSORFLOW": "always"}),
    "neither": ("service.rasa_process", {}),
}


def smaps_rollup(pid: int) -> dict[str, int]:
    """Bytes per field of /proc/PID/smaps_rollup (Rss, Pss, Anonymous...)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            fields[parts[0].rstrip(":")] = int(parts[1]) * 1024
    return fields


def native_libraries(pid: int) -> list[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name, marker in (("tensorflow", "/tensorflow/"), ("jax", "/jaxlib/")) if marker in maps]


def measure(way: str) -> str:
    module, extra = WAYS[way]
    stack = ServiceStack(Path(tempfile.mkdtemp(prefix="bench-rasa-memory-")), extra_env=extra)
    saved = dict(os.environ)
    os.environ.update(stack.env)
    try:
        command = launch.rasa_command(load_settings())  # writes the endpoints file into the stack's folder
    finally:
        os.environ.clear()
        os.environ.update(saved)
    command[command.index("service.rasa_process")] = module
    log = open(stack.folder / "rasa.log", "wb")
    started = time.perf_counter()
    process = subprocess.Popen(command, env=stack.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"{stack.rasa_url}/webhooks/turns/"
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{way}: Rasa exited with {process.returncode}; see {stack.folder / 'rasa.log'}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        ready_s = time.perf_counter() - started
        time.sleep(2)  # let the start's last allocations settle
        memory = smaps_rollup(process.pid)
        mapped = ", ".join(native_libraries(process.pid)) or "none"
        return (f"{way:8s} ready {ready_s:5.1f} s  RSS {memory['Rss'] / 2**20:4.0f} MiB  PSS {memory['Pss'] / 2**20:4.0f} MiB  "
                f"anonymous {memory['Anonymous'] / 2**20:4.0f} MiB  native libraries mapped: {mapped}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--ways", nargs="+", choices=list(WAYS), default=list(WAYS))
    args = parser.parse_args()
    for _ in range(args.repeat):
        for way in args.ways:
            print(measure(way), flush=True)


if __name__ == "__main__":
    main()
