"""service/systemd/: the unit files a council installs, checked by systemd itself.

Each unit is rendered as README "Running it with systemd" tells an admin to install it somewhere else
than /opt/community-connector (the install path replaced everywhere), here with this checkout's path,
so `systemd-analyze verify` finds the real `.venv/bin/python` and working directory. Any complaint it
prints fails the test, warnings included (an unknown key is only a warning, and exits 0).

Each unit's ExecStart is also held to service/supervisord.conf's program of the same kind: the same
Python module and arguments, less the `-m service.with_supervisor` in front (under systemd there is no
supervisord to die with: that wrapper would exit at once, its parent being PID 1).
"""
from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from service.supervise import CONFIG
from tests.service_stack import ROOT

UNITS = ROOT / "service" / "systemd"
INSTALL_PATH = "/opt/community-connector"
# Each unit and the supervisord program it runs under `make run`.
PROGRAMS = {
    "connector-web.service": "web",
    "connector-rasa@.service": "rasa",
    "connector-actions.service": "actions",
    "connector-worker.service": "worker",
}
TARGET = "connector.target"
PYTHON = "PYTHON"  # where each file names the venv's Python
WORKER = "WORKER"  # where each file names the Rasa worker's index
WRAPPER = ["-m", "service.with_supervisor"]


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A unit file as systemd reads it: sections of (key, value), keys repeatable, comments dropped."""
    sections: dict[str, list[tuple[str, str]]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            sections.setdefault(section, [])
            continue
        assert not line.endswith("\\"), f"{path.name}: keep each setting on one line"
        key, _, value = line.partition("=")
        sections[section].append((key.strip(), value.strip()))
    return sections


def values(path: Path, section: str, key: str) -> list[str]:
    return [value for name, value in unit_entries(path).get(section, []) if name == key]


def unit_command(path: Path) -> list[str]:
    (exec_start,) = values(path, "Service", "ExecStart")
    words = shlex.split(exec_start)
    assert words[0] == f"{INSTALL_PATH}/.venv/bin/python", f"{path.name} runs the install's venv Python"
    return [PYTHON, *(WORKER if word == "%i" else word for word in words[1:])]


def supervisord_commands() -> dict[str, list[str]]:
    """Each [program:...] of supervisord.conf, its command with the venv's Python and the worker's index named."""
    parser = configparser.RawConfigParser()  # keep supervisord's %(...)s as written
    parser.read(CONFIG)
    commands = {}
    for section in parser.sections():
        if section.startswith("program:"):
            words = shlex.split(parser.get(section, "command"))
            assert words[0] == "%(ENV_SUPERVISOR_PYTHON)s" and words[1:3] == WRAPPER, f"[{section}] starts as the others do"
            commands[section.removeprefix("program:")] = [PYTHON, *(WORKER if word == "%(process_num)d" else word for word in words[3:])]
    return commands


def test_every_supervisord_program_has_a_unit_running_the_same_command() -> None:
    assert sorted(path.name for path in UNITS.iterdir()) == sorted([*PROGRAMS, TARGET])
    programs = supervisord_commands()
    assert sorted(programs) == sorted(PROGRAMS.values()), "a program added to supervisord.conf needs its unit"
    for unit, program in PROGRAMS.items():
        assert unit_command(UNITS / unit) == programs[program], f"{unit} runs what [program:{program}] runs"


def test_every_unit_runs_unprivileged_hardened_restarted_and_part_of_the_target() -> None:
    for unit in PROGRAMS:
        path = UNITS / unit
        service = dict(unit_entries(path)["Service"])  # single-valued keys
        assert service["User"] == "connector" and service["Group"] == "connector"
        assert service["WorkingDirectory"] == INSTALL_PATH
        assert service["EnvironmentFile"] == "/etc/community-connector/connector.env"
        assert service["Restart"] == "on-failure" and service["RestartSec"]
        for setting in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
            assert service[setting] == "yes", f"{unit}: {setting}"
        assert service["ProtectSystem"] == "strict"
        assert values(path, "Service", "ReadWritePaths") == [f"{INSTALL_PATH}/var"], "only VAR_DIR is written"
        assert values(path, "Unit", "PartOf") == [TARGET] and values(path, "Install", "WantedBy") == [TARGET]
    # Started back to front, so that stopping the target stops the web app first, then Rasa, then the rest.
    assert "connector-web.service" in values(UNITS / "connector-rasa@.service", "Unit", "Before")
    assert "connector-actions.service" in " ".join(values(UNITS / "connector-rasa@.service", "Unit", "After"))


def render(folder: Path) -> list[Path]:
    """The units as an admin installs them in another place: the install path replaced everywhere."""
    rendered = []
    for path in sorted(UNITS.iterdir()):
        copy = folder / path.name
        copy.write_text(path.read_text().replace(INSTALL_PATH, str(ROOT)))
        rendered.append(copy)
    return rendered


def test_systemd_analyze_verifies_every_unit_at_this_checkouts_paths(tmp_path: Path) -> None:
    systemd_analyze = shutil.which("systemd-analyze")
    if systemd_analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian's `systemd` package): the unit files are not verified")
    python = ROOT / ".venv" / "bin" / "python"
    assert python.exists(), f"{python} is what the rendered units start"
    rendered = render(tmp_path)
    assert all(INSTALL_PATH not in path.read_text() for path in rendered)
    for path in rendered:  # one at a time, so a complaint names its file
        result = subprocess.run([systemd_analyze, "verify", "--man=no", str(path)], capture_output=True, text=True, timeout=60)
        output = (result.stdout + result.stderr).strip()
        assert result.returncode == 0 and not output, f"systemd-analyze verify {path.name}:\n{output}"


def test_verify_would_catch_a_missing_binary_and_an_unknown_setting(tmp_path: Path) -> None:
    """The check above is not vacuous: verify complains about both."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    render(tmp_path)
    web = tmp_path / "connector-web.service"
    web.write_text(web.read_text().replace(str(ROOT / ".venv"), "/nowhere/.venv").replace("Restart=", "Restartt="))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(web)], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert "/nowhere/.venv/bin/python" in output and "Restartt" in output
