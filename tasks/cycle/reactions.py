"""Handlers of answer.submitted and assignment.excused for the cycle: a sector complete, a phase all answered."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from domain.events import EventKind
from domain.models import Assignment, Event, Phase, PhaseStatus
from domain.states import DONE
from tasks.cycle.phases import all_required_answered, close_phase
from tasks.events.log import record
from tasks.org.people import sector_leader, sector_of, sector_unit_ids
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime


def tell_kommunalsjef_when_sector_complete(rt: Runtime, session: Session, event: Event) -> None:
    """The last unit of a sector answered (or was excused): its kommunalsjef hears it once."""
    assignment = session.get(Assignment, event.assignment_id)
    sector = sector_of(session, event.unit_id)
    if assignment is None or sector is None or event.unit_id == sector.id:
        return
    # Two questions over the sector's units, not a scan of the whole phase: an answer costs the same at 5 000 units.
    in_sector = (Assignment.phase_id == assignment.phase_id, col(Assignment.unit_id).in_(sector_unit_ids(sector.id)))
    if session.exec(select(Assignment.id).where(*in_sector, col(Assignment.state).not_in(DONE)).limit(1)).first():
        return
    if _already_completed(session, event, sector.id):
        return  # a revision after the sektor was complete: it was told once, as its email is sent once
    units = session.exec(select(func.count()).select_from(Assignment).where(*in_sector)).one()
    leader = sector_leader(session, sector.id)
    record(
        session,
        EventKind.SECTOR_COMPLETED,
        at=event.at,
        cycle_year=event.cycle_year,
        phase_key=event.phase_key,
        unit_id=sector.id,
        units=units,
    )
    if leader is not None:
        queue_plain(
            session,
            rt,
            person=leader,
            template="sector_complete",
            kind="sector_complete",
            key=f"sector_complete:{assignment.phase_id}:{sector.id}",
            now=event.at,
            context={
                "sector_name": sector.name,
                "unit_count": units,
                "task_title": rt.aarshjul.phase(event.phase_key or "").title.get(leader.language),
                # The sector review page, where the kommunalsjef signs in with their own account.
                "review_link": f"{rt.settings.base_url.rstrip('/')}/hr/sektor",
            },
        )


def _already_completed(session: Session, event: Event, sector_id: str) -> bool:
    return (
        session.exec(
            select(Event.id)
            .where(Event.kind == EventKind.SECTOR_COMPLETED, Event.unit_id == sector_id)
            .where(Event.cycle_year == event.cycle_year, Event.phase_key == event.phase_key)
            .limit(1)
        ).first()
        is not None
    )


def close_phase_when_all_answered(rt: Runtime, session: Session, event: Event) -> None:
    """A phase configured to close when everyone has answered closes at once."""
    assignment = session.get(Assignment, event.assignment_id)
    phase = session.get(Phase, assignment.phase_id) if assignment else None
    if phase is None or phase.status != PhaseStatus.OPEN or event.cycle_year is None:
        return
    if rt.aarshjul.phase(phase.key).close_when_all_answered and all_required_answered(session, phase):
        close_phase(session, rt, phase, event.cycle_year, event.at, reason="alle har svart")
