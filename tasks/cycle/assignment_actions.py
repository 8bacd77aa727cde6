"""What HR can do to one task: remind, extend the deadline, reissue the link (handing over: tasks.answers.delegation).

Session in, no HTTP: the web console, the leader's answer page and the CLI call the same functions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from domain.aarshjul.workdays import local_moment, to_local
from domain.events import EventKind
from domain.models import Assignment, Cycle, Event, Person, Phase, PhaseStatus
from domain.states import ACTIVE, reopen_for_new_deadline
from tasks.events.log import record_for_assignment
from tasks.notices.ladder import ladder_for
from tasks.notices.manual import mark_reminded, send_time
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime


class ActionRefused(ValueError):
    """An action that cannot be done to this task; the message is for the person, in Norwegian."""


def load_open_assignment(session: Session, assignment_id: int) -> tuple[Assignment, Phase, int]:
    """The task, its phase and the cycle year; refused unless the phase is open."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise ActionRefused("Oppgaven finnes ikke.")
    phase = session.get(Phase, assignment.phase_id)
    assert phase is not None
    cycle = session.get(Cycle, phase.cycle_id)
    assert cycle is not None
    if phase.status != PhaseStatus.OPEN:
        raise ActionRefused("Fasen er ikke åpen, så oppgaven kan ikke endres.")
    return assignment, phase, cycle.year


def person_of(session: Session, person_id: int) -> Person:
    """A person who must exist (an assignee or owner)."""
    person = session.get(Person, person_id)
    assert person is not None
    return person


def _require_active(assignment: Assignment) -> None:
    if assignment.state not in ACTIVE:
        raise ActionRefused("Oppgaven er allerede besvart eller fritatt.")


def send_reminder(session: Session, rt: Runtime, assignment_id: int, *, actor: str, now: datetime) -> Assignment:
    """Queue a reminder for one task now, outside the ladder."""
    assignment, phase, year = load_open_assignment(session, assignment_id)
    _require_active(assignment)
    person = person_of(session, assignment.assignee_id)
    queue_assignment_notice(
        session,
        rt,
        person=person,
        assignments=[assignment],
        kind="reminder",
        key=f"manual-reminder:{assignment.id}:{now:%Y%m%dT%H%M%S}",
        now=now,
        not_before=send_time(rt, now),
    )
    mark_reminded(session, assignment, person, phase.key, year, actor=actor, now=now)
    return assignment


def extend_deadline(
    session: Session,
    rt: Runtime,
    assignment_id: int,
    new_day: date,
    *,
    actor: str,
    now: datetime,
) -> Assignment:
    """Move a task's deadline to a day (at the deadline hour, Oslo); a late task is current again.

    Notices already past under the new deadline are not repeated; the person is told the new deadline.
    """
    assignment, phase, year = load_open_assignment(session, assignment_id)
    _require_active(assignment)
    due_at = _new_deadline(rt, phase, new_day, now)
    previous, before = assignment.due_at, assignment.state
    assignment.due_at = due_at
    assignment.deadline_sequence += 1
    assignment.notices_done = sum(1 for notice in ladder_for(rt, phase, assignment) if notice.at <= now)
    assignment.state = reopen_for_new_deadline(before, reminded=_was_reminded(session, assignment))
    if assignment.state != before:
        assignment.escalation_level = 0
    assignment.version += 1
    person = person_of(session, assignment.assignee_id)
    # The person learns the new deadline, with the calendar event updated (its SEQUENCE goes up).
    queue_assignment_notice(
        session,
        rt,
        person=person,
        assignments=[assignment],
        kind="deadline_changed",
        key=f"deadline:{assignment.id}:{assignment.deadline_sequence}",
        now=now,
    )
    record_for_assignment(
        session,
        EventKind.ASSIGNMENT_DEADLINE_EXTENDED,
        assignment,
        year=year,
        phase_key=phase.key,
        person_id=person.id,
        at=now,
        actor=actor,
        old_due_at=previous.isoformat(),
        new_due_at=due_at.isoformat(),
        sequence=assignment.deadline_sequence,
        state_before=before.value,
        state=assignment.state.value,
    )
    return assignment


def _was_reminded(session: Session, assignment: Assignment) -> bool:
    found = session.exec(
        select(Event.id).where(Event.assignment_id == assignment.id, Event.kind == EventKind.REMINDER_QUEUED)
    ).first()
    return found is not None


def _new_deadline(rt: Runtime, phase: Phase, day: date, now: datetime) -> datetime:
    """The deadline hour on that day, if it is still ahead and before the phase closes."""
    due_at = local_moment(day, rt.aarshjul.deadline_time)
    if due_at <= now:
        raise ActionRefused("Den nye fristen må være fram i tid.")
    if due_at >= phase.closes_at:
        raise ActionRefused(f"Fristen må være før fasen lukkes ({to_local(phase.closes_at):%d.%m.%Y}).")
    return due_at


def reissue_link(session: Session, rt: Runtime, assignment_id: int, *, actor: str, now: datetime) -> Assignment:
    """Revoke the task's links and e-mail the assignee a fresh one."""
    assignment, phase, year = load_open_assignment(session, assignment_id)
    assignment.link_version += 1
    assignment.version += 1
    person = person_of(session, assignment.assignee_id)
    queue_assignment_notice(
        session,
        rt,
        person=person,
        assignments=[assignment],
        kind="invitation",
        key=f"reissue:{assignment.id}:{assignment.link_version}",
        now=now,
    )
    record_for_assignment(
        session,
        EventKind.LINK_REISSUED,
        assignment,
        year=year,
        phase_key=phase.key,
        person_id=person.id,
        at=now,
        actor=actor,
        link_version=assignment.link_version,
    )
    return assignment
