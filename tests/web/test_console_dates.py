"""Dates typed into the console (the outcomes' period): UK order, day first, read on the server."""
from __future__ import annotations

from datetime import date

import pytest

from casework.outcomes import PeriodError
from web.console.pages import DatesError, read_day, typed_days


@pytest.mark.parametrize("typed", ["27 3 2026", "27/03/2026", "27.3.2026", "27-3-2026", " 27  3  2026 ", "27 Mar 2026",
                                   "27 march 2026", "2026-03-27", "2026/3/27", "27, 3, 2026"])
def test_a_date_is_read_day_first_or_as_iso(typed: str) -> None:
    assert read_day(typed) == date(2026, 3, 27)


def test_day_first_is_not_mistaken_for_the_us_order() -> None:
    assert read_day("5/1/2026") == date(2026, 1, 5)
    assert read_day("05 01 2026") == date(2026, 1, 5)
    assert read_day("29 2 2028") == date(2028, 2, 29)


@pytest.mark.parametrize(("typed", "code"), [
    ("hello", "not_a_date"), ("27032026", "not_a_date"), ("27 3 2026 10", "not_a_date"), ("2026-3", "not_a_date"),
    ("27 3", "no_year"), ("27", "no_month"), ("27 3 26", "short_year"), ("3/27/2026", "no_such_month"),
    ("27 0 2026", "no_such_month"), ("31 2 2026", "no_such_day"), ("0 3 2026", "no_such_day"), ("2026-02-30", "no_such_day"),
    ("29 2 2026", "no_such_day"), ("1 1 1999", "far_year"), ("1 1 9999", "far_year"), ("٢٧ 3 2026", "not_a_date"),
])
def test_what_is_wrong_with_a_date_is_named(typed: str, code: str) -> None:
    with pytest.raises(ValueError) as wrong:
        read_day(typed)
    assert wrong.value.args[0] == code


def test_the_form_gives_iso_dates_to_casework_and_names_every_field_it_cannot_read() -> None:
    assert typed_days({"from": "5 1 2026", "to": "2026-01-18"}, "from", "to") == ["2026-01-05", "2026-01-18"]
    assert typed_days({"from": "", "to": "  "}, "from", "to") == ["", ""]  # left empty: casework's default period
    with pytest.raises(PeriodError) as wrong:
        typed_days({"from": "31 2 2026", "to": "1/13/2026"}, "from", "to")
    assert isinstance(wrong.value, DatesError)
    assert wrong.value.problems == {"from": "no_such_day", "to": "no_such_month"}
    assert (wrong.value.field, wrong.value.code) == ("from", "no_such_day")
