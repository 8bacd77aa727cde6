"""What a signed-in unit leader may see: the tasks of the units they lead now, and tasks given to them by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, or_
from sqlmodel import Session, col, func, select

from domain.models import Answer, Assignment, AssignmentState, Cycle, OrgUnit, Person, Phase
from tasks.org.people import units_led_by


@dataclass(frozen=True)
class OwnTask:
    id: int
    year: int
    phase_key: str
    unit_name: str
    state: AssignmentState
    due_at: datetime
    answered_at: datetime | None
    revisions: int

    @property
    def active(self) -> bool:
        return self.state not in (AssignmentState.ANSWERED, AssignmentState.EXCUSED)


def _own(session: Session, email: str) -> ColumnElement[bool]:
    """Tasks of a unit the person leads, or owned by or handed to them (a substitute, a tillitsvalgt)."""
    units = units_led_by(session, email)
    person = session.exec(select(Person.id).where(func.lower(Person.email) == email.lower())).first()
    mine: list[ColumnElement[bool]] = [col(Assignment.unit_id).in_(units)] if units else []
    if person is not None:
        mine += [col(Assignment.owner_id) == person, col(Assignment.assignee_id) == person]
    return or_(*mine) if mine else false()


def own_tasks(session: Session, email: str, municipality: str) -> list[OwnTask]:
    """Every such task of every year, newest year first, in the årshjul's order, with how many answers were saved."""
    rows = session.exec(
        select(Assignment, Phase.key, Cycle.year, OrgUnit.name)
        .join(Phase, col(Phase.id) == col(Assignment.phase_id))
        .join(Cycle, col(Cycle.id) == col(Phase.cycle_id))
        .outerjoin(OrgUnit, col(OrgUnit.id) == col(Assignment.unit_id))
        .where(_own(session, email))
        .order_by(col(Cycle.year).desc(), col(Phase.position), col(OrgUnit.name), col(Assignment.id))
    ).all()
    counted = session.exec(
        select(Answer.assignment_id, func.count())
        .where(col(Answer.assignment_id).in_([a.id for a, *_ in rows]))
        .group_by(col(Answer.assignment_id))
    ).all()
    revisions = dict(counted)
    return [
        OwnTask(
            a.id or 0, year, key, unit or municipality, a.state, a.due_at, a.answered_at, revisions.get(a.id or 0, 0)
        )
        for a, key, year, unit in rows
    ]


def is_own_task(session: Session, email: str, assignment_id: int) -> bool:
    """Whether the task lies within what this leader may see (else it is "not found" to them)."""
    found = session.exec(select(Assignment.id).where(Assignment.id == assignment_id, _own(session, email))).first()
    return found is not None
