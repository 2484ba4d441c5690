"""The whole service (Rasa, actions, web app, worker) started as real processes for tests and benchmarks.

Each stack gets free ports and a folder of its own (SQLite database, tracker store, outbox), runs the
same launch commands as `make run`'s service/supervisord.conf (without supervisord: the tests stop,
freeze and restart these processes themselves; tests/service/test_supervisor.py runs the real thing),
and is ready when /healthz says so. This is the one way the
tests start the service's processes: the session's shared stack (tests/conftest.py), a private one a
test may stop and kill (`private_stack`), or some of its processes alone (`web_alone`, or `start`
with the names and `wait_answering`). On several hosts (tests/topology/) each host's stack runs its
processes inside that host's network namespace (`run_in`) and is reached at the host's `address`.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = {
    "rasa": [sys.executable, "-m", "service.launch", "rasa"],
    "actions": [sys.executable, "-m", "service.launch", "actions"],
    "web": [sys.executable, "-m", "web"],
    "worker": [sys.executable, "-m", "jobs.worker"],
}
TWILIO_TEST_TOKEN = "test-twilio-auth-token"


def strong_test_secret(name: str) -> str:
    """A fixed secret with 32 random bytes' worth (service.settings refuses weaker ones outside a
    loopback development service, and the stack's PUBLIC_BASE_URL is https): public, for tests only."""
    return f"test-{name.lower()}-" + hashlib.sha256(name.encode()).hexdigest()


# Ports for the tests' services come from below the kernel's ephemeral range (32768-60999 on Linux), where port 0
# and every outgoing connection take theirs, and each pytest-xdist worker has its own stretch: a port checked free
# cannot then be taken by the other worker's stack or by a client socket before the service binds it.
_PORTS_FROM, _PORTS_PER_WORKER = 20000, 1500
_handed_out: set[int] = set()


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(span: int = 1) -> int:
    """A port free now, with the `span - 1` after it (several Rasa workers listen on RASA_PORT upwards)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    low = _PORTS_FROM + (int(worker) % 8 if worker.isdigit() else 0) * _PORTS_PER_WORKER
    for _ in range(500):
        port = random.randrange(low, low + _PORTS_PER_WORKER - span)
        block = range(port, port + span)
        if not _handed_out.intersection(block) and all(_bindable(p) for p in block):
            _handed_out.update(block)
            return port
    raise RuntimeError(f"no {span} free ports together between {low} and {low + _PORTS_PER_WORKER}")


@dataclass
class ServiceStack:
    folder: Path
    extra_env: Mapping[str, str | None] = field(default_factory=dict)  # None: not set at all
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    run_in: tuple[str, ...] = ()  # a command prefix, e.g. ("ip", "netns", "exec", "host-1"): where the processes run
    address: str = "127.0.0.1"  # where the test reaches their ports

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ports = {"RASA_PORT": free_port(span=4), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
        env = {
            **os.environ,
            **{k: str(v) for k, v in ports.items()},
            "ENVIRONMENT": "test",
            "PYTHONPATH": str(ROOT),
            "VAR_DIR": str(self.folder),
            "DATABASE_URL": f"sqlite:///{self.folder / 'app.db'}",
            "OUTBOX_PATH": str(self.folder / "outbox.log"),
            "PUBLIC_BASE_URL": "https://sms.example.org",
            "TWILIO_AUTH_TOKEN": TWILIO_TEST_TOKEN,
            **{name: strong_test_secret(name) for name in ("PHONE_HASH_KEY", "PHONE_ENCRYPTION_KEY", "WEBCHAT_SECRET",
                                                             "RASA_TURNS_TOKEN", "ACTIONS_TOKEN")},
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            # One Rasa worker, whatever the machine's default (two on two cores): tests read its tracker
            # file and stop or freeze its process. Tests and benchmarks of the default set it to None.
            "RASA_WORKERS": "1",
            **self.extra_env,
        }
        self.env = {name: value for name, value in env.items() if value is not None}

    @property
    def rasa_url(self) -> str:
        return f"http://{self.address}:{self.env['RASA_PORT']}"

    @property
    def web_url(self) -> str:
        return f"http://{self.address}:{self.env['WEB_PORT']}"

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def prepare(self) -> None:
        for module in (["service.migrate"], ["directory", "seed-sample"]):
            subprocess.run([sys.executable, "-m", *module], env=self.env, cwd=ROOT, check=True, capture_output=True)

    def start(self, names: tuple[str, ...] = tuple(PROCESSES)) -> None:
        for name in names:
            log = open(self.folder / f"{name}.log", "ab")
            self.processes[name] = subprocess.Popen(
                [*self.run_in, *PROCESSES[name]], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def health(self) -> tuple[int, dict]:
        # From another address /healthz tells only whether it is ready; HEALTH_TOKEN, if set, shows which part is not.
        token = {"Authorization": "Bearer " + self.env["HEALTH_TOKEN"]} if self.env.get("HEALTH_TOKEN") else {}
        try:
            with urllib.request.urlopen(urllib.request.Request(self.web_url + "/healthz", headers=token), timeout=5) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, {}

    def wait_ready(self, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        body: dict = {}
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
            status, body = self.health()
            if status == 200:
                return body
            time.sleep(1)
        raise TimeoutError(f"service not ready after {timeout}s: {body}\n" + "\n".join(self.log_tail(n) for n in self.processes))

    def wait_answering(self, name: str, path: str, timeout: float = 120) -> None:
        """Until the process `name` (started alone, without the rest of the stack) answers GET `path` on
        its port; its log's tail if it exits first or never answers."""
        port = self.env[{"web": "WEB_PORT", "actions": "ACTIONS_PORT", "rasa": "RASA_PORT"}[name]]
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited with {self.processes[name].returncode}:\n{self.log_tail(name)}")
            try:
                with urllib.request.urlopen(f"http://{self.address}:{port}{path}", timeout=2):
                    return
            except (OSError, http.client.HTTPException) as error:  # not listening yet, or not answering yet
                last = error
                time.sleep(0.1)
        raise TimeoutError(f"{name} did not answer {path} within {timeout}s ({last}):\n{self.log_tail(name)}")

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"--- {name} ---\n" + "\n".join(text.splitlines()[-lines:])


@contextmanager
def private_stack(folder: Path, extra_env: Mapping[str, str | None] | None = None) -> Iterator[ServiceStack]:
    """A whole service of the test's own (not the session's shared one), ready: for tests that stop,
    freeze or kill its processes, or need settings of their own. Its folder is removed afterwards."""
    stack = ServiceStack(folder, dict(extra_env or {}))
    stack.prepare()
    stack.start()
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop_all()
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def web_alone(folder: Path, extra_env: Mapping[str, str | None] | None = None, *, ready: str = "/chat") -> Iterator[ServiceStack]:
    """The web app by itself (no Rasa, no action server, no worker: nothing listens on their ports), once
    it answers `ready`; stopped afterwards. The caller migrates and seeds the database."""
    stack = ServiceStack(folder, dict(extra_env or {}))
    stack.start(("web",))
    try:
        stack.wait_answering("web", ready)
        yield stack
    finally:
        stack.stop_all()
