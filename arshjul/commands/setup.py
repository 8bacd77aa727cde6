"""`arshjul init` and `arshjul check-config`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from arshjul.commands.common import add_common, runtime
from arshjul.system_clock import SystemClock
from config.aarshjul import load_aarshjul
from config.settings import get_settings
from domain.aarshjul.model import Aarshjul
from domain.aarshjul.step_schedule import step_moments
from domain.aarshjul.workdays import to_local
from domain.aarshjul.year_schedule import resolve_year
from domain.plan.frame import plan_frame
from tasks.org.aarshjul_names import name_uses, names_in_database, unmatched
from tasks.org.people import ensure_hr
from tasks.plan.sources import FRAME_FILE, first_problem


def register(sub: Any) -> None:
    init = sub.add_parser("init", help="opprett eller oppgrader databasen")
    add_common(init)
    init.set_defaults(handler=run_init)
    check = sub.add_parser("check-config", help="kontroller en årshjul-fil")
    check.add_argument("file", nargs="?", type=Path, help="filen (standard: den aktive)")
    check.add_argument(
        "--year", dest="years", type=int, action="append", help="år å kontrollere (standard: i år og neste)"
    )
    add_common(check)
    check.set_defaults(handler=run_check)


def run_init(args: argparse.Namespace) -> int:
    """Create or upgrade the database and make sure the HR coordinator exists."""
    rt = runtime()
    with rt.session() as session:
        ensure_hr(session, rt.settings)
    print(f"Databasen er klar: {rt.engine.url.render_as_string(hide_password=True)}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    path = args.file or get_settings().aarshjul_file
    aarshjul = load_aarshjul(path)
    problems = []
    for year in args.years or [_this_year(), _this_year() + 1]:
        # Every phase of the year, each occurrence of a repeating one included; the errors say what and where.
        problems += [f"{year}, {key}: {error}" for key, error in resolve_year(aarshjul, year)[1]]
        try:
            step_moments(aarshjul, year)  # the notices', meetings' and sector reviews' dates resolve too
        except ValueError as exc:
            problems.append(f"{year}: {exc}")
    problems += _frame_problems()
    unmatched_names, names_note = _name_problems(aarshjul)
    problems += unmatched_names
    if problems:
        print(f"{path}: konfigurasjonen kan ikke brukes:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    steps = f", {len(aarshjul.steps())} steg" if aarshjul.steps() else ""
    print(
        f"{path}: {len(aarshjul.written)} fase{'' if len(aarshjul.written) == 1 else 'r'}{steps}, alt i orden "
        f"({', '.join(p.key for p in aarshjul.written)})"
    )
    if names_note:
        print(names_note)
    return 0


def _this_year() -> int:
    return to_local(SystemClock().now()).year


def _name_problems(aarshjul: Aarshjul) -> tuple[list[str], str]:
    """Sector and unit-kind names against the configured database's organisation, when there is one."""
    count = len(name_uses(aarshjul))
    if not count:
        return [], ""
    known = names_in_database(get_settings().database_url)
    if known is None:
        return [], (
            f"{count} sektor- og enhetstypenavn i filen er ikke kontrollert: "
            "databasen har ingen importert organisasjon."
        )
    problems = [str(found) for found in unmatched(aarshjul, known)]
    return problems, f"{count} sektor- og enhetstypenavn i filen stemmer med organisasjonen."


def _frame_problems() -> list[str]:
    """The municipality's own plan frame, checked now rather than when September opens."""
    settings = get_settings()
    path = settings.data_dir / FRAME_FILE
    if not path.exists():
        return []
    try:
        plan_frame(yaml.safe_load(path.read_text(encoding="utf-8")), settings.municipality)
    except (yaml.YAMLError, ValidationError) as exc:
        return [f"planrammen {path}: {first_problem(exc)}"]
    return []
