"""`python -m directory ...` as an operator uses it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from directory.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [[], ["import"], ["export"], ["search"], ["stats"], ["seed-sample"], ["reindex"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: python -m directory" in capsys.readouterr().out


def test_seed_sample_search_and_stats(app_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(app_engine.url)
    assert cli(["--database-url", url, "seed-sample"]) == 0
    assert "loaded 173 sample services" in capsys.readouterr().out
    assert cli(["--database-url", url, "seed-sample"]) == 0
    assert "already holds data" in capsys.readouterr().out
    assert cli(["--database-url", url, "search", "knitting", "--near", "CH44 5TN", "--day", "tue"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. ") and "when: Tuesdays" in out and "why: " in out
    assert cli(["--database-url", url, "search", "knitting", "--near", "Atlantis"]) == 2
    assert cli(["--database-url", url, "stats"]) == 0
    out = capsys.readouterr().out
    assert "services: 173 (168 suggestible, 0 retired, 173 sample)" in out


def test_reindex_restores_an_index_built_by_an_older_reading_of_interests(app_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import delete, func, select

    from directory.models import SearchTerm
    from service.database import make_sessionmaker

    url = str(app_engine.url)
    assert cli(["--database-url", url, "seed-sample"]) == 0
    with make_sessionmaker(app_engine).begin() as session:
        before = session.scalar(select(func.count()).select_from(SearchTerm))
        # as if bowls were unknown when the groups were imported
        assert session.execute(delete(SearchTerm).where(SearchTerm.term == "c:bowls")).rowcount
    assert cli(["--database-url", url, "reindex"]) == 0
    assert "173 services indexed again" in capsys.readouterr().out
    with make_sessionmaker(app_engine)() as session:
        assert session.scalar(select(func.count()).select_from(SearchTerm)) == before
    assert cli(["--database-url", url, "search", "bowls", "--near", "CH44 5TN"]) == 0
    assert "Bowls" in capsys.readouterr().out.split("\n")[0]


def test_module_runs_and_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "directory", "--database-url", f"sqlite:///{tmp_path / 'empty.db'}",
                             "stats"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "python -m service.migrate" in result.stderr
