"""Plan versions: compiled from the year's answers, immutable once written, adopted with their handlings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from domain.events import EventKind
from domain.models import Cycle, OrgUnit, PlanStatus, PlanVersion, UnitLevel
from domain.plan.comments import attach_comments
from domain.plan.content import PlanContent, plan_content
from domain.plan.rollup import roll_up_evaluation, roll_up_input
from domain.plan.text import render_plan
from tasks.events.log import record
from tasks.org.people import units_in_sector
from tasks.plan.decision import adopt
from tasks.plan.narrative import snapshot
from tasks.plan.queries import (
    adopted_plan,
    adopted_version,
    handlings_of,
    latest_version,
    version_of,
    versions_of,
)
from tasks.plan.sources import (
    NoPlanVersion,
    PlanError,
    consultation_entries,
    sector_priorities,
    unit_answers,
)
from tasks.runtime import Runtime

__all__ = [
    "NoPlanVersion",
    "PlanError",
    "adopt",
    "adopted_plan",
    "adopted_version",
    "compile_version",
    "evaluation_items",
    "handlings_of",
    "latest_version",
    "version_of",
    "versions_of",
]


def compile_version(
    session: Session,
    rt: Runtime,
    *,
    year: int,
    now: datetime,
    reason: str,
    final: bool = False,
    created_by: str = "system",
    status: PlanStatus | None = None,
) -> PlanVersion:
    """Compile the year's input into a new immutable version (consultation draft, final draft, or HR's own draft).

    After adoption this is how a revision starts: a new version, the adopted one untouched.
    """
    cycle = session.exec(select(Cycle).where(Cycle.year == year)).first()
    if cycle is None:
        raise PlanError(f"Årshjulet for {year} er ikke startet, så det finnes ingen innspill å sammenstille.")
    parent = latest_version(session, year)
    rolled = roll_up_input(unit_answers(session, year, "input"), sector_priorities(session, year))
    period, narrative, frame = snapshot(session, rt, year + 1)  # HR's text as it is now; later edits go to the next
    content = PlanContent(
        municipality=rt.settings.municipality,
        plan_year=year + 1,
        title=f"Kompetanseplan {year + 1} for {rt.settings.municipality}",
        frame=frame,
        narrative=narrative,
        period=period,
        **dict(rolled),
        evaluation=roll_up_evaluation(unit_answers(session, year, "evaluation")),
        consultation=attach_comments(consultation_entries(session, year), rolled.measures),
        reason=reason,
    )
    version = PlanVersion(
        cycle_id=cycle.id,
        cycle_year=year,
        plan_year=year + 1,
        number=(parent.number + 1) if parent else 1,
        parent_id=parent.id if parent else None,
        status=status or (PlanStatus.FINAL_DRAFT if final else PlanStatus.CONSULTATION),
        title=content.title,
        content=content.stored(),
        rendered=render_plan(content),
        content_hash=content.content_hash(),
        created_by=created_by,
        created_at=now,
    )
    session.add(version)
    session.flush()
    record(
        session,
        EventKind.PLAN_VERSION_CREATED,
        at=now,
        cycle_year=year,
        actor=created_by,
        number=version.number,
        plan_year=version.plan_year,
        status=version.status.value,
        content_hash=version.content_hash,
        measures=len(content.measures),
    )
    return version


def evaluation_items(session: Session, unit_id: str | None, year: int) -> list[dict[str, Any]]:
    """The items of this unit's January evaluation in cycle year `year`: its measures in the adopted plan FOR
    year − 1, the plan carried out last year (adopted in December year − 2), never the plan for `year`."""
    version = adopted_plan(session, year - 1)
    if version is None or unit_id is None:
        return []
    # A kommunalsjef given the evaluation answers for the sector: the measures of every unit in it.
    unit = session.get(OrgUnit, unit_id)
    units = set(units_in_sector(session, unit_id)) if unit and unit.level == UnitLevel.SEKTOR else {unit_id}
    items = []
    for m in plan_content(version.content).measures:
        if not units & set(m.units):
            continue
        planned = sum(r.participants for r in m.requests if r.unit in units)
        # No cost: the leader writes what the measure actually cost, never the budget filled in for them.
        items.append({"measure_key": m.key, "title": m.title, "planned_participants": planned})
    return items
