"""`arshjul users add|list|disable|password`: the console's accounts, made and kept by IT or HR on the server."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from arshjul.commands.common import add_common, runtime
from domain.aarshjul.workdays import to_local
from domain.identity import ROLE_NAMES, AccountRole
from tasks.identity.accounts import AccountError, accounts, add_account, disable_account, set_password
from tasks.identity.passwords import WeakPassword

ACTOR = "IT (kommandolinje)"


def register(sub: Any) -> None:
    parser = sub.add_parser("users", help="brukere som logger inn i konsollen: legg til, vis, sperr, sett passord")
    users = parser.add_subparsers(dest="users_command", required=True, metavar="HANDLING")
    add = users.add_parser("add", help="legg til en bruker")
    add.add_argument("email", metavar="EPOST")
    add.add_argument("--name", required=True, help="personens navn")
    add.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in AccountRole],
        help="hr (alt), kommunalsjef (egen sektor), leser (kun lesing) eller leder (egne enheters oppgaver)",
    )
    add.add_argument("--sector", help="sektorens enhets-id (kreves for kommunalsjef)")
    listing = users.add_parser("list", help="vis alle brukere")
    disable = users.add_parser("disable", help="sperr en bruker; alle øktene avsluttes straks")
    disable.add_argument("email", metavar="EPOST")
    password = users.add_parser("password", help="sett nytt passord (leses fra standard inn); alle øktene avsluttes")
    password.add_argument("email", metavar="EPOST")
    for sub_parser, handler in ((add, _add), (listing, _list), (disable, _disable), (password, _password)):
        add_common(sub_parser)
        sub_parser.set_defaults(handler=handler)


def _add(args: argparse.Namespace) -> int:
    """Add an account; it signs in once a password is set (or by single sign-on)."""
    rt = runtime()
    try:
        with rt.session() as session:
            account = add_account(
                session,
                email=args.email,
                name=args.name,
                role=AccountRole(args.role),
                sector_id=args.sector,
                now=rt.now(),
                actor=ACTOR,
            )
            email = account.email
    except AccountError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Brukeren {email} er lagt til. Sett passord med: arshjul users password {email}")
    return 0


def _list(args: argparse.Namespace) -> int:
    """One line per account: e-mail, name, role, sector, whether it has a password, whether it is disabled."""
    rt = runtime()
    with rt.session() as session:
        rows = accounts(session)
        for a in rows:
            state = "sperret" if a.disabled else ("aktiv" if a.password_hash else "aktiv, uten passord")
            sector = f" sektor {a.sector_id}" if a.sector_id else ""
            changed = f"{to_local(a.password_changed_at):%Y-%m-%d}"
            print(f"{a.email}\t{a.name}\t{ROLE_NAMES[a.role]}{sector}\t{state}\tpassord endret {changed}")
    if not rows:
        print("Ingen brukere ennå. Legg til den første med: arshjul users add EPOST --name NAVN --role hr")
    return 0


def _disable(args: argparse.Namespace) -> int:
    """Disable an account and end its sessions."""
    rt = runtime()
    try:
        with rt.session() as session:
            disable_account(session, args.email, now=rt.now(), actor=ACTOR)
    except AccountError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Brukeren {args.email.strip().lower()} er sperret, og alle øktene er avsluttet.")
    return 0


def _password(args: argparse.Namespace) -> int:
    """Read the new password from standard input (hidden when typed at a terminal); refuse a weak one."""
    new = getpass.getpass("Nytt passord: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    rt = runtime()
    try:
        with rt.session() as session:
            set_password(session, args.email, new, now=rt.now(), actor=ACTOR)
    except (AccountError, WeakPassword) as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Passordet til {args.email.strip().lower()} er endret, og alle øktene er avsluttet.")
    return 0
