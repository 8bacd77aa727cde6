"""The plans Fjordvik already has when it starts: written into the import template and read in the way HR would.

A municipality starting in cycle year Y has the plan for Y−1 (evaluated in its first January) and the plan for Y
(carried out that year, evaluated the January after). Both are written as XLSX files from `arshjul plan import
--template` and imported with the importer behind `arshjul plan import FILE --plan-year`; the simulated years
then compile, adopt and evaluate their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import col, select

from arshjul.demo.catalogue import MeasureIdea, unit_profile
from arshjul.demo.unit_input import kroner, period_text
from domain.models import OrgUnit, UnitLevel
from tasks.plan.import_file import write_template
from tasks.plan.importer import import_plan
from tasks.runtime import Runtime

ACTOR = "Hanne Strand (HR)"


@dataclass
class Row:
    idea: MeasureIdea
    units: list[str] = field(default_factory=list)
    cost: int = 0


def import_current_plans(rt: Runtime, folder: Path, *, first_year: int, seed: int) -> list[Path]:
    """Write and import the plans for first_year − 1 and first_year; returns the files, oldest first."""
    with rt.session() as session:
        units = [
            (u.id, u.name)
            for u in session.exec(
                select(OrgUnit).where(OrgUnit.level == UnitLevel.VIRKSOMHET).order_by(col(OrgUnit.id))
            )
        ]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for plan_year in (first_year - 1, first_year):
        rng = random.Random(f"{seed}-plan-{plan_year}")
        path = write_plan_file(folder / f"kompetanseplan-{plan_year}.xlsx", rng, units, plan_year)
        with rt.session() as session:
            import_plan(session, rt, path, plan_year=plan_year, now=rt.now(), actor=ACTOR)
        files.append(path)
    return files


def write_plan_file(path: Path, rng: random.Random, units: list[tuple[str, str]], plan_year: int) -> Path:
    """The plan's measures in the import template: a shared measure is one row owned by every unit that has it."""
    rows: dict[str, Row] = {}
    for unit_id, name in units:
        profile = unit_profile(name)
        if profile is None or not profile.measures:
            continue
        for idea in rng.sample(profile.measures, min(len(profile.measures), rng.choice((1, 1, 2)))):
            row = rows.setdefault(idea.title, Row(idea))
            row.units.append(unit_id)
            row.cost += kroner(rng.randint(*idea.cost))
    write_template(path)
    book = load_workbook(path)
    sheet = book["Tiltak"]
    for row in rows.values():
        idea = row.idea
        sheet.append(
            [
                idea.goal,
                idea.title,
                idea.target,
                idea.arena,
                period_text(idea.period, plan_year),
                idea.responsible,
                row.cost,
                ", ".join(row.units),
                idea.area,
            ]
        )
    book.save(path)
    return path
