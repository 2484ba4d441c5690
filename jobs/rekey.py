"""Move everything to new phone keys: `python -m jobs.rekey [--dry-run]`.

Rotating PHONE_HASH_KEY changes every SMS resident's pseudonym (`sms:<hash>`); rotating
PHONE_ENCRYPTION_KEY changes the key every sealed value needs. Set the new keys, put the old ones in
PHONE_HASH_KEY_PREVIOUS / PHONE_ENCRYPTION_KEY_PREVIOUS (the service keeps finding and reading
residents under them meanwhile, see casework.residents.records.resolve_sms_sender), run this command, then
remove the old keys once it says so.

What it does, driven by the table declarations so it reaches tables added later:
1. reads every stored number (columns marked `info={"sealed": "phone"}`) and works out, for each,
   its pseudonym under every old hash key and under the new one;
2. renames `sms:<old hash>` to `sms:<new hash>` in every column named `sender_id` or `*_sender_id`
   (or marked `info={"sender_id": True}`) of every application table, and old hashes to new ones in
   columns marked `info={"keyed_hash": "phone"}`. A resident found under both an old and the new id
   (a text arrived in between) is merged into one: opted out if either was, earliest first contact,
   latest last contact, rows pointing at the old one repointed. Another table with a unique sender
   id keeps the row already under the new id;
3. re-seals every column marked `info={"sealed": "<purpose>"}` under the new PHONE_ENCRYPTION_KEY;
4. renames the sender ids in Rasa's SQL tracker store (`events.sender_id`), so conversations carry on.

The application database changes in one transaction (stopped half-way, nothing changed); Rasa's
store, when it is another database, in a second one afterwards. Every step skips what is already
under the new keys, so running it again changes nothing, and finishes a run stopped between the two
transactions. Texts arriving while it runs may be recorded under an old id: run it a second time
(or while the service is stopped) and it picks them up. It prints counts only, never an id, a number
or a text. Exit status 0 when the old keys can be removed, 1 when something is left (see the summary).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint, and_, column, create_engine, delete, inspect, select, table, update
from sqlalchemy.engine import Connection, Engine, make_url

from casework.residents.identity import KEYED_HASH, SMS_PREFIX, phone_hash
from casework.sealing import SEALED, SEALED_WHEN, InvalidToken, vault_for
from service.database import Base, make_engine
from service.settings import Settings, load_settings

__all__ = ["RekeyReport", "rekey", "main", "load_models", "application_tables", "sender_id_columns", "tracker_engine", "TRACKER_TABLE"]

# Packages whose modules declare application tables on service.database.Base.
MODEL_PACKAGES = ("casework", "directory")
TRACKER_TABLE = "events"  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent


def load_models(packages: Iterable[str] = MODEL_PACKAGES) -> None:
    """Import every module of the model packages, so Base.metadata holds every table (nothing runs at import)."""
    for name in packages:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=name + "."):
            if not module.name.endswith(".__main__"):  # a command line, run on import
                importlib.import_module(module.name)


@dataclass
class RekeyReport:
    """What a run changed or found, as counts per `table.column` (never a value)."""

    old_hash_keys: int = 0
    old_encryption_keys: int = 0
    numbers: Counter[str] = field(default_factory=Counter)
    sender_ids: Counter[str] = field(default_factory=Counter)
    keyed_hashes: Counter[str] = field(default_factory=Counter)
    resealed: Counter[str] = field(default_factory=Counter)
    unreadable: Counter[str] = field(default_factory=Counter)
    merged: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    unmatched: Counter[str] = field(default_factory=Counter)  # sms ids whose number is stored nowhere
    tracker_rows: int = 0
    tracker_conversations: int = 0
    tracker_note: str = ""
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return (sum(self.sender_ids.values()) + sum(self.keyed_hashes.values()) + sum(self.resealed.values())
                + sum(self.merged.values()) + self.tracker_rows)

    @property
    def old_keys_removable(self) -> bool:
        # Unmatched ids (a flag whose resident's number is stored nowhere) stay as they are whatever
        # the keys: they do not hold the old keys back.
        return not (self.unreadable or self.conflicts)

    def lines(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{name} {n}" for name, n in sorted(counter.items()) if n) or "none"

        verb = "would change" if self.dry_run else "changed"
        lines = [
            f"re-key ({'dry run, nothing written' if self.dry_run else 'done'}): "
            f"{self.old_hash_keys} old PHONE_HASH_KEY, {self.old_encryption_keys} old PHONE_ENCRYPTION_KEY",
            f"stored numbers read: {counts(self.numbers)}",
            f"sender ids re-keyed: {counts(self.sender_ids)}",
            f"residents found under two keys and merged: {counts(self.merged)}",
            f"keyed hashes re-keyed: {counts(self.keyed_hashes)}",
            f"re-sealed under the new encryption key: {counts(self.resealed)}",
            f"Rasa tracker store: {self.tracker_rows} events of {self.tracker_conversations} conversations re-keyed"
            + (f" ({self.tracker_note})" if self.tracker_note else ""),
            f"rows {verb}: {self.changed}",
        ]
        if self.unreadable:
            lines.append(f"sealed values no configured key opens (add their key to PHONE_ENCRYPTION_KEY_PREVIOUS): "
                         f"{counts(self.unreadable)}")
        if self.conflicts:
            lines.append(f"left as they were, the new value is already taken (resolve by hand): {counts(self.conflicts)}")
        if self.unmatched:
            lines.append(f"sms sender ids whose number is stored nowhere (left as they are): {counts(self.unmatched)}")
        if self.old_keys_removable:
            lines.append("nothing is left under the old keys: PHONE_HASH_KEY_PREVIOUS and PHONE_ENCRYPTION_KEY_PREVIOUS "
                         "can be removed" + (" after a real run" if self.dry_run else ""))
        else:
            lines.append("keep the old keys until the lines above are resolved")
        return lines


@dataclass
class _KeyMap:
    old_to_new: dict[str, str] = field(default_factory=dict)  # phone hash under an old key -> under the new key
    current: set[str] = field(default_factory=set)  # hashes under the new key of every stored number

    def new_sender_id(self, value: str) -> str | None:
        if not value.startswith(SMS_PREFIX):
            return None
        return _with_prefix(self.old_to_new.get(value[len(SMS_PREFIX):]))

    def is_known(self, value: str) -> bool:
        digest = value[len(SMS_PREFIX):]
        return digest in self.current or digest in self.old_to_new


def _with_prefix(digest: str | None) -> str | None:
    return None if digest is None else SMS_PREFIX + digest


def _name(col: Column) -> str:
    return f"{col.table.name}.{col.name}"


def application_tables(conn: Connection) -> Iterator[Table]:
    """Application tables that exist in this database (a model may be newer than the schema)."""
    existing = set(inspect(conn).get_table_names())
    for tbl in Base.metadata.sorted_tables:
        if tbl.name in existing:
            yield tbl


def sender_id_columns(tbl: Table) -> list[Column]:
    return [c for c in tbl.columns if c.name == "sender_id" or c.name.endswith("_sender_id") or c.info.get("sender_id")]


def _is_unique(tbl: Table, col: Column) -> bool:
    if col.unique or [c.name for c in tbl.primary_key.columns] == [col.name]:
        return True
    single = [[c.name for c in constraint.columns] for constraint in tbl.constraints if isinstance(constraint, UniqueConstraint)]
    single += [[c.name for c in index.columns] for index in tbl.indexes if index.unique]
    return [col.name] in single


def _sealed_rows(conn: Connection, col: Column) -> Iterator[tuple[tuple, str]]:
    """(primary key, token) of every non-null sealed value in the column (rows `sealed_when` says are sealed)."""
    tbl = col.table
    conditions = [tbl.c[name] == value for name, value in (col.info.get(SEALED_WHEN) or {}).items()]
    pk = list(tbl.primary_key.columns)
    for row in conn.execute(select(*pk, col).where(col.isnot(None), *conditions)):
        yield tuple(row[:-1]), row[-1]


def _where_pk(tbl: Table, key: tuple) -> Any:
    return and_(*[c == v for c, v in zip(tbl.primary_key.columns, key, strict=True)])


def _key_map(conn: Connection, settings: Settings, report: RekeyReport) -> _KeyMap:
    old_keys = [k for k in dict.fromkeys(settings.phone_hash_key_previous) if k and k != settings.phone_hash_key]
    report.old_hash_keys = len(old_keys)
    phones = vault_for("phone", settings)
    keys = _KeyMap()
    for tbl in application_tables(conn):
        for col in tbl.columns:
            if col.info.get(SEALED) != "phone":
                continue
            for _, token in _sealed_rows(conn, col):
                try:
                    number = phones.open(token)
                except InvalidToken:
                    continue  # counted by the re-seal step
                report.numbers[_name(col)] += 1
                new = phone_hash(number, key=settings.phone_hash_key)
                keys.current.add(new)
                for old in old_keys:
                    keys.old_to_new[phone_hash(number, key=old)] = new
    return keys


def _repoint_and_drop(conn: Connection, tbl: Table, old_key: tuple, new_row: Any) -> None:
    """Point every foreign key at the row under the new id, then delete the one under the old id."""
    old_row = conn.execute(select(tbl).where(_where_pk(tbl, old_key))).one()
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is tbl and old_row._mapping[fk.column.name] != new_row._mapping[fk.column.name]:
                conn.execute(update(other).where(fk.parent == old_row._mapping[fk.column.name])
                             .values({fk.parent.name: new_row._mapping[fk.column.name]}))
    conn.execute(delete(tbl).where(_where_pk(tbl, old_key)))


def _merged_resident(tbl: Table, old_row: Any, new_row: Any, id_column: Column) -> dict[str, Any]:
    """The row under the new id, completed from the old one; an opt-out under either id stays an opt-out
    (which of the two came last cannot be told, and a wrong STOP costs less than a text after STOP)."""
    old, new = old_row._mapping, new_row._mapping
    values: dict[str, Any] = {}
    for col in tbl.columns:
        if col.primary_key or col.name == id_column.name:
            continue
        both = [v for v in (old[col.name], new[col.name]) if v is not None]
        if col.name == "opted_out":
            values[col.name] = any(both)
        elif col.name == "first_contact_at" and both:
            values[col.name] = min(both)
        elif col.name == "last_contact_at" and both:
            values[col.name] = max(both)
        else:
            values[col.name] = new[col.name] if new[col.name] is not None else old[col.name]
    if values.get("opted_out") is False and "opted_out_at" in values:
        values["opted_out_at"] = None
    return values


def _rekey_sender_ids(conn: Connection, keys: _KeyMap, report: RekeyReport) -> None:
    for tbl in application_tables(conn):
        for col in sender_id_columns(tbl):
            present = set(conn.execute(select(col).where(col.like(SMS_PREFIX + "%")).distinct()).scalars())
            renames = {old: new for old in present if (new := keys.new_sender_id(old)) is not None}
            report.unmatched[_name(col)] += sum(1 for value in present if not keys.is_known(value))
            if _is_unique(tbl, col):
                for old, new in [(old, new) for old, new in renames.items() if new in present]:
                    old_row = conn.execute(select(tbl).where(col == old)).one()
                    new_row = conn.execute(select(tbl).where(col == new)).one()
                    if tbl.name == "resident":
                        conn.execute(update(tbl).where(col == new).values(_merged_resident(tbl, old_row, new_row, col)))
                        new_row = conn.execute(select(tbl).where(col == new)).one()
                    old_key = tuple(old_row._mapping[c.name] for c in tbl.primary_key.columns)
                    _repoint_and_drop(conn, tbl, old_key, new_row)
                    report.merged[_name(col)] += 1
                    del renames[old]
            for old, new in renames.items():
                report.sender_ids[_name(col)] += conn.execute(update(tbl).where(col == old).values({col.name: new})).rowcount


def _rekey_keyed_hashes(conn: Connection, keys: _KeyMap, report: RekeyReport) -> None:
    for tbl in application_tables(conn):
        for col in tbl.columns:
            if col.info.get(KEYED_HASH) != "phone":
                continue
            present = set(conn.execute(select(col).where(col.isnot(None)).distinct()).scalars())
            unique = _is_unique(tbl, col)
            for old in present:
                new = keys.old_to_new.get(old)
                if new is None:
                    continue
                if unique and new in present:
                    report.conflicts[_name(col)] += 1
                    continue
                report.keyed_hashes[_name(col)] += conn.execute(update(tbl).where(col == old).values({col.name: new})).rowcount


def _reseal(conn: Connection, settings: Settings, report: RekeyReport) -> None:
    report.old_encryption_keys = len([k for k in dict.fromkeys(settings.phone_encryption_key_previous)
                                      if k and k != settings.phone_encryption_key])
    for tbl in application_tables(conn):
        for col in tbl.columns:
            purpose = col.info.get(SEALED)
            if not purpose:
                continue
            vault = vault_for(purpose, settings)
            for key, token in list(_sealed_rows(conn, col)):
                if vault.is_current(token):
                    continue
                try:
                    fresh = vault.reseal(token)
                except InvalidToken:
                    report.unreadable[_name(col)] += 1
                    continue
                conn.execute(update(tbl).where(_where_pk(tbl, key)).values({col.name: fresh}))
                report.resealed[_name(col)] += 1


def _rekey_tracker(conn: Connection, keys: _KeyMap, report: RekeyReport) -> None:
    if not inspect(conn).has_table(TRACKER_TABLE):
        report.tracker_note = "no events table yet"
        return
    events = table(TRACKER_TABLE, column("sender_id"))
    present = list(conn.execute(select(events.c.sender_id).where(events.c.sender_id.like(SMS_PREFIX + "%")).distinct()).scalars())
    for old in present:
        new = keys.new_sender_id(old)
        if new is None:
            if not keys.is_known(old):
                report.unmatched[f"{TRACKER_TABLE}.sender_id"] += 1
            continue
        report.tracker_rows += conn.execute(update(events).where(events.c.sender_id == old).values(sender_id=new)).rowcount
        report.tracker_conversations += 1


def rekey(app_engine: Engine, settings: Settings, *, tracker_engine: Engine | None = None, dry_run: bool = False) -> RekeyReport:
    """Re-key the application database, then Rasa's tracker store (the same transaction if it is the same engine)."""
    load_models()
    report = RekeyReport(dry_run=dry_run)
    same_database = tracker_engine is not None and tracker_engine is app_engine
    with _transaction(app_engine, dry_run=dry_run) as conn:
        keys = _key_map(conn, settings, report)
        _rekey_sender_ids(conn, keys, report)
        _rekey_keyed_hashes(conn, keys, report)
        _reseal(conn, settings, report)
        if same_database:
            _rekey_tracker(conn, keys, report)
    if tracker_engine is None:
        report.tracker_note = "no tracker store"
    elif not same_database:
        with _transaction(tracker_engine, dry_run=dry_run) as conn:
            _rekey_tracker(conn, keys, report)
    return report


