"""The dashboard's chart geometry: every shape inside its viewBox, a scale people read, labels thinned out."""
from __future__ import annotations

import pytest

from web.console.charts import Chart, columns, nice_ceiling, rows


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (40, 50),
                                                (51, 100), (999, 1000), (1001, 2000), (45_000, 50_000)])
def test_the_scale_tops_out_at_one_two_or_five_times_a_power_of_ten(value: int, ceiling: int) -> None:
    assert nice_ceiling(value) == ceiling


def inside(chart: Chart) -> None:
    for bar in chart.bars:
        assert 0 <= bar.x and bar.x + bar.width <= chart.width + 0.01, bar
        assert 0 <= bar.y and bar.y + bar.height <= chart.height + 0.01, bar
        assert 0 <= bar.label_y <= chart.height and 0 <= bar.value_y <= chart.height


def test_columns_stand_on_the_baseline_in_proportion_to_the_scale() -> None:
    chart = columns([("5 Jan", 40), ("12 Jan", 0), ("19 Jan", 25)])
    inside(chart)
    assert chart.scale_top == 50 and not chart.empty
    tallest, empty, middle = chart.bars
    assert tallest.y + tallest.height == pytest.approx(chart.axis_y) and empty.height == 0
    assert middle.height / tallest.height == pytest.approx(25 / 40, abs=0.01)
    assert tallest.x < empty.x < middle.x
    assert all(bar.show_value and bar.show_label for bar in chart.bars)


def test_a_year_of_weeks_fits_with_a_few_labels_and_no_values_on_top() -> None:
    chart = columns([(f"week {n}", n) for n in range(52)])
    inside(chart)
    assert sum(bar.show_label for bar in chart.bars) == 5
    assert not any(bar.show_value for bar in chart.bars)


def test_rows_grow_down_the_page_one_per_area() -> None:
    chart = rows([("CH41", 3), ("CH42", 0), ("", 7)])
    inside(chart)
    assert [bar.label for bar in chart.bars] == ["CH41", "CH42", ""]
    assert chart.bars[2].width == pytest.approx(chart.axis_length * 7 / 10)
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y
    assert columns([("a", 0)]).empty and rows([]).bars == ()
