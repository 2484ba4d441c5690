"""Rasa's own dialogue test: every predicted action in tests/conversations/test_stories.yml must match
(RulePolicy alone, with --fail-on-prediction-errors)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from service.settings import ROOT

STORIES = ROOT / "tests" / "conversations" / "test_stories.yml"


def test_the_model_follows_the_test_stories(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(ROOT / "models" / "current.tar.gz"),
         "--stories", str(STORIES), "--out", str(tmp_path), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail + result.stderr[-3000:]
    count = len(yaml.safe_load(STORIES.read_text())["stories"])
    assert f"Correct:          {count} / {count}" in result.stdout + result.stderr
