"""Rasa's own dialogue test for reports: every predicted action in test_report_stories.yml must match."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from service.settings import ROOT

STORIES = ROOT / "tests" / "conversations" / "test_report_stories.yml"


def test_the_model_follows_the_report_stories(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(ROOT / "models" / "current.tar.gz"),
         "--stories", str(STORIES), "--out", str(tmp_path), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail + result.stderr[-3000:]
    stories = STORIES.read_text().count("\n  - story: ")
    assert f"Correct:          {stories} / {stories}" in result.stdout + result.stderr
