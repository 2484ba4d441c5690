"""The gazetteer: data/places.csv written from data/gazetteer.csv and the postcode table, and kept in step with it."""
from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from directory import places_build
from directory.geocoding import ALIASES_CSV, in_great_britain_or_ni
from directory.place_words import place_key

HAND_PLACED = "name,lat,lon,area,postcode_district\nWallasey,53.4236,-3.0650,Wirral,CH44\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_place_is_put_at_the_middle_of_its_postcode_sector_and_hand_placed_towns_are_kept(postcode_table: Path, tmp_path: Path) -> None:
    gazetteer = write(tmp_path / "gazetteer.csv", "name,area,postcode_sector\nWallasey,Wirral,\nSeacombe Ferry,Wirral,CH44 5\n"
                                                  "Thanet,Kent,CT9+CT11\n")
    places = write(tmp_path / "places.csv", HAND_PLACED)
    assert places_build.main(["--table", str(postcode_table), "--gazetteer", str(gazetteer), "--places", str(places)]) == 0
    wallasey, ferry, thanet = rows(places)
    assert wallasey == {"name": "Wallasey", "lat": "53.4236", "lon": "-3.0650", "area": "Wirral", "postcode_district": "CH44"}
    # The fixture table's only CH44 5 postcode is CH44 5TN; CT9 and CT11 have one each (tests/directory/conftest.py).
    assert ferry == {"name": "Seacombe Ferry", "lat": "53.4184", "lon": "-3.0412", "area": "Wirral", "postcode_district": "CH44"}
    with sqlite3.connect(postcode_table) as db:
        both = db.execute("SELECT avg(lat_e6) / 1e6, avg(lon_e6) / 1e6 FROM postcode WHERE postcode IN ('CT91PQ', 'CT119AQ')").fetchone()
    assert thanet == {"name": "Thanet", "lat": f"{both[0]:.4f}", "lon": f"{both[1]:.4f}", "area": "Kent", "postcode_district": ""}


@pytest.mark.parametrize(("line", "says"), [
    ("Nowhere,Kent,CT9 8", "no postcodes in CT9 8"),
    ("Nowhere,Kent,CT9-8", "neither a postcode sector"),
    ("Nowhere,Kent,", "no postcode sector in the gazetteer and no position"),
])
def test_a_place_that_cannot_be_placed_stops_the_build(postcode_table: Path, tmp_path: Path, line: str, says: str) -> None:
    gazetteer = write(tmp_path / "gazetteer.csv", f"name,area,postcode_sector\n{line}\n")
    places = write(tmp_path / "places.csv", HAND_PLACED)
    with pytest.raises(SystemExit, match=says):
        places_build.main(["--table", str(postcode_table), "--gazetteer", str(gazetteer), "--places", str(places)])
    assert places.read_text(encoding="utf-8") == HAND_PLACED


def test_the_shipped_places_are_the_gazetteer_as_built() -> None:
    gazetteer = places_build.read_gazetteer()
    shipped = rows(places_build.PLACES)
    assert [row["name"] for row in shipped] == [entry.name for entry in gazetteer], "run python -m directory.places_build"
    for entry, row in zip(gazetteer, shipped):
        assert row["area"] == entry.area
        assert in_great_britain_or_ni(float(row["lat"]), float(row["lon"]))
        if entry.codes:
            assert row["postcode_district"] == entry.district, entry.name
    assert len(shipped) > 250


def test_every_other_spelling_is_of_a_known_place_and_names_no_other() -> None:
    names = {place_key(row["name"]) for row in rows(places_build.PLACES)}
    for alias in rows(ALIASES_CSV):
        assert place_key(alias["name"]) in names, alias
        assert place_key(alias["alias"]) not in names, alias
