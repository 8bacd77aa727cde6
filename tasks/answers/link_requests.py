"""New links asked for on `/lenke/ny`, handled by the dispatcher, not by the request.

The request only records what was typed (one event, the same statement whoever asks), so neither its answer
nor its timing tells an outsider whether an address is registered. The dispatcher then looks each address up
and queues a fresh task e-mail for a known one with open tasks, at most once per quiet period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlmodel import Session, col, or_, select

from domain.events import EventKind
from domain.models import Assignment, Event, OutboxMessage, Person, Phase, PhaseStatus
from domain.states import ACTIVE
from tasks.events.log import record
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime

ASKED: Final = EventKind.LINK_ASKED
HANDLED: Final = EventKind.LINK_ASKED_HANDLED
QUIET_PERIOD: Final = timedelta(minutes=5)
MAX_ADDRESS: Final = 254


def record_link_request(session: Session, email: str, *, now: datetime) -> None:
    """Note that someone asked for a new link to this address; nothing is looked up here."""
    record(session, ASKED, at=now, actor="nettsiden", email=email.strip().lower()[:MAX_ADDRESS])


def handle_link_requests(session: Session, rt: Runtime, *, now: datetime) -> int:
    """Answer every request recorded since the last run; returns how many e-mails were queued."""
    last = session.exec(select(Event).where(Event.kind == HANDLED).order_by(col(Event.id).desc())).first()
    done_up_to = int(last.payload.get("up_to", 0)) if last is not None else 0
    asked = list(
        session.exec(select(Event).where(Event.kind == ASKED, col(Event.id) > done_up_to).order_by(col(Event.id)))
    )
    if not asked:
        return 0
    queued = sum(send_new_link(session, rt, str(event.payload.get("email", "")), now=now) for event in asked)
    record(session, HANDLED, at=now, up_to=asked[-1].id, asked=len(asked), queued=queued)
    return queued


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


def send_new_link(session: Session, rt: Runtime, email: str, *, now: datetime) -> bool:
    """Queue a fresh task e-mail with current links if the address is known and has open tasks."""
    address = email.strip().lower()
    person = session.exec(select(Person).where(col(Person.email) == address)).first() if address else None
    if person is None:
        return False
    assignments = active_assignments(session, person)
    if not assignments or _recently_sent(session, person, now):
        return False
    queue_assignment_notice(session, rt, person=person, assignments=assignments, kind="invitation",
                      key=f"relink:{person.id}:{now:%Y%m%dT%H%M%S}", now=now)  # fmt: skip
    record(session, EventKind.LINK_REQUESTED, at=now, actor=person.email, person_id=person.id,
           assignments=[a.id for a in assignments])  # fmt: skip
    return True
