"""The sentence encoder as a Rasa featurizer (channels/nlu_sentence_features.py): measured for issue 15
and left out of config.yml's pipeline by measurement (README, "Matching by meaning"), so a council can
add it. It must still give every message the encoder's vector, scaled, as dense sentence features."""
from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from channels.nlu_sentence_features import SentenceFeatures
from service.sentence_encoder import DIMENSIONS, shared_encoder


def featurizer(scale: float = 4.0) -> SentenceFeatures:
    return SentenceFeatures("sentence_features", {**SentenceFeatures.get_default_config(), "scale": scale})


def test_each_message_gets_the_encoders_vector_as_sentence_features() -> None:
    messages = [Message(data={TEXT: "any singing groups near heswall"}), Message(data={TEXT: "i want to volunteer"})]
    featurizer().process(messages)
    for message in messages:
        sequence, sentence = message.get_dense_features(TEXT)
        assert sequence is None and sentence is not None
        assert sentence.features.shape == (1, DIMENSIONS)
        assert abs(float(np.linalg.norm(sentence.features)) - 4.0) < 1e-3
    expected = shared_encoder().embed(["any singing groups near heswall"], max_tokens=32)[0] * 4
    assert np.allclose(messages[0].get_dense_features(TEXT)[1].features[0], expected, atol=1e-4)


def test_training_examples_are_featurized_and_an_empty_text_is_left_alone() -> None:
    data = TrainingData([Message(data={TEXT: "hello", "intent": "greet"}), Message(data={"intent": "greet"})])
    featurizer(1.0).process_training_data(data)
    assert data.training_examples[0].get_dense_features(TEXT)[1] is not None
    assert data.training_examples[1].get_dense_features(TEXT)[1] is None


def test_a_scale_that_is_not_above_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        SentenceFeatures.validate_config({"scale": 0})
