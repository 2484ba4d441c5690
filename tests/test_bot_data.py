"""The domain, rules, stories and NLU data agree (`rasa data validate --fail-on-warnings`)."""
from __future__ import annotations

import os
import subprocess
import sys

import yaml

from service.settings import ROOT
from service.text import domain_responses

VALIDATE = [sys.executable, "-m", "rasa", "data", "validate", "--domain", "bot/domain",
            "--data", "data/nlu", "bot/rules", "bot/stories", "--config", "config.yml", "--fail-on-warnings"]
SENT_BY_NAME = ROOT / "bot" / "stories" / "sent_by_name.yml"


def test_rasa_data_validate_passes_without_warnings() -> None:
    result = subprocess.run(
        VALIDATE, cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "No story structure conflicts found" in result.stdout + result.stderr


def test_domain_files_stay_out_of_the_training_data_paths() -> None:
    for folder in ("data/nlu", "bot/rules", "bot/stories"):
        for path in (ROOT / folder).glob("*.yml"):
            assert "\nresponses:" not in path.read_text(), f"{path} holds responses; Rasa would read it as training data"


def _uttered(paths: list) -> list[str]:
    names = []
    for path in paths:
        content = yaml.safe_load(path.read_text()) or {}
        for block in content.get("rules", []) + content.get("stories", []):
            names += [step["action"] for step in block["steps"] if str(step.get("action", "")).startswith("utter_")]
    return names


def test_the_list_of_responses_sent_by_name_is_exactly_those_no_rule_utters() -> None:
    """bot/stories/sent_by_name.yml exists only for the validator; it must neither miss a response
    (the validator would warn) nor keep one a rule now utters, or one the domain no longer has."""
    by_rules = set(_uttered([*(ROOT / "bot" / "rules").glob("*.yml"), *(p for p in (ROOT / "bot" / "stories").glob("*.yml")
                                                                         if p != SENT_BY_NAME)]))
    listed = _uttered([SENT_BY_NAME])
    assert len(listed) == len(set(listed))
    assert set(listed) == set(domain_responses()) - by_rules
