"""The same directory on the real PostgreSQL server: migrate, import, search, re-import, API."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from directory import find_activities, import_source, load_sample_if_empty
from directory.export import export_page
from directory.models import SearchEntry, Service
from directory.openreferral_api import handle
from directory.sample import SAMPLE_FILE
from service.database import make_sessionmaker
from tests.directory.builders import page, service, write

pytestmark = pytest.mark.postgres


def test_sample_search_and_idempotent_reimport_on_postgres(pg_engine: Engine, tmp_path: Path) -> None:
    assert load_sample_if_empty(pg_engine) >= 150
    assert load_sample_if_empty(pg_engine) == 0
    sessions = make_sessionmaker(pg_engine)
    with sessions() as session:
        matches = find_activities(session, interest="knitting", near="CH44 5TN", day="tue")
        assert matches and matches[0].reasons[0].endswith("miles away")
        entries = session.scalar(select(func.count()).select_from(SearchEntry))
    with sessions.begin() as session:
        report = import_source(session, str(SAMPLE_FILE), is_sample=True, feed_name="sample:directory/data/sample_directory.json",
                               progress=False)
    assert report.created == 0 and report.updated == 0 and report.unchanged >= 150
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(SearchEntry)) == entries
        status, body = handle(session, "/service_at_locations", {"postcode": ["CH44 5TN"], "proximity": ["5000"]})
        assert status == 200 and body["total_items"] > 0
        assert export_page(session)["total_items"] >= 150


def test_updates_retirement_and_rejections_on_postgres(pg_engine: Engine, tmp_path: Path) -> None:
    sessions = make_sessionmaker(pg_engine)
    feed = tmp_path / "feed.json"
    with sessions.begin() as session:
        first = import_source(session, write(feed, page([service("a", name="Choir"), service("b", name="Walk"),
                                                         service("c", name=" ")])), progress=False)
    assert (first.created, len(first.rejected)) == (2, 1)
    with sessions.begin() as session:
        second = import_source(session, write(feed, page([service("a", name="Choir", byday="FR")])), progress=False)
    assert (second.updated, second.retired) == (1, 1)
    with sessions() as session:
        assert [m.when for m in find_activities(session, interest="choir", near="CH44 5TN")] == ["Fridays 10am-12pm"]
        assert find_activities(session, interest="walk", near="CH44 5TN") == []
        assert session.scalar(select(func.count()).select_from(Service)) == 2


def test_a_too_long_value_rejects_only_its_record_on_postgres(pg_engine: Engine, tmp_path: Path) -> None:
    # PostgreSQL enforces column lengths (SQLite does not): the savepoint keeps the import going.
    sessions = make_sessionmaker(pg_engine)
    long_email = service("long", email="x" * 400 + "@example.org")
    with sessions.begin() as session:
        report = import_source(session, write(tmp_path / "f.json", page([service("ok"), long_email])), progress=False)
    assert report.created == 1 and "could not be stored" in report.rejected[0][1]
