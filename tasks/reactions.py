"""Reactions over the event log: a sector complete, a phase all answered, a plan adopted."""

from __future__ import annotations

from sqlmodel import Session, col, select

from arshjul.runtime import current_runtime
from domain.models import Assignment, Event, Phase, PhaseStatus, RoleKind
from domain.states import DONE
from tasks.answers import latest_submitted_content
from tasks.events import reacts_to, record
from tasks.mail import queue_plain
from tasks.people import leaders, sector_leader, sector_of
from tasks.phases import all_required_answered, close_phase
from tasks.plan import adopt


@reacts_to("answer.submitted")
def tell_kommunalsjef_when_sector_complete(session: Session, event: Event) -> None:
    """The last unit of a sector answered: its kommunalsjef hears it once."""
    assignment = session.get(Assignment, event.assignment_id)
    sector = sector_of(session, event.unit_id)
    if assignment is None or sector is None or event.unit_id == sector.id:
        return
    siblings = session.exec(
        select(Assignment).where(Assignment.phase_id == assignment.phase_id, col(Assignment.unit_id).is_not(None))
    ).all()
    in_sector = [a for a in siblings if (s := sector_of(session, a.unit_id)) and s.id == sector.id]
    if not all(a.state in DONE for a in in_sector):
        return
    rt = current_runtime()
    leader = sector_leader(session, sector.id)
    record(
        session,
        "sector.completed",
        at=event.at,
        cycle_year=event.cycle_year,
        phase_key=event.phase_key,
        unit_id=sector.id,
        units=len(in_sector),
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
                "unit_count": len(in_sector),
                "task_title": rt.aarshjul.phase(event.phase_key or "").title.get(leader.language),
            },
        )


@reacts_to("answer.submitted")
def adopt_plan_when_adoption_recorded(session: Session, event: Event) -> None:
    """HR's adoption answer records the handlings, locks the plan and sends it to every unit leader."""
    assignment = session.get(Assignment, event.assignment_id)
    if assignment is None or assignment.form != "adoption" or event.cycle_year is None:
        return
    rt = current_runtime()
    handlings = latest_submitted_content(session, assignment)["handlings"]
    version = adopt(session, rt, year=event.cycle_year, handlings=handlings, now=event.at, actor=event.actor)
    decision = next((h for h in handlings if h["kind"] == "vedtak"), handlings[-1])
    recipients = {person.id: person for person, _ in leaders(session, RoleKind.UNIT_LEADER)}
    for person in recipients.values():
        queue_plain(
            session,
            rt,
            person=person,
            template="plan_adopted",
            kind="plan_adopted",
            key=f"plan_adopted:{version.id}:{person.id}",
            now=event.at,
            context={
                "plan_title": version.title,
                "adopted_on": decision["held_on"],
                "body": decision["body"],
                "case_number": decision.get("case_number", ""),
                "summary_lines": _summary(version.content),
                "link": f"{rt.settings.base_url.rstrip('/')}/plan/{event.cycle_year}",
            },
        )


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


def _summary(content: dict[str, object]) -> list[str]:
    measures = content.get("measures", [])
    costs = content.get("costs", {})
    total = costs.get("total", 0) if isinstance(costs, dict) else 0
    count = len(measures) if isinstance(measures, list) else 0
    return [f"{count} tiltak", f"Samlet kostnad: {total:,} kr".replace(",", " ")]
