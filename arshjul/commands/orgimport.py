"""`arshjul import-org FILE [FILE] [--dry-run]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from arshjul.commands.common import add_common, runtime
from tasks.org.aarshjul_names import stored_unmatched
from tasks.org.importer import import_organisation
from tasks.org.preview import preview_import
from tasks.org.types import ImportProblem


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import-org", help="importer enheter, ledere, tillitsvalgte, ansatte og organenes medlemmer (CSV eller XLSX)"
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FIL")
    parser.add_argument("--dry-run", action="store_true", help="vis hva som ville endret seg, uten å lagre")
    add_common(parser)
    parser.set_defaults(handler=run)


def _refused(problems: Sequence[ImportProblem]) -> int:
    print(f"Importen ble avvist – ingenting er lagret. {len(problems)} feil:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 2


def _warn(unmatched: Sequence[str]) -> None:
    """Names in the årshjul file the (new) organisation leaves matching nothing: the import goes on, HR is told."""
    if not unmatched:
        return
    print(f"Advarsel: {len(unmatched)} navn i årshjul-filen treffer ingen sektor eller enhetstype etter importen:")
    print("\n".join(f"  - {line}" for line in unmatched))


def dry_run(args: argparse.Namespace) -> int:
    """What the files would change, grouped as the console's preview shows it; nothing is written."""
    rt = runtime()
    with rt.session() as session:
        found = preview_import(session, args.files, rt.aarshjul)
    if found.changes is None:
        return _refused(found.problems)
    for _, heading, lines in found.changes.groups():
        if lines:
            print(f"{heading} ({len(lines)}):")
            print("\n".join(f"  {line}" for line in lines))
    changes = found.changes
    print(f"{changes.units_in_file} enheter i filen, {changes.unchanged} uendret. Ingenting er lagret (--dry-run).")
    _warn([str(name) for name in found.unmatched])
    return 0


def run(args: argparse.Namespace) -> int:
    """Validate the files; list every problem with its row, or apply the changes and list them."""
    if args.dry_run:
        return dry_run(args)
    rt = runtime()
    with rt.session() as session:
        report = import_organisation(session, args.files, at=rt.now(), bodies=rt.aarshjul.plan_bodies)
    if report.problems:
        return _refused(report.problems)
    for line in (*report.created, *report.updated, *report.deactivated):
        print(f"  {line}")
    print(
        f"{len(report.created)} nye, {len(report.updated)} endret, {len(report.deactivated)} deaktivert "
        f"ble importert; {report.unchanged} uendret."
    )
    with rt.session() as session:
        _warn([str(name) for name in stored_unmatched(session, rt.aarshjul)])
    return 0
