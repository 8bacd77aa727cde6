"""`arshjul import-org FILE [FILE] [--dry-run]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from arshjul.commands.common import add_common, runtime
from tasks.org.importer import import_organisation


def register(sub: Any) -> None:
    parser = sub.add_parser("import-org", help="importer enheter, ledere og tillitsvalgte (CSV eller XLSX)")
    parser.add_argument("files", nargs="+", type=Path, metavar="FIL")
    parser.add_argument("--dry-run", action="store_true", help="vis hva som ville endret seg, uten å lagre")
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate the files; list every problem with its row, or apply the changes and list them."""
    rt = runtime()
    with rt.session() as session:
        report = import_organisation(session, args.files, at=rt.now(), dry_run=args.dry_run)
    if report.problems:
        print(f"Importen ble avvist – ingenting er lagret. {len(report.problems)} feil:", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    for line in (*report.created, *report.updated, *report.deactivated):
        print(f"  {line}")
    verb = "ville blitt" if args.dry_run else "ble"
    print(
        f"{len(report.created)} nye, {len(report.updated)} endret, {len(report.deactivated)} deaktivert "
        f"{verb} importert; {report.unchanged} uendret."
    )
    return 0
