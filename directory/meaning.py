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
import re
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from service.sentence_encoder import DIMENSIONS, EncoderUnavailable, SentenceEncoder, shared_encoder

__all__ = ["GROUP_TOKENS", "WISH_TOKENS", "closeness", "encoder", "group_text", "group_vectors", "interests_meant",
           "similarities", "wish_vector", "MIN_CLOSENESS"]

logger = logging.getLogger(__name__)

# A group's name, activities and the first sentence or two of its description fit in 64 tokens; a
# resident's long text says its wish among other sentences, so their first 64 tokens are read too.
GROUP_TOKENS = 64
WISH_TOKENS = 64
# Cosine similarity of MiniLM vectors, mapped to the search's 0-1 interest part: at or below LOW a
# group is unrelated, at HIGH it is what was asked for. Chosen on the tune halves of the blind first
# texts (tests/conversations/README.md).
LOW, HIGH = 0.25, 0.60
# Below this closeness a group is not a match by meaning at all (as directory.ranking.MIN_INTEREST is
# for words).
MIN_CLOSENESS = 0.35

_warned = threading.Event()


def encoder() -> SentenceEncoder | None:
    """The process's sentence encoder, or None (logged once) when its files are missing."""
    try:
        return shared_encoder(threads=1)
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


# The interests a wish means: its sentences against every phrase of directory.interests.CONCEPTS
# ("growing veg" is nearest "grow your own"). A concept counts when a sentence is at least this close
# to one of its phrases, and within CONCEPT_MARGIN of the closest concept; it is then searched for as
# if named, a little less surely than a word the resident wrote (CONCEPT_CLOSENESS).
CONCEPT_SIMILARITY = 0.45
CONCEPT_MARGIN = 0.05
CONCEPT_CLOSENESS = 0.9
_SENTENCE = re.compile(r"[.!?;\n]+|,\s+(?:but|and|so|or)\s+")


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, ...], np.ndarray] | None:
    from directory.interests import CONCEPTS

    model = encoder()
    if model is None:
        return None
    pairs = [(concept, phrase) for concept, (phrases, _related) in CONCEPTS.items() for phrase in phrases]
    vectors = model.embed([phrase for _, phrase in pairs], max_tokens=16)
    return tuple(concept for concept, _ in pairs), vectors


@lru_cache(maxsize=2048)
def _interests_meant(wish: str) -> tuple[tuple[str, float], ...]:
    from directory.interests import concept_term

    known, model = _phrases(), encoder()
    if known is None or model is None or not wish.strip():
        return ()
    concepts, phrases = known
    whole = wish_vector(wish)
    sentences = [part for part in _SENTENCE.split(wish) if len(part.split()) >= 2]
    read = [whole] if whole is not None else []
    if len(sentences) > 1:  # each sentence as well as the whole (the whole is read once, by wish_vector)
        read.extend(model.embed(sentences, max_tokens=WISH_TOKENS))
    if not read:
        return ()
    best: dict[str, float] = {}
    scores = (phrases @ np.stack(read).T).max(axis=1)
    for concept, score in zip(concepts, scores, strict=True):
        best[concept] = max(best.get(concept, -1.0), float(score))
    top = max(best.values())
    if top < CONCEPT_SIMILARITY:
        return ()
    return tuple((concept_term(c), CONCEPT_CLOSENESS) for c, score in best.items() if score >= top - CONCEPT_MARGIN)


def interests_meant(wish: str) -> dict[str, float]:
    """Search terms (directory.interests' concept terms) for the interests the wish means, each with
    how surely; {} without the encoder or when nothing is close."""
    return dict(_interests_meant(wish))


def nearest_interest(wish: str) -> str | None:
    """The one interest the wish is closest to, for saying what was understood ("For gardening near ...")."""
    from directory.interests import concepts_in

    meant = [term.removeprefix("c:") for term, _ in _interests_meant(wish)]
    named = concepts_in(wish)
    return next((c for c in meant if c in named), meant[0] if meant else None)
