"""Export and the read-only API, checked against the ORUK 3.0 schemas; import -> export -> import round trip."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker, RefResolver
from sqlalchemy.orm import sessionmaker

from directory import import_source
from directory.cli import main as cli
from directory.export import export_page
from directory.openreferral_api import handle
from directory.sample import SAMPLE_FILE
from tests.directory.builders import page, service, write

SCHEMATA = Path(__file__).parent / "oruk-3.0" / "schemata"  # shipped in the repository (its README says whence)


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    store: dict[str, Any] = {}
    for path in SCHEMATA.glob("*.json"):
        schema = json.loads(path.read_text())
        store[path.name] = schema
        store[path.resolve().as_uri()] = schema
    out = {}
    for name in ("service", "taxonomy", "taxonomy_term", "service_at_location", "location"):
        schema = store[f"{name}.json"]
        resolver = RefResolver(base_uri=(SCHEMATA / f"{name}.json").resolve().as_uri(), referrer=schema, store=store)
        out[name] = Draft202012Validator(schema, resolver=resolver, format_checker=FormatChecker())
    return out


def assert_valid(validator: Draft202012Validator, obj: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(obj)]
    assert not errors, errors[:5]


PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def test_the_export_validates_and_holds_only_active_services(sample_sessions: sessionmaker, validators) -> None:  # type: ignore[no-untyped-def]
    with sample_sessions() as session:
        exported = export_page(session)
    assert set(exported) == PAGE_KEYS
    assert exported["total_items"] == len(exported["contents"]) >= 150
    assert {s["status"] for s in exported["contents"]} == {"active"}
    for record in exported["contents"]:
        assert_valid(validators["service"], record)


def test_the_validator_catches_a_broken_record(validators) -> None:  # type: ignore[no-untyped-def]
    assert list(validators["service"].iter_errors({"id": "not-a-uuid", "name": "x", "status": "open"}))


def test_import_export_import_round_trip(tmp_path: Path, app_sessions: sessionmaker, sample_sessions: sessionmaker) -> None:
    with sample_sessions() as session:
        first = export_page(session)
    source = write(tmp_path / "export.json", first)
    with app_sessions.begin() as session:
        report = import_source(session, source, progress=False)
    assert report.created == first["total_items"] and not report.rejected, report.lines()
    with app_sessions() as session:
        second = export_page(session)
    assert second == first
    # And the second import of our own export changes nothing.
    with app_sessions.begin() as session:
        assert import_source(session, source, progress=False).unchanged == first["total_items"]


def test_sample_flags_and_access_survive_the_round_trip(sample_sessions: sessionmaker) -> None:
    with sample_sessions() as session:
        exported = export_page(session)
    record = exported["contents"][0]
    taxonomies = {a["taxonomy_term"]["taxonomy"]: a["taxonomy_term"]["name"] for a in record["attributes"]}
    assert taxonomies["data_status"] == "sample"
    assert taxonomies["attending_access"] in {"drop-in", "referral", "appointment"}


def test_cli_export_writes_a_file(tmp_path: Path, app_engine, app_sessions: sessionmaker) -> None:  # type: ignore[no-untyped-def]
    with app_sessions.begin() as session:
        import_source(session, write(tmp_path / "in.json", page([service("a"), service("b", status="inactive")])), progress=False)
    out = tmp_path / "out.json"
    assert cli(["--database-url", str(app_engine.url), "export", "-o", str(out)]) == 0
    assert [s["name"] for s in json.loads(out.read_text())["contents"]] == ["Group a"]


# --- the API -------------------------------------------------------------------------------------

def test_api_root_describes_the_api(sample_sessions: sessionmaker) -> None:
    with sample_sessions() as session:
        for path in ("/", "", "/openreferral/"):
            status, body = handle(session, path, {})
            assert status == 200 and body["version"] == "3.0"


def test_api_services_pages_through_everything(sample_sessions: sessionmaker, validators) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    with sample_sessions() as session:
        status, first = handle(session, "/services", {"per_page": ["40"]})
        assert status == 200 and set(first) == PAGE_KEYS and first["first_page"] and not first["last_page"]
        for number in range(1, first["total_pages"] + 1):
            status, body = handle(session, "/services", {"page": [str(number)], "per_page": ["40"]})
            assert status == 200 and body["page_number"] == number
            assert body["last_page"] == (number == first["total_pages"])
            for record in body["contents"]:
                assert_valid(validators["service"], record)
            seen += [s["id"] for s in body["contents"]]
        status, beyond = handle(session, "/services", {"page": [str(first["total_pages"] + 1)], "per_page": ["40"]})
    assert len(seen) == len(set(seen)) == first["total_items"]
    assert beyond["empty"] and beyond["contents"] == []


def test_api_single_service_and_not_found(sample_sessions: sessionmaker, validators) -> None:  # type: ignore[no-untyped-def]
    with sample_sessions() as session:
        _, listing = handle(session, "/services", {"per_page": ["1"]})
        ident = listing["contents"][0]["id"]
        status, body = handle(session, f"/services/{ident}", {})
        assert status == 200 and body["id"] == ident
        assert_valid(validators["service"], body)
        assert handle(session, "/services/00000000-0000-0000-0000-000000000000", {})[0] == 404
        assert handle(session, "/nothing", {})[0] == 404


def test_api_search_and_taxonomy_filters(sample_sessions: sessionmaker, validators) -> None:  # type: ignore[no-untyped-def]
    with sample_sessions() as session:
        _, found = handle(session, "/services", {"search": ["walking football"]})
        assert found["total_items"] >= 1 and all("Walking Football" in s["name"] for s in found["contents"])
        _, taxonomies = handle(session, "/taxonomies", {})
        for taxonomy in taxonomies["contents"]:
            assert_valid(validators["taxonomy"], taxonomy)
        activities = next(t for t in taxonomies["contents"] if t["name"] == "activities")
        status, one = handle(session, f"/taxonomies/{activities['id']}", {})
        assert status == 200 and len(one["taxonomy_terms"]) >= 25
        _, terms = handle(session, "/taxonomy_terms", {"taxonomy_id": [activities["id"]], "per_page": ["100"]})
        for term in terms["contents"]:
            assert_valid(validators["taxonomy_term"], term)
        choir = next(t for t in terms["contents"] if t["name"] == "Choir")
        assert handle(session, f"/taxonomy_terms/{choir['id']}", {})[1]["name"] == "Choir"
        _, choirs = handle(session, "/services", {"taxonomy_term_id": [choir["id"]]})
        assert choirs["total_items"] >= 5
        _, by_taxonomy = handle(session, "/services", {"taxonomy_id": [activities["id"]]})
        assert by_taxonomy["total_items"] == handle(session, "/services", {})[1]["total_items"]


def test_api_service_at_locations_near_a_postcode(sample_sessions: sessionmaker, validators) -> None:  # type: ignore[no-untyped-def]
    with sample_sessions() as session:
        status, near = handle(session, "/service_at_locations", {"postcode": ["ch445tn"], "proximity": ["3000"]})
        assert status == 200 and near["total_items"] > 0
        distances = [item["distance"] for item in near["contents"]]
        assert distances == sorted(distances) and max(distances) <= 3000
        for item in near["contents"]:
            assert_valid(validators["service_at_location"], item)
            assert_valid(validators["service"], item["service"])
        _, wider = handle(session, "/service_at_locations", {"postcode": ["CH44 5TN"], "proximity": ["10000"]})
        assert wider["total_items"] > near["total_items"]
        _, page2 = handle(session, "/service_at_locations", {"postcode": ["CH44 5TN"], "proximity": ["10000"],
                                                             "per_page": ["5"], "page": ["2"]})
        assert page2["page_number"] == 2 and len(page2["contents"]) == 5
        _, everything = handle(session, "/service_at_locations", {"per_page": ["200"]})
        assert everything["total_items"] >= 150
        ident = everything["contents"][0]["id"]
        assert handle(session, f"/service_at_locations/{ident}", {})[0] == 200


@pytest.mark.parametrize("path, query, message", [
    ("/services", {"page": ["0"]}, "page"),
    ("/services", {"per_page": ["lots"]}, "per_page"),
    ("/services", {"per_page": ["100000"]}, "per_page"),
    ("/services", {"modified_after": ["yesterday"]}, "modified_after"),
    ("/service_at_locations", {"proximity": ["100"]}, "needs a postcode"),
    ("/service_at_locations", {"postcode": ["ZZ99 9ZZ"]}, "could not be located"),
    ("/service_at_locations", {"postcode": ["CH44 5TN"], "proximity": ["far"]}, "metres"),
])
def test_api_bad_requests_say_what_is_wrong(sample_sessions: sessionmaker, path: str, query: dict, message: str) -> None:
    with sample_sessions() as session:
        status, body = handle(session, path, query)
    assert status == 400 and message in body["error"]


def test_the_shipped_sample_is_an_oruk3_page_under_1mb() -> None:
    assert SAMPLE_FILE.stat().st_size < 1_000_000
    doc = json.loads(SAMPLE_FILE.read_text())
    assert set(doc) == PAGE_KEYS and len(doc["contents"]) >= 150
