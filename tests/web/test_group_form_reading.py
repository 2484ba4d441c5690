"""web.group_form: what the "add a group" form sent, read without a server (the real postcode table)."""
from __future__ import annotations

import pytest

from web.group_form import read_group_form, read_time


def fields(**changes: str) -> dict[str, str]:
    return {"name": "Knit and Natter", "description": "Knitting and a cuppa", "address": "Church Road", "postcode": "ch44 5tn",
            "frequency": "weekly", "start_time": "10am", "end_time": "noon", "cost": "Free", "publish": "yes",
            "proposer_name": "Ann", "proposer_role": "organiser", "proposer_contact": "07700 900123", **changes}


@pytest.mark.parametrize(("typed", "read"), [("10am", "10:00"), ("10.30 am", "10:30"), ("2pm", "14:00"), ("2.30pm", "14:30"),
                                             ("14:30", "14:30"), ("noon", "12:00"), ("12pm", "12:00"), ("12am", "00:00"),
                                             ("10", "10:00"), ("3", None), ("25:00", None), ("13pm", None), ("10:75", None),
                                             ("teatime", None)])
def test_times_are_read_as_people_write_them(typed: str, read: str | None) -> None:
    assert read_time(typed) == read


def test_a_good_form_becomes_a_listing_the_directory_reads() -> None:
    reading = read_group_form(fields(), ["Thursday", "Monday", "Funday"])
    assert reading.ok, reading.errors
    listing = reading.listing()
    assert listing.days == ("Monday", "Thursday") and listing.postcode == "CH44 5TN"
    assert (listing.start_time, listing.end_time, listing.week_of_month) == ("10:00", "12:00", "")
    assert reading.proposer().contact == "07700 900123"


def test_each_mistake_has_its_own_code_in_page_order() -> None:
    reading = read_group_form(fields(name="", postcode="CH44", start_time="teatime", frequency="monthly", publish="",
                                     proposer_contact="ring me"), [])
    assert list(reading.errors.items()) == [("name", "missing"), ("postcode", "postcode"), ("days", "missing"),
                                            ("week_of_month", "missing"), ("start_time", "time"), ("publish", "missing"),
                                            ("proposer_contact", "contact")]
    assert reading.values["address"] == "Church Road", "what was good is kept"


def test_a_postcode_the_table_cannot_place_is_said_so() -> None:
    assert read_group_form(fields(postcode="ZZ99 9ZZ"), ["Monday"]).errors == {"postcode": "not_found"}


def test_monthly_needs_its_week_and_weekly_ignores_one() -> None:
    assert read_group_form(fields(frequency="monthly", week_of_month="last"), ["Saturday"]).listing().week_of_month == "last"
    assert read_group_form(fields(week_of_month="2"), ["Saturday"]).listing().week_of_month == ""
