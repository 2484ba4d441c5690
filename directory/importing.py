"""`python -m directory import SOURCE`: read a feed of any supported kind and store what is good in it.

SOURCE is an ORUK 3.0 JSON file, a folder of them, an ORUK 1.0 JSON export, a CSV file (see
`directory.import_csv` for its columns) or an http(s) feed URL (pages followed). Each record is
checked on its own (`directory.records`); a bad one is reported and skipped. Services that vanished
from a feed are retired only when the whole feed was read, so one failed page never hides a
directory's worth of groups.
"""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from tqdm import tqdm

from directory import import_csv, import_oruk1, import_oruk3, record_fields, records, search_index
from directory.feeds import fetch_feed
from directory.store import ImportReport, Store, get_feed

log = logging.getLogger(__name__)


def _label(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        ident = raw.get("id")
        name = raw.get("name")
        if ident is not None or name:
            return f"{ident if ident is not None else '(no id)'} {name!r}" if name else str(ident)
    return f"record {index + 1}"


def detect_kind(doc: Any) -> str:
    """"oruk1" or "oruk3" for a parsed JSON document."""
    if import_oruk1.is_oruk1(doc):
        return "oruk1"
    return "oruk3"


def load_documents(source: str) -> tuple[str, list[tuple[str, Any]], list[str]]:
    """(kind, [(where, parsed JSON)], read errors) for a file, folder or URL."""
    if source.startswith(("http://", "https://")):
        return fetch_feed(source)
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if p.is_file())
    elif path.exists():
        files = [path]
    else:
        return "oruk3", [], [f"{source}: no such file or folder"]
    docs, errors = [], []
    for file in files:
        try:
            docs.append((str(file), json.loads(file.read_text(encoding="utf-8-sig"))))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            errors.append(f"{file}: {error}")
    kinds = {detect_kind(doc) for _, doc in docs}
    if len(kinds) > 1:
        errors.append(f"{source}: mixes ORUK 1.0 and 3.0 files; importing each as its own kind")
    return (kinds.pop() if len(kinds) == 1 else "mixed"), docs, errors


def import_source(
    session: Session,
    source: str,
    *,
    is_sample: bool = False,
    progress: bool | None = None,
    feed_name: str | None = None,
) -> ImportReport:
    """Import SOURCE inside the caller's transaction and return the report."""
    report = ImportReport(source=source)
    name = feed_name or _feed_name(source)
    if source.lower().endswith(".csv") and not source.startswith(("http://", "https://")):
        rows, errors = import_csv.read_csv(Path(source))
        report.read_errors.extend(errors)
        return _run(session, report, name, "csv", [(source, import_csv.DOCUMENT_KIND, rows, {}, {}, {})],
                    strict_ids=False, is_sample=is_sample, progress=progress)
    kind, docs, errors = load_documents(source)
    report.read_errors.extend(errors)
    batches: list[tuple[str, str, list[Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    for where, doc in docs:
        doc_kind = detect_kind(doc)
        try:
            if doc_kind == "oruk1":
                services = import_oruk1.services_in(doc)
                batches.append((where, "oruk1", [import_oruk1.to_oruk3(s) for s in services], {}, {}, {}))
            else:
                parsed = import_oruk3.read_document(doc)
                batches.append((where, "oruk3", parsed.services, parsed.organizations, parsed.locations,
                                parsed.taxonomy_terms))
        except ValueError as error:
            report.read_errors.append(f"{where}: {error}")
    kind = "oruk1" if batches and all(b[1] == "oruk1" for b in batches) else kind if kind != "mixed" else "oruk3"
    return _run(session, report, name, kind, batches, strict_ids=None, is_sample=is_sample, progress=progress)


def _run(
    session: Session,
    report: ImportReport,
    name: str,
    kind: str,
    batches: Iterable[tuple[str, str, list[Any], dict[str, Any], dict[str, Any], dict[str, Any]]],
    *,
    strict_ids: bool | None,
    is_sample: bool,
    progress: bool | None,
) -> ImportReport:
    batches = list(batches)
    total = sum(len(b[2]) for b in batches)
    feed = get_feed(session, name, "sample" if is_sample else kind, is_sample=is_sample)
    store = Store(session, feed, report)
    organizations: dict[str, Any] = {}
    locations: dict[str, Any] = {}
    terms: dict[str, Any] = {}
    for _, _, _, orgs, locs, tax in batches:
        organizations.update(orgs)
        locations.update(locs)
        terms.update(tax)
    contexts = {
        k: record_fields.FeedContext(strict_ids=(k == "oruk3") if strict_ids is None else strict_ids,
                               organizations=organizations, locations=locations, taxonomy_terms=terms)
        for k in ("oruk1", "oruk3", "csv")
    }
    seen: set[str] = set()
    for ctx in contexts.values():
        ctx.seen_ids = seen
    show = sys.stderr.isatty() and total > 200 if progress is None else progress
    bar = tqdm(total=total, disable=not show, unit="service", desc="importing")
    for _, batch_kind, services, *_ in batches:
        ctx = contexts[batch_kind]
        for index, raw in enumerate(services):
            report.records_read += 1
            bar.update(1)
            try:
                record = records.normalise_service(raw, ctx)
            except record_fields.Rejected as error:
                report.rejected.append((_label(raw, index), str(error)))
                # Keep the version we already hold rather than retire a group over one bad edit.
                if isinstance(raw, dict) and raw.get("id") is not None:
                    store.touch(str(raw["id"]).strip())
                continue
            # A savepoint per record: a database error on one (an over-long field, say) rejects only it.
            try:
                with session.begin_nested():
                    store.save(record)
            except Exception as error:  # noqa: BLE001  the report names the record; the import goes on
                log.exception("could not store %s", _label(raw, index))
                report.rejected.append((_label(raw, index), f"could not be stored: {type(error).__name__}: {error}"))
    bar.close()
    if report.read_errors:
        log.warning("%s was not read completely, so nothing is retired this time", report.source)
    elif report.records_read:
        store.retire_unseen()
    search_index.fill_meanings(session)
    return report


def _feed_name(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return source
    return str(Path(source).resolve())
