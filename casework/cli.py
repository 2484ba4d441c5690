"""`python -m casework COMMAND`: connectors, the rota, API tokens and cases, against DATABASE_URL.

    python -m casework connectors add --name NAME --phone E164 --email EMAIL --patch "CH41 CH42" [--role manager]
    python -m casework connectors list [--all]
    python -m casework connectors deactivate --id 3          (activate --id 3 undoes it)
    python -m casework connectors set-password --phone E164  (asks twice; or reads one line from stdin)
    python -m casework rota add --connector 3 --from "2026-12-01 09:00" --to "2026-12-01 17:00"
    python -m casework rota list
    python -m casework tokens create --name NAME --scope cases|outcomes   (repeatable; the token is the last line printed)
    python -m casework tokens list | revoke --name NAME
    python -m casework cases list [--open]
    python -m casework volunteers list [--state ready] | show GN-12345
    python -m casework volunteers approve --phone E164      (records the checks their offer needs as seen today, and approves)
    python -m casework volunteers trained --phone E164      (records their training complete)
    python -m casework matches propose --resident-phone E164 --volunteer-phone E164   (the match's reference is printed)

Times without a zone are local (WORKING_TIMEZONE, Europe/London by default). Numbers are always shown masked,
except a volunteer's in `volunteers show` (it is there to ring them; the read is audited).
"""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker

from casework.befriending.matches import propose_by_phone
from casework.cases.alert_settings import alert_settings
from casework.cases.connectors import (
    ConnectorError,
    add_connector,
    add_shift,
    list_connectors,
    list_shifts,
    masked_mobile,
    set_active,
)
from casework.cases.models import OPEN_CASE_STATES, ROLES, VOLUNTEER_STATES
from casework.cases.opening import CaseworkError
from casework.cases.reading import list_cases
from casework.console.access import set_password
from casework.console.passwords import MIN_LENGTH
from casework.console.tokens import SCOPES, checked_scopes, create_token, list_tokens, revoke_token
from casework.good_neighbours.checks import checks_missing_for
from casework.good_neighbours.states import approve, local_today, record_checks, record_training_done
from casework.good_neighbours.volunteers import find_by_phone, list_volunteers, roles_words, volunteer_details
from casework.models import utcnow
from casework.residents.identity import InvalidPhoneNumber
from service.database import make_engine, make_sessionmaker
from service.settings import Settings, SettingsError, load_settings


class _Refused(Exception):
    """A request the command cannot carry out; the message is for the person at the keyboard."""


def _sessions(settings: Settings) -> sessionmaker:
    engine = make_engine(settings.database_url)
    if not inspect(engine).has_table("connector"):
        raise _Refused("the casework tables do not exist yet: run `python -m service.migrate` first")
    return make_sessionmaker(engine)


def _when(text: str, settings: Settings) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise _Refused(f"not a date and time: {text!r} (use e.g. 2026-12-01 09:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=alert_settings(settings).working_hours.zone)
    return moment


def connectors_add(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings).begin() as session:
        added = add_connector(session, name=args.name, phone=args.phone, email=args.email, patch=args.patch or "",
                              role=args.role, settings=settings)
        masked = masked_mobile(session, added.id, settings=settings)
    print(f"added {added.role} {added.id}: {added.name}, {masked}, {added.email}, "
          f"patch {' '.join(added.patch) or '-'}")


def connectors_list(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings)() as session:
        people = list_connectors(session, active_only=not args.all)
        for person in people:
            try:
                masked = masked_mobile(session, person.id, settings=settings)
            except InvalidToken:
                masked = "*** (cannot be decrypted with this PHONE_ENCRYPTION_KEY)"
            print(f"{person.id:>4}  {person.name:<24} {person.role:<9} {masked:<8} {person.email:<32} "
                  f"{' '.join(person.patch) or '-'}{'' if person.active else '  (inactive)'}")
    if not people:
        print("no connectors yet: python -m casework connectors add --name ... --phone ... --email ... --patch ...")


def connectors_active(active: bool) -> Callable[[argparse.Namespace, Settings], None]:
    def run(args: argparse.Namespace, settings: Settings) -> None:
        with _sessions(settings).begin() as session:
            changed = set_active(session, args.id, active)
        print(f"connector {args.id} {'is now' if changed else 'was already'} {'active' if active else 'inactive'}")
    return run


def _new_password() -> str:
    if not sys.stdin.isatty():
        # Piped in (a script, a secrets manager): one line, the newline is not part of the password.
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"New console password (at least {MIN_LENGTH} characters; a few words are good): ")
    if getpass.getpass("The same again: ") != first:
        raise _Refused("the two passwords differ; nothing was changed")
    return first


