"""`make run` under supervisord: a process that dies is started again and the rest keep serving.

The service is started exactly as `make run` starts it (`python -m service.supervise`, reading
service/supervisord.conf), on free ports in a folder of its own. Each of its processes is killed with
SIGKILL in turn: supervisord starts it again within 10 s, the others keep their pids, /healthz comes
back to 200, and a signed SMS sent while the action server or Rasa was down is answered exactly once.
Ctrl-C (SIGINT) then stops every process.

Rasa's model load dominates (at the start, and again after its kill): the module took about 65 s
here, and should stay under 3 minutes on a busy machine.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path

import pytest
from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ServerOptions
from supervisor.xmlrpc import SupervisorTransport

from casework.residents.identity import sms_sender_id
from service.supervise import CONFIG
from tests.channels.test_sms_webhook import reply_text, unique_number
from tests.service_stack import ROOT, ServiceStack
from tests.twilio_signing import post_form, sms_form
from tests.waiting import wait_for

BACK_WITHIN = 10.0  # seconds from SIGKILL to a new process (Rasa then loads its model before /healthz says 200)
HEALTHY_WITHIN = 300.0
PROGRAMS = ("web", "worker", "actions", "rasa-0")


# --- the configuration, as supervisord itself reads it --------------------------------------------
def supervisord_options(monkeypatch: pytest.MonkeyPatch, var: Path, workers: str = "1") -> ServerOptions:
    for name, value in {"VAR_DIR": str(var), "SUPERVISOR_RASA_WORKERS": workers, "SUPERVISOR_PYTHON": sys.executable}.items():
        monkeypatch.setenv(name, value)
    options = ServerOptions()
    options.realize(["-c", str(CONFIG)])
    return options


def test_the_control_socket_is_a_private_unix_socket_in_var_and_nothing_is_written_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    options = supervisord_options(monkeypatch, tmp_path)
    assert [(server["family"], server["file"], server["chmod"]) for server in options.server_configs] == [
        (socket.AF_UNIX, str(tmp_path / "supervisor.sock"), 0o700)
    ], "one unix socket, no TCP port"
    assert options.nodaemon
    assert options.pidfile == str(tmp_path / "supervisord.pid") and options.childlogdir == str(tmp_path)
    assert options.logfile == "/dev/null"  # supervisord's own lines go to the terminal
    for group in options.process_group_configs:
        for program in group.process_configs:
            # Program output goes to the log listener (events) or the terminal, never to a file.
            assert program.stdout_logfile in (None, "/dev/stdout") and program.stderr_logfile in (None, "/dev/stdout")


def test_every_process_is_restarted_whatever_its_exit_and_stopped_with_its_children(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    options = supervisord_options(monkeypatch, tmp_path, workers="2")
    programs = {p.name: p for group in options.process_group_configs for p in group.process_configs}
    assert set(programs) == {"logs", "web", "worker", "actions", "rasa-0", "rasa-1"}
    assert programs["rasa-1"].command.endswith("-m service.launch rasa --worker 1")
    for program in programs.values():
        assert f"{sys.executable} -m service.with_supervisor -m " in program.command, "it dies with supervisord"
        assert program.autorestart is RestartUnconditionally and program.startretries >= 10
        assert program.killasgroup, "Rasa's or any other child is stopped with its parent"
        if program.name != "logs":
            assert program.stdout_events_enabled and program.redirect_stderr


# --- the running service ---------------------------------------------------------------------------
class Supervised:
    """The service under supervisord, started the way `make run` starts it."""

    def __init__(self, folder: Path) -> None:
        # /healthz computed afresh on every call (not its 2 s cache), so "back to 200" means after the kill.
        self.stack = ServiceStack(folder, {"HEALTH_CACHE_SECONDS": "0"})
        self.log = folder / "make-run.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.stack.prepare()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "service.supervise"], env=self.stack.env, cwd=ROOT,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def rpc(self) -> xmlrpc.client.ServerProxy:
        socket_path = Path(self.stack.env["VAR_DIR"]) / "supervisor.sock"
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=SupervisorTransport(None, None, f"unix://{socket_path}"))

    def pids(self) -> dict[str, int]:
        """Each program's pid while it runs (or starts); 0 while it is down."""
        try:
            infos: list[dict] = self.rpc.supervisor.getAllProcessInfo()  # type: ignore[assignment]
        except (OSError, xmlrpc.client.Fault):
            return {}
        pids = {info["name"]: info["pid"] if info["statename"] in ("STARTING", "RUNNING") else 0 for info in infos}
        return pids

    def wait_healthy(self) -> None:
        def healthy() -> bool:
            assert self.process is not None and self.process.poll() is None, f"supervisord exited:\n{self.log_tail()}"
            return self.stack.health()[0] == 200
        try:
            wait_for(healthy, timeout=HEALTHY_WITHIN, every=0.5, what="/healthz to answer 200")
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{self.log_tail()}") from None

    def every_program_up(self) -> dict[str, int] | None:
        pids = self.pids()
        return pids if all(pids.get(name) for name in PROGRAMS) else None

    def kill(self, name: str) -> dict[str, int]:
        """SIGKILL the program, once every program is up; the pids they had."""
        before = wait_for(self.every_program_up, what="every process to be up")
        os.kill(before[name], signal.SIGKILL)
        return before

    def wait_unhealthy(self) -> None:
        wait_for(lambda: self.stack.health()[0] != 200, timeout=BACK_WITHIN, every=0.05, what="/healthz to say the service is not ready")

    def wait_back(self, name: str, before: dict[str, int]) -> None:
        wait_for(lambda: self.pids().get(name) not in (0, None, before[name]), timeout=BACK_WITHIN, every=0.1,
                 what=f"{name} to be started again")
        after = self.pids()
        assert {p: after[p] for p in PROGRAMS if p != name} == {p: before[p] for p in PROGRAMS if p != name}, "the others kept running"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "--- make run ---\n" + "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()  # its programs follow it (service/with_supervisor.py)
                self.process.wait()


