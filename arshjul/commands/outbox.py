"""`arshjul outbox`: the email ledger HR and operations can read, and retry or cancel by hand."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from arshjul.commands.common import add_common, runtime
from domain.aarshjul.workdays import to_local
from domain.models import OutboxMessage, OutboxStatus
from tasks.outbox.admin import (
    NeedsConfirmation,
    OutboxActionRefused,
    cancel_message,
    list_messages,
    retry,
    retry_dead,
    uncertainty,
)

ACTOR = "HR (kommandolinje)"


def _listing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=[s.value for s in OutboxStatus], help="bare denne statusen")
    parser.add_argument("--limit", type=int, default=50, help="høyst så mange meldinger (standard 50)")
    add_common(parser)
    parser.set_defaults(handler=run_list)


def register(sub: Any) -> None:
    parser = sub.add_parser("outbox", help="vis, send på nytt eller avbryt e-post i utboksen")
    _listing_options(parser)  # `arshjul outbox` alone lists, as it always has
    actions = parser.add_subparsers(dest="outbox_command", metavar="UNDERKOMMANDO")
    _listing_options(actions.add_parser("list", help="vis e-post som venter, er sendt, feilet eller er avvist"))
    again = actions.add_parser("retry", help="send en avvist eller feilet melding på nytt nå")
    which = again.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, help="meldingens nummer (første kolonne i listen)")
    which.add_argument("--dead", action="store_true", help="alle avviste meldinger")
    again.add_argument("--yes", action="store_true", help="send også meldinger med usikker levering (kan gi duplikat)")
    again.add_argument("--skip-uncertain", action="store_true", help="med --dead: hopp over dem med usikker levering")
    add_common(again)
    again.set_defaults(handler=run_retry)
    stop = actions.add_parser("cancel", help="avbryt en melding som ikke er sendt")
    stop.add_argument("id", type=int, help="meldingens nummer (første kolonne i listen)")
    add_common(stop)
    stop.set_defaults(handler=run_cancel)


def _line(m: OutboxMessage) -> str:
    when = to_local(m.sent_at or m.next_attempt_at).strftime("%d.%m.%Y %H:%M")
    reason = f"  ({uncertainty(m) or m.last_error})" if m.last_error or m.uncertain else ""
    status = "usikker" if m.uncertain else m.status.value
    return f"{m.id:>6} {status:<9} {when} {m.kind:<16} {m.to_address:<40} {m.subject}{reason}"


def run_list(args: argparse.Namespace) -> int:
    """List the outbox, newest first, with the reason for every failure."""
    rt = runtime()
    status = OutboxStatus(args.status) if args.status else None
    with rt.session() as session:
        lines = [_line(m) for m in list_messages(session, status=status, limit=args.limit)]
    for line in lines:
        print(line)
    if not lines:
        print("Utboksen er tom." if status is None else f"Ingen meldinger med status «{status.value}».")
    return 0


def _confirmed(warning: NeedsConfirmation) -> bool:
    """Ask on the terminal whether to resend uncertain messages; without a terminal the answer is no."""
    print(str(warning), file=sys.stderr)
    if not sys.stdin.isatty():
        print(
            "Ingenting er sendt på nytt. Bekreft med --yes (eller bruk --skip-uncertain med --dead).", file=sys.stderr
        )
        return False
    answer = input("Send likevel? Skriv «ja» for å bekrefte: ").strip().lower()
    if answer not in ("ja", "j", "yes", "y"):
        print("Avbrutt; ingenting er sendt på nytt.", file=sys.stderr)
        return False
    return True


def _retry(args: argparse.Namespace, *, confirmed: bool) -> list[str]:
    rt = runtime()
    with rt.session() as session:
        if args.dead:
            uncertain = True if confirmed else (False if args.skip_uncertain else None)
            messages = retry_dead(session, now=rt.now(), actor=ACTOR, uncertain=uncertain)
        else:
            messages = [retry(session, args.id, now=rt.now(), actor=ACTOR, confirmed=confirmed)]
        return [_line(m) for m in messages]


def run_retry(args: argparse.Namespace) -> int:
    """Put a dead or failed message (or every dead one) back in the queue now; uncertain ones only if confirmed."""
    try:
        try:
            lines = _retry(args, confirmed=args.yes)
        except NeedsConfirmation as warning:
            if not _confirmed(warning):
                return 1
            lines = _retry(args, confirmed=True)
    except OutboxActionRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    count = len(lines)
    print(f"{count} {'melding' if count == 1 else 'meldinger'} sendes ved neste utsending." if count else
          "Ingen avviste meldinger.")  # fmt: skip
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    """Cancel a message that has not been sent."""
    rt = runtime()
    try:
        with rt.session() as session:
            line = _line(cancel_message(session, args.id, now=rt.now(), actor=ACTOR))
    except OutboxActionRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    print(line)
    print(f"Melding {args.id} er avbrutt og blir ikke sendt.")
    return 0
