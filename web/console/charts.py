"""Charts for the outcomes dashboard, drawn on the server as SVG shapes (web/console/templates/_chart.html).

Nothing is downloaded and no script runs: the geometry is worked out here and the template writes
plain <rect> and <text> elements. Sizes are in the SVG's own units (a 300-wide viewBox, scaled to
the page width), so a chart fits a 360 px phone and grows on a larger screen. Colours are set as
attributes, not styles: the console's Content-Security-Policy allows no inline styles.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Bar", "Chart", "columns", "rows", "nice_ceiling"]

WIDTH = 300.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 34.0, 6.0, 16.0, 24.0  # room for the scale, value labels and week labels
_COLUMN_AREA_HEIGHT = 132.0
_ROW_HEIGHT, _ROW_GAP, _LABEL_WIDTH, _VALUE_ROOM = 22.0, 8.0, 70.0, 40.0
# Past this many columns a value above every column would overlap its neighbours: the table has them.
_MOST_VALUE_LABELS = 16
_MOST_WEEK_LABELS = 5


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    value_x: float  # where the figure is written
    value_y: float
    show_value: bool
    show_label: bool
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Chart:
    """One chart: its bars and scale, in a viewBox `width` x `height`."""

    kind: str  # columns (one per week, time left to right) | rows (one per area)
    width: float
    height: float
    bars: tuple[Bar, ...]
    scale_top: int  # the value at the top of the scale
    scale_y: float  # where the top of the scale is drawn (columns)
    axis_x: float
    axis_y: float  # the baseline (columns) or the left edge of the bars (rows)
    axis_length: float

    @property
    def empty(self) -> bool:
        return all(bar.value == 0 for bar in self.bars)


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... at or above `value`: a scale people read without counting."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def columns(values: list[tuple[str, int]]) -> Chart:
    """A column per (label, value), left to right: for a figure week by week."""
    count = max(len(values), 1)
    top = nice_ceiling(max((v for _, v in values), default=0))
    plot_width = WIDTH - _LEFT - _RIGHT
    slot = plot_width / count
    bar_width = max(slot * 0.7, 1.0)
    baseline = _TOP + _COLUMN_AREA_HEIGHT
    every = math.ceil(count / _MOST_WEEK_LABELS)
    bars = []
    for index, (label, value) in enumerate(values):
        height = _COLUMN_AREA_HEIGHT * value / top
        x = _LEFT + index * slot + (slot - bar_width) / 2
        bars.append(Bar(label, value, round(x, 2), round(baseline - height, 2), round(bar_width, 2), round(height, 2),
                        round(x + bar_width / 2, 2), round(baseline - height - 3, 2), count <= _MOST_VALUE_LABELS,
                        index % every == 0, round(x + bar_width / 2, 2), round(baseline + 15, 2)))
    return Chart("columns", WIDTH, baseline + _BOTTOM, tuple(bars), top, _TOP, _LEFT, baseline, plot_width)


def rows(values: list[tuple[str, int]]) -> Chart:
    """A horizontal bar per (label, value), top to bottom: for a figure area by area."""
    top = nice_ceiling(max((v for _, v in values), default=0))
    room = WIDTH - _LABEL_WIDTH - _VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(values):
        y = _ROW_GAP / 2 + index * (_ROW_HEIGHT + _ROW_GAP)
        width = room * value / top
        bars.append(Bar(label, value, _LABEL_WIDTH, round(y, 2), round(width, 2), _ROW_HEIGHT,
                        round(_LABEL_WIDTH + width + 5, 2), round(y + _ROW_HEIGHT / 2 + 5, 2), True, True,
                        _LABEL_WIDTH - 6, round(y + _ROW_HEIGHT / 2 + 5, 2)))
    height = max(len(values), 1) * (_ROW_HEIGHT + _ROW_GAP)
    return Chart("rows", WIDTH, height, tuple(bars), top, 0.0, _LABEL_WIDTH, 0.0, room)
