"""Opening and closing the phases of a year: assignments, invitations and what a closed phase produces."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, col, select

from domain.aarshjul.model import AudienceEntry, PhaseConfig
from domain.aarshjul.schedule import phase_dates
from domain.events import EventKind
from domain.models import Assignment, Cycle, Person, Phase, PhaseStatus
from domain.states import ACTIVE
from tasks.cycle.sector_dates import sector_dues
from tasks.events.log import record
from tasks.org.audiences import audience_people
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime


def ensure_cycle(session: Session, rt: Runtime, year: int, now: datetime) -> Cycle:
    """The year's cycle with its phases and their dates, created once from the active årshjul."""
    cycle = session.exec(select(Cycle).where(Cycle.year == year)).first()
    if cycle is not None:
        return cycle
    cycle = Cycle(year=year, config_hash=rt.aarshjul.digest or "packaged", created_at=now)
    session.add(cycle)
    session.flush()
    assert cycle.id is not None
    for position, config in enumerate(rt.aarshjul.phases):
        dates = phase_dates(rt.aarshjul, config, year)
        session.add(
            Phase(
                cycle_id=cycle.id,
                key=config.key,
                position=position,
                opens_at=dates.opens_at,
                due_at=dates.due_at,
                closes_at=dates.closes_at,
            )
        )
    record(session, EventKind.CYCLE_CREATED, at=now, cycle_year=year, phases=[p.key for p in rt.aarshjul.phases])
    return cycle


def phases_of(session: Session, year: int) -> list[Phase]:
    return list(session.exec(select(Phase).join(Cycle).where(Cycle.year == year).order_by(col(Phase.position))).all())


def open_phase(session: Session, rt: Runtime, phase: Phase, year: int, now: datetime) -> list[Assignment]:
    """Create one task per person asked, and queue one invitation per person."""
    config = rt.aarshjul.phase(phase.key)
    phase.status, phase.opened_at = PhaseStatus.OPEN, now
    record(session, EventKind.PHASE_OPENED, at=now, cycle_year=year, phase_key=phase.key)
    if config.compiles_draft:
        from tasks.plan.versions import (
            compile_version,  # the plan module needs phases; import here to keep layers acyclic
        )

        compile_version(session, rt, year=year, now=now, reason=f"{phase.key} åpnet")
    bodies = rt.aarshjul.plan_bodies
    asked = [
        (entry, person, unit_id)
        for entry in config.audience
        for person, unit_id in audience_people(session, entry, bodies)
    ]
    dues = sector_dues(session, rt, config, year, [unit_id for _, _, unit_id in asked])
    created = [
        _new_assignment(phase, config, entry, person, unit_id, now, dues.get(unit_id))
        for entry, person, unit_id in asked
    ]
    session.add_all(created)
    session.flush()  # one flush gives every task its id; one per task made opening a 5 000-unit phase slow
    for (entry, person, unit_id), assignment in zip(asked, created, strict=True):
        record(
            session,
            EventKind.ASSIGNMENT_CREATED,
            at=now,
            cycle_year=year,
            phase_key=phase.key,
            assignment_id=assignment.id,
            unit_id=unit_id,
            person_id=person.id,
            audience=entry.who.value,
        )
    # The people asked, kept here: the session only holds them weakly, and a lookup after they are gone is a query.
    people = {person.id: person for _, person, _ in asked}
    by_person: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in created:
        by_person[assignment.assignee_id].append(assignment)
    for person_id, assignments in by_person.items():
        queue_assignment_notice(
            session,
            rt,
            person=people[person_id],
            assignments=assignments,
            kind="invitation",
            key=f"invitation:{phase.id}:{person_id}",
            now=now,
        )
    return created


def _new_assignment(
    phase: Phase,
    config: PhaseConfig,
    entry: AudienceEntry,
    person: Person,
    unit_id: str | None,
    now: datetime,
    due_at: datetime | None = None,
) -> Assignment:
    assert phase.id is not None and person.id is not None and config.form is not None
    return Assignment(
        phase_id=phase.id,
        unit_id=unit_id,
        owner_id=person.id,
        assignee_id=person.id,
        form=config.form.value,
        required=entry.required,
        due_at=due_at or phase.due_at,  # a sector with its own deadline in the step (due_by_sector)
        created_at=now,
    )


def close_phase(session: Session, rt: Runtime, phase: Phase, year: int, now: datetime, *, reason: str) -> None:
    """Close a phase; what it produced is compiled (the September draft's comments into a final draft)."""
    was_open = phase.status == PhaseStatus.OPEN
    phase.status, phase.closed_at = PhaseStatus.CLOSED, now
    unanswered = session.exec(
        select(Assignment.id).where(Assignment.phase_id == phase.id, col(Assignment.state).in_(ACTIVE))
    ).all()
    record(
        session,
        EventKind.PHASE_COMPLETED if was_open else EventKind.PHASE_SKIPPED,
        at=now,
        cycle_year=year,
        phase_key=phase.key,
        reason=reason,
        unanswered=len(unanswered),
    )
    if was_open and rt.aarshjul.phase(phase.key).compiles_draft:
        from tasks.plan.versions import compile_version

        compile_version(session, rt, year=year, now=now, reason=f"{phase.key} lukket", final=True)


def all_required_answered(session: Session, phase: Phase) -> bool:
    open_required = session.exec(
        select(Assignment.id).where(
            Assignment.phase_id == phase.id, Assignment.required, col(Assignment.state).in_(ACTIVE)
        )
    ).first()
    return open_required is None
