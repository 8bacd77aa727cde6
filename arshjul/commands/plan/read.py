"""`arshjul plan list | show | diff | export | compile | prioriter | answer | handling | adopt | import`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session

from arshjul.commands.common import add_common, runtime
from arshjul.commands.plan import importing as plan_import
from arshjul.commands.plan import write as plan_write
from domain.aarshjul.workdays import to_local
from domain.models import OrgUnit, UnitLevel
from domain.plan.blocks import kroner
from domain.plan.content import plan_content
from domain.plan.diff import diff_plans, summary_lines, text_diff
from domain.plan.document import STATUS_NAMES
from domain.plan.text import render_markdown
from tasks.plan.comment_answers import answers_of
from tasks.plan.documents.export import FORMATS, UnknownFormat, export_version
from tasks.plan.documents.source import version_document
from tasks.plan.queries import plan_years
from tasks.plan.versions import PlanError, handlings_of, version_of, versions_of
from tasks.runtime import Runtime

Action = Callable[[Session, Runtime, argparse.Namespace], int]


def register(sub: Any) -> None:
    parser = sub.add_parser("plan", help="planversjoner: vis, sammenlign, eksporter og vedta")
    commands = parser.add_subparsers(dest="plan_command", required=True, metavar="HANDLING")
    listing = _command(commands, "list", "vis planversjonene per år", list_versions)
    listing.add_argument("--year", type=int, help="bare dette året (årshjulets år; planen gjelder året etter)")
    show = _command(commands, "show", "vis én versjon som tekst", show_version)
    _year_and_version(show)
    diff = _command(commands, "diff", "sammenlign to versjoner tiltak for tiltak", diff_versions)
    diff.add_argument("--year", type=int, required=True)
    diff.add_argument("old", type=int, metavar="FRA", help="versjonsnummeret det sammenlignes fra")
    diff.add_argument("new", type=int, metavar="TIL", help="versjonsnummeret det sammenlignes med")
    diff.add_argument("--text", action="store_true", help="vis også tekstforskjellen (unified diff)")
    export = _command(commands, "export", "lagre en versjon som HTML, PDF, DOCX eller XLSX", export_file)
    _year_and_version(export)
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, help="filen som skal skrives")
    export.add_argument("--sector", help="bare denne sektorens del (sektorens id i organisasjonen)")
    plan_write.register(commands, _command, _year_and_version)
    plan_import.register(commands, _command)


def _command(commands: Any, name: str, help_text: str, action: Action) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
    add_common(parser)
    parser.set_defaults(handler=lambda args: run(action, args))
    return parser


def _year_and_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="årshjulets år (planen gjelder året etter)")
    parser.add_argument("--version", type=int, dest="number", help="versjonsnummeret (standard: den nyeste)")


def run(action: Action, args: argparse.Namespace) -> int:
    """Run one plan command in a unit of work; a refusal is a sentence on stderr and exit code 1."""
    rt = runtime()
    try:
        with rt.session() as session:
            return action(session, rt, args)
    except (PlanError, UnknownFormat) as refused:
        print(f"Feil: {refused}", file=sys.stderr)
        return 1


def list_versions(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    years = [args.year] if args.year else plan_years(session)
    if not years or not any(versions_of(session, y) for y in years):
        print(f"Det finnes ingen planversjoner{f' for {args.year}' if args.year else ''} ennå.")
        return 0
    for year in years:
        print(f"Kompetanseplan {year + 1} – laget i årshjulet {year}:")
        for v in versions_of(session, year):
            when = to_local(v.created_at).strftime("%d.%m.%Y %H:%M")
            status = STATUS_NAMES.get(v.status.value, v.status.value)
            content = plan_content(v.content)
            cost, handled = kroner(content.costs.total), len(handlings_of(session, v))
            print(
                f"  versjon {v.number:<3} {status:<15} {when}  {len(content.measures):>3} tiltak"
                f"  {cost:>14}  {handled} behandlinger  laget av {v.created_by}  sjekksum {v.content_hash[:12]}"
            )
    return 0


def show_version(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    print(render_markdown(version_document(session, version_of(session, args.year, args.number))), end="")
    return 0


def diff_versions(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    old, new = version_of(session, args.year, args.old), version_of(session, args.year, args.new)
    plan = f"Kompetanseplan {args.year + 1} (årshjulet {args.year})"
    print(f"Fra versjon {old.number} til versjon {new.number} av {plan}:")
    answers = answers_of(session, old), answers_of(session, new)
    for line in summary_lines(diff_plans(plan_content(old.content), plan_content(new.content), *answers)):
        print(f"  {line}")
    if args.text:
        print()
        print(text_diff(old.rendered, new.rendered, f"versjon {old.number}", f"versjon {new.number}"), end="")
    return 0


def export_file(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    version = version_of(session, args.year, args.number)
    sector = session.get(OrgUnit, args.sector) if args.sector else None
    if args.sector and (sector is None or sector.level != UnitLevel.SEKTOR):
        raise PlanError(
            f"Fant ingen {rt.aarshjul.terms['nb'].sector.singular} med id «{args.sector}» i organisasjonen."
        )
    logo = rt.settings.municipality_logo
    data = export_version(session, version, args.format, logo=logo, sector=sector, terms=rt.aarshjul.terms)
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        raise PlanError(f"Kunne ikke skrive {args.out}: {exc.strerror or exc}.") from exc
    plan = f"Kompetanseplan {version.plan_year}"
    print(f"Skrev versjon {version.number} av {plan} som {args.format.upper()} til {args.out}.")
    return 0
