"""HR's "remind everyone who has not answered, now": a preview of who gets it, then one email per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from domain.aarshjul.workdays import next_office_moment, to_local
from domain.events import EventKind
from domain.models import Assignment, AssignmentState, Cycle, OrgUnit, Person, Phase, PhaseStatus
from domain.states import ACTIVE, transition
from tasks.events.log import record_for_assignment
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime

Recipients = list[tuple[Person, list[Assignment]]]


class ReminderRefused(ValueError):
    """The phase cannot be reminded about now; the message is for the person, in Norwegian."""


@dataclass(frozen=True)
class ManualReminders:
    recipients: Recipients
    goes_out_at: datetime  # now, or the next office moment when HR asks outside office hours


def _open_phase(session: Session, rt: Runtime, phase_key: str, year: int) -> Phase:
    try:
        rt.aarshjul.phase(phase_key)
    except KeyError:
        raise ReminderRefused(f"Årshjulet har ingen fase som heter «{phase_key}».") from None
    phase = session.exec(select(Phase).join(Cycle).where(Cycle.year == year, Phase.key == phase_key)).first()
    if phase is None or phase.status != PhaseStatus.OPEN:
        raise ReminderRefused(f"Fasen «{phase_key}» er ikke åpen i {year}, så det er ingen å minne på.")
    return phase


def preview_reminders(session: Session, rt: Runtime, phase_key: str, year: int) -> Recipients:
    """Everyone with an unanswered task in the phase, with those tasks; one entry per person, by name."""
    phase = _open_phase(session, rt, phase_key, year)
    rows = session.exec(
        select(Assignment, Person)
        .join(Person, col(Person.id) == col(Assignment.assignee_id))
        .where(Assignment.phase_id == phase.id, col(Assignment.state).in_(ACTIVE))
        .order_by(col(Assignment.due_at), col(Assignment.id))
    ).all()
    by_person: dict[int, tuple[Person, list[Assignment]]] = {}
    for assignment, person in rows:
        assert person.id is not None
        by_person.setdefault(person.id, (person, []))[1].append(assignment)
    return sorted(by_person.values(), key=lambda pair: (pair[0].name, pair[0].id or 0))


def send_time(rt: Runtime, now: datetime) -> datetime:
    """Now inside office hours on a working day, else the next office moment: never an email at night."""
    return next_office_moment(now, rt.aarshjul.calendar(to_local(now).year), rt.aarshjul.hours)


def send_reminders_now(
    session: Session, rt: Runtime, phase_key: str, year: int, *, actor: str, now: datetime
) -> ManualReminders:
    """Queue one combined reminder per person with unanswered tasks in the phase; the caller commits."""
    recipients = preview_reminders(session, rt, phase_key, year)
    goes_out_at = send_time(rt, now)
    queued: Recipients = []
    for person, assignments in recipients:
        message = queue_assignment_notice(
            session, rt, person=person, assignments=assignments, kind="reminder",
            key=f"manual:{person.id}:{now:%Y%m%dT%H%M%S}", now=now, not_before=goes_out_at,
        )  # fmt: skip
        if message is None:
            continue  # the same request a second time (a double click): already queued
        queued.append((person, assignments))
        for assignment in assignments:
            mark_reminded(session, assignment, person, phase_key, year, actor=actor, now=now)
    return ManualReminders(queued, goes_out_at)


def mark_reminded(
    session: Session, assignment: Assignment, person: Person, phase_key: str, year: int, *, actor: str, now: datetime
) -> None:
    """A reminder sent by hand: the task counts as reminded and the event says who asked for it."""
    if assignment.state in (AssignmentState.OPEN, AssignmentState.REMINDED):
        assignment.state = transition(assignment.state, AssignmentState.REMINDED)
    record_for_assignment(
        session, EventKind.REMINDER_QUEUED, assignment, year=year, phase_key=phase_key, person_id=person.id,
        at=now, actor=actor, manual=True,
    )  # fmt: skip


def count_assignments(recipients: Recipients) -> int:
    return sum(len(tasks) for _, tasks in recipients)


@dataclass(frozen=True)
class PreviewLine:
    unit_name: str
    state: AssignmentState
    due_at: datetime


def preview_lines(session: Session, rt: Runtime, tasks: list[Assignment]) -> list[PreviewLine]:
    """What a person is reminded about, for the preview: unit, state and deadline of each task."""
    lines = []
    for task in tasks:
        unit = session.get(OrgUnit, task.unit_id) if task.unit_id else None
        lines.append(PreviewLine(unit.name if unit else rt.settings.municipality, task.state, task.due_at))
    return lines
