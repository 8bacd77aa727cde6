"""Importing the organisation (units, leaders, tillitsvalgte) from CSV or XLSX: validate, then upsert."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from domain.aarshjul.bodies import DEFAULT_BODIES, PlanBody
from domain.events import EventKind
from tasks.events.log import record
from tasks.org.reading.files import read_tables
from tasks.org.types import ImportProblem, OrgData
from tasks.org.upsert import apply_organisation
from tasks.org.validate import validate

__all__ = ["ImportProblem", "ImportReport", "import_organisation", "read_organisation"]


@dataclass
class ImportReport:
    """What an import found wrong, or what it changed; every line is bokmål for the user."""

    problems: list[ImportProblem] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0  # units in the files that were already exactly as described

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


def read_organisation(
    paths: Sequence[Path], bodies: Sequence[PlanBody] = DEFAULT_BODIES
) -> tuple[OrgData | None, list[ImportProblem]]:
    """Parse and validate the files, without touching the database: the organisation, or every problem.

    `bodies` are the årshjul's plan_bodies (`rt.aarshjul.plan_bodies`), which the table «organer» must name.
    """
    if not paths:
        return None, [ImportProblem("import", None, None, "ingen filer er valgt")]
    tables, problems = read_tables(paths)
    data, invalid = validate(tables, [path.name for path in paths], bodies)
    problems += invalid
    if data is not None and not problems:
        return data, []
    return None, sorted(problems, key=lambda problem: (problem.source, problem.row or 0))


def import_organisation(
    session: Session,
    paths: Sequence[Path],
    *,
    at: datetime,
    dry_run: bool = False,
    actor: str = "import",
    bodies: Sequence[PlanBody] = DEFAULT_BODIES,
) -> ImportReport:
    """Validate, then upsert in the caller's session, which the caller commits.

    With any problem nothing is written. A dry run makes the changes, reports them and rolls the session back.
    """
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    data, problems = read_organisation(paths, bodies)
    if data is None:
        return ImportReport(problems=problems)
    changes = apply_organisation(session, data)
    report = ImportReport(
        created=changes.created,
        updated=changes.updated,
        deactivated=changes.deactivated,
        unchanged=len(data.units) - len(changes.touched),
    )
    if dry_run:
        session.rollback()
    elif report.changed:
        record(
            session,
            EventKind.ORG_IMPORTED,
            at=at,
            actor=actor,
            created=len(report.created),
            updated=len(report.updated),
            deactivated=len(report.deactivated),
            files=data.files,
        )
    return report
