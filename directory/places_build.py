"""Write data/places.csv from the gazetteer and the postcode table: `python -m directory.places_build`.

`data/gazetteer.csv` lists every place the service knows by name, each with the postcode sector it
lies in ("Garlinge,Kent,CT9 5"), or several sectors or districts joined by "+" for an area ("Thanet,
Kent,CT7+CT8+..."). A place is put at the mean of the postcodes there, read from the offline postcode
table (`var/postcodes.sqlite`, from `python -m directory.postcodes_build`), and given its postcode
district. A place with no sector (the first towns, placed by hand) keeps the position places.csv has
for it. Run by hand when the gazetteer changes; places.csv is committed, and `directory.geocoding`
reads only it.
"""
from __future__ import annotations

import argparse
import csv
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from directory.postcodes_build import table_path

DATA = Path(__file__).parent / "data"
PLACES = DATA / "places.csv"
GAZETTEER = DATA / "gazetteer.csv"
COLUMNS = ["name", "lat", "lon", "area", "postcode_district"]
_CODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?: ([0-9]))?$")  # "CT9 5" (a sector) or "CT9" (a district)


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    area: str
    codes: tuple[str, ...]  # ("CT9 5",), ("CT7", "CT8", ...), or () when placed by hand

    @property
    def district(self) -> str:
        """Its postcode district; none for an area spanning several."""
        districts = {code.split(" ")[0] for code in self.codes}
        return districts.pop() if len(districts) == 1 else ""


def read_gazetteer(path: Path = GAZETTEER) -> list[GazetteerEntry]:
    with path.open(newline="", encoding="utf-8") as handle:
        entries = [GazetteerEntry(row["name"].strip(), row["area"].strip(),
                                  tuple(c.strip().upper() for c in (row["postcode_sector"] or "").split("+") if c.strip()))
                   for row in csv.DictReader(handle)]
    for entry in entries:
        for code in entry.codes:
            if not _CODE.match(code):
                raise SystemExit(f"{path}: {entry.name}: {code!r} is neither a postcode sector (CT9 5) nor a district (CT9)")
    names = [e.name for e in entries]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SystemExit(f"{path}: named more than once: {', '.join(repeated)}")
    return entries


def centre(db: sqlite3.Connection, codes: tuple[str, ...]) -> tuple[float, float]:
    """The mean position of every postcode in the sectors or districts."""
    lat = lon = 0.0
    count = 0
    for code in codes:
        match = _CODE.match(code)
        if match is None:
            raise ValueError(f"not a postcode sector or district: {code!r}")
        outcode, digit = match.groups()
        prefix = outcode + (digit or "")
        # Postcodes are stored without the space, so a sector's are its prefix and two letters, and a
        # district's its outcode and three characters ("CT1" is not "CT10").
        row = db.execute(
            "SELECT sum(lat_e6), sum(lon_e6), count(*) FROM postcode WHERE postcode >= ? AND postcode < ? AND length(postcode) = ?",
            (prefix, prefix + "~", len(outcode) + 3),
        ).fetchone()
        if not row[2]:
            raise SystemExit(f"no postcodes in {code}: not a sector or district in the postcode table")
        lat, lon, count = lat + row[0] / 1e6, lon + row[1] / 1e6, count + row[2]
    return lat / count, lon / count


def build(entries: list[GazetteerEntry], placed_by_hand: dict[str, dict[str, str]], db: sqlite3.Connection) -> list[dict[str, str]]:
    """places.csv's rows, in the gazetteer's order."""
    rows = []
    for entry in entries:
        if entry.codes:
            lat, lon = centre(db, entry.codes)
            rows.append({"name": entry.name, "lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "area": entry.area, "postcode_district": entry.district})
        elif entry.name in placed_by_hand:
            rows.append({column: placed_by_hand[entry.name].get(column, "") for column in COLUMNS})
        else:
            raise SystemExit(f"{entry.name} has no postcode sector in the gazetteer and no position in places.csv")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m directory.places_build", description="Write data/places.csv from data/gazetteer.csv.")
    parser.add_argument("--table", type=Path, default=None, help="postcode table to read (default: the one geocoding uses)")
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER, help="the places and their postcode sectors")
    parser.add_argument("--places", type=Path, default=PLACES, help="places.csv to rewrite")
    args = parser.parse_args(argv)
    table = args.table or table_path()
    if not table.exists():
        raise SystemExit(f"{table} is missing: build it first with `python -m directory.postcodes_build`")
    entries = read_gazetteer(args.gazetteer)
    with args.places.open(newline="", encoding="utf-8") as handle:
        placed_by_hand = {row["name"]: row for row in csv.DictReader(handle)}
    db = sqlite3.connect(f"file:{table}?mode=ro", uri=True)
    try:
        rows = build(entries, placed_by_hand, db)
    finally:
        db.close()
    with args.places.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    by_sector = sum(1 for e in entries if e.codes)
    print(f"wrote {len(rows)} places to {args.places}: {by_sector} by postcode sector, {len(rows) - by_sector} placed by hand")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
