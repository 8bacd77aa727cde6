"""What the HR overview reads: the year's tasks counted by phase, sector and state, in a few grouped queries.

Every query takes an optional `sector_id` scope (None = the whole municipality), so a kommunalsjef's console can
show the same pages for one sector.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.models import Assignment, AssignmentState, Cycle, OrgUnit, Phase, UnitLevel
from tasks.cycle.phases import phases_of

CATEGORIES: Final = ("answered", "open", "overdue", "escalated", "excused")
LATE_STATES: Final = frozenset({AssignmentState.OVERDUE, AssignmentState.ESCALATED})
NO_SECTOR: Final = "-"  # tasks not under any sektor (the whole municipality's, e.g. a tillitsvalgt's)


def category(state: AssignmentState, past_due: bool) -> str:
    """Where a task counts: answered, excused, escalated, overdue (late, or past its deadline) or open."""
    if state == AssignmentState.ANSWERED:
        return "answered"
    if state == AssignmentState.EXCUSED:
        return "excused"
    if state == AssignmentState.ESCALATED:
        return "escalated"
    return "overdue" if state == AssignmentState.OVERDUE or past_due else "open"


@dataclass
class Tally:
    """How many tasks are in each category."""

    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    def add(self, key: str, n: int) -> None:
        self.counts[key] += n


@dataclass(frozen=True)
class SectorRef:
    id: str
    name: str


@dataclass
class PhaseTally:
    phase: Phase
    total: Tally
    sectors: list[tuple[SectorRef, Tally]]


def sector_map(session: Session, municipality: str) -> dict[str | None, SectorRef]:
    """Every unit id (and None) to the sektor it belongs to, from the whole tree in one query (plain rows)."""
    units = {
        str(unit_id): (parent_id, name, level == UnitLevel.SEKTOR)
        for unit_id, parent_id, name, level in session.execute(
            sa_select(col(OrgUnit.id), col(OrgUnit.parent_id), col(OrgUnit.name), col(OrgUnit.level))
        ).all()
    }
    whole = SectorRef(NO_SECTOR, municipality)
    result: dict[str | None, SectorRef] = {None: whole}
    for unit_id in units:
        current: str | None = unit_id
        for _step in range(len(units)):  # bounded: a cycle in bad data must not hang the page
            if current is None or current not in units or units[current][2]:
                break
            current = units[current][0]
        found = units.get(current) if current is not None else None
        result[unit_id] = SectorRef(current, found[1]) if current is not None and found and found[2] else whole
    return result


def year_tallies(
    session: Session, year: int, now: datetime, municipality: str, sector_id: str | None = None
) -> list[PhaseTally]:
    """Every phase of the year with its tasks counted in total and per sektor (sektors by name)."""
    phases = phases_of(session, year)
    if not phases:
        return []
    sectors = sector_map(session, municipality)
    past_due = case((col(Assignment.due_at) < now, 1), else_=0)
    rows = session.execute(  # five columns: beyond sqlmodel's typed select
        sa_select(col(Assignment.phase_id), col(Assignment.unit_id), col(Assignment.state), past_due, func.count())
        .where(col(Assignment.phase_id).in_([p.id for p in phases]))
        .group_by(col(Assignment.phase_id), col(Assignment.unit_id), col(Assignment.state), past_due)
    ).all()
    by_phase: dict[int, dict[str, Tally]] = {p.id or 0: {} for p in phases}
    refs: dict[str, SectorRef] = {}
    whole = sectors[None]
    for phase_id, unit_id, state, late, n in rows:  # one row per unit and state: keep the loop plain
        sector = sectors.get(unit_id, whole)
        if sector_id is not None and sector.id != sector_id:
            continue
        groups_of = by_phase[phase_id]
        tally = groups_of.get(sector.id)
        if tally is None:
            tally = groups_of[sector.id] = Tally()
            refs[sector.id] = sector
        tally.add(category(state, bool(late)), n)
    result = []
    for phase in phases:
        groups = sorted(((refs[key], tally) for key, tally in by_phase[phase.id or 0].items()), key=lambda p: p[0].name)
        total = Tally()
        for _sector, tally in groups:
            for key, n in tally.counts.items():
                total.add(key, n)
        result.append(PhaseTally(phase, total, groups))
    return result


def cycle_years(session: Session) -> list[int]:
    """The years that have a cycle, newest first."""
    return sorted(session.exec(select(Cycle.year)).all(), reverse=True)
