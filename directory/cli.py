"""`python -m directory COMMAND`: import, export, search, stats, embed and seed-sample against DATABASE_URL."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from sqlalchemy import func, inspect, select

from service.database import make_engine, make_sessionmaker
from service.settings import load_settings

log = logging.getLogger("directory")


def _session_factory(url: str | None):  # type: ignore[no-untyped-def]
    engine = make_engine(url or load_settings().database_url)
    if not inspect(engine).has_table("directory_service"):
        raise SystemExit("the directory tables do not exist yet: run `python -m service.migrate` first")
    return make_sessionmaker(engine)


def cmd_import(args: argparse.Namespace) -> int:
    from directory.importing import import_source

    with _session_factory(args.database_url).begin() as session:
        report = import_source(session, args.source, progress=None if not args.quiet else False)
    for line in report.lines():
        print(line)
    # Non-zero only when nothing at all could be read: rejected records are reported, not fatal.
    return 1 if report.records_read == 0 else 0


def cmd_export(args: argparse.Namespace) -> int:
    from directory.export import export_page

    with _session_factory(args.database_url)() as session:
        page = export_page(session)
    text = json.dumps(page, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {page['total_items']} services to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from directory.search import UnknownPlace, find_activities

    with _session_factory(args.database_url)() as session:
        try:
            matches = find_activities(
                session, interest=args.interest, near=args.near, day=args.day, free_only=args.free,
                limit=args.limit, within_miles=args.within, wheelchair=args.wheelchair, hearing_loop=args.hearing_loop,
                wish=args.interest if args.meaning else None,
            )
        except UnknownPlace as error:
            print(f"{error}: try a full postcode, a postcode district (CH44) or a town name", file=sys.stderr)
            return 2
        except ValueError as error:
            print(str(error), file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps([m.__dict__ for m in matches], indent=1, default=list))
        return 0
    if not matches:
        print("nothing found")
    for number, match in enumerate(matches, start=1):
        print(f"{number}. {match.name}{'  [sample]' if match.is_sample else ''}")
        for label, value in (("when", match.when), ("where", match.where), ("cost", match.cost),
                             ("contact", match.contact)):
            if value:
                print(f"   {label}: {value}")
        print(f"   why: {', '.join(match.reasons) or '-'}   score {match.score:.3f} "
              f"({', '.join(f'{k} {v:.3f}' for k, v in match.score_parts)})")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from directory.models import Feed, Location, SearchEntry, Service, TaxonomyTerm
    from directory.postcodes_build import is_current, table_path

    with _session_factory(args.database_url)() as session:
        def count(model, *where) -> int:  # type: ignore[no-untyped-def]
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        print(f"services: {count(Service)} ({count(Service, Service.status == 'active', Service.retired_at.is_(None))} "
              f"suggestible, {count(Service, Service.retired_at.is_not(None))} retired, "
              f"{count(Service, Service.is_sample.is_(True))} sample)")
        for status, n in session.execute(select(Service.status, func.count()).group_by(Service.status).order_by(Service.status)):
            print(f"  status {status}: {n}")
        print(f"locations: {count(Location)} ({count(Location, Location.latitude.is_(None))} without coordinates, "
              f"{count(Location, Location.geocoded_from == 'postcode')} placed by postcode)")
        print(f"taxonomy terms: {count(TaxonomyTerm)}")
        print(f"search index rows: {count(SearchEntry)} ({count(SearchEntry, SearchEntry.meaning.is_(None))} not yet read for "
              f"meaning: python -m directory embed)")
        print("feeds:")
        for feed in session.scalars(select(Feed).order_by(Feed.id)):
            n = count(Service, Service.feed_id == feed.id)
            print(f"  {feed.source} [{feed.kind}] {n} services, last imported {feed.last_imported_at:%Y-%m-%d %H:%M}")
    path = table_path()
    print(f"postcode table: {path} ({'current' if is_current(path) else 'MISSING or out of date: run python -m directory.postcodes_build'})")
    return 0


def cmd_embed(args: argparse.Namespace) -> int:
    from directory.meaning import encoder
    from directory.search_index import fill_meanings

    if encoder() is None:
        print("the sentence encoder is missing (make encoder): groups are matched by words alone", file=sys.stderr)
        return 1
    with _session_factory(args.database_url).begin() as session:
        filled = fill_meanings(session)
    print(f"{filled} search entries read for meaning")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from directory.models import Service
    from directory.search_index import fill_meanings, reindex_service

    with _session_factory(args.database_url).begin() as session:
        services = session.scalars(select(Service).order_by(Service.id)).all()
        for service in services:
            reindex_service(session, service)
        filled = fill_meanings(session)
    print(f"{len(services)} services indexed again ({filled} search entries read for meaning)")
    return 0


def cmd_seed_sample(args: argparse.Namespace) -> int:
    from directory.sample import load_sample_if_empty

    with _session_factory(args.database_url).begin() as session:
        loaded = load_sample_if_empty(session)
    print(f"loaded {loaded} sample services" if loaded else "the directory already holds data; sample not loaded")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m directory", description="The activity directory.")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL from the settings")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import an ORUK 3.0/1.0 JSON file, folder, CSV or feed URL",
                       description="Import SOURCE: an ORUK 3.0 JSON file or folder of them, an ORUK 1.0 JSON export, "
                                   "a CSV (columns in directory/import_csv.py) or an http(s) feed URL (pages "
                                   "followed). Bad records are rejected one by one; exits 1 only when nothing "
                                   "could be read.")
    p.add_argument("source")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write all active services as an ORUK 3.0 JSON page",
                       description="Print (or write with -o) an ORUK 3.0 page of all active services.")
    p.add_argument("-o", "--output", help="file to write instead of standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("search", help="find activities, as the bot would",
                       description='Rank activities, e.g. search "knitting" --near "CH44 5TN" --day tue')
    p.add_argument("interest")
    p.add_argument("--near", help="postcode, postcode district or town")
    p.add_argument("--day", help="mon, tue, ... or a full day name")
    p.add_argument("--free", action="store_true", help="free activities only")
    p.add_argument("--limit", type=int, default=3)
    p.add_argument("--within", type=float, default=10.0, help="search radius in miles (default 10)")
    p.add_argument("--wheelchair", action="store_true", help="prefer wheelchair-accessible venues")
    p.add_argument("--hearing-loop", action="store_true", help="prefer venues with a hearing loop")
    p.add_argument("--json", action="store_true", help="print the matches as JSON")
    p.add_argument("--meaning", action="store_true", help="match the words by meaning too, as the bot does")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("stats", help="counts of services, locations, feeds and the postcode table",
                       description="Print what the directory holds.")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("embed", help="read every group not yet read for meaning with the sentence encoder",
                       description="Fill the search entries' sentence vectors (directory.meaning); imports do this "
                                   "themselves, so this is for entries indexed before the encoder was installed.")
    p.set_defaults(func=cmd_embed)

    p = sub.add_parser("reindex", help="index every group again, after an upgrade changed how interests are read",
                       description="Rebuild the search index from the directory: the words each interest is known by "
                                   "(directory/interests.py) are read into the index when a group is imported, so an "
                                   "upgrade that teaches new ones reaches groups already imported only after this.")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("seed-sample", help="load the sample directory if the directory is empty",
                       description="Load directory/data/sample_directory.json, only into an empty directory.")
    p.set_defaults(func=cmd_seed_sample)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args.func(args)
