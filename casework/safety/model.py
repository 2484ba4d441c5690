"""The safety screen's learned layer: what a text means, read by the sentence encoder, then a linear
head trained on the labelled corpus (casework.safety.training, `make safety-model`).

The head reads two things: the sentence vector (meaning, paraphrase, dialect the encoder has seen)
and the words and word pairs of the text weighted by rarity (tf-idf; "cancelled the milk",
"hospital appointment"), which the vector blurs. The two together halved the ordinary texts the
vector alone interrupted at the same recall (README, "The safety screen").

How it joins the rules (casework.safety.screen):
- the rules go first and keep naming their rule; the model never lowers what they decided;
- when the rules let the text through (nothing, or loneliness only), the model may raise it:
  - sure (one category's probability, loneliness's share set aside, >= `sure`): answered as the rules would answer that category
    (999 for danger, the report flow for a worry about someone, scam advice...), rule "model.<category>";
  - unsure (the risky categories together >= `unsure`): the "possible" tier, the direct question
    with Samaritans, rule "model.unsure", as a trained crisis volunteer answers indirect language;
  - a means named (casework.safety.rules_layer.names_a_means: "tied the cord to the bannister", "60 altogether")
    and suicide's share at least `means`, far below `unsure`: the same direct question, rule
    "model.means". Crisis volunteers ask directly whenever a means comes up beside any hint of intent;
    on the blind training batches held out in turn, this step caught most of the texts naming a
    method that both other steps missed, at a fraction of a percent of ordinary texts;
- what the rules know of texts that are not incidents (a talk on the topic, long over, dealt with,
  fine now: casework.safety.rules_layer.stands_down) holds for the model too;
- the Screening says `layer="model"` and carries the probability as `score`, so a case shows why.

The thresholds are chosen by the training script on texts held out from each fit, and stored in the
head file beside the weights; nothing here is tuned by hand.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from casework.safety.decisions import CATEGORIES, Match, Screening
from casework.safety.rules_layer import names_a_means, scam_flags, stands_down
from casework.safety.text import prepare
from service.sentence_encoder import DIMENSIONS, ROOT, SentenceEncoder, shared_encoder

__all__ = ["HEAD_FILE", "ESCALATING", "Head", "SafetyModel", "decide", "load_head", "terms", "ModelUnavailable"]

logger = logging.getLogger(__name__)

HEAD_FILE = ROOT / "models" / "safety_head.npz"
# What the model may raise a text to: every category but loneliness (which never interrupts).
ESCALATING = tuple(c for c in CATEGORIES if c != "isolated")
# "1", "yes", "MORE": a reply to a question, not a message the model can read anything into.
MIN_WORDS = 2
# Loneliness is neither danger nor nothing: its share is set aside before the risky categories are
# weighed against "none" ("so lonely since Jean went ... i wont see christmas" split 0.54 suicidal,
# 0.44 isolated), but a risky category must still hold this much on its own.
MIN_SHARE = 0.25


class ModelUnavailable(RuntimeError):
    """The head file is missing, unreadable or made for another encoder (run `make safety-model`)."""


# scikit-learn's TfidfVectorizer defaults, written out so the service needs only numpy to read a text:
# lower case, words of two or more letters or digits, single words and pairs.
_WORD = re.compile(r"(?u)\b\w\w+\b")


def terms(text: str) -> list[str]:
    words = _WORD.findall((text or "").lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True)
class Head:
    weights: np.ndarray  # (384, classes): the sentence vector's part
    bias: np.ndarray  # (classes,)
    classes: tuple[str, ...]
    sure: float
    unsure: float
    trained_on: str  # digest of the training files, so a stale head can be told apart
    vocabulary: dict[str, int]  # term -> row of term_weights
    idf: np.ndarray  # (terms,)
    term_weights: np.ndarray  # (terms, classes): the words' part, already scaled
    means: float = 1.01  # suicide's share that, with a means named, asks directly (above 1: never)

    def word_logits(self, text: str) -> np.ndarray:
        """The words' contribution: sublinear tf-idf, unit length, times the learned weights."""
        counts = Counter(t for t in terms(text) if t in self.vocabulary)
        if not counts:
            return np.zeros(len(self.classes), dtype=np.float32)
        rows = np.array([self.vocabulary[t] for t in counts])
        values = np.array([(1.0 + math.log(n)) for n in counts.values()], dtype=np.float32) * self.idf[rows]
        values /= np.linalg.norm(values)
        return values @ self.term_weights[rows]


