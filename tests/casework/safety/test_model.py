"""The safety screen's learned layer: what it raises, what it leaves to the rules, and its head file.

The texts here were written for these tests (none is from a holdout)."""
from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from casework.safety.decisions import CATEGORIES
from casework.safety.model import HEAD_FILE, Head, ModelUnavailable, SafetyModel, load_head, terms
from casework.safety.rules_layer import screen
from service.sentence_encoder import DIMENSIONS, shared_encoder

LABELS = (*CATEGORIES, "none")


@cache
def model() -> SafetyModel:
    return SafetyModel.load()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I've put the dog's lead and his food by the door for my neighbour. Tomorrow is our wedding anniversary and "
         "I'll be with Mary again by then", "suicidal"),
        ("my wife is slumped in her chair and I cant get any sense out of her, her breathing sounds like rattling", "danger"),
        # (the rules now read "after he went my handbag was not where i left it": batch z)
        ("he said he was from the council and needed to check the water, and when he left I noticed my rings were not on the dresser",
         "doorstep"),
        ("the lovely man I met on the internet is stuck abroad and I have sent him two thousand for his flight home", "scam"),
        ("I deliver parcels and the old lady at the end house hasn't taken anything in for a fortnight, the windows are all "
         "steamed up and I can hear the radio", "worry_about_someone"),
    ],
)
def test_the_model_raises_what_the_rules_pass_over(text: str, category: str) -> None:
    assert screen(text).category is None, "written so that no rule fires"
    raised = model().raise_screening(screen(text), text)
    assert (raised.category, raised.rule, raised.layer) == (category, f"model.{category}", "model")
    assert raised.score is not None and raised.score >= model().head.sure
    assert raised.matches[0].rule == f"model.{category}"


def test_a_scam_the_model_raises_is_a_case_when_money_went() -> None:
    text = "the lovely man I met on the internet is stuck abroad and I have sent him two thousand for his flight home"
    raised = model().raise_screening(screen(text), text)
    assert raised.layer == "model" and raised.money_lost
    assert raised.tier == "scam" and raised.needs_person and raised.priority == "high"


@pytest.mark.parametrize(
    "text",
    [
        "is the knitting group on tuesday this week",
        "I had a fall last year but I'm fine now, any chair exercise?",
        "the quiz was murder last night",
        "my daughter takes me shopping every week",
        "1",
        "yes",
    ],
)
def test_ordinary_texts_and_short_replies_are_left_alone(text: str) -> None:
    assert model().raise_screening(screen(text), text) == screen(text)


def test_the_model_never_lowers_what_the_rules_decided() -> None:
    text = "swallowed the lot of my husbands heart pills about an hour ago"
    rules = screen(text)
    assert rules.category == "danger"
    assert model().raise_screening(rules, text) is rules


def test_loneliness_from_the_rules_can_be_raised_and_its_match_is_kept() -> None:
    text = "im so lonely since Jean went, ive written my letters and put the deeds on the table, i wont see christmas"
    rules = screen(text)
    raised = model().raise_screening(rules, text)
    assert raised.interrupts and raised.layer in ("rules", "model")
    if raised.layer == "model":
        assert set(rules.matches) <= set(raised.matches)


def _head(probabilities: dict[str, float], *, sure: float = 0.7, unsure: float = 0.8, means: float = 1.01) -> Head:
    """A head whose answer is the same whatever the text: the bias alone decides."""
    bias = np.array([math.log(probabilities.get(label, 1e-6)) for label in LABELS], dtype=np.float32)
    return Head(np.zeros((DIMENSIONS, len(LABELS)), dtype=np.float32), bias, LABELS, sure, unsure, "test", {}, np.zeros(0, dtype=np.float32),
                np.zeros((0, len(LABELS)), dtype=np.float32), means)


def test_unsure_is_the_possible_tier_with_the_direct_question() -> None:
    unsure = SafetyModel(shared_encoder(), _head({"suicidal": 0.45, "danger": 0.2, "despair": 0.2, "none": 0.15}))
    raised = unsure.raise_screening(screen("things are a bit much at the moment"), "things are a bit much at the moment")
    assert (raised.category, raised.rule, raised.tier, raised.response) == ("despair", "model.unsure", "possible", "utter_safety_check_despair")
    assert raised.score == pytest.approx(0.85, abs=0.01)


def test_a_means_named_with_a_lean_towards_suicide_asks_directly() -> None:
    """Below both thresholds, a means named ("tied the cord to the bannister") with suicide's share at
    least `means` gets the direct question; the same lean without a means, or a means without the lean, does not."""
    leaning = SafetyModel(shared_encoder(), _head({"suicidal": 0.3, "none": 0.7}, means=0.2))
    text = "tied the dressing gown cord to the bannister, just sitting here"
    assert screen(text).category is None or not screen(text).interrupts
    raised = leaning.raise_screening(screen(text), text)
    assert (raised.category, raised.rule, raised.tier, raised.layer) == ("despair", "model.means", "possible", "model")
    assert raised.score == pytest.approx(0.3, abs=0.01)
    assert leaning.raise_screening(screen("sitting here with a cup of tea"), "sitting here with a cup of tea").category is None
    assert leaning.raise_screening(screen("picked my pills up from boots"), "picked my pills up from boots").category is None
    calm = SafetyModel(shared_encoder(), _head({"suicidal": 0.1, "none": 0.9}, means=0.2))
    assert calm.raise_screening(screen(text), text).category is None


