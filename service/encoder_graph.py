"""Write all-MiniLM-L6-v2 as an ONNX graph from its safetensors weights.

Run by `make encoder` (service.encoder_files), never when the service starts. There is no ONNX file
of this model on the package registry and the usual exporter needs torch, so the graph is written
here op by op from the BERT architecture (6 layers, 12 heads, hidden 384, exact erf GELU, mean
pooling, unit length), which is small and fixed.

tests/service/test_sentence_encoder.py checks the graph against a plain-numpy BERT written from the
same weights (tests/service/bert_reference.py). Int8 weights (ONNX Runtime's dynamic quantisation)
were tried and dropped: no faster here (the pass is bound by arithmetic) and a little less exact.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["write_graph"]

_HIDDEN, _HEADS, _LAYERS = 384, 12, 6
_OPSET = 17  # LayerNormalization is a standard op from 17


def write_graph(weights_file: Path, out: Path) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    t = load_file(str(weights_file))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in t else ""
    inits: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def w(name: str) -> np.ndarray:
        return t[prefix + name].astype(np.float32)

    def node(op: str, inputs: list[str], out_name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out_name], **attrs))
        return out_name

    def linear(x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        # stored (out, in); MatMul wants (in, out)
        product = node("MatMul", [x, const(name + ".w", weight.T)], name + ".mm")
        return node("Add", [product, const(name + ".b", bias)], name)

    def layer_norm(x: str, name: str, source: str) -> str:
        return node("LayerNormalization", [x, const(name + ".g", w(source + ".weight")), const(name + ".beta", w(source + ".bias"))],
                    name, axis=-1, epsilon=1e-12)

    # Embeddings: word + position (the first L rows) + token type 0.
    words = node("Gather", [const("word_embeddings", w("embeddings.word_embeddings.weight")), "input_ids"], "emb.words")
    shape = node("Shape", ["input_ids"], "ids.shape")
    length = node("Gather", [shape, const("one", np.array([1], dtype=np.int64))], "ids.length")
    positions = node("Slice", [const("position_embeddings", w("embeddings.position_embeddings.weight")),
                               const("zero", np.array([0], dtype=np.int64)), length, const("axis0", np.array([0], dtype=np.int64))], "emb.positions")
    x = node("Add", [words, positions], "emb.sum1")
    x = node("Add", [x, const("token_type", w("embeddings.token_type_embeddings.weight")[0])], "emb.sum2")
    x = layer_norm(x, "emb.ln", "embeddings.LayerNorm")

    # Padding is never attended to: -1e9 before the softmax where the mask is 0.
    inverted = node("Sub", [const("one_f", np.array(1.0, dtype=np.float32)), "attention_mask"], "mask.inv")
    blocked = node("Mul", [inverted, const("minus_big", np.array(-1e9, dtype=np.float32))], "mask.neg")
    blocked = node("Unsqueeze", [blocked, const("axes12", np.array([1, 2], dtype=np.int64))], "mask.bias")

    head = _HIDDEN // _HEADS
    split_shape = const("split_shape", np.array([0, 0, _HEADS, head], dtype=np.int64))
    merge_shape = const("merge_shape", np.array([0, 0, _HIDDEN], dtype=np.int64))
    scale = const("scale", np.array(1.0 / math.sqrt(head), dtype=np.float32))
    half, root2, one = (const(n, np.array(v, dtype=np.float32)) for n, v in (("half", 0.5), ("root2", math.sqrt(2.0)), ("one_g", 1.0)))
    for i in range(_LAYERS):
        p, s = f"encoder.layer.{i}.", f"l{i}"
        heads = {}
        for part in ("query", "key", "value"):
            projected = linear(x, w(p + f"attention.self.{part}.weight"), w(p + f"attention.self.{part}.bias"), f"{s}.{part}")
            split = node("Reshape", [projected, split_shape], f"{s}.{part}.split")
            heads[part] = node("Transpose", [split], f"{s}.{part}.t", perm=[0, 2, 3, 1] if part == "key" else [0, 2, 1, 3])
        scores = node("MatMul", [heads["query"], heads["key"]], f"{s}.scores")
        scores = node("Mul", [scores, scale], f"{s}.scaled")
        scores = node("Add", [scores, blocked], f"{s}.masked")
        weights = node("Softmax", [scores], f"{s}.softmax", axis=-1)
        attended = node("MatMul", [weights, heads["value"]], f"{s}.attended")
        attended = node("Transpose", [attended], f"{s}.attended.t", perm=[0, 2, 1, 3])
        attended = node("Reshape", [attended, merge_shape], f"{s}.attended.merged")
        attended = linear(attended, w(p + "attention.output.dense.weight"), w(p + "attention.output.dense.bias"), f"{s}.attn_out")
        x = layer_norm(node("Add", [x, attended], f"{s}.res1"), f"{s}.ln1", p + "attention.output.LayerNorm")
        up = linear(x, w(p + "intermediate.dense.weight"), w(p + "intermediate.dense.bias"), f"{s}.up")
        # BERT's GELU is the exact one: 0.5 x (1 + erf(x / sqrt 2))
        erf = node("Erf", [node("Div", [up, root2], f"{s}.gelu.div")], f"{s}.gelu.erf")
        gelu = node("Mul", [node("Mul", [up, half], f"{s}.gelu.half"), node("Add", [erf, one], f"{s}.gelu.plus1")], f"{s}.gelu")
        down = linear(gelu, w(p + "output.dense.weight"), w(p + "output.dense.bias"), f"{s}.down")
        x = layer_norm(node("Add", [x, down], f"{s}.res2"), f"{s}.ln2", p + "output.LayerNorm")

    # Mean over real tokens, then unit length.
    mask3 = node("Unsqueeze", ["attention_mask", const("axis2", np.array([2], dtype=np.int64))], "pool.mask")
    summed = node("ReduceSum", [node("Mul", [x, mask3], "pool.masked"), const("axis1", np.array([1], dtype=np.int64))], "pool.sum", keepdims=0)
    count = node("ReduceSum", [mask3, const("axis1b", np.array([1], dtype=np.int64))], "pool.count", keepdims=0)
    pooled = node("Div", [summed, node("Max", [count, one], "pool.count1")], "pool.mean")
    # ReduceL2 takes its axes as an attribute until opset 18 (ReduceSum as an input from 13).
    norm = node("ReduceL2", [pooled], "pool.norm", axes=[-1], keepdims=1)
    node("Div", [pooled, node("Max", [norm, const("tiny", np.array(1e-9, dtype=np.float32))], "pool.norm1")], "embedding")

    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", _HIDDEN])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)], producer_name="community-connector")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(out))

