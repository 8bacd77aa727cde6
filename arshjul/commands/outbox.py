"""`arshjul outbox`: the email ledger HR and operations can read."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import col, select

from arshjul.commands.common import add_common, runtime
from arshjul.db import session_scope
from domain.models import OutboxMessage, OutboxStatus
from domain.workdays import to_local


def register(sub: Any) -> None:
    parser = sub.add_parser("outbox", help="vis e-post som venter, er sendt, feilet eller er avvist")
    parser.add_argument("--status", choices=[s.value for s in OutboxStatus], help="bare denne statusen")
    parser.add_argument("--limit", type=int, default=50)
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List the outbox, newest first, with the reason for every failure."""
    rt = runtime()
    with session_scope(rt.engine) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(args.limit)
        if args.status:
            query = query.where(OutboxMessage.status == OutboxStatus(args.status))
        rows = list(session.exec(query))
    for m in rows:
        when = to_local(m.sent_at or m.next_attempt_at).strftime("%d.%m.%Y %H:%M")
        reason = f"  ({m.last_error})" if m.last_error else ""
        print(f"{m.id:>6} {m.status.value:<9} {when} {m.kind:<15} {m.to_address:<40} {m.subject}{reason}")
    if not rows:
        print("Utboksen er tom.")
    return 0
