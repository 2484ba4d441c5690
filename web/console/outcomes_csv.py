"""The outcomes as CSV (/console/outcomes.csv): one row for the period, one per week, one per area.

Columns are the figures' names, as in GET /api/outcomes, so a spreadsheet and a script read the
same thing; an empty cell is a figure with no value (none acknowledged, or not known per area).
"""
from __future__ import annotations

import csv
import dataclasses
import io

from casework.outcomes import FIGURES, Figures, Outcomes

__all__ = ["outcomes_csv", "csv_filename"]


def _cells(figures: Figures) -> list[str]:
    values = dataclasses.asdict(figures)
    return ["" if values[name] is None else str(values[name]) for name in FIGURES]


def outcomes_csv(found: Outcomes) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["breakdown", "label", *FIGURES])
    writer.writerow(["period", f"{found.period.start.isoformat()} to {found.period.end.isoformat()}", *_cells(found.totals)])
    for week in found.weeks:
        writer.writerow(["week starting", week.starts.isoformat(), *_cells(week.figures)])
    for area in found.areas:
        writer.writerow(["area", area.area or "not known", *_cells(area.figures)])
    return out.getvalue()


def csv_filename(found: Outcomes) -> str:
    return f"outcomes-{found.period.start.isoformat()}-to-{found.period.end.isoformat()}.csv"