def connectors_set_password(args: argparse.Namespace, settings: Settings) -> None:
    sessions = _sessions(settings)
    password = _new_password()
    with sessions.begin() as session:
        person = set_password(session, phone=args.phone, password=password, settings=settings)
    print(f"console password set for {person.role} {person.id}: {person.name}; their other console sessions are signed out")


def rota_add(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings).begin() as session:
        people = list_connectors(session)
        match = [p for p in people if str(p.id) == args.connector or p.name.lower() == args.connector.lower()]
        if len(match) != 1:
            raise _Refused(f"no single connector {args.connector!r}: give the id shown by `connectors list`")
        shift = add_shift(session, connector_id=match[0].id, starts_at=_when(args.start, settings),
                          ends_at=_when(args.end, settings))
    zone = alert_settings(settings).working_hours.zone
    print(f"shift {shift.id}: {shift.connector_name} on duty {shift.starts_at.astimezone(zone):%a %d %b %H:%M} "
          f"to {shift.ends_at.astimezone(zone):%a %d %b %H:%M}")


def rota_list(args: argparse.Namespace, settings: Settings) -> None:
    zone = alert_settings(settings).working_hours.zone
    with _sessions(settings)() as session:
        shifts = list_shifts(session, ending_after=None if args.all else utcnow())
    for shift in shifts:
        print(f"{shift.id:>4}  {shift.starts_at.astimezone(zone):%a %d %b %H:%M} - "
              f"{shift.ends_at.astimezone(zone):%a %d %b %H:%M}  {shift.connector_name}")
    if not shifts:
        print("no shifts: everyone active is on duty")


def tokens_create(args: argparse.Namespace, settings: Settings) -> None:
    try:
        scopes = checked_scopes(args.scope or ())
    except ValueError as problem:
        sys.exit(f"not created: {problem}")
    with _sessions(settings).begin() as session:
        new = create_token(session, name=args.name, scopes=scopes)
    print(f"API token for {new.name!r}, scopes {', '.join(new.scopes)} (shown once; only its SHA-256 is stored). "
          "Use: Authorization: Bearer <token>")
    print(new.token)


def tokens_list(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings)() as session:
        for token in list_tokens(session):
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "live"
            scopes = ",".join(token.scopes) or "no scope"
            print(f"{token.id:>4}  {token.name:<32} {scopes:<14} created {token.created_at:%Y-%m-%d %H:%M}  {state}")


def tokens_revoke(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings).begin() as session:
        count = revoke_token(session, name=args.name)
    print(f"revoked {count} token(s) named {args.name!r}")


def cases_list(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings)() as session:
        cases = list_cases(session, states=OPEN_CASE_STATES if args.open else None)
    for case in cases:
        waiting = " OVERDUE" if case.overdue else (" awaiting ACK" if case.awaiting_acknowledgement else "")
        print(f"{case.reference:<10} {case.priority:<8} {case.state:<14} {case.area or '-':<6} "
              f"{case.owner or '-':<24}{waiting}")


def volunteers_list(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings)() as session:
        volunteers = list_volunteers(session, state=args.state)
    for v in volunteers:
        told = "" if v.told else "  (no connector told)"
        print(f"{v.reference:<10} {v.state:<12} {v.area:<16} {roles_words(v.roles)}{told}")


