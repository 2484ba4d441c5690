"""One dependency direction: channels/ and actions/ use casework/ and directory/, never the reverse;
casework/ and directory/ never import Rasa; channels/ and actions/ do not import each other, nor the
web app. Read from the source (every import statement, top level or not), so a new module is held to
it without being listed."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "directory": {"casework", "channels", "actions", "web", "rasa", "rasa_sdk"},
    "casework": {"channels", "actions", "web", "rasa", "rasa_sdk"},
    "channels": {"actions", "web", "rasa_sdk"},
    "actions": {"channels", "web"},
}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_package_imports_only_in_the_one_direction(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: pkgs for name, pkgs in wrong.items() if pkgs} == {}


def test_the_check_finds_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from channels.responses import render_response\n", encoding="utf-8")
    assert imported_packages(module) == {"channels"}
