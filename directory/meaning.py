"""What a group is about and what a resident wishes for, compared by meaning.

"growing veg", "a brew and a chinwag" and "keep-fit sitting down" name no interest the word map
(`directory.interests`) knows, yet a connector reads them at once. Each group's name, activities and
the start of its description are read by the sentence encoder (service.sentence_encoder, the same
model the safety screen uses, loaded once per process) into a unit vector kept beside its search entry
(`SearchEntry.meaning`, float16); a resident's wish is read the same way when they search, and the
cosine of the two says how closely the group fits. The search (directory.search) takes the better of
the words' match and this one.

Without the encoder's files (`make encoder`) nothing fails: groups are indexed without a vector and
searches match by words alone, as before; the first miss is logged once.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from service.sentence_encoder import DIMENSIONS, EncoderUnavailable, SentenceEncoder, shared_encoder

__all__ = ["GROUP_TOKENS", "WISH_TOKENS", "closeness", "encoder", "group_text", "group_vectors", "similarities",
           "wish_vector", "MIN_CLOSENESS"]

logger = logging.getLogger(__name__)

# A group's name, activities and the first sentence or two of its description fit in 64 tokens; a
# resident's long text says its wish among other sentences, so their first 64 tokens are read too.
GROUP_TOKENS = 64
WISH_TOKENS = 64
# Cosine similarity of MiniLM vectors, mapped to the search's 0-1 interest part: at or below LOW a
# group is unrelated, at HIGH it is what was asked for. Chosen on the tune halves of the blind first
# texts (tests/conversations/README.md).
LOW, HIGH = 0.25, 0.60
# Below this closeness a group is not a match by meaning at all (as directory.search.MIN_INTEREST is
# for words).
MIN_CLOSENESS = 0.35

_warned = threading.Event()


def encoder() -> SentenceEncoder | None:
    """The process's sentence encoder, or None (logged once) when its files are missing."""
    try:
        return shared_encoder()
    except EncoderUnavailable as problem:
        if not _warned.is_set():
            _warned.set()
            logger.warning("matching by meaning is off: %s", problem)
        return None


def group_text(name: str, activities: Sequence[str], description: str) -> str:
    """What the encoder reads for a group: "Knit and Natter. Knitting, crafts. Bring your needles..."."""
    parts = [name.strip(), ", ".join(a.strip() for a in activities if a.strip()), " ".join(description.split())]
    return ". ".join(p.rstrip(".") for p in parts if p)


def group_vectors(texts: Sequence[str]) -> list[bytes | None]:
    """One float16 vector per group text (None for each when the encoder is missing)."""
    model = encoder()
    if model is None or not texts:
        return [None] * len(texts)
    vectors = model.embed(list(texts), max_tokens=GROUP_TOKENS)
    return [row.astype(np.float16).tobytes() for row in vectors]


@lru_cache(maxsize=2048)
def wish_vector(wish: str) -> np.ndarray | None:
    """The resident's words as a unit vector, or None when the encoder is missing or there are no words."""
    model = encoder()
    if model is None or not wish.strip():
        return None
    vector = model.embed([wish], max_tokens=WISH_TOKENS)[0]
    vector.setflags(write=False)
    return vector


def similarities(wish: np.ndarray, stored: Sequence[bytes | None]) -> np.ndarray:
    """Cosine of the wish with each stored group vector; -1 where a group has none."""
    out = np.full(len(stored), -1.0, dtype=np.float32)
    present = [i for i, blob in enumerate(stored) if blob is not None and len(blob) == DIMENSIONS * 2]
    if present:
        matrix = np.frombuffer(b"".join(stored[i] for i in present), dtype=np.float16).reshape(len(present), DIMENSIONS)  # type: ignore[misc]
        out[present] = matrix.astype(np.float32) @ wish
    return out


def closeness(similarity: float) -> float:
    """A cosine similarity as the search's 0-1 interest part."""
    return float(min(1.0, max(0.0, (similarity - LOW) / (HIGH - LOW))))
