"""What HR (and a leader handing over a task) can do to one task: remind, extend, delegate, reissue the link.

Session in, no HTTP: the web console, the leader's answer page and the CLI call the same functions.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session, col, select

from arshjul.runtime import Runtime
from domain.models import Assignment, Cycle, Person, Phase, PhaseStatus
from domain.models import AssignmentState as S
from domain.states import ACTIVE, transition
from domain.workdays import local_moment, to_local
from tasks.events import record
from tasks.mail import queue_task_notice
from tasks.notices import ladder_for

EMAIL = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]{1,185}\.[a-z]{2,}$", re.IGNORECASE)


class ActionRefused(ValueError):
    """An action that cannot be done to this task; the message is for the person, in Norwegian."""


def _load(session: Session, assignment_id: int) -> tuple[Assignment, Phase, int]:
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


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    return person


def _require_active(assignment: Assignment) -> None:
    if assignment.state not in ACTIVE:
        raise ActionRefused("Oppgaven er allerede besvart eller fritatt.")


def send_reminder(
    session: Session, rt: Runtime, assignment_id: int, *, actor: str, now: datetime
) -> Assignment:
    """Queue a reminder for one task now, outside the ladder."""
    assignment, phase, year = _load(session, assignment_id)
    _require_active(assignment)
    person = _person(session, assignment.assignee_id)
    queue_task_notice(session, rt, person=person, assignments=[assignment], kind="reminder",
                      key=f"manual-reminder:{assignment.id}:{now:%Y%m%dT%H%M%S}", now=now)
    if assignment.state in (S.OPEN, S.REMINDED):
        assignment.state = transition(assignment.state, S.REMINDED)
    record(session, "reminder.queued", at=now, actor=actor, cycle_year=year, phase_key=phase.key,
           assignment_id=assignment.id, unit_id=assignment.unit_id, person_id=person.id, manual=True)
    return assignment


def extend_deadline(
    session: Session, rt: Runtime, assignment_id: int, new_day: date, *, actor: str, now: datetime,
) -> Assignment:
    """Move a task's deadline to a day (at the deadline hour, Oslo); notices already past are not repeated."""
    assignment, phase, year = _load(session, assignment_id)
    _require_active(assignment)
    due_at = _new_deadline(rt, phase, new_day, now)
    previous = assignment.due_at
    assignment.due_at = due_at
    assignment.deadline_sequence += 1
    assignment.notices_done = sum(1 for notice in ladder_for(rt, phase, assignment) if notice.at <= now)
    assignment.version += 1
    person = _person(session, assignment.assignee_id)
    # The person learns the new deadline, with the calendar event updated (its SEQUENCE goes up).
    queue_task_notice(session, rt, person=person, assignments=[assignment], kind="reminder",
                      key=f"deadline:{assignment.id}:{assignment.deadline_sequence}", now=now)
    record(session, "assignment.deadline_extended", at=now, actor=actor, cycle_year=year, phase_key=phase.key,
           assignment_id=assignment.id, unit_id=assignment.unit_id, person_id=person.id,
           previous=previous.isoformat(), due_at=due_at.isoformat(), sequence=assignment.deadline_sequence)
    return assignment


def _new_deadline(rt: Runtime, phase: Phase, day: date, now: datetime) -> datetime:
    """The deadline hour on that day, if it is still ahead and before the phase closes."""
    due_at = local_moment(day, rt.aarshjul.deadline_time)
    if due_at <= now:
        raise ActionRefused("Den nye fristen må være fram i tid.")
    if due_at >= phase.closes_at:
        raise ActionRefused(f"Fristen må være før fasen lukkes ({to_local(phase.closes_at):%d.%m.%Y}).")
    return due_at


def find_or_create_person(session: Session, rt: Runtime, name: str, email: str) -> Person:
    """The person with this address, or a new one with this name."""
    address = email.strip().lower()
    if not EMAIL.match(address) or len(address) > 254:
        raise ActionRefused("Skriv en gyldig e-postadresse.")
    person = session.exec(select(Person).where(col(Person.email) == address)).first()
    if person is not None:
        return person
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 200:
        raise ActionRefused("Skriv navnet til stedfortrederen.")
    person = Person(name=clean_name, email=address, language=rt.settings.default_language)
    session.add(person)
    session.flush()
    return person


def delegate(
    session: Session, rt: Runtime, assignment_id: int, *, name: str, email: str, actor: str, now: datetime,
) -> Person:
    """Hand a task to a substitute: their own link by e-mail; the links sent before stop working."""
    assignment, phase, year = _load(session, assignment_id)
    substitute = find_or_create_person(session, rt, name, email)
    if substitute.id == assignment.assignee_id:
        raise ActionRefused("Oppgaven er allerede gitt til denne personen.")
    previous = _person(session, assignment.assignee_id)
    owner = _person(session, assignment.owner_id)
    assignment.assignee_id = substitute.id or 0
    assignment.link_version += 1
    assignment.version += 1
    queue_task_notice(session, rt, person=substitute, assignments=[assignment], kind="invitation",
                      key=f"delegated:{assignment.id}:{assignment.link_version}", now=now)
    record(session, "assignment.delegated", at=now, actor=actor, cycle_year=year, phase_key=phase.key,
           assignment_id=assignment.id, unit_id=assignment.unit_id, person_id=substitute.id,
           substitute=substitute.email, previous_assignee=previous.email, on_behalf_of=owner.email)
    return substitute


def reissue_link(
    session: Session, rt: Runtime, assignment_id: int, *, actor: str, now: datetime
) -> Assignment:
    """Revoke the task's links and e-mail the assignee a fresh one."""
    assignment, phase, year = _load(session, assignment_id)
    assignment.link_version += 1
    assignment.version += 1
    person = _person(session, assignment.assignee_id)
    queue_task_notice(session, rt, person=person, assignments=[assignment], kind="invitation",
                      key=f"reissue:{assignment.id}:{assignment.link_version}", now=now)
    record(session, "link.reissued", at=now, actor=actor, cycle_year=year, phase_key=phase.key,
           assignment_id=assignment.id, unit_id=assignment.unit_id, person_id=person.id,
           link_version=assignment.link_version)
    return assignment
