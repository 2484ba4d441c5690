"""The domain, rules, stories and NLU data agree (`rasa data validate`)."""
from __future__ import annotations

import os
import subprocess
import sys

from service.settings import ROOT


def test_rasa_data_validate_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", "bot/domain",
         "--data", "data/nlu", "bot/rules", "bot/stories", "--config", "config.yml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "No story structure conflicts found" in result.stdout + result.stderr


def test_domain_files_stay_out_of_the_training_data_paths() -> None:
    for folder in ("data/nlu", "bot/rules", "bot/stories"):
        for path in (ROOT / folder).glob("*.yml"):
            assert "\nresponses:" not in path.read_text(), f"{path} holds responses; Rasa would read it as training data"