def test_below_both_thresholds_the_rules_decide() -> None:
    calm = SafetyModel(shared_encoder(), _head({"suicidal": 0.3, "despair": 0.2, "none": 0.5}))
    assert calm.raise_screening(screen("see you thursday at the club"), "see you thursday at the club").category is None


def test_what_the_rules_know_is_over_holds_for_the_model() -> None:
    """A sure 'danger' from the model stands down when the text says it is fine now, as a rule would."""
    sure_danger = SafetyModel(shared_encoder(), _head({"danger": 0.95, "none": 0.05}))
    text = "had a funny turn at the shops yesterday but fine now"
    assert sure_danger.raise_screening(screen(text), text).category is None
    assert sure_danger.raise_screening(screen("come quick"), "come quick").category == "danger"


def test_the_words_are_read_as_scikit_learn_reads_them() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = ["cancelled the milk and the papers", "the milk is on the step", "hospital appointment on friday, cancelled the lunch",
              "papers on the step since friday"]
    words = TfidfVectorizer(analyzer=terms, sublinear_tf=True).fit(corpus)
    vocabulary = sorted(words.vocabulary_, key=words.vocabulary_.get)
    identity = Head(np.zeros((DIMENSIONS, len(vocabulary)), dtype=np.float32), np.zeros(len(vocabulary), dtype=np.float32),
                    tuple(vocabulary), 0.7, 0.8, "test", {t: i for i, t in enumerate(vocabulary)}, words.idf_.astype(np.float32),
                    np.eye(len(vocabulary), dtype=np.float32))
    for text in ("Cancelled the milk, the milk and the papers!", "nothing known here", "on the step on the step"):
        expected = words.transform([text]).toarray()[0]
        assert np.allclose(identity.word_logits(text), expected, atol=1e-6), text


def test_a_missing_or_broken_head_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="make safety-model"):
        load_head(tmp_path / "absent.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy file")
    with pytest.raises(ModelUnavailable, match="cannot read"):
        load_head(broken)
    np.savez(tmp_path / "wrong.npz", weights=np.zeros((3, 2)), bias=np.zeros(2), classes=np.array(["a", "b"]), sure=0.5, unsure=0.5, means=0.2,
             trained_on="x", terms=np.array(["a"]), idf=np.ones(1), term_weights=np.zeros((1, 2)))
    with pytest.raises(ModelUnavailable, match="not made for"):
        load_head(tmp_path / "wrong.npz")


def test_the_shipped_head_is_trained_on_the_corpus_it_names() -> None:
    from casework.safety.corpus import CORPUS, TRAINING
    from casework.safety.training import training_digest

    head = load_head(HEAD_FILE)
    assert head.trained_on == training_digest(CORPUS, TRAINING), "the corpus changed since the head was trained: make safety-model"
    assert 0.3 <= head.sure <= 0.95 and 0.3 <= head.unsure <= 0.95


def test_the_committed_thresholds_were_chosen_from_the_current_corpus_and_code() -> None:
    """A clean clone reuses casework/safety/thresholds.json instead of choosing again: it must be the choice these
    very training files and this code would make, and the head must carry it."""
    from casework.safety.training import THRESHOLDS_FILE, kept_thresholds, thresholds_digest

    kept = kept_thresholds(thresholds_digest())
    assert kept is not None, f"{THRESHOLDS_FILE.name} is stale: run make safety-model and commit it with the change"
    head = load_head(HEAD_FILE)
    assert (head.sure, head.unsure, head.means) == pytest.approx((kept["sure"], kept["unsure"], kept["means"]))
    assert kept["held_out_critical"] >= 0.98 and kept["held_out_recall"] >= 0.95


def test_thresholds_chosen_from_other_inputs_are_not_reused(tmp_path: Path) -> None:
    from casework.safety.training import kept_thresholds

    recorded = tmp_path / "thresholds.json"
    recorded.write_text('{"chosen_from": "abc", "sure": 0.5, "unsure": 0.8, "means": 0.1}', encoding="utf-8")
    assert kept_thresholds("abc", recorded) == {"sure": 0.5, "unsure": 0.8, "means": 0.1}
    assert kept_thresholds("abd", recorded) is None
    recorded.write_text("{not json", encoding="utf-8")
    assert kept_thresholds("abc", recorded) is None
    assert kept_thresholds("abc", tmp_path / "absent.json") is None


@pytest.mark.parametrize("text", [
    "had a funny turn last week but fine now, is the walk still on",
    "the talk on rogue traders at the library was good",
    "years ago I was scammed out of 500 pounds, long behind me now",
    "someone is at my door now demanding cash for the gutters",
    "my husband hits me and takes my pension",
])
def test_the_training_scripts_reading_of_what_stands_down_is_the_models(text: str) -> None:
    from casework.safety.model import ESCALATING
    from casework.safety.rules_layer import standing_down, stands_down

    assert standing_down(ESCALATING, text) == frozenset(c for c in ESCALATING if stands_down(c, text))