def volunteers_show(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings).begin() as session:
        found = volunteer_details(session, reference=args.reference, settings=settings, actor=_actor())
    if found is None:
        raise _Refused(f"no volunteer {args.reference}")
    print(f"{found.reference}  {found.state}  signed up {found.created_at:%d %b %Y}")
    print(f"Name:      {found.name}")
    print(f"Area:      {found.area_label}")
    print(f"Free:      {found.availability}")
    print(f"Offers:    {roles_words(found.roles)}")
    print(f"Interests: {found.interests or 'not noted'}")
    print(f"Contact:   {found.contact or 'not given'}")
    seen = {check.kind: check.seen_on for check in found.checks}
    print("Checks:    " + ", ".join(f"{kind} {'seen ' + seen[kind].isoformat() if kind in seen else 'not yet'}" for kind in found.checks_needed))
    done = sum(module.state == "done" for module in found.training)
    print(f"Training:  {'complete' if found.trained else f'{done} modules done'}; {'approved' if found.approved_at else 'not approved'}")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _volunteer_by_phone(session: Session, phone: str, settings: Settings) -> str:
    reference = find_by_phone(session, phone, settings)
    if reference is None:
        raise _Refused("no volunteer signed up from that number, or left it to be reached on")
    return reference


def volunteers_approve(args: argparse.Namespace, settings: Settings) -> None:
    """What a manager does in the console in one step: the checks their offer needs recorded as seen today, then approval."""
    with _sessions(settings).begin() as session:
        reference = _volunteer_by_phone(session, args.phone, settings)
        missing = checks_missing_for(session, reference)
        if missing:
            record_checks(session, reference=reference, actor=_actor(), seen=dict.fromkeys(missing, local_today(settings)), settings=settings)
        state = approve(session, reference=reference, actor=_actor())
    recorded = f"checks recorded as seen today: {', '.join(missing)}; " if missing else ""
    print(f"{reference}: {recorded}approved; {'ready' if state == 'ready' else f'{state} (ready once their training is complete)'}")


def volunteers_trained(args: argparse.Namespace, settings: Settings) -> None:
    with _sessions(settings).begin() as session:
        reference = _volunteer_by_phone(session, args.phone, settings)
        state = record_training_done(session, reference=reference, actor=_actor(), settings=settings)
    print(f"{reference}: training complete; {'ready' if state == 'ready' else f'{state} (ready once approved)'}")


