"""Back up a database and restore it into an empty one: the application database (cases, residents,
reports, the outbox, the audit trail, the directory) or Rasa's tracker store (conversations).

    python -m service.backup save                       # DATABASE_URL -> var/backups/app-<time>.sqlite|.dump
    python -m service.backup save --to /mnt/backups/app.dump --database-url postgresql://...
    python -m service.backup restore /mnt/backups/app.dump --database-url postgresql://.../empty_db

SQLite is copied with SQLite's online backup (a consistent copy while the service runs and writes);
PostgreSQL with pg_dump's custom format and pg_restore (from Debian's postgresql-client), also
consistent while the service runs. A restore goes only into an empty database (no tables), so a
backup can never be laid over live data by mistake; say where with --database-url.

A backup holds sealed phone numbers and encrypted texts: it is personal data. It is written owner-only
(0600), in an owner-only folder, and is useless without the keys in the service's settings
(PHONE_ENCRYPTION_KEY, PHONE_HASH_KEY...), which are backed up separately and never beside it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url

from service.private_files import private_file, private_folder
from service.settings import ROOT, load_settings

__all__ = ["BackupError", "save", "restore"]


class BackupError(RuntimeError):
    """What went wrong, in words for the person running the command."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _pg_env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _pg_args(url: URL) -> list[str]:
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    return args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def save(database_url: str, dest: Path) -> Path:
    """A consistent copy of the database at `dest` (owner-only); returns `dest`."""
    url = make_url(database_url)
    private_folder(dest.parent)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    private_file(partial)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.is_file():
            raise BackupError(f"no SQLite database at {source}")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live, sqlite3.connect(partial) as copy:
            live.backup(copy)
        copy.close()
    elif url.get_backend_name() == "postgresql":
        done = subprocess.run([_tool("pg_dump"), *_pg_args(url), "--format=custom", "--no-owner", "--file", str(partial), url.database or ""],
                              env=_pg_env(url), capture_output=True, text=True)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    else:
        raise BackupError(f"cannot back up a {url.get_backend_name()} database")
    partial.replace(dest)
    return dest


def _empty(database_url: str) -> bool:
    engine = create_engine(database_url, future=True)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def restore(backup: Path, database_url: str) -> None:
    """The backup into the (empty) database at `database_url`."""
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    url = make_url(database_url)
    if not _empty(database_url):
        raise BackupError("the database to restore into already has tables: restore only into an empty database")
    if url.get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as saved, sqlite3.connect(target) as live:
            saved.backup(live)
        live.close()
        private_file(target)
    elif url.get_backend_name() == "postgresql":
        done = subprocess.run([_tool("pg_restore"), *_pg_args(url), "--no-owner", "--exit-on-error", "--dbname", url.database or "", str(backup)],
                              env=_pg_env(url), capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    else:
        raise BackupError(f"cannot restore into a {url.get_backend_name()} database")


def default_destination(database_url: str, folder: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite" if make_url(database_url).get_backend_name() == "sqlite" else "dump"
    return folder / f"app-{stamp}.{suffix}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Back up a database, or restore a backup into an empty one.")
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save", help="write a consistent copy of the database")
    saving.add_argument("--to", type=Path, help="where (default var/backups/app-<time>.sqlite or .dump)")
    saving.add_argument("--database-url", help="default DATABASE_URL (the application database)")
    restoring = commands.add_parser("restore", help="restore a backup into an empty database")
    restoring.add_argument("backup", type=Path)
    restoring.add_argument("--database-url", required=True, help="the empty database to restore into")
    args = parser.parse_args(argv)
    try:
        if args.command == "save":
            settings = load_settings()
            url = args.database_url or settings.database_url
            dest = args.to or default_destination(url, Path(os.environ.get("VAR_DIR") or ROOT / "var") / "backups")
            print(f"backup written to {save(url, dest)}")
        else:
            restore(args.backup, args.database_url)
            print(f"restored {args.backup} into {make_url(args.database_url).render_as_string(hide_password=True)}")
    except BackupError as problem:
        print(f"backup: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
