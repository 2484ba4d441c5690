"""Feed URLs: both ORUK versions' paging, followed against a real local HTTP server."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from directory import import_source
from directory.models import Service
from tests.directory.builders import service
from tests.directory.test_import import oruk1_service


class Feed:
    """What the server publishes: path -> callable(query) -> (status, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        self.requests: list[str] = []


@pytest.fixture
def feed_server() -> Iterator[tuple[str, Feed]]:
    feed = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            feed.requests.append(self.path)
            route = feed.routes.get(parts.path)
            status, body = route(parse_qs(parts.query)) if route else (404, {"error": "not found"})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", feed
    server.shutdown()
    server.server_close()


def oruk3_pages(records: list[dict[str, Any]], per_page: int):  # type: ignore[no-untyped-def]
    pages = [records[i : i + per_page] for i in range(0, len(records), per_page)]

    def route(query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        number = int(query.get("page", ["1"])[0])
        contents = pages[number - 1] if 1 <= number <= len(pages) else []
        return 200, {"total_items": len(records), "total_pages": len(pages), "page_number": number, "size": len(contents),
                     "first_page": number == 1, "last_page": number >= len(pages), "empty": not contents,
                     "contents": contents}
    return route


def oruk1_pages(records: list[dict[str, Any]], per_page: int):  # type: ignore[no-untyped-def]
    """Spring-style pages counted from 0, as many ORUK 1.0 servers do."""
    pages = [records[i : i + per_page] for i in range(0, len(records), per_page)]

    def route(query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        number = int(query.get("page", ["0"])[0])
        content = pages[number] if 0 <= number < len(pages) else []
        return 200, {"totalElements": len(records), "totalPages": len(pages), "number": number, "size": per_page,
                     "first": number == 0, "last": number >= len(pages) - 1, "content": content}
    return route


def count_services(sessions: sessionmaker) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Service)) or 0


def test_oruk3_pages_are_followed(feed_server: tuple[str, Feed], app_sessions: sessionmaker) -> None:
    base, feed = feed_server
    feed.routes["/api/services"] = oruk3_pages([service(f"s{i}") for i in range(7)], per_page=3)
    with app_sessions.begin() as session:
        report = import_source(session, f"{base}/api/services?per_page=3", progress=False)
    assert report.created == 7 and not report.read_errors
    assert [r for r in feed.requests] == ["/api/services?per_page=3", "/api/services?per_page=3&page=2",
                                          "/api/services?per_page=3&page=3"]
    assert count_services(app_sessions) == 7


def test_oruk1_pages_counted_from_zero_are_followed(feed_server: tuple[str, Feed], app_sessions: sessionmaker) -> None:
    base, feed = feed_server
    feed.routes["/v1/services"] = oruk1_pages([oruk1_service(str(i)) for i in range(5)], per_page=2)
    with app_sessions.begin() as session:
        report = import_source(session, f"{base}/v1/services", progress=False)
    assert report.created == 5, report.lines()
    assert feed.requests == ["/v1/services", "/v1/services?page=1", "/v1/services?page=2"]


def test_list_items_without_details_are_fetched_one_by_one(feed_server: tuple[str, Feed], app_sessions: sessionmaker) -> None:
    base, feed = feed_server
    full = [service(f"d{i}") for i in range(3)]
    summaries = [{k: v for k, v in s.items() if k in ("id", "name", "status", "description")} for s in full]
    feed.routes["/services"] = oruk3_pages(summaries, per_page=10)
    for record in full:
        feed.routes[f"/services/{record['id']}"] = lambda query, record=record: (200, record)
    with app_sessions.begin() as session:
        report = import_source(session, f"{base}/services", progress=False)
    assert report.created == 3 and not report.read_errors, report.lines()
    assert sum(1 for r in feed.requests if r.startswith("/services/")) == 3


def test_a_failing_page_is_reported_and_retires_nothing(feed_server: tuple[str, Feed], app_sessions: sessionmaker) -> None:
    base, feed = feed_server
    records = [service(f"f{i}") for i in range(4)]
    feed.routes["/services"] = oruk3_pages(records, per_page=2)
    with app_sessions.begin() as session:
        assert import_source(session, f"{base}/services", progress=False).created == 4
    good = oruk3_pages(records, per_page=2)
    feed.routes["/services"] = lambda query: (500, {"error": "boom"}) if query.get("page") == ["2"] else good(query)
    with app_sessions.begin() as session:
        report = import_source(session, f"{base}/services", progress=False)
    assert report.read_errors and "page=2" in report.read_errors[0]
    assert report.retired == 0 and report.unchanged == 2


def test_an_unreachable_feed_reads_nothing(app_sessions: sessionmaker) -> None:
    with app_sessions.begin() as session:
        report = import_source(session, "http://127.0.0.1:9/services", progress=False)
    assert report.records_read == 0 and report.read_errors
