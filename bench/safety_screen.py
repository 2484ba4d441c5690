"""The safety screen on its labelled corpus: recall, false alarms and time per message.

    python bench/safety_screen.py            # figures per split and per category
    python bench/safety_screen.py --show     # and every text it gets wrong

Recall counts a must-escalate text (every category but none and isolated) as caught when the screen
escalates it at all (any category but none and isolated); "exact" counts the right category. A false
alarm is a `none` text the screen interrupts; `none` texts given the non-interrupting isolated flag
are counted apart. Time is per call of `screen()`, median and 99th percentile over every text of the
split, each timed over several calls.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casework.safety import CATEGORIES, screen  # noqa: E402

CORPUS = ROOT / "tests" / "casework" / "safety_corpus"
SPLITS = ("tune", "holdout", "holdout2", "holdout3")
NOT_ESCALATED = (None, "isolated")


def load(split: str) -> list[tuple[str, str]]:
    lines = (CORPUS / f"{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(text, label) for text, label in (line.split("\t") for line in lines if line.strip())]


def time_per_message(texts: list[str], repeat: int = 20) -> list[float]:
    """Microseconds per call, one figure per text (the mean of `repeat` calls)."""
    figures = []
    for text in texts:
        start = time.perf_counter()
        for _ in range(repeat):
            screen(text)
        figures.append((time.perf_counter() - start) / repeat * 1e6)
    return figures


def report(split: str, show: bool) -> None:
    rows = load(split)
    results = [(text, label, screen(text)) for text, label in rows]
    print(f"\n== {split}: {len(rows)} texts")
    print(f"{'category':<22}{'count':>6}{'recall':>10}{'exact':>10}{'false alarms':>14}{'flagged isolated':>18}")
    for category in (*CATEGORIES, "none"):
        mine = [(t, s) for t, label, s in results if label == category]
        if not mine:
            continue
        exact = sum(1 for _, s in mine if (s.category or "none") == category)
        if category == "none":
            alarms = sum(1 for _, s in mine if s.interrupts)
            isolated = sum(1 for _, s in mine if s.category == "isolated")
            print(f"{category:<22}{len(mine):>6}{'':>10}{exact / len(mine):>10.1%}{alarms:>6} ({alarms / len(mine):.1%}){isolated:>10}")
        elif category == "isolated":
            caught = sum(1 for _, s in mine if s.flagged)
            print(f"{category:<22}{len(mine):>6}{caught / len(mine):>10.1%}{exact / len(mine):>10.1%}")
        else:
            caught = sum(1 for _, s in mine if s.category not in NOT_ESCALATED)
            print(f"{category:<22}{len(mine):>6}{caught / len(mine):>10.1%}{exact / len(mine):>10.1%}")
    must = [(t, label, s) for t, label, s in results if label not in ("none", "isolated")]
    missed = [(t, label, s) for t, label, s in must if s.category in NOT_ESCALATED]
    ordinary = [(t, label, s) for t, label, s in results if label == "none"]
    alarms = [(t, label, s) for t, label, s in ordinary if s.interrupts]
    exact = sum(1 for _, label, s in results if (s.category or "none") == label)
    print(
        f"must-escalate recall {len(must) - len(missed)}/{len(must)} ({(len(must) - len(missed)) / len(must):.1%}); "
        f"false alarms {len(alarms)}/{len(ordinary)} ({len(alarms) / len(ordinary):.1%}); "
        f"category accuracy {exact}/{len(results)} ({exact / len(results):.1%})"
    )
    micros = sorted(time_per_message([t for t, _ in rows]))
    p99 = micros[min(len(micros) - 1, round(0.99 * (len(micros) - 1)))]
    print(f"time per message: median {statistics.median(micros):.0f} us, p99 {p99:.0f} us, max {micros[-1]:.0f} us")
    if show:
        for title, items in (
            ("missed", missed),
            ("false alarms", alarms),
            ("other wrong categories", [r for r in results if (r[2].category or "none") != r[1] and r not in missed and r not in alarms]),
        ):
            print(f"-- {title}")
            for text, label, s in items:
                print(f"   [{label}] {text!r} -> {s.category} ({s.rule})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every text the screen gets wrong")
    parser.add_argument("--split", choices=SPLITS, action="append", help="only this split (repeatable)")
    args = parser.parse_args()
    for split in args.split or SPLITS:
        report(split, args.show)


if __name__ == "__main__":
    main()
