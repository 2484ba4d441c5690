"""What matching by meaning costs (issue 15): the encoder's load time and memory in a process, reading a
directory's groups at import, and a search with a wish against one without.

    .venv/bin/python bench/meaning.py [--wishes 200]

Against the sample directory in a fresh SQLite database (the same tables an import writes). Wishes are
the blind tune half's first texts with their places taken out (tests/conversations/), each searched as
the bot does: words and meaning, near the place the text names.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402

from directory.models import SearchEntry  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wishes", type=int, default=200)
    args = parser.parse_args()

    from actions.wish import wish_in, words_to_match
    from directory import find_activities, load_sample_if_empty
    from directory.search_index import fill_meanings
    from service.database import make_engine, make_sessionmaker
    from service.migrate import upgrade_engine

    before, started = rss_mib(), time.perf_counter()
    from directory import meaning

    assert meaning.encoder() is not None, "no encoder: run make encoder"
    meaning.wish_vector("warming up")
    print(f"encoder: loaded in {time.perf_counter() - started:.2f} s, +{rss_mib() - before:.0f} MiB peak resident memory")
    started = time.perf_counter()
    meaning.interests_meant("warming up")
    print(f"interest phrases read once per process: {time.perf_counter() - started:.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'app.db'}")
        upgrade_engine(engine)
        sessions = make_sessionmaker(engine)
        with sessions.begin() as session:
            started = time.perf_counter()
            load_sample_if_empty(session)
            loaded = time.perf_counter() - started
            entries = session.scalar(select(func.count()).select_from(SearchEntry)) or 0
            session.execute(update(SearchEntry).values(meaning=None))
            started = time.perf_counter()
            filled = fill_meanings(session)
            reading = time.perf_counter() - started
        print(f"sample import with reading for meaning: {loaded:.2f} s for {entries} entries; reading alone "
              f"{reading:.2f} s ({filled / reading:.0f} groups a second)")

        cases = []
        for name in ("first_texts_blind2_tune.yml", "first_texts_blind_tune.yml"):
            cases += yaml.safe_load((ROOT / "tests" / "conversations" / name).read_text())["first_texts"]
        wishes = [(wish_in(c["text"]), c["place"]) for c in cases]
        wishes = (wishes * (args.wishes // len(wishes) + 1))[: args.wishes]
        timings: dict[str, list[float]] = {"words only": [], "words and meaning": []}
        with sessions() as session:
            for wish, place in wishes:
                for label, by_meaning in (("words only", False), ("words and meaning", True)):
                    if by_meaning:
                        meaning.wish_vector.cache_clear()
                        meaning._interests_meant.cache_clear()
                    started = time.perf_counter()
                    try:
                        find_activities(session, interest=words_to_match(wish), wish=wish if by_meaning else None, near=place, limit=3)
                    except ValueError:
                        pass
                    timings[label].append((time.perf_counter() - started) * 1000)
        for label, values in timings.items():
            values.sort()
            print(f"search, {label}: median {statistics.median(values):.1f} ms, p95 {values[int(len(values) * 0.95)]:.1f} ms "
                  f"({len(values)} wishes, nothing cached)")
        engine.dispose()


if __name__ == "__main__":
    main()