@pytest.fixture(scope="module")
def supervised(request: pytest.FixtureRequest) -> Iterator[Supervised]:
    # A short folder name: the control socket's path must fit a unix socket address (108 bytes).
    folder = Path(tempfile.mkdtemp(prefix="connector-supervised-"))
    service = Supervised(folder)
    failed_before = request.session.testsfailed
    started = False
    try:
        service.start()
        service.wait_healthy()
        started = True
        yield service
    finally:
        service.stop()
        if started and request.session.testsfailed == failed_before:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"\nmake run's logs kept in {folder}")


def replies_to(service: Supervised, number: str) -> list[str]:
    sender = sms_sender_id(number, key=service.stack.env["PHONE_HASH_KEY"])
    with sqlite3.connect(service.stack.database_url.removeprefix("sqlite:///")) as conn:
        rows = conn.execute("SELECT body FROM outbox_message WHERE recipient_sender_id = ? AND purpose = 'reply' ORDER BY id", (sender,))
        return [body for (body,) in rows]


def inbound(service: Supervised, sid: str) -> tuple[str, str | None]:
    with sqlite3.connect(service.stack.database_url.removeprefix("sqlite:///")) as conn:
        found = conn.execute("SELECT state, reply_text FROM inbound_message WHERE message_id = ?", (sid,)).fetchall()
    return found[0] if found else ("missing", None)


def answer_of(service: Supervised, sid: str, states: tuple[str, ...]) -> str | None:
    """The text's recorded answer once it is in one of `states` (None until then)."""
    state, reply = inbound(service, sid)
    return reply if state in states else None


def refuses_connections(port: str) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", int(port))) != 0


def sent_count(service: Supervised, body: str) -> int:
    """How many times the dry-run outbox file shows the text sent."""
    path = Path(service.stack.env["OUTBOX_PATH"])
    return sum(body[:40] in line for line in path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


@pytest.mark.service
def test_every_process_logs_with_its_name_in_front(supervised: Supervised) -> None:
    for name in PROGRAMS:
        assert re.search(rf"^\d\d:\d\d:\d\d {re.escape(name)} +\| ", supervised.log_text(), re.MULTILINE), f"no line from {name}"
    var = Path(supervised.stack.env["VAR_DIR"])
    assert stat.S_IMODE((var / "supervisor.sock").stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "supervisord.pid").stat().st_mode) == 0o600
    assert stat.S_IMODE(var.stat().st_mode) == 0o700


