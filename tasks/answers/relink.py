"""A new link for someone whose link expired or stopped working, asked for by e-mail address only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlmodel import Session, col, or_, select

from domain.events import EventKind
from domain.models import Assignment, OutboxMessage, Person, Phase, PhaseStatus
from domain.states import ACTIVE
from tasks.events.log import record
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime

# The same sentence whether or not the address is known, so the page does not reveal who exists.
NEUTRAL: Final = "Hvis adressen er registrert hos oss, får du en ny lenke på e-post."
QUIET_PERIOD: Final = timedelta(minutes=5)


def active_assignments(session: Session, person: Person) -> list[Assignment]:
    """The person's unanswered tasks in open phases: held by them, or owned by them and handed to a substitute."""
    return list(
        session.exec(
            select(Assignment)
            .join(Phase)
            .where(
                or_(col(Assignment.assignee_id) == person.id, col(Assignment.owner_id) == person.id),
                col(Assignment.state).in_(ACTIVE),
                Phase.status == PhaseStatus.OPEN,
            )
            .order_by(col(Assignment.due_at))
        ).all()
    )


def _recently_sent(session: Session, person: Person, now: datetime) -> bool:
    """A new link went out a moment ago: do not let the form be used to flood someone's inbox."""
    latest = session.exec(
        select(OutboxMessage.created_at)
        .where(col(OutboxMessage.idempotency_key).startswith(f"relink:{person.id}:"))
        .order_by(col(OutboxMessage.created_at).desc())
    ).first()
    return latest is not None and now - latest < QUIET_PERIOD


def request_new_link(session: Session, rt: Runtime, email: str, *, now: datetime) -> bool:
    """Queue a fresh task e-mail with current links if the address is known and has open tasks."""
    address = email.strip().lower()
    person = session.exec(select(Person).where(col(Person.email) == address)).first() if address else None
    if person is None:
        return False
    assignments = active_assignments(session, person)
    if not assignments or _recently_sent(session, person, now):
        return False
    queue_assignment_notice(session, rt, person=person, assignments=assignments, kind="invitation",
                      key=f"relink:{person.id}:{now:%Y%m%dT%H%M%S}", now=now)
    record(session, EventKind.LINK_REQUESTED, at=now, actor=person.email, person_id=person.id,
           assignments=[a.id for a in assignments])
    return True
