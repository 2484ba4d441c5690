"""The safety screen with both layers, and with the learned layer gone: the rules always decide."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from casework.safety.model import SafetyModel
from casework.safety.screen import SafetyScreen

RULES_CRISIS = "ive fallen over and cant get up"
MODEL_ONLY_CRISIS = "my wife is slumped in her chair and I cant get any sense out of her, her breathing sounds like rattling"


def test_both_layers_when_the_model_loads() -> None:
    screen = SafetyScreen.load()
    assert screen.status == "ok"
    assert (screen(RULES_CRISIS).category, screen(RULES_CRISIS).layer) == ("danger", "rules")
    assert (screen(MODEL_ONLY_CRISIS).category, screen(MODEL_ONLY_CRISIS).layer) == ("danger", "model")


def test_without_its_files_the_rules_alone_decide_and_say_so_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="casework.safety.screen"):
        screen = SafetyScreen.load(head_path=tmp_path / "missing.npz")
    assert screen.status == "failing" and "make safety-model" in (screen.problem or "")
    assert screen(RULES_CRISIS).category == "danger"
    assert screen(MODEL_ONLY_CRISIS).category is None
    assert len([r for r in caplog.records if "learned layer could not load" in r.getMessage()]) == 1


class _Broken(SafetyModel):
    def __init__(self) -> None:  # no encoder, no head: every text fails
        pass

    def raise_screening(self, rules, text):  # type: ignore[no-untyped-def]
        raise RuntimeError("the runtime fell over")


def test_a_model_that_fails_on_a_text_falls_back_to_the_rules_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    screen = SafetyScreen(_Broken())
    with caplog.at_level(logging.ERROR, logger="casework.safety.screen"):
        first, second = screen(RULES_CRISIS), screen("any walking groups")
    assert first.category == "danger" and first.layer == "rules"
    assert second.category is None
    assert screen.status == "failing" and "the runtime fell over" in (screen.problem or "")
    logged = [r for r in caplog.records if "learned layer failed" in r.getMessage()]
    assert len(logged) == 1
    assert RULES_CRISIS not in caplog.text, "the resident's words never reach the log"
