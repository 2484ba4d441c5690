"""Fetch an Open Referral feed over HTTP, following its pages (an install-time or admin action, never at run time).

ORUK 3.0 pages carry `contents`, `total_pages`, `page_number`; ORUK 1.0 pages carry `content`,
`totalPages`, `number` (some servers count from 0). Both list endpoints may return services without
their nested details; those are fetched one by one from `/services/{id}`.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
MAX_PAGES = 10_000
USER_AGENT = "community-connector-directory/1.0 (+Open Referral UK importer)"


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def get_json(url: str) -> Any:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"{url}: only http and https feeds are fetched")
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  scheme checked above
        return json.loads(response.read().decode("utf-8-sig"))


def _page_info(doc: Any) -> tuple[str, list[Any], int | None, int | None, bool]:
    """(kind, items, this page number, total pages, is last page)."""
    if isinstance(doc, dict) and "contents" in doc:
        items: list[Any] = doc["contents"] if isinstance(doc.get("contents"), list) else []
        return "oruk3", items, _int(doc.get("page_number")), _int(doc.get("total_pages")), bool(doc.get("last_page"))
    if isinstance(doc, dict) and "content" in doc:
        items = doc["content"] if isinstance(doc.get("content"), list) else []
        return "oruk1", items, _int(doc.get("number")), _int(doc.get("totalPages")), bool(doc.get("last"))
    return "unpaged", [], None, None, True


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def fetch_feed(url: str) -> tuple[str, list[tuple[str, Any]], list[str]]:
    """(kind, [(page url, page document)], errors). Errors mean the feed was not read completely."""
    errors: list[str] = []
    try:
        first = get_json(url)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return "oruk3", [], [f"{url}: {error}"]
    kind, items, number, total, last = _page_info(first)
    if kind == "unpaged":
        return ("oruk1" if _looks_oruk1(first) else "oruk3"), [(url, first)], errors
    pages = [(url, first)]
    # Page numbers count from wherever the server's first page said it was (0 or 1).
    start = number if number is not None else 1
    expected = total if total is not None else MAX_PAGES
    page = start + 1
    while not last and items and page < start + min(expected, MAX_PAGES):
        page_url = _with_page(url, page)
        try:
            doc = get_json(page_url)
        except (urllib.error.URLError, OSError, ValueError) as error:
            errors.append(f"{page_url}: {error}")
            break
        _, items, _, _, last = _page_info(doc)
        pages.append((page_url, doc))
        page += 1
    _fill_details(url, kind, pages, errors)
    return kind, pages, errors


def _looks_oruk1(doc: Any) -> bool:
    from directory.import_oruk1 import is_oruk1

    return is_oruk1(doc)


def _fill_details(url: str, kind: str, pages: list[tuple[str, Any]], errors: list[str]) -> None:
    """List endpoints may give one-to-one fields only; replace such items with `/services/{id}`."""
    path = urlsplit(url).path.rstrip("/")
    if not path.endswith("/services"):
        return
    base = urlunsplit(urlsplit(url)._replace(path=path, query="", fragment=""))
    key = "contents" if kind == "oruk3" else "content"
    for _, doc in pages:
        items = doc.get(key) or []
        for index, item in enumerate(items):
            if not isinstance(item, dict) or "service_at_locations" in item or item.get("id") is None:
                continue
            detail_url = f"{base}/{item['id']}"
            try:
                items[index] = get_json(detail_url)
            except (urllib.error.URLError, OSError, ValueError) as error:
                errors.append(f"{detail_url}: {error}")