def load_head(path: Path = HEAD_FILE) -> Head:
    if not path.is_file():
        raise ModelUnavailable(f"no safety model head at {path} (make safety-model trains it)")
    try:
        with np.load(path, allow_pickle=False) as saved:
            head = Head(
                weights=saved["weights"].astype(np.float32), bias=saved["bias"].astype(np.float32),
                classes=tuple(str(c) for c in saved["classes"]), sure=float(saved["sure"]), unsure=float(saved["unsure"]),
                trained_on=str(saved["trained_on"]),
                vocabulary={str(t): i for i, t in enumerate(saved["terms"])}, idf=saved["idf"].astype(np.float32),
                term_weights=saved["term_weights"].astype(np.float32), means=float(saved["means"]),
            )
    except (OSError, KeyError, ValueError) as problem:
        raise ModelUnavailable(f"cannot read the safety model head {path}: {problem}") from problem
    if (head.weights.shape != (DIMENSIONS, len(head.classes)) or set(ESCALATING) - set(head.classes)
            or head.term_weights.shape != (len(head.vocabulary), len(head.classes))):
        raise ModelUnavailable(f"{path} was not made for these categories")
    return head


_SUICIDAL = ESCALATING.index("suicidal")


def decide(text: str, probabilities: np.ndarray, classes: tuple[str, ...], sure: float, unsure: float, means: float = 1.01, *,
           standing_down: frozenset[str] | None = None, means_named: bool | None = None) -> tuple[str, str, float] | None:
    """(category, rule, score) the model raises for one text and its probabilities, or None. The
    training script chooses the thresholds with this same function (passing `standing_down`, the
    categories casework.safety.rules_layer.stands_down refuses for the text, and `means_named`, both worked out
    once per text)."""
    risky = np.array([probabilities[classes.index(c)] for c in ESCALATING])
    weighed = risky / max(1.0 - float(probabilities[classes.index("isolated")]), 1e-6)
    top = int(risky.argmax())
    if risky[top] >= MIN_SHARE and weighed[top] >= sure:
        decided = ESCALATING[top], f"model.{ESCALATING[top]}", float(min(weighed[top], 1.0))
    elif risky[top] >= MIN_SHARE and weighed.sum() >= unsure:
        decided = "despair", "model.unsure", float(min(weighed.sum(), 1.0))
    elif weighed[_SUICIDAL] >= means and (means_named if means_named is not None else names_a_means(text)):
        top = _SUICIDAL
        decided = "despair", "model.means", float(min(weighed[_SUICIDAL], 1.0))
    else:
        return None
    refused = standing_down if standing_down is not None else frozenset(c for c in {ESCALATING[top], decided[0]} if stands_down(c, text))
    if ESCALATING[top] in refused or decided[0] in refused:
        return None
    return decided


class SafetyModel:
    def __init__(self, encoder: SentenceEncoder, head: Head) -> None:
        self.encoder = encoder
        self.head = head

    @classmethod
    def load(cls, head_path: Path = HEAD_FILE, encoder_dir: Path | None = None) -> SafetyModel:
        from service.sentence_encoder import EncoderUnavailable

        try:
            encoder = shared_encoder(encoder_dir)
        except EncoderUnavailable as problem:
            raise ModelUnavailable(str(problem)) from problem
        return cls(encoder, load_head(head_path))

    def probabilities(self, text: str) -> dict[str, float]:
        return dict(zip(self.head.classes, (float(p) for p in self._probabilities(text)), strict=True))

    def _probabilities(self, text: str) -> np.ndarray:
        logits = self.encoder.embed_one(text) @ self.head.weights + self.head.word_logits(text) + self.head.bias
        logits = np.exp(logits - logits.max())
        return logits / logits.sum()

    def raise_screening(self, rules: Screening, text: str) -> Screening:
        """What the rules decided, or something more urgent the model reads in the text; never less."""
        if rules.interrupts or len((text or "").split()) < MIN_WORDS:
            return rules
        decided = decide(text, self._probabilities(text), self.head.classes, self.head.sure, self.head.unsure, self.head.means)
        if decided is None:
            return rules
        category, rule, score = decided
        return Screening(
            category, rule, (Match(category, rule), *rules.matches), scam_flags(category, prepare(text)), layer="model",
            score=round(score, 3),
        )