@pytest.mark.service
@pytest.mark.parametrize("name", ["web", "worker"])
def test_a_killed_web_app_or_worker_is_back_and_the_service_healthy_again(supervised: Supervised, name: str) -> None:
    before = supervised.kill(name)
    if name == "web":  # (a killed worker's last heartbeat keeps /healthz at 200 for 30 s, longer than it is away)
        supervised.wait_unhealthy()
    supervised.wait_back(name, before)
    supervised.wait_healthy()
    assert re.search(rf"WARN exited: {name} \(terminated by SIGKILL; not expected\)\n.*INFO spawned: '{name}'", supervised.log_text())


@pytest.mark.service
def test_a_text_sent_while_the_action_server_is_down_is_answered_exactly_once_when_it_is_back(supervised: Supervised) -> None:
    number = unique_number()
    post_form(supervised.stack, sms_form("hello", sender=number))  # starts the form: the next turn calls the action server
    before = supervised.kill("actions")
    wait_for(lambda: refuses_connections(supervised.stack.env["ACTIONS_PORT"]), timeout=5, what="the action server's port to close")
    supervised.wait_unhealthy()
    form = sms_form("I like walking", sender=number)
    status, twiml = post_form(supervised.stack, form, timeout=60)
    # Rasa's turns channel asks the action server first (channels/action_server_probe.py): the text
    # waits, as it does while Rasa is down, instead of "having trouble".
    assert status == 200 and reply_text(twiml) == "", "no action server: the text waits"
    assert inbound(supervised, form["MessageSid"]) == ("waiting", None)
    supervised.wait_back("actions", before)
    supervised.wait_healthy()

    reply = wait_for(lambda: answer_of(supervised, form["MessageSid"], ("deferred",)), what="recovery to answer the waiting text")
    assert "Which area" in reply, reply
    wait_for(lambda: sent_count(supervised, reply) >= 1, what="the worker to send the answer")
    assert replies_to(supervised, number).count(reply) == 1 and sent_count(supervised, reply) == 1, "answered exactly once"


@pytest.mark.service
def test_a_text_sent_while_rasa_is_down_is_answered_exactly_once_when_it_is_back(supervised: Supervised) -> None:
    number = unique_number()
    before = supervised.kill("rasa-0")
    wait_for(lambda: refuses_connections(supervised.stack.env["RASA_PORT"]), timeout=5, what="Rasa's port to close")
    supervised.wait_unhealthy()
    form = sms_form("hello", sender=number)
    status, twiml = post_form(supervised.stack, form, timeout=60)
    assert status == 200 and reply_text(twiml) == "", "no bot: the text waits"
    assert inbound(supervised, form["MessageSid"]) == ("waiting", None)
    supervised.wait_back("rasa-0", before)
    supervised.wait_healthy()

    reply = wait_for(lambda: answer_of(supervised, form["MessageSid"], ("deferred",)), what="recovery to answer the waiting text")
    assert "What do you enjoy" in reply
    wait_for(lambda: sent_count(supervised, reply) >= 1, what="the worker to send the answer")
    assert replies_to(supervised, number) == [reply] and sent_count(supervised, reply) == 1, "answered exactly once"


@pytest.mark.service
def test_ctrl_c_stops_every_process(supervised: Supervised) -> None:
    running = [pid for pid in supervised.pids().values() if pid]
    assert supervised.process is not None
    supervised.process.send_signal(signal.SIGINT)
    assert supervised.process.wait(timeout=90) == 0

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    # Each program had a process group of its own (Rasa's children in it): none is left.
    assert [pid for pid in running if alive(pid)] == []
    assert all(refuses_connections(supervised.stack.env[port]) for port in ("WEB_PORT", "RASA_PORT", "ACTIONS_PORT"))
    assert not (Path(supervised.stack.env["VAR_DIR"]) / "supervisor.sock").exists()
