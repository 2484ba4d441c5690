"""Train the safety screen's learned layer (`make safety-model`): python -m casework.safety.training

1. Every text of the training splits (casework.safety.corpus.TRAINING; never a holdout), and the
   ordinary conversation of data/nlu as "none", is read by the sentence encoder (service.sentence_encoder) into a 384-number vector.
   Beside the vector, its words and word pairs weighted by rarity (tf-idf, casework.safety.model.terms).
2. A multinomial logistic regression (scikit-learn, which Rasa already brings) learns the ten labels
   from both, each label weighted by how rare it is.
3. The two thresholds (casework.safety.model: `sure` for one category, `unsure` for all risky ones
   together) are chosen on texts the fit never saw: each blind training batch is held out in turn,
   the head is fitted on the rest, and the rules and the model together are scored on it (the team's
   own `tune` split likewise, a fifth at a time). The pair
   kept is the one that escalates the most must-escalate texts while the model itself interrupts at
   most MODEL_FALSE_ALARM_BUDGET of the ordinary ones the rules let through.
4. The head (weights, bias, labels, thresholds, the words' vocabulary and weights, a digest of the
   training files) is written to models/safety_head.npz; only numpy reads it at run time.

Step 3 is most of the time (a fit per held-out fold). Its outcome is kept in the repository,
casework/safety/thresholds.json, with a digest of everything it depends on (the training files, the
rules' and the model's code, the encoder's code and the pinned packages): when nothing of that
changed, training reuses the thresholds and fits only the head on everything (a clean clone's `make
safety-model`); when anything did, the folds run again and the file is rewritten, to be committed with
the change. `--choose-thresholds` runs the folds regardless. tests/casework/safety/test_model.py fails
while the committed file is stale.

Why this shape: tried on the same held-out batches, nearest labelled examples (k=7, cosine) and a
small neural network (one hidden layer of 256) did no better than a linear head on the vector; adding
the words cut the ordinary texts interrupted from 11.5% to 7.0% at 96.5% recall (README, "The safety
screen").
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from casework.safety.corpus import CORPUS, LABELS, TRAINING, Example, escalates, load
from casework.safety.model import ESCALATING, HEAD_FILE, decide, terms
from casework.safety.rules_layer import names_a_means, screen, standing_down
from service.sentence_encoder import ROOT, SentenceEncoder, default_encoder_dir

__all__ = ["MODEL_FALSE_ALARM_BUDGET", "Fold", "train", "main"]

# The model may interrupt at most this share of the ordinary texts on the held-out batches, beyond
# those the rules already interrupt (the rules alone interrupt about 5% of the blind batches' ordinary
# texts, which are written to be alarming; the holdouts are held to 5% in all).
MODEL_FALSE_ALARM_BUDGET = 0.02
# L2 strength for the regression (inverse); 10 did best of 1, 3, 10 and 30 on the held-out batches.
REGULARISATION = 10.0
# How much the words count beside the sentence vector; 2 did better than 0.5, 1 and 3.
WORD_WEIGHT = 2.0
# The team's own split is held out a fifth at a time when the thresholds are chosen.
TEAM_FOLDS = 5
# The blind batches are held out this many at a time (in the order of their names). Two at a time halves the fits
# (make safety-model 2m45s to 2m05s on 9,375 texts) but chose "a means named" 0.20 for 0.10, so each is held out alone.
BATCHES_PER_FOLD = 1
# Held-out fits run side by side, one per core.
FIT_JOBS = max(1, os.cpu_count() or 1)
# What residents say to the bot in ordinary conversation (data/nlu), taught as "none" beside the
# corpus: without them the word pairs of abuse texts ("keeps me") made "my cat keeps me company" abuse.
NLU = ROOT / "data" / "nlu"
ORDINARY_INTENTS = frozenset({
    "inform", "greet", "goodbye", "thank", "affirm", "deny", "help", "bot_challenge", "out_of_scope", "refine_search",
    "more_results", "activity_details", "directions", "volunteer", "need_new_to_area", "need_carer", "need_company",
})
_ANNOTATION = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")
# The thresholds chosen on the held-out folds, and the digest of what they were chosen from (module docstring).
THRESHOLDS_FILE = Path(__file__).with_name("thresholds.json")
# The code the held-out folds' outcome depends on, beside the training files: the rules (scored with the model on
# every fold), the model's decision, this script, the encoder, and the pinned packages (scikit-learn, ONNX Runtime).
_CHOSEN_WITH = (
    *(f"casework/safety/{name}.py" for name in ("training", "model", "corpus", "decisions", "rules_layer", "context", "rules", "text")),
    "service/sentence_encoder.py", "service/encoder_files.py", "service/encoder_graph.py", "requirements.lock",
)


def ordinary_texts(folder: Path = NLU) -> list[str]:
    """The NLU examples of ordinary intents that no rule flags, annotations removed."""
    import yaml

    found: set[str] = set()
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if item.get("intent") not in ORDINARY_INTENTS:
                continue
            for line in str(item.get("examples", "")).splitlines():
                text = _ANNOTATION.sub(r"\1", line.strip()[2:]).strip() if line.strip().startswith("- ") else ""
                if text and not screen(text).flagged:
                    found.add(text)
    return sorted(found)
_GRID = np.round(np.arange(0.30, 0.96, 0.05), 2)
# The "means named" step (casework.safety.model.decide): suicide's share from 0.05 up, or never; it may
# add at most this share of ordinary texts interrupted to what the other two steps interrupt.
_MEANS_GRID = np.round(np.arange(0.05, 0.51, 0.05), 2)
MEANS_FALSE_ALARM_BUDGET = 0.005
NEVER = 1.01


@dataclass(frozen=True)
class Fold:
    """One held-out blind batch: its examples, the rules' screenings and the model's probabilities."""

    examples: list[Example]
    standing_down: list[frozenset[str]]  # per example: the categories the rules' guards refuse
    means_named: list[bool]  # per example: casework.safety.rules_layer.names_a_means
    rules_escalate: np.ndarray  # bool per example
    rules_interrupt: np.ndarray
    probabilities: np.ndarray  # (examples, labels)


@dataclass(frozen=True)
class _Fitted:
    words: object  # TfidfVectorizer
    regression: object  # LogisticRegression

    def features(self, texts: list[str], vectors: np.ndarray):  # type: ignore[no-untyped-def]
        from scipy.sparse import csr_matrix, hstack

        return hstack([csr_matrix(vectors), self.words.transform(texts) * WORD_WEIGHT]).tocsr()  # type: ignore[attr-defined]

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float64)
        out[:, self.regression.classes_] = self.regression.predict_proba(self.features(texts, vectors))  # type: ignore[attr-defined]
        return out


def _words(texts: list[str]):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=terms, min_df=2, sublinear_tf=True).fit(texts)


def _held_out_fold(words: object, texts: list[str], vectors: np.ndarray, labels: np.ndarray, chosen: list[Example],
                   chosen_vectors: np.ndarray, start: _Fitted) -> Fold:
    """The head fitted without `chosen`, and what it and the rules make of them."""
    model = _fit(words, texts, vectors, labels, start=start)
    rules = [screen(e.text) for e in chosen]
    return Fold(
        chosen, [standing_down(ESCALATING, e.text) for e in chosen], [names_a_means(e.text) for e in chosen],
        np.array([escalates(r.category) for r in rules]), np.array([r.interrupts for r in rules]),
        model.probabilities([e.text for e in chosen], chosen_vectors),
    )


def _fit(words: object, texts: list[str], vectors: np.ndarray, labels: np.ndarray, *, start: _Fitted | None = None) -> _Fitted:
    """The regression on `words` and the vectors. From `start`'s weights when given: the fit is convex,
    so it reaches the same optimum, several times sooner."""
    from sklearn.linear_model import LogisticRegression

    fitted = _Fitted(words, LogisticRegression(C=REGULARISATION, max_iter=5000, class_weight="balanced", warm_start=start is not None))
    if start is not None:
        fitted.regression.coef_ = start.regression.coef_.copy()  # type: ignore[attr-defined]
        fitted.regression.intercept_ = start.regression.intercept_.copy()  # type: ignore[attr-defined]
    fitted.regression.fit(fitted.features(texts, vectors), labels)  # type: ignore[attr-defined]
    return fitted


@dataclass(frozen=True)
class Score:
    """Rules and model together over the held-out folds."""

    caught: int  # must-escalate texts escalated
    must: int
    critical_caught: int  # of them, the texts naming a method, an overdose or a person not breathing
    critical: int
    alarms: int  # ordinary texts interrupted
    ordinary: int


def score(folds: list[Fold], sure: float, unsure: float, means: float = NEVER) -> Score:
    caught = must = critical_caught = critical = alarms = ordinary = 0
    for fold in folds:
        model_raises = [
            decide(e.text, p, LABELS, sure, unsure, means, standing_down=guard, means_named=named) is not None
            for e, p, guard, named in zip(fold.examples, fold.probabilities, fold.standing_down, fold.means_named, strict=True)
        ]
        for example, rules_esc, rules_int, raised in zip(fold.examples, fold.rules_escalate, fold.rules_interrupt, model_raises, strict=True):
            if example.must_escalate:
                must += 1
                caught += bool(rules_esc or raised)
                critical += example.critical
                critical_caught += example.critical and bool(rules_esc or raised)
            elif example.label == "none":
                ordinary += 1
                alarms += bool(rules_int or raised)
    return Score(caught, must, critical_caught, critical, alarms, ordinary)


def choose_thresholds(folds: list[Fold], budget: float = MODEL_FALSE_ALARM_BUDGET,
                      means_budget: float = MEANS_FALSE_ALARM_BUDGET) -> tuple[float, float, float]:
    """The (sure, unsure) pair within the model's false-alarm budget that escalates the most texts naming
    a method, an overdose or a person not breathing, then the most must-escalate texts; ties go to
    fewer alarms. Then, with those, the `means` share (or never) chosen the same way within its own
    small budget of further alarms."""
    rules_alarms = sum(int(f.rules_interrupt[i]) for f in folds for i, e in enumerate(f.examples) if e.label == "none")

    def key(got: Score) -> tuple[float, float, float]:
        return got.critical_caught / max(got.critical, 1), got.caught / got.must, -got.alarms / got.ordinary

    best: tuple[tuple[float, float, float], tuple[float, float], Score] | None = None
    for sure in _GRID:
        for unsure in _GRID:
            got = score(folds, float(sure), float(unsure))
            if (got.alarms - rules_alarms) / got.ordinary > budget:
                continue
            if best is None or key(got) > best[0]:
                best = (key(got), (float(sure), float(unsure)), got)
    if best is None:
        raise SystemExit(f"no thresholds keep the model's false alarms within {budget:.1%}")
    (sure, unsure), before = best[1], best[2]
    means, kept = NEVER, key(before)
    for candidate in _MEANS_GRID:
        got = score(folds, sure, unsure, float(candidate))
        if (got.alarms - before.alarms) / got.ordinary <= means_budget and key(got) > kept:
            means, kept = float(candidate), key(got)
    return sure, unsure, means


def train(encoder: SentenceEncoder, *, corpus: Path = CORPUS, out: Path = HEAD_FILE, splits: tuple[str, ...] = TRAINING,
          thresholds: Path = THRESHOLDS_FILE, choose: bool = False, show_misses: bool = False) -> dict[str, float]:
    """Fit the head on every training text and write it to `out`. Its thresholds are the ones in `thresholds` when they
    were chosen from these very inputs (and not `choose`); otherwise they are chosen again on held-out folds and
    `thresholds` is rewritten."""
    examples = {split: load(split, folder=corpus) for split in splits}
    texts = {split: [e.text for e in rows] for split, rows in examples.items()}
    vectors = {split: encoder.embed(texts[split]) for split in splits}
    labels = {split: np.array([LABELS.index(e.label) for e in rows]) for split, rows in examples.items()}
    conversation = ordinary_texts()
    texts["nlu"], vectors["nlu"] = conversation, encoder.embed(conversation)
    labels["nlu"] = np.full(len(conversation), LABELS.index("none"))
    fitted_on = (*splits, "nlu")
    # The words' vocabulary and weights are learnt once from every text (no labels: a held-out batch's
    # words only add columns its fit has no example of), and the head on everything is fitted first, so
    # each held-out fit starts from its weights.
    words = _words([t for s in fitted_on for t in texts[s]])
    final = _fit(words, [t for s in fitted_on for t in texts[s]], np.vstack([vectors[s] for s in fitted_on]),
                 np.concatenate([labels[s] for s in fitted_on]))
    digest = thresholds_digest(corpus, splits)
    kept = None if choose or show_misses else kept_thresholds(digest, thresholds)
    if kept is None:
        chosen = _choose_on_held_out_folds(examples, texts, vectors, labels, fitted_on, words, final, show_misses=show_misses)
        thresholds.write_text(json.dumps({"chosen_from": digest, **chosen}, indent=2) + "\n", encoding="utf-8")
    else:
        chosen = kept
    sure, unsure, means = chosen["sure"], chosen["unsure"], chosen["means"]
    regression = final.regression
    dims = vectors[splits[0]].shape[1]
    vocabulary = sorted(words.vocabulary_, key=words.vocabulary_.get)  # type: ignore[attr-defined]
    weights = np.zeros((dims + len(vocabulary), len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -1e4, dtype=np.float32)  # a label absent from training is never predicted
    weights[:, regression.classes_] = regression.coef_.T  # type: ignore[attr-defined]
    bias[regression.classes_] = regression.intercept_  # type: ignore[attr-defined]
    figures = {**chosen, "texts": float(sum(len(texts[s]) for s in fitted_on)), "thresholds_kept": float(kept is not None)}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial.npz")
    np.savez(
        partial, weights=weights[:dims], bias=bias, classes=np.array(LABELS), sure=np.float32(sure), unsure=np.float32(unsure), means=np.float32(means),
        terms=np.array(vocabulary), idf=words.idf_.astype(np.float32),  # type: ignore[attr-defined]
        term_weights=weights[dims:] * WORD_WEIGHT,
        trained_on=np.array(training_digest(corpus, splits)), **{f"figure_{k}": np.float64(v) for k, v in figures.items()},
    )
    partial.replace(out)
    return figures


def _choose_on_held_out_folds(examples: dict[str, list[Example]], texts: dict[str, list[str]], vectors: dict[str, np.ndarray],
                              labels: dict[str, np.ndarray], fitted_on: tuple[str, ...], words: object, final: _Fitted, *,
                              show_misses: bool) -> dict[str, float]:
    """Step 3 of the module docstring: the thresholds, and what both layers make of the held-out folds with them."""
    # Held out in turn: each blind batch, and each fifth of the team's own split (short texts, many
    # ordinary ones full of alarm words), so the thresholds suit both kinds of writer.
    # A fold: some rows of some splits, held out together.
    blind = [held for held in fitted_on if held.startswith("tune_blind")]
    held_out: list[dict[str, np.ndarray]] = [
        {held: np.arange(len(examples[held])) for held in blind[i : i + BATCHES_PER_FOLD]} for i in range(0, len(blind), BATCHES_PER_FOLD)
    ]
    if "tune" in fitted_on:
        order = np.random.default_rng(0).permutation(len(examples["tune"]))
        held_out += [{"tune": part} for part in np.array_split(order, TEAM_FOLDS)]

    def without(fold: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray, np.ndarray]:
        keep = {s: np.setdiff1d(np.arange(len(texts[s])), fold[s]) if s in fold else np.arange(len(texts[s])) for s in fitted_on}
        return ([texts[s][i] for s in fitted_on for i in keep[s]], np.vstack([vectors[s][keep[s]] for s in fitted_on]),
                np.concatenate([labels[s][keep[s]] for s in fitted_on]))

    def held(fold: dict[str, np.ndarray]) -> tuple[list[Example], np.ndarray]:
        return [examples[s][i] for s, rows in fold.items() for i in rows], np.vstack([vectors[s][rows] for s, rows in fold.items()])

    # The held-out folds are independent: one per core (each fit is a single-threaded L-BFGS), each with its texts' rules.
    from joblib import Parallel, delayed

    folds = Parallel(n_jobs=FIT_JOBS)(delayed(_held_out_fold)(words, *without(fold), *held(fold), final) for fold in held_out)
    sure, unsure, means = choose_thresholds(folds)
    got = score(folds, sure, unsure, means)
    if show_misses:
        _print_misses(folds, sure, unsure, means)
    rules_caught = sum(int(f.rules_escalate[i]) for f in folds for i, e in enumerate(f.examples) if e.must_escalate)
    rules_alarms = sum(int(f.rules_interrupt[i]) for f in folds for i, e in enumerate(f.examples) if e.label == "none")
    return {
        "sure": sure, "unsure": unsure, "means": means,
        "held_out_recall": got.caught / got.must, "held_out_false_alarms": got.alarms / got.ordinary,
        "held_out_critical": got.critical_caught / max(got.critical, 1),
        "rules_only_recall": rules_caught / got.must, "rules_only_false_alarms": rules_alarms / got.ordinary,
    }


def _print_misses(folds: list[Fold], sure: float, unsure: float, means: float) -> None:
    """The held-out training texts both layers get wrong at the chosen thresholds (never a holdout's)."""
    for fold in folds:
        for example, p, guard, named, rules_esc, rules_int in zip(fold.examples, fold.probabilities, fold.standing_down, fold.means_named,
                                                                  fold.rules_escalate, fold.rules_interrupt, strict=True):
            raised = decide(example.text, p, LABELS, sure, unsure, means, standing_down=guard, means_named=named) is not None
            if example.must_escalate and not (rules_esc or raised):
                print(f"missed{' (critical)' if example.critical else ''} {example.label}: {example.text}", file=sys.stderr)
            elif example.label == "none" and (rules_int or raised):
                print(f"interrupted{'' if rules_int else ' (model)'}: {example.text}", file=sys.stderr)


def training_digest(corpus: Path, splits: tuple[str, ...], nlu: Path = NLU) -> str:
    digest = hashlib.sha256()
    for split in splits:
        digest.update((corpus / f"{split}.tsv").read_bytes())
    for path in sorted(nlu.glob("*.yml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def thresholds_digest(corpus: Path = CORPUS, splits: tuple[str, ...] = TRAINING, nlu: Path = NLU) -> str:
    """What the held-out folds' outcome depends on: the training files and the code in _CHOSEN_WITH."""
    digest = hashlib.sha256(training_digest(corpus, splits, nlu).encode())
    for name in _CHOSEN_WITH:
        digest.update(name.encode())
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def kept_thresholds(digest: str, path: Path = THRESHOLDS_FILE) -> dict[str, float] | None:
    """The thresholds and held-out figures recorded in `path`, if they were chosen from inputs with this digest."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict) or recorded.get("chosen_from") != digest:
        return None
    return {key: float(value) for key, value in recorded.items() if key != "chosen_from"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the safety screen's learned layer from data/safety_corpus.")
    parser.add_argument("--out", type=Path, default=HEAD_FILE)
    parser.add_argument("--show-misses", action="store_true",
                        help="choose the thresholds again and list the held-out training texts both layers get wrong")
    parser.add_argument("--choose-thresholds", action="store_true",
                        help=f"choose the thresholds on held-out folds even if {THRESHOLDS_FILE.name} was chosen from these inputs")
    args = parser.parse_args(argv)
    figures = train(SentenceEncoder(default_encoder_dir(), threads=2), out=args.out, choose=args.choose_thresholds,
                    show_misses=args.show_misses)
    print(
        f"safety model head written to {args.out} from {figures['texts']:.0f} texts; thresholds sure {figures['sure']:.2f}, "
        f"unsure {figures['unsure']:.2f}, a means named {figures['means']:.2f}"
        f"{' (kept from ' + THRESHOLDS_FILE.name + ': chosen from these very inputs)' if figures['thresholds_kept'] else ''}\n"
        f"on training texts held out from each fit: must-escalate recall {figures['held_out_recall']:.1%} "
        f"(naming a method, an overdose or a person not breathing: {figures['held_out_critical']:.1%}) "
        f"(rules alone {figures['rules_only_recall']:.1%}), ordinary texts interrupted {figures['held_out_false_alarms']:.1%} "
        f"(rules alone {figures['rules_only_false_alarms']:.1%})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
