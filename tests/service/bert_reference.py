"""A second, independent BERT for the tests: all-MiniLM-L6-v2 in plain numpy from its safetensors
weights, written from the architecture (exact erf GELU), to check the ONNX graph that
service.encoder_graph writes and the service runs (tests/service/test_sentence_encoder.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import erf

from service.sentence_encoder import SentenceEncoder

__all__ = ["ReferenceBert"]

DIMENSIONS = 384
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 1152): query, key and value in one product
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + _EPS) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


class ReferenceBert(SentenceEncoder):
    """BERT in plain numpy from model.safetensors; tokenising and batching are the service encoder's own."""

    def __init__(self, folder: Path) -> None:
        weights_file, tokenizer_file = folder / "model.safetensors", folder / "tokenizer.json"
        if not weights_file.is_file() or not tokenizer_file.is_file():
            raise FileNotFoundError(f"no sentence encoder weights in {folder} (make encoder unpacks them)")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        tensors = load_file(str(weights_file))
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # Mean pooling must average real tokens only, so no padding; token_ids cuts long texts.
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._load(tensors)

    def _load(self, t: dict[str, np.ndarray]) -> None:
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in t else ""

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(t[prefix + name], dtype=np.float32)

        self._words = w("embeddings.word_embeddings.weight")
        self._positions = w("embeddings.position_embeddings.weight")
        self._token_type = w("embeddings.token_type_embeddings.weight")[0]
        self._emb_g, self._emb_b = w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias")
        layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            # Linear layers are stored (out, in); keep them (in, out) so x @ W needs no transpose per call.
            qkv_w = np.concatenate([w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
            layers.append(_Layer(
                np.ascontiguousarray(qkv_w), qkv_b,
                np.ascontiguousarray(w(p + "attention.output.dense.weight").T), w(p + "attention.output.dense.bias"),
                w(p + "attention.output.LayerNorm.weight"), w(p + "attention.output.LayerNorm.bias"),
                np.ascontiguousarray(w(p + "intermediate.dense.weight").T), w(p + "intermediate.dense.bias"),
                np.ascontiguousarray(w(p + "output.dense.weight").T), w(p + "output.dense.bias"),
                w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"),
            ))
        self._layers = tuple(layers)

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        longest = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), longest), dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        n, length = tokens.shape
        x = self._words[tokens] + self._positions[:length] + self._token_type
        x = _layer_norm(x, self._emb_g, self._emb_b)
        # Padding is never attended to: a large negative score before the softmax.
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        head = DIMENSIONS // _HEADS
        scale = 1.0 / math.sqrt(head)
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            q, k, v = (qkv[..., i * DIMENSIONS : (i + 1) * DIMENSIONS].reshape(n, length, _HEADS, head).transpose(0, 2, 1, 3) for i in range(3))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores -= scores.max(-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(-1, keepdims=True)
            attended = (weights @ v).transpose(0, 2, 1, 3).reshape(n, length, DIMENSIONS)
            x = _layer_norm(x + attended @ layer.out_w + layer.out_b, layer.ln1_g, layer.ln1_b)
            x = _layer_norm(x + _gelu(x @ layer.up_w + layer.up_b) @ layer.down_w + layer.down_b, layer.ln2_g, layer.ln2_b)
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
