"""What the sector page reads: one phase's tasks in one sektor (or all), with their unit, person and category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from domain.models import Assignment, OrgUnit, Person, Phase
from web.hr.overview.queries import SectorRef, category, sector_map

LATE = frozenset({"overdue", "escalated"})


@dataclass(frozen=True)
class TaskRow:
    assignment: Assignment
    unit_name: str
    person: Person
    category: str
    sector: SectorRef
    unit_kind: str | None = None  # enhetstype from the organisation import


def phase_tasks(
    session: Session,
    phase: Phase,
    now: datetime,
    municipality: str,
    sector_id: str | None = None,
    status: str = "",
) -> list[TaskRow]:
    """The phase's tasks in the sektor (None = every sektor), by unit; `status` a category, `sen` for late, or all."""
    sectors = sector_map(session, municipality)
    rows = session.exec(
        select(Assignment, Person, OrgUnit)
        .join(Person, col(Person.id) == col(Assignment.assignee_id))
        .outerjoin(OrgUnit, col(OrgUnit.id) == col(Assignment.unit_id))
        .where(Assignment.phase_id == phase.id)
    ).all()
    found = []
    for assignment, person, unit in rows:
        sector = sectors.get(assignment.unit_id, sectors[None])
        kind = category(assignment.state, assignment.due_at < now)
        if sector_id is not None and sector.id != sector_id:
            continue
        if status and not (kind == status or (status == "sen" and kind in LATE)):
            continue
        name, unit_kind = (unit.name, unit.kind) if unit else (municipality, None)
        found.append(TaskRow(assignment, name, person, kind, sector, unit_kind))
    return sorted(found, key=lambda r: (r.unit_name, r.person.name))
