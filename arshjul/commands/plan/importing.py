"""`arshjul plan import FILE --plan-year Y` and `arshjul plan import --template FILE`: bring in the current plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session

from domain.plan.blocks import kroner
from tasks.plan.import_file import write_template
from tasks.plan.importer import PlanImportError, import_plan
from tasks.plan.sources import PlanError
from tasks.runtime import Runtime

CLI_ACTOR = "HR (kommandolinjen)"


def register(commands: Any, command: Any) -> None:
    parser = command(
        commands, "import", "les inn planen kommunen allerede har (XLSX eller CSV) som vedtatt", run_import
    )
    parser.add_argument("file", type=Path, nargs="?", metavar="FIL", help="tiltakene som XLSX eller CSV")
    parser.add_argument("--plan-year", type=int, help="året planen gjelder for, f.eks. 2026")
    parser.add_argument("--template", type=Path, metavar="MAL", help="skriv en tom mal (XLSX) hit i stedet")


def run_import(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    if args.template is not None:
        try:
            write_template(args.template)
        except OSError as exc:
            raise PlanError(f"Kunne ikke skrive {args.template}: {exc.strerror or exc}.") from exc
        print(f"Skrev malen til {args.template}. Fyll inn ett tiltak per rad og les den inn med --plan-year.")
        return 0
    if args.file is None or args.plan_year is None:
        raise PlanError("Oppgi filen og året planen gjelder for: arshjul plan import FIL --plan-year 2026.")
    try:
        done = import_plan(session, rt, args.file, plan_year=args.plan_year, now=rt.now(), actor=CLI_ACTOR)
    except PlanImportError as bad:
        for problem in bad.problems:
            print(problem, file=sys.stderr)
        raise
    print(
        f"Kompetanseplan {args.plan_year} er lest inn fra {args.file.name} og registrert som vedtatt "
        f"(versjon {done.version.number}, behandling «importert»): {done.measures} tiltak, {kroner(done.total)}. "
        f"Januar {args.plan_year + 1} evaluerer disse tiltakene."
    )
    return 0
