"""Rasa's own dialogue test: every predicted action in the test stories must match (RulePolicy alone,
with --fail-on-prediction-errors). One runner, one test per story file: the journeys
(test_stories.yml) and the reports (test_report_stories.yml)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from service.settings import ROOT

HERE = ROOT / "tests" / "conversations"
MODEL = ROOT / "models" / "current.tar.gz"


def assert_rasa_test_core_passes(stories: Path, out: Path) -> None:
    """`rasa test core` on `stories` with the trained model: no prediction error, and every story counted
    correct (a story file that failed to load would otherwise pass with nothing tested)."""
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(MODEL),
         "--stories", str(stories), "--out", str(out), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail + result.stderr[-3000:]
    count = len(yaml.safe_load(stories.read_text())["stories"])
    assert f"Correct:          {count} / {count}" in result.stdout + result.stderr


def test_the_model_follows_the_test_stories(tmp_path: Path) -> None:
    assert_rasa_test_core_passes(HERE / "test_stories.yml", tmp_path)


def test_the_model_follows_the_report_stories(tmp_path: Path) -> None:
    assert_rasa_test_core_passes(HERE / "test_report_stories.yml", tmp_path)
