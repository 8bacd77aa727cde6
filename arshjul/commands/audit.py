"""`arshjul audit --year 2027`: every reminder, escalation and email of a year as CSV for the audit trail."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from arshjul.commands.common import add_common, runtime
from domain.aarshjul.workdays import to_local
from tasks.outbox.audit import audit_rows, write_csv


def register(sub: Any) -> None:
    parser = sub.add_parser("audit", help="eksporter årets påminnelser, eskaleringer og e-poster som CSV")
    parser.add_argument("--year", type=int, help="årshjulets år (standard: i år)")
    parser.add_argument("--out", type=Path, help="skriv til denne CSV-filen i stedet for til skjermen")
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the audit CSV: UTF-8 with BOM and semicolons, so Excel opens it with æøå intact."""
    rt = runtime()
    year = args.year or to_local(rt.now()).year
    with rt.session() as session:
        rows = audit_rows(session, rt, year)
    if args.out is None:
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig", newline="", write_through=True)
        write_csv(rows, stream)
        stream.detach()
        return 0
    with args.out.open("w", encoding="utf-8-sig", newline="") as handle:
        count = write_csv(rows, handle)
    print(f"{count} hendelser fra {year} skrevet til {args.out}.")
    return 0