def matches_propose(args: argparse.Namespace, settings: Settings) -> None:
    """The console's "Propose" in one command: both are asked 1/2 by text, in texting hours. The reference is the last line."""
    with _sessions(settings).begin() as session:
        proposed = propose_by_phone(session, resident_phone=args.resident_phone, volunteer_phone=args.volunteer_phone, actor=_actor(),
                                    settings=settings)
    local = proposed.asks_at.astimezone(alert_settings(settings).working_hours.zone)
    print(f"{proposed.request} with {proposed.volunteer}: both asked by text at {local:%d %b %Y %H:%M}")
    print(proposed.reference)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m casework", description=__doc__.splitlines()[0])
    groups = top.add_subparsers(dest="group", required=True)

    connectors = groups.add_parser("connectors", help="connectors and managers").add_subparsers(dest="command", required=True)
    add = connectors.add_parser("add", help="register a connector or manager")
    add.add_argument("--name", required=True)
    add.add_argument("--phone", required=True, help="mobile number, E.164 (+447700900123) or UK national")
    add.add_argument("--email", required=True)
    add.add_argument("--patch", default="", help='postcode districts, e.g. "CH41 CH42" (or an area, "CH")')
    add.add_argument("--role", choices=ROLES, default="connector")
    add.set_defaults(run=connectors_add)
    listing = connectors.add_parser("list", help="list connectors (numbers masked)")
    listing.add_argument("--all", action="store_true", help="include inactive ones")
    listing.set_defaults(run=connectors_list)
    for name, active in (("deactivate", False), ("activate", True)):
        toggle = connectors.add_parser(name, help=f"{name} a connector (alerts stop or resume)")
        toggle.add_argument("--id", type=int, required=True)
        toggle.set_defaults(run=connectors_active(active))

    password = connectors.add_parser("set-password", help="set or reset a connector's console password")
    password.add_argument("--phone", required=True, help="their registered mobile number (E.164 or UK national)")
    password.set_defaults(run=connectors_set_password)

    rota = groups.add_parser("rota", help="who is on duty when").add_subparsers(dest="command", required=True)
    shift = rota.add_parser("add", help="add a shift (with no shifts at all, everyone is on duty)")
    shift.add_argument("--connector", required=True, help="id (or exact name) from `connectors list`")
    shift.add_argument("--from", dest="start", required=True, help='"2026-12-01 09:00" (local time) or ISO 8601')
    shift.add_argument("--to", dest="end", required=True)
    shift.set_defaults(run=rota_add)
    shifts = rota.add_parser("list", help="shifts not yet over")
    shifts.add_argument("--all", action="store_true", help="include past shifts")
    shifts.set_defaults(run=rota_list)

    tokens = groups.add_parser("tokens", help="JSON API tokens").add_subparsers(dest="command", required=True)
    create = tokens.add_parser("create", help="create a token; printed once, as the last line")
    create.add_argument("--name", required=True, help="who or what uses it")
    create.add_argument("--scope", action="append", metavar="SCOPE",
                        help=f"what it may read, repeatable: {', '.join(SCOPES)} (required)")
    create.set_defaults(run=tokens_create)
    tokens.add_parser("list", help="list tokens (never the tokens themselves)").set_defaults(run=tokens_list)
    revoke = tokens.add_parser("revoke", help="revoke every token with this name")
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(run=tokens_revoke)

    cases = groups.add_parser("cases", help="cases").add_subparsers(dest="command", required=True)
    case_list = cases.add_parser("list", help="cases, most urgent first")
    case_list.add_argument("--open", action="store_true", help="open cases only")
    case_list.set_defaults(run=cases_list)

    volunteers = groups.add_parser("volunteers", help="good neighbours").add_subparsers(dest="command", required=True)
    volunteer_list = volunteers.add_parser("list", help="volunteers by state, newest first (no names or numbers)")
    volunteer_list.add_argument("--state", choices=VOLUNTEER_STATES)
    volunteer_list.set_defaults(run=volunteers_list)
    show = volunteers.add_parser("show", help="one volunteer in full, to ring them (the read is audited)")
    show.add_argument("reference", help="e.g. GN-12345")
    show.set_defaults(run=volunteers_show)
    approving = volunteers.add_parser("approve", help="record the checks their offer needs as seen today, and approve them")
    approving.add_argument("--phone", required=True, help="the number they signed up from or left (E.164 or UK national)")
    approving.set_defaults(run=volunteers_approve)
    trained = volunteers.add_parser("trained", help="record their training as complete")
    trained.add_argument("--phone", required=True, help="the number they signed up from or left (E.164 or UK national)")
    trained.set_defaults(run=volunteers_trained)

    matches = groups.add_parser("matches", help="befriending matches").add_subparsers(dest="command", required=True)
    proposing = matches.add_parser("propose", help="propose a ready volunteer for a resident's request (both asked 1/2 by text)")
    proposing.add_argument("--resident-phone", required=True, help="the number the resident texted from, or left in web chat")
    proposing.add_argument("--volunteer-phone", required=True, help="the number the volunteer signed up from or left")
    proposing.set_defaults(run=matches_propose)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        settings.check()  # refuses to seal numbers with the development keys outside development
        args.run(args, settings)
    except (_Refused, CaseworkError, ConnectorError, InvalidPhoneNumber, SettingsError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
