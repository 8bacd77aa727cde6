"""Shared bits of the CLI commands."""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from arshjul.bootstrap import bootstrap
from tasks.runtime import Runtime
from tasks.store.db import migrate

OSLO = ZoneInfo("Europe/Oslo")


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", "-v", action="store_true", help="vis detaljer ved feil")


def moment(text: str) -> datetime:
    """An --as-of value: ISO date or date-time; without a zone it is Oslo time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato/tid på formen 2027-04-30T09:00") from None
    return value if value.tzinfo else value.replace(tzinfo=OSLO)


def runtime(*, migrate_db: bool = True) -> Runtime:
    rt = bootstrap()
    if migrate_db:
        migrate(rt.engine)
    return rt
