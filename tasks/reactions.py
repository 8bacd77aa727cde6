"""Reactions over the event log: a sector complete, a phase all answered, a plan adopted."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from arshjul.runtime import current_runtime
from domain.models import Assignment, Event, Phase, PhaseStatus, PlanStatus
from domain.states import DONE
from tasks.answers import AnswerRefused, latest_submitted_content
from tasks.events import reacts_to, record
from tasks.mail import queue_plain
from tasks.people import sector_leader, sector_of, sector_unit_ids
from tasks.phases import all_required_answered, close_phase
from tasks.plan import adopt, latest_version
from tasks.plan_announce import announce_adoption


@reacts_to("answer.submitted")
def tell_kommunalsjef_when_sector_complete(session: Session, event: Event) -> None:
    """The last unit of a sector answered: its kommunalsjef hears it once."""
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
    rt = current_runtime()
    leader = sector_leader(session, sector.id)
    record(
        session,
        "sector.completed",
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
            },
        )


def _already_completed(session: Session, event: Event, sector_id: str) -> bool:
    return (
        session.exec(
            select(Event.id)
            .where(Event.kind == "sector.completed", Event.unit_id == sector_id)
            .where(Event.cycle_year == event.cycle_year, Event.phase_key == event.phase_key)
            .limit(1)
        ).first()
        is not None
    )


@reacts_to("answer.submitted")
def adopt_plan_when_adoption_recorded(session: Session, event: Event) -> None:
    """HR's adoption answer records the handlings, locks the plan and sends it to every unit leader.

    Nothing to adopt is the person's to fix, not a crash: AnswerRefused with a sentence, and the answer is not kept.
    """
    assignment = session.get(Assignment, event.assignment_id)
    if assignment is None or assignment.form != "adoption" or event.cycle_year is None:
        return
    rt = current_runtime()
    handlings = latest_submitted_content(session, assignment)["handlings"]
    _check_adoptable(session, event.cycle_year)
    try:
        version = adopt(session, rt, year=event.cycle_year, handlings=handlings, now=event.at, actor=event.actor)
    except LookupError as missing:
        raise AnswerRefused(_NOTHING_TO_ADOPT.format(year=event.cycle_year)) from missing
    announce_adoption(session, rt, version, year=event.cycle_year, handlings=handlings, now=event.at)


@reacts_to("answer.submitted")
def close_phase_when_all_answered(session: Session, event: Event) -> None:
    """A phase configured to close when everyone has answered closes at once."""
    assignment = session.get(Assignment, event.assignment_id)
    phase = session.get(Phase, assignment.phase_id) if assignment else None
    if phase is None or phase.status != PhaseStatus.OPEN or event.cycle_year is None:
        return
    rt = current_runtime()
    if rt.aarshjul.phase(phase.key).close_when_all_answered and all_required_answered(session, phase):
        close_phase(session, rt, phase, event.cycle_year, event.at, reason="alle har svart")


_NOTHING_TO_ADOPT = (
    "Det finnes ingen planversjon for {year} å vedta ennå. Planen må sammenstilles før vedtaket kan "
    "registreres; send inn på nytt etterpå."
)


def _check_adoptable(session: Session, year: int) -> None:
    """Refuse an adoption with no plan version, or of a plan that is adopted already."""
    version = latest_version(session, year)
    if version is None:
        raise AnswerRefused(_NOTHING_TO_ADOPT.format(year=year))
    if version.status == PlanStatus.ADOPTED:
        raise AnswerRefused(
            f"Planen for {year} er allerede vedtatt (versjon {version.number}) og kan ikke vedtas på nytt."
        )
