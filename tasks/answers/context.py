"""What answering one task needs: the link checked, the task, its phase and people, and every revision so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sqlalchemy import bindparam
from sqlalchemy import select as select_rows
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from domain.aarshjul.model import PhaseConfig
from domain.models import Answer, AnswerStatus, Assignment, Cycle, OrgUnit, Person, Phase
from notifications.links import LinkError, LinkProblem
from tasks.runtime import Runtime


@dataclass
class AnswerContext:
    """One task as seen through one person's link: who acts, for whom, and the answer so far."""

    assignment: Assignment
    phase: Phase
    config: PhaseConfig
    year: int
    actor: Person
    owner: Person
    unit: OrgUnit | None
    latest: Answer | None
    submitted: Answer | None
    answers: list[Answer] = field(default_factory=list)  # every revision, oldest first


# Every request behind a link loads the same rows: one joined query, a row per revision (one row before the first),
# instead of seven statements through the ORM (six `Session.get`s and the revisions). Built once, so SQLAlchemy reuses
# its compiled form and cache key on every request.
_OWNER: Final = aliased(Person, name="owner")
_ACTOR: Final = aliased(Person, name="actor")
_TASK: Final = (
    select_rows(Assignment, Phase, col(Cycle.year), _OWNER, _ACTOR, OrgUnit, Answer)
    .join(Phase, col(Phase.id) == col(Assignment.phase_id))
    .join(Cycle, col(Cycle.id) == col(Phase.cycle_id))
    .join(_OWNER, col(_OWNER.id) == col(Assignment.owner_id))
    .outerjoin(_ACTOR, col(_ACTOR.id) == bindparam("person_id"))
    .outerjoin(OrgUnit, col(OrgUnit.id) == col(Assignment.unit_id))
    .outerjoin(Answer, col(Answer.assignment_id) == col(Assignment.id))
    .where(col(Assignment.id) == bindparam("assignment_id"))
    .order_by(col(Answer.revision))
)
_ANSWERS: Final = (
    select(Answer).where(col(Answer.assignment_id) == bindparam("assignment_id")).order_by(col(Answer.revision))
)


def open_by_link(session: Session, rt: Runtime, token: str, now: datetime) -> AnswerContext:
    """Check a link's signature, expiry and revocation, and load what the form needs."""
    claims = rt.links.verify(token, now=now, purpose="answer")
    rows = session.execute(_TASK, {"assignment_id": claims.assignment_id, "person_id": claims.person_id}).all()
    if not rows:
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    assignment, phase, year, owner, actor, unit, _ = rows[0]
    if claims.version != assignment.link_version:
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    if claims.person_id not in (assignment.assignee_id, assignment.owner_id):
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    assert actor is not None
    answers = [row[-1] for row in rows if row[-1] is not None]
    return _context(rt, assignment, phase, year, actor, owner, unit, answers)


def load_context(session: Session, rt: Runtime, assignment: Assignment, actor: Person) -> AnswerContext:
    """The context for an actor already known to be allowed (the link checked, or a flow acting itself)."""
    phase = session.get(Phase, assignment.phase_id)
    owner = session.get(Person, assignment.owner_id)
    assert phase is not None and owner is not None
    cycle = session.get(Cycle, phase.cycle_id)
    assert cycle is not None
    unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
    answers = list(session.exec(_ANSWERS, params={"assignment_id": assignment.id}))
    return _context(rt, assignment, phase, cycle.year, actor, owner, unit, answers)


def _context(
    rt: Runtime,
    assignment: Assignment,
    phase: Phase,
    year: int,
    actor: Person,
    owner: Person,
    unit: OrgUnit | None,
    answers: list[Answer],
) -> AnswerContext:
    submitted = [a for a in answers if a.status == AnswerStatus.SUBMITTED]
    return AnswerContext(
        assignment=assignment,
        phase=phase,
        config=rt.aarshjul.phase(phase.key),
        year=year,
        actor=actor,
        owner=owner,
        unit=unit,
        latest=answers[-1] if answers else None,
        submitted=submitted[-1] if submitted else None,
        answers=answers,
    )
