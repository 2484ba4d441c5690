"""The safety screen on its labelled corpus: recall and false alarms per split and per layer, time per
message, and what the learned layer costs in memory and start-up.

    python bench/safety_screen.py                 # every split
    python bench/safety_screen.py --split holdout5
    python bench/safety_screen.py --show --split tune_blind_c   # and every text it gets wrong

Recall counts a must-escalate text (every category but none and isolated) as caught when the screen
escalates it at all (any category but none and isolated); "critical" are the texts naming a method,
an overdose taken or a person not breathing or not moving. A false alarm is a `none` text the screen
interrupts. "rules" is the named rules alone (casework.safety.rules_layer.screen); "both" is the screen as the
service runs it (casework.safety.screen: the rules, then the learned model).

--show refuses the blind holdouts: their misses are never read, so they stay texts from outside.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casework.safety.corpus import BLIND_HOLDOUTS, HOLDOUTS, TRAINING, Example, escalates, load  # noqa: E402
from casework.safety.rules_layer import screen  # noqa: E402

SPLITS = (*HOLDOUTS, *TRAINING)


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(rows: list[Example], decide) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    results = [(e, decide(e.text)) for e in rows]

    def caught(selected: list[tuple[Example, object]]) -> tuple[int, int]:
        return sum(1 for _, s in selected if escalates(s.category)), len(selected)  # type: ignore[attr-defined]

    must = [(e, s) for e, s in results if e.must_escalate]
    return {
        "must-escalate": caught(must),
        "critical": caught([(e, s) for e, s in must if e.critical]),
        "clear risk": caught([(e, s) for e, s in must if e.label in ("danger", "suicidal", "abuse", "basic_needs")]),
        "possible (despair)": caught([(e, s) for e, s in must if e.label == "despair"]),
        "scam and doorstep": caught([(e, s) for e, s in must if e.label in ("scam", "doorstep")]),
        "reports": caught([(e, s) for e, s in must if e.label == "worry_about_someone"]),
        "false alarms": (sum(1 for e, s in results if e.label == "none" and s.interrupts), sum(1 for e, _ in results if e.label == "none")),
        "raised by the model": (sum(1 for _, s in results if s.layer == "model"), len(results)),
    }


def report(split: str, both, show: bool) -> None:  # type: ignore[no-untyped-def]
    rows = load(split)
    marked = " (blind)" if split in BLIND_HOLDOUTS else " (held out)" if split in HOLDOUTS else " (trained on)"
    print(f"\n== {split}{marked}: {len(rows)} texts")
    layers = {"rules": figures(rows, screen)}
    if both is not None:
        layers["both"] = figures(rows, both)
    print(f"{'':<22}" + "".join(f"{name:>18}" for name in layers))
    for key in layers["rules"]:
        if key == "raised by the model" and both is None:
            continue
        cells = []
        for name in layers:
            hit, total = layers[name][key]
            cells.append(f"{hit}/{total} ({hit / total:.0%})" if total else "-")
        print(f"{key:<22}" + "".join(f"{c:>18}" for c in cells))
    if show:
        if split in BLIND_HOLDOUTS:
            print("-- (--show is refused on a blind holdout: its misses are never read)")
            return
        decide = both or screen
        for e in rows:
            s = decide(e.text)
            if (e.must_escalate and not escalates(s.category)) or (e.label == "none" and s.interrupts):
                print(f"   [{e.label}] {e.text!r} -> {s.category} ({s.rule})")


def timing(both) -> None:  # type: ignore[no-untyped-def]
    texts = [e.text for split in SPLITS for e in load(split)]
    for name, decide in (("rules", screen), ("both", both)):
        if decide is None:
            continue
        decide(texts[0])
        millis = []
        for text in texts:
            start = time.perf_counter()
            decide(text)
            millis.append((time.perf_counter() - start) * 1000)
        millis.sort()
        p99 = millis[min(len(millis) - 1, round(0.99 * (len(millis) - 1)))]
        print(f"time per message, {name}: median {statistics.median(millis):.2f} ms, p99 {p99:.2f} ms, max {millis[-1]:.2f} ms "
              f"({len(texts)} texts, one at a time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every text the screen gets wrong (not on blind holdouts)")
    parser.add_argument("--split", choices=SPLITS, action="append", help="only this split (repeatable)")
    parser.add_argument("--rules-only", action="store_true", help="the rules alone, without loading the model")
    args = parser.parse_args()
    both = None
    if not args.rules_only:
        before, started = _rss_mib(), time.perf_counter()
        from casework.safety.screen import SafetyScreen

        both = SafetyScreen.load()
        both("warming up")
        print(f"learned layer: {both.status}; start-up {time.perf_counter() - started:.2f} s and memory +{_rss_mib() - before:.0f} MiB "
              f"(ONNX Runtime, the tokenizer, the encoder and the head, loaded and run once)")
        if both.status != "ok":
            print(f"  {both.problem}")
            both = None
    for split in args.split or SPLITS:
        report(split, both, args.show)
    if not args.split:
        timing(both)


if __name__ == "__main__":
    main()
