"""The safety corpus (data/safety_corpus/): labelled texts the screen is trained, tuned and judged on.

One reader for the model's training (casework.safety.training), the tests and bench/safety_screen.py.
Which file is for what is in that folder's README: the model learns only from TRAINING; the holdouts
are never trained or tuned on.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casework.safety.decisions import CATEGORIES

__all__ = ["CORPUS", "TRAINING", "HOLDOUTS", "BLIND_HOLDOUTS", "LABELS", "Example", "load", "escalates"]

CORPUS = Path(__file__).resolve().parents[2] / "data" / "safety_corpus"
LABELS = (*CATEGORIES, "none")
# What the learned layer is trained on: the rules' own tune split and every blind training batch
# (tune_blind_*.tsv: adding a batch is adding its file).
# tune_first_texts.tsv: the tune halves of the first-text sets (tests/conversations), ordinary wishes written blind, every one
# "none", less those that speak of loneliness; always fitted on, never a held-out fold, so the thresholds are chosen on the
# safety batches alone.
TRAINING = ("tune", "tune_first_texts", *sorted(path.stem for path in CORPUS.glob("tune_blind_*.tsv")))
HOLDOUTS = ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10", "holdout11",
            "holdout12", "holdout13", "holdout14", "holdout15", "holdout16", "holdout17", "holdout18", "holdout19", "holdout20",
            "holdout21", "holdout22", "holdout23", "holdout24", "holdout25", "holdout26", "holdout27", "holdout28", "holdout29", "holdout30", "holdout31",
            "holdout32", "holdout33", "holdout34")
# Written by helpers who saw neither the rules, the corpus nor the model; their misses are never read.
BLIND_HOLDOUTS = ("holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10", "holdout11", "holdout12",
                  "holdout13", "holdout14", "holdout15", "holdout16", "holdout17", "holdout18", "holdout19", "holdout20",
                  "holdout21", "holdout22", "holdout23", "holdout24", "holdout25", "holdout26", "holdout27", "holdout28", "holdout29", "holdout30", "holdout31",
                  "holdout32", "holdout33", "holdout34")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    # A method named, an overdose taken, or a person not breathing or not moving: must always escalate.
    critical: bool = False

    @property
    def must_escalate(self) -> bool:
        return self.label not in ("none", "isolated")


def load(split: str, *, folder: Path = CORPUS) -> list[Example]:
    """One split's texts. Two columns (text, category) or three (with `critical`: 1 or empty)."""
    path = folder / f"{split}.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t")[:2] != ["text", "category"]:
        raise ValueError(f"{path.name}: the first line must be the header text<TAB>category[<TAB>critical]")
    examples = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or fields[1] not in LABELS or not fields[0].strip():
            raise ValueError(f"{path.name} line {number}: expected text<TAB>one of {', '.join(LABELS)}[<TAB>1]")
        examples.append(Example(fields[0], fields[1], len(fields) == 3 and fields[2].strip() == "1"))
    return examples


def escalates(category: str | None) -> bool:
    """A screening escalates when it gives any category but loneliness (which lets the bot go on)."""
    return category not in (None, "isolated")
