"""Every folder imports only downwards. The floors, lowest first (README, "Architecture"):

    service      settings, database, migrations runner, launcher, log privacy: imports nothing of ours
    directory    the activity directory
    casework     residents, cases, safety, the outbox; never Rasa
    migrations   the application tables' history (reads casework's and directory's declarations)
    channels     the intake and its doors (SMS, web chat), and the modules that run inside Rasa
    actions      rasa-sdk custom actions; channels and actions do not import each other
    jobs         the worker and the jobs that span stores (erasure, re-key, retention, subject access,
                 provider copies, check-ins). It uses casework, directory and service, and from
                 channels only the response rendering (`channels.responses`: the check-in job texts the
                 domain's own words); never actions, web or Rasa
    web          the web app; it reaches Rasa and the actions only through channels

Read from the source (every import statement, top level or not), so a new module is held to it
without being listed; a new top-level folder of Python must get a row. No two folders import each
other, directly or round a loop. bench/ and tests/ drive every floor from outside and are not held.
"""
from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"service", "directory", "casework", "migrations", "channels", "actions", "jobs", "web", "bench", "tests"}
RASA = {"rasa", "rasa_sdk"}
FORBIDDEN = {
    "service": PROJECT - {"service"},
    "directory": {"casework", "migrations", "channels", "actions", "jobs", "web", "bench", "tests"} | RASA,
    "casework": {"migrations", "channels", "actions", "jobs", "web", "bench", "tests"} | RASA,
    "migrations": {"channels", "actions", "jobs", "web", "bench", "tests"} | RASA,
    "channels": {"migrations", "actions", "jobs", "web", "bench", "tests", "rasa_sdk"},
    "actions": {"migrations", "channels", "jobs", "web", "bench", "tests"},
    "jobs": {"migrations", "actions", "web", "bench", "tests"} | RASA,
    "web": {"migrations", "actions", "bench", "tests"} | RASA,
}
# Where a floor may use only part of another (module prefixes).
ONLY = {"jobs": {"channels": ("channels.responses",)}}
NOT_HELD = {"bench", "tests"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def imported_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def folder_graph() -> dict[str, set[str]]:
    """Which of our folders each held folder imports."""
    return {
        folder: {package for path in (ROOT / folder).rglob("*.py") for package in imported_packages(path)} & PROJECT - {folder}
        for folder in FORBIDDEN
    }


def find_cycle(graph: Mapping[str, set[str]]) -> list[str]:
    """A loop of imports between folders (its folders in order, the first repeated last), or []."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_every_folder_of_python_has_a_row() -> None:
    folders = {
        path.name for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.name not in {"models", "var"} and any(path.rglob("*.py"))
    }
    assert folders - NOT_HELD == set(FORBIDDEN)
    assert folders <= PROJECT


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_package_imports_only_in_the_one_direction(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: pkgs for name, pkgs in wrong.items() if pkgs} == {}


@pytest.mark.parametrize("package", sorted(ONLY))
def test_a_floor_uses_only_the_named_part_of_another(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path)
            if name.split(".")[0] in ONLY[package]
            and not any(name == part or name.startswith(part + ".") for part in ONLY[package][name.split(".")[0]])
        )
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: modules for name, modules in wrong.items() if modules} == {}


def test_no_import_cycle_between_folders() -> None:
    assert find_cycle(folder_graph()) == []


def test_the_check_finds_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from channels.responses import render_response\n", encoding="utf-8")
    assert imported_packages(module) == {"channels"}


def test_the_check_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"web": {"jobs", "casework"}, "jobs": {"casework"}, "casework": set()}) == []
