"""Importing: each rejection rule, idempotent re-imports, updates, retirement, and every kind of source."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory import find_activities, import_source
from directory.cli import main as cli
from directory.models import Location, SearchEntry, Service
from tests.directory.builders import HESWALL, WALLASEY, page, service, uid, write


def run(sessions: sessionmaker, source: str):  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        return import_source(session, source, progress=False)


def reasons(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {record.split(" ")[0]: reason for record, reason in report.rejected}


def one_bad(tmp_path: Path, sessions: sessionmaker, bad: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Import a good record and `bad` together: the good one must always get in."""
    good = service("good")
    report = run(sessions, write(tmp_path / "feed.json", page([good, bad])))
    assert report.created == 1, report.lines()
    assert len(report.rejected) == 1, report.lines()
    return report.rejected[0][1]


# --- rejection rules, one by one ---------------------------------------------------------------

def test_missing_name_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    assert "missing required field name" in one_bad(tmp_path, app_sessions, service("x", name="  "))


def test_missing_id_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    del bad["id"]
    assert "missing required field id" in one_bad(tmp_path, app_sessions, bad)


def test_missing_status_is_rejected_in_oruk3(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    del bad["status"]
    assert "missing required field status" in one_bad(tmp_path, app_sessions, bad)


def test_an_id_that_is_not_a_uuid_is_rejected_in_oruk3(tmp_path: Path, app_sessions: sessionmaker) -> None:
    assert "bad id '42'" in one_bad(tmp_path, app_sessions, service("x", id="42"))


def test_a_nested_bad_id_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    bad["service_at_locations"][0]["location"]["id"] = "hall-1"
    assert "location: bad id 'hall-1'" in one_bad(tmp_path, app_sessions, bad)


def test_a_duplicate_id_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    good = service("good")
    report = run(app_sessions, write(tmp_path / "feed.json", page([good, dict(good, name="Copy")])))
    assert report.created == 1 and "duplicate id" in report.rejected[0][1]


def test_dangling_organization_reference_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x", organization_id=uid("org", "nobody"))
    del bad["organization"]
    assert "dangling reference: organization_id" in one_bad(tmp_path, app_sessions, bad)


def test_dangling_location_reference_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    bad["service_at_locations"] = [{"id": uid("sal", "x"), "location_id": uid("location", "nowhere")}]
    assert "dangling reference: location_id" in one_bad(tmp_path, app_sessions, bad)


def test_dangling_taxonomy_term_reference_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    bad["attributes"] = [{"id": uid("attr", "x"), "taxonomy_term_id": uid("term", "unknown")}]
    assert "dangling reference: taxonomy_term_id" in one_bad(tmp_path, app_sessions, bad)


def test_references_resolve_inside_a_bundle(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = service("bundled")
    org = record.pop("organization")
    location = record["service_at_locations"][0].pop("location")
    record["organization_id"] = org["id"]
    sal = record.pop("service_at_locations")[0]
    sal.update(service_id=record["id"], location_id=location["id"])
    term = record["attributes"][0].pop("taxonomy_term")
    record["attributes"][0]["taxonomy_term_id"] = term["id"]
    bundle = {"organizations": [org], "locations": [location], "services": [record], "service_at_locations": [sal],
              "taxonomy_terms": [term]}
    report = run(app_sessions, write(tmp_path / "bundle.json", bundle))
    assert report.created == 1 and not report.rejected, report.lines()


def test_coordinates_outside_the_uk_are_replaced_from_the_postcode(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = service("far")
    record["service_at_locations"][0]["location"].update(latitude=100, longitude=101)  # the official example's
    report = run(app_sessions, write(tmp_path / "feed.json", page([record])))
    assert report.created == 1 and any("outside the UK; placed by postcode CH44 5TN" in w for w in report.warnings)
    with app_sessions() as session:
        location = session.scalars(select(Location)).one()
        assert (location.latitude, location.longitude) == pytest.approx(WALLASEY[1:], abs=1e-4)
        assert location.geocoded_from == "postcode"


def test_coordinates_outside_the_uk_without_a_usable_postcode_are_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("far")
    bad["service_at_locations"][0]["location"].update(latitude=100, longitude=101)
    bad["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ABC 1234"
    assert "outside the UK and no postcode to place it by" in one_bad(tmp_path, app_sessions, bad)


def test_swapped_coordinates_are_placed_by_postcode(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = service("swapped")
    record["service_at_locations"][0]["location"].update(latitude=WALLASEY[2], longitude=WALLASEY[1])
    report = run(app_sessions, write(tmp_path / "feed.json", page([record])))
    assert any("swapped; placed by postcode" in w for w in report.warnings)


def test_swapped_coordinates_are_swapped_back_when_the_postcode_is_unknown(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = service("swapped")
    location = record["service_at_locations"][0]["location"]
    location.update(latitude=-3.05, longitude=53.42)
    location["addresses"][0]["postal_code"] = "ZZ99 9ZZ"
    report = run(app_sessions, write(tmp_path / "feed.json", page([record])))
    assert report.created == 1 and any("swapped back" in w for w in report.warnings)
    with app_sessions() as session:
        assert session.scalars(select(Location.latitude)).one() == pytest.approx(53.42)


def test_missing_coordinates_are_filled_from_the_postcode(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = service("nocoords")
    location = record["service_at_locations"][0]["location"]
    del location["latitude"], location["longitude"]
    run(app_sessions, write(tmp_path / "feed.json", page([record])))
    with app_sessions() as session:
        assert session.scalars(select(Location.geocoded_from)).one() == "postcode"


def test_a_schedule_that_does_not_parse_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    reason = one_bad(tmp_path, app_sessions, service("x", opens="10am"))
    assert "schedule at location 1 1 does not parse: opens_at '10am' is not a time" in reason


@pytest.mark.parametrize("field, value", [("status", "open"), ("status", "closed")])
def test_unknown_status_is_rejected(tmp_path: Path, app_sessions: sessionmaker, field: str, value: str) -> None:
    assert f"unknown status '{value}'" in one_bad(tmp_path, app_sessions, service("x", **{field: value}))


def test_unknown_location_type_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    bad["service_at_locations"][0]["location"]["location_type"] = "building"
    assert "unknown location_type 'building'" in one_bad(tmp_path, app_sessions, bad)


def test_unknown_frequency_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    assert "freq 'yearly'" in one_bad(tmp_path, app_sessions, service("x", freq="yearly"))


def test_enumerations_are_case_folded_before_checking(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = service("caps", status="ACTIVE", freq="Weekly", byday="tu")
    record["service_at_locations"][0]["location"]["location_type"] = "Physical"
    record["service_at_locations"][0]["location"]["addresses"][0]["address_type"] = "PHYSICAL"
    report = run(app_sessions, write(tmp_path / "feed.json", page([record])))
    assert report.created == 1 and not report.rejected, report.lines()


def test_a_cost_that_is_not_a_number_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    bad = service("x")
    bad["cost_options"] = [{"id": uid("cost", "x"), "amount": "two pounds"}]
    assert "amount 'two pounds' is not a number" in one_bad(tmp_path, app_sessions, bad)


def test_a_record_that_is_not_an_object_is_rejected(tmp_path: Path, app_sessions: sessionmaker) -> None:
    assert "should be an object" in one_bad(tmp_path, app_sessions, ["not", "a", "service"])  # type: ignore[arg-type]


def test_inactive_services_are_kept_but_never_suggested(tmp_path: Path, app_sessions: sessionmaker) -> None:
    report = run(app_sessions, write(tmp_path / "feed.json", page([
        service("open", name="Knit and Natter"), service("shut", name="Knit Club", status="inactive"),
        service("paused", name="Knitting Circle", status="Temporarily Closed")])))
    assert report.created == 3 and report.inactive == 2
    with app_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Service)) == 3
        names = [m.name for m in find_activities(session, interest="knitting", near="CH44 5TN")]
    assert names == ["Knit and Natter"]


def test_the_official_example_is_rejected_for_its_impossible_coordinates(tmp_path: Path, app_sessions: sessionmaker) -> None:
    example = json.loads((Path(__file__).parent / "oruk-3.0" / "examples" / "service_full.json").read_text())
    report = run(app_sessions, write(tmp_path / "example.json", example))
    # Its schedule is WEEKLY with a BYMONTHDAY, which RFC 5545 forbids; that is found first.
    assert report.created == 0 and "bymonthday needs freq MONTHLY" in report.rejected[0][1]
    del example["schedules"][0]["bymonthday"]
    example["schedules"][0]["valid_to"] = "2030-01-01"  # it was valid for one day, a Saturday, to meet on Thu/Fri
    report = run(app_sessions, write(tmp_path / "example.json", example))
    assert report.created == 0
    assert "coordinates (100, 101) are outside the UK and no postcode" in report.rejected[0][1]


def test_many_bad_records_never_abort_the_import(tmp_path: Path, app_sessions: sessionmaker) -> None:
    records: list[Any] = [service(f"good{i}") for i in range(5)]
    records += [service("b1", name=" "), service("b2", id="x"), 7, service("b3", byday="ZZ"), service("b4", status="?")]
    report = run(app_sessions, write(tmp_path / "feed.json", page(records)))
    assert (report.created, len(report.rejected)) == (5, 5)
    assert "rejected:" in report.lines()


# --- idempotency, updates, retirement ----------------------------------------------------------

def snapshot(session: Session) -> list[tuple]:
    services = session.scalars(select(Service).order_by(Service.id)).all()
    return [(s.id, s.name, s.content_hash, s.retired_at, len(s.schedules), len(s.service_at_locations)) for s in services]


def test_importing_the_same_feed_twice_changes_nothing(tmp_path: Path, app_sessions: sessionmaker) -> None:
    source = write(tmp_path / "feed.json", page([service("a"), service("b", at=HESWALL)]))
    first = run(app_sessions, source)
    with app_sessions() as session:
        before = snapshot(session)
        index_before = session.scalars(select(SearchEntry.id).order_by(SearchEntry.id)).all()
    second = run(app_sessions, source)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    with app_sessions() as session:
        assert snapshot(session) == before
        assert session.scalars(select(SearchEntry.id).order_by(SearchEntry.id)).all() == index_before


def test_a_changed_record_updates_in_place(tmp_path: Path, app_sessions: sessionmaker) -> None:
    run(app_sessions, write(tmp_path / "feed.json", page([service("a", byday="TU")])))
    report = run(app_sessions, write(tmp_path / "feed.json", page([service("a", byday="TH", name="Group A (moved)")])))
    assert (report.updated, report.created) == (1, 0)
    with app_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Service)) == 1
        assert [m.when for m in find_activities(session, interest="group", near="CH44 5TN")] == ["Thursdays 10am-12pm"]


def test_records_gone_from_the_feed_are_retired_and_come_back(tmp_path: Path, app_sessions: sessionmaker) -> None:
    feed = tmp_path / "feed.json"
    run(app_sessions, write(feed, page([service("a", name="Walking group"), service("b", name="Walking club")])))
    report = run(app_sessions, write(feed, page([service("a", name="Walking group")])))
    assert report.retired == 1
    with app_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Service).where(Service.retired_at.is_not(None))) == 1
        assert [m.name for m in find_activities(session, interest="walking", near="CH44 5TN")] == ["Walking group"]
    report = run(app_sessions, write(feed, page([service("a", name="Walking group"), service("b", name="Walking club")])))
    assert (report.updated, report.unchanged) == (1, 1)
    with app_sessions() as session:
        assert len(find_activities(session, interest="walking", near="CH44 5TN")) == 2


def test_a_record_rejected_on_re_import_keeps_its_last_good_version(tmp_path: Path, app_sessions: sessionmaker) -> None:
    feed = tmp_path / "feed.json"
    run(app_sessions, write(feed, page([service("a", name="Choir")])))
    report = run(app_sessions, write(feed, page([service("a", name="Choir", opens="ten o'clock")])))
    assert report.retired == 0 and len(report.rejected) == 1
    with app_sessions() as session:
        assert [m.name for m in find_activities(session, interest="choir", near="CH44 5TN")] == ["Choir"]


def test_a_feed_that_cannot_be_read_retires_nothing(tmp_path: Path, app_sessions: sessionmaker) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    write(folder / "a.json", page([service("a")]))
    write(folder / "b.json", page([service("b")]))
    run(app_sessions, str(folder))
    (folder / "b.json").write_text("{ this is not json")
    report = run(app_sessions, str(folder))
    assert report.retired == 0 and report.read_errors


# --- other kinds of source ---------------------------------------------------------------------

def oruk1_service(ident: str, **overrides: Any) -> dict[str, Any]:
    record = {
        "id": ident, "name": "Bowls taster", "description": "Crown green bowls", "status": "active",
        "attending_access": "Drop-in", "attending_type": "Venue",
        "organization": {"id": "org-1", "name": "Bowling Club", "description": ""},
        "regular_schedules": [{"id": "rs1", "weekday": "Thursday", "opens_at": "14:00", "closes_at": "16:00"}],
        "service_at_locations": [{"id": "sal1", "location": {
            "id": "loc-1", "name": "Green", "latitude": 53.3289, "longitude": -3.1019,
            "physical_addresses": [{"id": "pa1", "address_1": "Park Road", "city": "Heswall", "postal_code": "CH60 4RB",
                                    "state_province": "", "country": "GB"}],
            "accessibility_for_disabilities": [{"id": "a1", "accessibility": "Wheelchair accessible"}]}}],
        "contacts": [{"id": "c1", "name": "Ray", "phones": [{"id": "p1", "number": "0151 496 0001"}]}],
        "cost_options": [{"id": "co1", "amount": 2.5, "amount_description": "per session"}],
        "eligibilitys": [{"id": "e1", "minimum_age": 50}],
        "service_taxonomys": [{"id": "st1", "taxonomy": {"id": "bowls", "name": "Bowls", "vocabulary": "activity"}}],
    }
    record.update(overrides)
    return record


def test_an_oruk1_export_is_imported(tmp_path: Path, app_sessions: sessionmaker) -> None:
    doc = {"totalElements": 3, "totalPages": 1, "number": 0, "first": True, "last": True,
           "content": [oruk1_service("1"), oruk1_service("2 3"), oruk1_service("4", attending_access="whenever")]}
    report = run(app_sessions, write(tmp_path / "v1.json", doc))
    assert report.created == 1, report.lines()
    assert "bad id '2 3'" in reasons(report)["2"]
    assert "unknown attending_access 'whenever'" in reasons(report)["4"]
    with app_sessions() as session:
        [match] = find_activities(session, interest="bowls", near="Heswall", day="thu", wheelchair=True)
    assert (match.when, match.cost, match.contact) == ("Thursdays 2pm-4pm", "£2.50 per session", "0151 496 0001")
    assert "drop-in" in match.reasons and "wheelchair access" in match.reasons


def test_oruk1_early_draft_spellings_are_accepted(tmp_path: Path, app_sessions: sessionmaker) -> None:
    record = oruk1_service("9")
    record["service_taxonomies"] = record.pop("service_taxonomys")
    record["eligibilities"] = record.pop("eligibilitys")
    report = run(app_sessions, write(tmp_path / "v1.json", [record]))
    assert report.created == 1, report.lines()
    with app_sessions() as session:
        assert session.scalars(select(Service.minimum_age)).one() == 50


CSV = """name,day,frequency,week_of_month,start_time,end_time,venue,address,town,postcode,cost,phone,activity,access,accessibility
Knit and Natter,Tuesday,weekly,,10:00,12:00,Liscard Hub,1 Church Road,Wallasey,CH44 5TN,Free,0151 496 0100,knitting; crafts,drop-in,Step-free access
Tea Dance,Saturday,monthly,1,14:00,16:00,Village Hall,2 Mill Lane,Heswall,ch60 4rb,£3,0151 496 0101,dancing,drop-in,
Broken Group,Someday,weekly,,10:00,11:00,Hall,3 Road,Heswall,CH60 4RB,,,,,
,Tuesday,weekly,,10:00,11:00,Hall,3 Road,Heswall,CH60 4RB,,,,,
"""


def test_a_spreadsheet_csv_is_imported(tmp_path: Path, app_sessions: sessionmaker) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(CSV)
    report = run(app_sessions, str(path))
    assert report.created == 2 and len(report.rejected) == 2, report.lines()
    with app_sessions() as session:
        [dance] = find_activities(session, interest="dancing", near="CH60 4RB")
        [knit] = find_activities(session, interest="knitting", near="CH44 5TN", day="tue")
    assert dance.when == "First Saturday of the month, 2pm-4pm" and dance.cost == "£3"
    assert knit.cost == "Free" and knit.where == "Liscard Hub, CH44 5TN" and knit.distance_miles == 0.0
    assert run(app_sessions, str(path)).unchanged == 2


def test_cli_import_exits_non_zero_only_when_nothing_could_be_read(tmp_path: Path, app_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = str(app_engine.url)
    good = write(tmp_path / "feed.json", page([service("a"), service("b", name=" ")]))
    assert cli(["--database-url", url, "import", "-q", good]) == 0
    out = capsys.readouterr().out
    assert "created 1" in out and "rejected 1" in out and "missing required field name" in out
    assert cli(["--database-url", url, "import", "-q", str(tmp_path / "missing.json")]) == 1
    (tmp_path / "broken.json").write_text("{")
    assert cli(["--database-url", url, "import", "-q", str(tmp_path / "broken.json")]) == 1
    # A readable feed whose every record is bad still exits 0: the report says why.
    assert cli(["--database-url", url, "import", "-q", write(tmp_path / "bad.json", page([service("c", name=" ")]))]) == 0


def test_progress_bar_shows_on_long_imports(tmp_path: Path, app_sessions: sessionmaker, capsys) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "feed.json", page([service(f"s{i}") for i in range(3)]))
    with app_sessions.begin() as session:
        import_source(session, source, progress=True)
    assert "importing" in capsys.readouterr().err