@contextmanager
def _transaction(engine: Engine, *, dry_run: bool) -> Iterator[Connection]:
    """A connection in one transaction: committed at the end, or rolled back on any error and for a dry run."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        except BaseException:
            transaction.rollback()
            raise
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()


def tracker_engine(url: str, app_engine: Engine) -> Engine | None:
    """An engine on one of Rasa's tracker stores (the application's own when it is the same database);
    None for a SQLite file Rasa never created."""
    parsed = make_url(url)
    if parsed.render_as_string(hide_password=False) == app_engine.url.render_as_string(hide_password=False):
        return app_engine
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        return None  # Rasa has never run here: no conversations to re-key
    # Not make_engine: its SQLite pragmas would switch Rasa's own file to WAL.
    return create_engine(url, future=True, hide_parameters=True)


def main(argv: list[str] | None = None) -> int:
    from service.launch import tracker_database_url, tracker_database_urls

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
    args = parser.parse_args(argv)
    settings = load_settings()
    settings.check()
    app_engine = make_engine(settings.database_url)
    # Every Rasa worker's file (RASA_WORKERS > 1 on SQLite), not only the first.
    trackers = [tracker_engine(url, app_engine) for url in tracker_database_urls() or [tracker_database_url()]]
    try:
        report = rekey(app_engine, settings, tracker_engine=trackers[0], dry_run=args.dry_run)
        for more in trackers[1:]:
            if more is not None:
                # The application database is already done (or, dry, unchanged): take the tracker's counts.
                extra = rekey(app_engine, settings, tracker_engine=more, dry_run=args.dry_run)
                report.tracker_rows += extra.tracker_rows
                report.tracker_conversations += extra.tracker_conversations
    finally:
        for engine in trackers:
            if engine is not None and engine is not app_engine:
                engine.dispose()
        app_engine.dispose()
    print("\n".join(report.lines()))
    return 0 if report.old_keys_removable else 1


if __name__ == "__main__":
    sys.exit(main())
