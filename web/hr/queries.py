"""What the HR console reads: progress per phase, sector and unit; one task; the event log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from domain.models import Answer, Assignment, AssignmentState, Event, OrgUnit, Person, Phase
from domain.states import ACTIVE
from tasks.cycle.phases import phases_of
from tasks.org.people import sector_of
from tasks.runtime import Runtime

ATTENTION = frozenset({AssignmentState.OVERDUE, AssignmentState.ESCALATED})


@dataclass
class AssignmentRow:
    assignment: Assignment
    unit_name: str
    person: Person
    late: bool


@dataclass
class Group:
    """A sector (or the whole municipality) within a phase: its tasks and how far they have come."""

    name: str
    rows: list[AssignmentRow] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.assignment.state == AssignmentState.ANSWERED)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return sorted(Counter(r.assignment.state.value for r in self.rows).items())


@dataclass
class PhaseProgress:
    phase: Phase
    groups: list[Group]

    @property
    def rows(self) -> list[AssignmentRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def answered(self) -> int:
        return sum(group.answered for group in self.groups)


def progress(
    session: Session, rt: Runtime, year: int, now: datetime, *, scope: str | None = None
) -> list[PhaseProgress]:
    """Every phase of the year with its tasks grouped by sector, sectors and units by name; one sector if scoped."""
    sectors: dict[str | None, tuple[str | None, str]] = {}
    result = []
    for phase in phases_of(session, year):
        rows = session.exec(
            select(Assignment, Person)
            .join(Person, col(Person.id) == col(Assignment.assignee_id))
            .where(Assignment.phase_id == phase.id)
        ).all()
        groups: dict[str, Group] = {}
        for assignment, person in rows:
            sector_id, sector = _sector_name(session, rt, assignment.unit_id, sectors)
            if scope is not None and sector_id != scope:
                continue
            unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
            late = assignment.state in ATTENTION or (assignment.state in ACTIVE and assignment.due_at < now)
            row = AssignmentRow(assignment, unit.name if unit else rt.settings.municipality, person, late)
            groups.setdefault(sector, Group(sector)).rows.append(row)
        for group in groups.values():
            group.rows.sort(key=lambda r: (r.unit_name, r.person.name))
        result.append(PhaseProgress(phase, sorted(groups.values(), key=lambda g: g.name)))
    return result


def _sector_name(
    session: Session, rt: Runtime, unit_id: str | None, cache: dict[str | None, tuple[str | None, str]]
) -> tuple[str | None, str]:
    if unit_id not in cache:
        sector = sector_of(session, unit_id)
        cache[unit_id] = (sector.id, sector.name) if sector else (None, rt.settings.municipality)
    return cache[unit_id]


def needing_attention(phases: list[PhaseProgress]) -> list[tuple[PhaseProgress, AssignmentRow]]:
    """Tasks past their deadline or escalated, oldest deadline first."""
    rows = [(p, row) for p in phases for row in p.rows if row.late]
    return sorted(rows, key=lambda pair: pair[1].assignment.due_at)


@dataclass
class AssignmentDetail:
    assignment: Assignment
    phase: Phase
    unit_name: str
    assignee: Person
    owner: Person
    answers: list[Answer]
    events: list[Event]
    unit_kind: str | None = None  # enhetstype from the organisation import


def assignment_detail(session: Session, rt: Runtime, assignment_id: int) -> AssignmentDetail | None:
    """One task with its people, answers and history."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        return None
    phase = session.get(Phase, assignment.phase_id)
    assignee, owner = session.get(Person, assignment.assignee_id), session.get(Person, assignment.owner_id)
    assert phase is not None and assignee is not None and owner is not None
    unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
    answers = session.exec(
        select(Answer).where(Answer.assignment_id == assignment_id).order_by(col(Answer.revision).desc())
    ).all()
    events = session.exec(
        select(Event)
        .where(Event.assignment_id == assignment_id)
        .order_by(col(Event.at).desc(), col(Event.id).desc())
        .limit(50)
    ).all()
    unit_name = unit.name if unit else rt.settings.municipality
    kind = unit.kind if unit else None
    return AssignmentDetail(assignment, phase, unit_name, assignee, owner, list(answers), list(events), kind)


def events_page(session: Session, page: int, size: int = 50) -> tuple[list[Event], bool]:
    """One page of the event log, newest first, and whether there are older ones."""
    rows = session.exec(
        select(Event).order_by(col(Event.at).desc(), col(Event.id).desc()).offset((page - 1) * size).limit(size + 1)
    ).all()
    return list(rows[:size]), len(rows) > size
