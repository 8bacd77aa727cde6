"""What answering one task needs: the link checked, the task, its phase and people, and every revision so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from arshjul.runtime import Runtime
from config.aarshjul import PhaseConfig
from domain.models import Answer, AnswerStatus, Assignment, Cycle, OrgUnit, Person, Phase
from notifications.links import LinkError, LinkProblem


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


def open_by_link(session: Session, rt: Runtime, token: str, now: datetime) -> AnswerContext:
    """Check a link's signature, expiry and revocation, and load what the form needs."""
    claims = rt.links.verify(token, now=now, purpose="answer")
    assignment = session.get(Assignment, claims.assignment_id)
    if assignment is None or claims.version != assignment.link_version:
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    if claims.person_id not in (assignment.assignee_id, assignment.owner_id):
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    actor = session.get(Person, claims.person_id)
    assert actor is not None
    return load_context(session, rt, assignment, actor)


def load_context(session: Session, rt: Runtime, assignment: Assignment, actor: Person) -> AnswerContext:
    """The context for an actor already known to be allowed (the link checked, or a flow acting itself)."""
    phase = session.get(Phase, assignment.phase_id)
    owner = session.get(Person, assignment.owner_id)
    assert phase is not None and owner is not None
    cycle = session.get(Cycle, phase.cycle_id)
    assert cycle is not None
    answers = list(
        session.exec(select(Answer).where(Answer.assignment_id == assignment.id).order_by(col(Answer.revision)))
    )
    submitted = [a for a in answers if a.status == AnswerStatus.SUBMITTED]
    return AnswerContext(
        assignment=assignment,
        phase=phase,
        config=rt.aarshjul.phase(phase.key),
        year=cycle.year,
        actor=actor,
        owner=owner,
        unit=session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None,
        latest=answers[-1] if answers else None,
        submitted=submitted[-1] if submitted else None,
        answers=answers,
    )
