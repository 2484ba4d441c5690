"""The action server launcher: bound to ACTIONS_INTERFACE, every call but /health needs ACTIONS_TOKEN.

Starts the real launcher process (`python -m service.action_server`) on a free port with two test
actions, and calls it the way Rasa does: RemoteAction over an EndpointConfig built from the endpoints
service.launch writes.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from service.launch import actions_command, endpoints
from service.settings import load_settings
from tests.service_stack import ROOT, free_port
from tests.waiting import wait_for

TOKEN = "test-actions-token-4f1e"
SAID = "my son never visits since the funeral"


@dataclass
class ActionServer:
    url: str
    log: Path
    process: subprocess.Popen


def start(tmp_path: Path, *, interface: str = "127.0.0.1") -> ActionServer:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ENVIRONMENT": "test", "ACTIONS_TOKEN": TOKEN,
           "ACTIONS_INTERFACE": interface, "ACTIONS_PORT": str(port), "VAR_DIR": str(tmp_path)}
    log = tmp_path / f"actions-{port}.log"
    process = subprocess.Popen([sys.executable, "-m", "service.action_server", "--actions", "tests.service.failing_actions"],
                               cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    server = ActionServer(f"http://{interface}:{port}", log, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"action server exited {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/health", timeout=1) as reply:
                if reply.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    stop(server)
    raise TimeoutError(log.read_text())


def stop(server: ActionServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionServer]:
    server = start(tmp_path_factory.mktemp("actions"))
    try:
        yield server
    finally:
        stop(server)


def post(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def conversation() -> DialogueStateTracker:
    return DialogueStateTracker.from_events("sms:0123456789abcdef0123456789abcdef",
                                            [ActionExecuted("action_listen"), UserUttered(SAID, {"name": "lonely"})])


def run_as_rasa(endpoint: EndpointConfig, action: str) -> list:
    return asyncio.run(RemoteAction(action, endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), conversation(), Domain.empty()))


def rasa_endpoint(server: ActionServer, token: str = TOKEN) -> EndpointConfig:
    """The action endpoint exactly as service.launch writes it into Rasa's endpoints file."""
    import dataclasses

    settings = dataclasses.replace(load_settings(), actions_url=server.url, actions_token=token)
    return EndpointConfig.from_dict(endpoints(settings)["action_endpoint"])


def test_health_stays_open(action_server: ActionServer) -> None:
    with urllib.request.urlopen(action_server.url + "/health", timeout=5) as reply:
        assert reply.status == 200


@pytest.mark.parametrize("headers, query", [({}, ""), ({}, "?token=wrong"), ({"Authorization": "Bearer wrong"}, ""),
                                            ({}, "?token=")])
def test_calls_without_the_token_are_refused(action_server: ActionServer, headers: dict, query: str) -> None:
    status, body = post(action_server.url + "/webhook" + query, {"next_action": "action_remember", "tracker": {}}, headers)
    assert status == 401 and body == {"error": "missing or wrong token"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(action_server.url + "/actions" + query, timeout=5)
    assert refused.value.code == 401


def test_rasa_calls_with_the_token_work(action_server: ActionServer) -> None:
    events = run_as_rasa(rasa_endpoint(action_server), "action_remember")
    assert events == [SlotSet("interest", "choir")]
    status, _ = post(action_server.url + "/webhook", {"next_action": "action_remember", "tracker": {}},
                     {"Authorization": f"Bearer {TOKEN}"})
    assert status in (200, 500)  # past the door (that empty tracker is not a real one)


def test_rasa_without_the_token_gets_nothing_run(action_server: ActionServer) -> None:
    with pytest.raises(RasaException):
        run_as_rasa(rasa_endpoint(action_server, token="not-the-token"), "action_remember")


def test_a_failing_action_answers_without_the_conversation_and_logs_no_text(action_server: ActionServer) -> None:
    with pytest.raises(RasaException) as failure:
        run_as_rasa(rasa_endpoint(action_server), "action_breaks")
    answer = str(failure.value.__cause__)
    assert "500" in answer and "action_breaks" in answer and "ValueError" in answer
    assert SAID not in answer and "request_body" not in answer
    def logged_failure() -> str:
        text = action_server.log.read_text()
        return text if "action action_breaks failed" in text else ""

    log = wait_for(logged_failure, 30, "the action server to log the failure")
    assert SAID not in log
    assert TOKEN not in log


def test_it_listens_only_on_its_interface(tmp_path: Path) -> None:
    server = start(tmp_path, interface="127.0.0.2")
    try:
        other = server.url.replace("127.0.0.2", "127.0.0.1")
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(other + "/health", timeout=2)
    finally:
        stop(server)


def test_launch_starts_the_locked_server_and_rasa_sends_the_token() -> None:
    import dataclasses

    settings = dataclasses.replace(load_settings(), actions_token=TOKEN)
    assert actions_command(settings)[1:4] == ["-m", "service.action_server", "--actions"]
    endpoint = EndpointConfig.from_dict(endpoints(settings)["action_endpoint"])
    assert endpoint.combine_parameters()["token"] == TOKEN
